"""Answers that are never lost (issue 15, item 4): a revision says what changed, publicly; a
planned date moves with its reason; followers are told; what was typed survives a refusal."""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World, sent_mail
from palabre.official_requests import actions
from palabre.official_requests.models import AnswerKind, Request, Status
from palabre.official_requests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def planned(world: World) -> Request:
    request = make_request(world, sent=True)
    actions.follow(by=world.person("resident"), request=request, following=True)
    actions.answer(
        by=world.person("official"),
        request=request,
        kind=AnswerKind.PLANNED,
        text="Le ralentisseur sera posé au printemps.",
        planned_for=date(2027, 4, 15),
        version=1,
    )
    sent_mail().clear()
    request.refresh_from_db()
    return request


def _page(client: Client, request: Request) -> str:
    return html.unescape(client.get(reverse("official_requests:detail", args=[request.pk])).text)


def test_a_revision_without_what_changed_is_refused_and_the_new_text_stays(world: World) -> None:
    request = planned(world)
    official = Client()
    official.force_login(world.person("official"))
    typed = "Le ralentisseur sera posé en mai, avec un passage pour piétons."
    page = html.unescape(
        official.post(
            reverse("official_requests:act", args=[request.pk]),
            {
                "step": "answer",
                "kind": "planned",
                "text": typed,
                "planned_for": "2027-05-10",
                "version": request.version,
            },
        ).text
    )
    assert "Dites en quelques mots ce qui change" in page
    assert typed in page
    assert "Ce qui change (visible par les habitants)" in page
    assert Request.objects.get(pk=request.pk).answer_text.startswith("Le ralentisseur sera posé au")


def test_a_revision_says_publicly_what_changed_and_followers_are_told(world: World) -> None:
    request = planned(world)
    actions.answer(
        by=world.person("official"),
        request=request,
        kind=AnswerKind.PLANNED,
        text="Le ralentisseur sera posé en mai, avec un passage pour piétons.",
        planned_for=date(2027, 5, 10),
        version=request.version,
        what_changed="Un passage pour piétons s'ajoute.",
    )
    assert "Réponse revue\u00a0: Un passage pour piétons s'ajoute." in _page(Client(), request)
    (told,) = [m for m in sent_mail() if m.to == [world.person("resident").email]]
    assert "Ce qui change\u00a0: Un passage pour piétons s'ajoute." in told.body


def test_a_planned_date_moves_with_its_reason_and_followers_are_told(world: World) -> None:
    request = planned(world)
    actions.start_work(by=world.person("official"), request=request)
    request.refresh_from_db()
    actions.move_planned_date(
        by=world.person("official"),
        request=request,
        planned_for=date(2027, 6, 1),
        reason="Le marquage attend des jours secs.",
        version=request.version,
    )
    request.refresh_from_db()
    assert (request.planned_for, request.status) == (date(2027, 6, 1), Status.IN_PROGRESS)
    page = _page(Client(), request)
    assert (
        "Date prévue déplacée du jeudi 15 avril 2027 au mardi 1 juin 2027\u00a0: "
        "Le marquage attend des jours secs." in page
    )
    (told,) = [m for m in sent_mail() if m.to == [world.person("resident").email]]
    assert "La date prévue a changé\u00a0: c'était le jeudi 15 avril 2027." in told.body
    assert "Ce qui change\u00a0: Le marquage attend des jours secs." in told.body


def test_moving_a_date_is_refused_with_a_reason_a_person_can_read(world: World) -> None:
    request = planned(world)
    official = world.person("official")
    refusals = [
        (date(2027, 6, 1), "  ", "Dites pourquoi la date change"),
        (date(2027, 4, 15), "Rien.", "C'est déjà la date prévue."),
    ]
    for moved_to, reason, message in refusals:
        with pytest.raises(actions.RequestError, match=message):
            actions.move_planned_date(
                by=official,
                request=request,
                planned_for=moved_to,
                reason=reason,
                version=request.version,
            )
    with pytest.raises(actions.RequestError, match="entre-temps"):
        actions.move_planned_date(
            by=official, request=request, planned_for=date(2027, 6, 1), reason="x", version=1
        )
    with pytest.raises(PermissionDenied):
        actions.move_planned_date(
            by=world.person("resident"),
            request=request,
            planned_for=date(2027, 6, 1),
            reason="x",
            version=request.version,
        )
    accepted = make_request(world, sent=True)
    actions.answer(by=official, request=accepted, kind=AnswerKind.ACCEPTED, text="Oui.", version=1)
    accepted.refresh_from_db()
    with pytest.raises(actions.RequestError, match="prévue"):
        actions.move_planned_date(
            by=official, request=accepted, planned_for=date(2027, 6, 1), reason="x", version=2
        )
    assert Request.objects.get(pk=request.pk).planned_for == date(2027, 4, 15)


def test_a_refused_move_keeps_what_was_typed_on_the_page(world: World) -> None:
    request = planned(world)
    official = Client()
    official.force_login(world.person("official"))
    page = html.unescape(
        official.post(
            reverse("official_requests:act", args=[request.pk]),
            {
                "step": "move_date",
                "move-planned_for": "2027-06-01",
                "move-reason": "",
                "move-version": request.version,
            },
        ).text
    )
    assert "Dites pourquoi la date change\u00a0: les habitants le lisent." in page
    assert 'value="2027-06-01"' in page


def test_the_answer_form_keeps_the_planned_date_to_revise(world: World) -> None:
    request = planned(world)
    official = Client()
    official.force_login(world.person("official"))
    page = official.get(reverse("official_requests:detail", args=[request.pk])).text
    assert 'name="planned_for" value="2027-04-15"' in page
