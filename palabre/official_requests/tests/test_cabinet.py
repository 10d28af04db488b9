"""Working the way cabinets work (issue 15, item 6, first part): a cabinet collaborator reads the
official's requests, acknowledges them and prepares answers the official publishes as they are
or changes; published in the official's name only when the official allows it; credited
honestly ("From the alderwoman, written by her collaborator")."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.accounts.models import Role, User
from palabre.accounts.tests.factories import make_user
from palabre.core.testing import World, sent_mail
from palabre.official_requests import actions, queries
from palabre.official_requests.models import AnswerDraft, CabinetMember, Request, Status
from palabre.official_requests.permissions import can_answer
from palabre.official_requests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def collaborator_of(official: User, *, may_publish: bool = False, email: str = "") -> User:
    person = make_user(
        role=Role.CABINET,
        email=email or "chloe.martin@example.org",
        display_name="Chloé Martin",
        preferred_language="nl",
    )
    CabinetMember.objects.create(official=official, collaborator=person, may_publish=may_publish)
    return person


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def act(client: Client, request: Request, **data: object) -> int:
    return client.post(reverse("official_requests:act", args=[request.pk]), data).status_code


def test_the_collaborator_prepares_and_the_official_publishes_it_as_it_is(world: World) -> None:
    official = world.person("official")
    official.preferred_language = "fr"
    official.save()
    request = make_request(world, sent=True)
    cabinet = collaborator_of(official)
    assert [
        entry.request
        for entry in queries.to_do(cabinet).this_week
        + queries.to_do(cabinet).later
        + queries.to_do(cabinet).late
    ] == [request]
    client = signed_in(cabinet)
    assert act(client, request, step="acknowledge") == 302
    sent_mail().clear()
    prepared = {
        "step": "draft_answer",
        "kind": "accepted",
        "text": "Accordé : le ralentisseur sera posé.",
        "version": "2",
    }
    assert act(client, request, **prepared) == 302
    request.refresh_from_db()
    assert request.status == Status.ACKNOWLEDGED  # nothing published yet
    (told,) = sent_mail()
    assert told.to == [official.email]
    assert told.subject == "Une réponse à approuver\u00a0: Un ralentisseur devant l'école"
    assert "Chloé Martin a préparé une réponse" in told.body
    public = html.unescape(
        Client().get(reverse("official_requests:detail", args=[request.pk])).text
    )
    assert "le ralentisseur sera posé" not in public
    (entry,) = (
        queries.to_do(official).late
        + queries.to_do(official).this_week
        + queries.to_do(official).later
    )
    assert entry.step == "approve"

    assert act(signed_in(official), request, step="approve_draft", version=request.version) == 302
    request.refresh_from_db()
    assert (request.status, request.answered_by, request.answer_from_official) == (
        Status.ANSWERED,
        cabinet,
        official,
    )
    assert not AnswerDraft.objects.exists()
    public = html.unescape(
        Client().get(reverse("official_requests:detail", args=[request.pk])).text
    )
    assert f"De {official}, rédigée par Chloé Martin" in public


def test_a_collaborator_publishes_only_when_the_official_allows_it(world: World) -> None:
    official = world.person("official")
    request = make_request(world, sent=True)
    cabinet = collaborator_of(official)
    with pytest.raises(PermissionDenied):
        actions.answer(by=cabinet, request=request, kind="accepted", text="Oui.", version=1)
    data = {"step": "answer", "kind": "accepted", "text": "Oui.", "version": 1}
    assert act(signed_in(cabinet), request, **data) == 404
    CabinetMember.objects.filter(collaborator=cabinet).update(may_publish=True)
    cabinet = User.objects.get(pk=cabinet.pk)
    assert act(signed_in(cabinet), request, **data) == 302
    request.refresh_from_db()
    assert (request.answered_by, request.answer_from_official) == (cabinet, official)


def test_another_official_s_collaborator_sees_and_does_nothing(world: World) -> None:
    request = make_request(world, sent=True)
    other = make_user(role=Role.OFFICIAL, email="autre.echevin@example.org")
    outsider = collaborator_of(other, may_publish=True)
    assert queries.to_do(outsider).open_count == 0
    client = signed_in(outsider)
    assert act(client, request, step="acknowledge") == 404
    with pytest.raises(PermissionDenied):
        actions.draft_answer(by=outsider, request=request, kind="accepted", text="Oui.")
    actions.add_note(
        by=world.person("official"), request=request, note="Budget serré.", public=False
    )
    page = html.unescape(client.get(reverse("official_requests:detail", args=[request.pk])).text)
    assert "Budget serré." not in page


def test_the_official_changes_the_prepared_answer_and_publishes_their_own(world: World) -> None:
    official = world.person("official")
    request = make_request(world, sent=True)
    cabinet = collaborator_of(official)
    actions.draft_answer(by=cabinet, request=request, kind="accepted", text="Oui.")
    page = html.unescape(
        signed_in(official).get(reverse("official_requests:detail", args=[request.pk])).text
    )
    assert "Réponse préparée par Chloé Martin" in page
    assert ">\nOui.</textarea>" in page  # the form starts from the prepared text
    actions.answer(by=official, request=request, kind="accepted", text="Oui, dès mars.", version=1)
    request.refresh_from_db()
    assert (request.answered_by, request.answer_text) == (official, "Oui, dès mars.")
    assert not AnswerDraft.objects.exists()


def test_a_refused_preparation_keeps_what_was_typed(world: World) -> None:
    official = world.person("official")
    request = make_request(world, sent=True)
    cabinet = collaborator_of(official)
    refused = signed_in(cabinet).post(
        reverse("official_requests:act", args=[request.pk]),
        {
            "step": "draft_answer",
            "kind": "planned",
            "text": "Prévu au printemps.",
            "version": "1",
        },
    )
    page = html.unescape(refused.text)
    assert refused.status_code == 200
    assert "Prévu au printemps." in page
    assert not AnswerDraft.objects.exists()


def test_the_service_adds_and_removes_a_collaborator_who_is_told(world: World) -> None:
    official = world.person("official")
    person = make_user(email="chloe@example.org", display_name="Chloé", preferred_language="nl")
    service = signed_in(world.person("coordinator"))
    url = reverse("official_requests:cabinets")
    sent_mail().clear()
    added = service.post(
        url, {"step": "add", "official": official.pk, f"o{official.pk}-email": "CHLOE@example.org"}
    )
    assert added.status_code == 302
    person.refresh_from_db()
    assert person.role == Role.CABINET
    (told,) = sent_mail()
    assert told.to == [person.email]
    assert told.subject == f"U werkt in het kabinet van {official} in Palabre"
    membership = CabinetMember.objects.get(collaborator=person)
    assert service.post(url, {"step": "remove", "member": membership.pk}).status_code == 302
    person.refresh_from_db()
    assert person.role == Role.RESIDENT
    assert not CabinetMember.objects.filter(collaborator=person).exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        (
            "coordinator@example.org",
            "Ce compte a déjà le rôle «\u00a0Service de cohésion sociale\u00a0»",
        ),
        ("cabinet@example.org", "travaille déjà dans le cabinet de"),
        ("personne@example.org", "Aucun compte n'utilise cette adresse."),
    ],
)
def test_a_collaborator_who_cannot_join_is_refused_with_the_reason(
    world: World, email: str, message: str
) -> None:
    other = make_user(role=Role.OFFICIAL, email="autre.echevin@example.org")
    service = signed_in(world.person("coordinator"))
    refused = service.post(
        reverse("official_requests:cabinets"),
        {"step": "add", "official": other.pk, f"o{other.pk}-email": email},
    )
    page = html.unescape(refused.text)
    assert refused.status_code == 200
    assert message in page
    assert email in page  # what was typed is kept
    assert not CabinetMember.objects.filter(official=other).exists()


def test_only_the_official_lets_a_collaborator_publish(world: World) -> None:
    official = world.person("official")
    cabinet = world.person("cabinet")  # the world's official's collaborator
    membership = CabinetMember.objects.get(collaborator=cabinet)
    request = make_request(world, sent=True)
    other = make_user(role=Role.OFFICIAL, email="autre.echevin@example.org")
    url = reverse("official_requests:cabinets")
    allow = {"step": "allow", "member": membership.pk, "allowed": "1"}
    assert signed_in(other).post(url, allow).status_code == 404
    assert not can_answer(User.objects.get(pk=cabinet.pk), request)
    page = html.unescape(signed_in(official).get(url).text)
    assert "prépare les réponses, l'élu·e les publie" in page
    assert signed_in(official).post(url, allow).status_code == 302
    assert can_answer(User.objects.get(pk=cabinet.pk), request)


def test_the_collaborator_reads_the_private_notes_others_do_not(world: World) -> None:
    official = world.person("official")
    request = make_request(world, sent=True)
    collaborator = collaborator_of(official)
    actions.add_note(by=official, request=request, note="Voir le budget voirie.", public=False)
    url = reverse("official_requests:detail", args=[request.pk])
    assert "Voir le budget voirie." in signed_in(collaborator).get(url).text
    assert "Voir le budget voirie." not in signed_in(world.person("resident")).get(url).text
