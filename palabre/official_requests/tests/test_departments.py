"""Departments that answer: the service says who answers for each (issue 14, item 3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.accounts.models import Role
from palabre.accounts.tests.factories import make_user
from palabre.core.testing import World, sent_mail
from palabre.official_requests import actions
from palabre.official_requests.tests.factories import make_department, make_request

pytestmark = pytest.mark.django_db

URL = reverse("official_requests:departments")


def _coordinator(world: World) -> Client:
    client = Client()
    client.force_login(world.person("coordinator"))
    return client


def test_a_member_added_is_told_and_finds_the_departments_requests_in_their_list(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    department = make_department(world)
    agent = make_user(email="agent.voirie@example.org", role=Role.RESIDENT, display_name="Léa")
    client = _coordinator(world)
    assert "Personne ne répond encore pour ce service." in client.get(URL).text
    sent_mail().clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            URL,
            {
                "step": "add",
                "department": department.pk,
                f"d{department.pk}-email": "Agent.Voirie@example.org",
            },
        )
        client.post(
            URL,
            {
                "step": "add",
                "department": department.pk,
                f"d{department.pk}-email": "agent.voirie@example.org",
            },
        )

    assert first.status_code == 302
    assert list(department.members.all()) == [agent]
    assert [m.to for m in sent_mail()] == [["agent.voirie@example.org"]]  # told once
    request = make_request(world)
    actions.send_request(by=world.person("coordinator"), request=request, department=department)
    inbox = Client()
    inbox.force_login(agent)
    assert (
        "Un ralentisseur devant l&#x27;école" in inbox.get(reverse("official_requests:portal")).text
    )
    page = client.get(URL).text
    assert "Léa" in page
    assert "1 demande attend sa réponse" in page

    client.post(URL, {"step": "remove", "department": department.pk, "member": agent.pk})
    assert not department.members.exists()


def test_an_unknown_address_is_explained_and_kept(world: World) -> None:
    department = make_department(world)
    page = _coordinator(world).post(
        URL,
        {
            "step": "add",
            "department": department.pk,
            f"d{department.pk}-email": "personne@example.org",
        },
    )
    assert page.status_code == 200
    assert "Aucun compte n&#x27;utilise cette adresse" in page.text
    assert 'value="personne@example.org"' in page.text
    assert not department.members.exists()


@pytest.mark.parametrize("bad", ["", "abc", "-1", "99999", "1 OR 1=1"])
def test_a_made_up_department_or_member_is_a_404(world: World, bad: str) -> None:
    department = make_department(world)
    client = _coordinator(world)
    assert client.post(URL, {"step": "add", "department": bad}).status_code == 404
    assert (
        client.post(URL, {"step": "remove", "department": department.pk, "member": bad}).status_code
        == 404
    )


def test_only_the_service_changes_who_answers(world: World) -> None:
    department = make_department(world)
    for persona in ("official", "resident", "facilitator", "partner"):
        with pytest.raises(PermissionDenied):
            actions.add_department_member(
                by=world.person(persona), department=department, email="official@example.org"
            )
        with pytest.raises(PermissionDenied):
            actions.remove_department_member(
                by=world.person(persona), department=department, member=world.person("official")
            )
    assert not department.members.exists()


def test_a_dutch_speaking_member_is_told_in_dutch_to_the_signature(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from palabre.outbox.models import OutgoingMail

    department = make_department(world)
    make_user(email="agent@example.org", preferred_language="nl")
    with django_capture_on_commit_callbacks(execute=True):
        _coordinator(world).post(  # from a French page
            URL,
            {
                "step": "add",
                "department": department.pk,
                f"d{department.pk}-email": "agent@example.org",
            },
        )
    [told] = sent_mail()
    assert "De dienst sociale cohesie heeft u toegevoegd" in told.body
    assert "van 9 tot 12 uur" in told.body  # the signature's opening hours, in Dutch
    assert OutgoingMail.objects.get().kind == "department member"
