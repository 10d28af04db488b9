"""The timeline keeps who did each step and what they wrote; an answer carries its new version;
refusals give their reason; the city's own names for closed days survive the preset (pinned by
the mutation run, docs/mutation/official_requests.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.official_requests import actions
from palabre.official_requests.models import AnswerKind, ClosedDay, Event, ReceivedVia
from palabre.official_requests.tests.factories import make_request

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def test_the_timeline_keeps_who_did_each_step_and_what_they_wrote(world: World) -> None:
    coordinator, official = world.person("coordinator"), world.person("official")
    request = make_request(world, sent=True)
    actions.acknowledge(by=official, request=request)
    actions.answer(
        by=official, request=request, kind=AnswerKind.ACCEPTED, text="D'accord.", version=1
    )
    actions.answer(
        by=official,
        request=request,
        kind=AnswerKind.ACCEPTED,
        text="Pour mars.",
        version=2,
        what_changed="La date est fixée.",
    )
    actions.ask_neighbourhood(by=official, request=request, question="Quelle heure ?")
    actions.add_note(by=coordinator, request=request, note="Budget voté.", public=False)
    actions.start_work(by=official, request=request)
    actions.mark_done(by=official, request=request, note="Posé le 12 avril.")
    timeline = [
        (event.kind, event.status, event.note, event.by)
        for event in Event.objects.filter(request=request).order_by("pk")
    ]
    assert timeline == [
        ("status", "drafted", "", coordinator),
        ("status", "sent", "", coordinator),
        ("status", "acknowledged", "", official),
        ("status", "answered", "D'accord.", official),  # the first answer stays in the history
        ("status", "answered", "Réponse revue\u00a0: La date est fixée.\n\nPour mars.", official),
        ("question", "", "Quelle heure ?", official),
        ("note", "", "Budget voté.", coordinator),
        ("status", "in_progress", "", official),
        ("status", "done", "Posé le 12 avril.", official),
    ]


def test_the_answered_request_carries_its_new_version_for_the_next_revision(
    world: World,
) -> None:
    request = make_request(world, sent=True)
    official = world.person("official")
    answered = actions.answer(
        by=official, request=request, kind=AnswerKind.ACCEPTED, text="Oui.", version=1
    )
    assert answered.version == 2
    actions.answer(
        by=official,
        request=answered,
        kind=AnswerKind.ACCEPTED,
        text="Oui, en mars.",
        version=answered.version,
        what_changed="Le mois est connu.",
    )
    request.refresh_from_db()
    assert (request.answer_text, request.version) == ("Oui, en mars.", 3)


def test_a_date_typed_for_an_answer_that_is_not_planned_is_not_kept(world: World) -> None:
    request = make_request(world, sent=True)
    actions.answer(
        by=world.person("official"),
        request=request,
        kind=AnswerKind.ACCEPTED,
        text="Accordé.",
        version=1,
        planned_for=date(2027, 4, 15),
    )
    request.refresh_from_db()
    assert request.planned_for is None


def test_an_answer_the_official_revises_in_palabre_is_no_longer_marked_recorded(
    world: World,
) -> None:
    request = make_request(world, sent=True)
    actions.record_answer(
        by=world.person("coordinator"),
        request=request,
        kind=AnswerKind.ACCEPTED,
        text="Oui, au téléphone.",
        version=1,
        received_via=ReceivedVia.PHONE,
    )
    actions.answer(
        by=world.person("official"),
        request=request,
        kind=AnswerKind.ACCEPTED,
        text="Oui, c'est confirmé par écrit.",
        version=request.version,
        what_changed="Confirmé par écrit.",
    )
    request.refresh_from_db()
    assert request.answer_received_via == ""
    page = Client().get(reverse("official_requests:detail", args=[request.pk])).text
    assert "enregistrée par le service" not in page


REFUSALS: list[tuple[str, dict[str, Any], str]] = [
    ("answer", {"kind": "maybe", "text": "Peut-être."}, "Choisissez le type de réponse."),
    ("answer", {"kind": AnswerKind.ACCEPTED, "text": "  "}, "Écrivez la réponse que liront"),
    ("answer", {"kind": AnswerKind.PLANNED, "text": "Au printemps."}, "Indiquez la date prévue."),
    ("ask_neighbourhood", {"question": "  "}, "Écrivez la question."),
    ("add_note", {"note": "  ", "public": True}, "Écrivez la note."),
]


@pytest.mark.parametrize(("action", "typed", "reason"), REFUSALS)
def test_what_the_addressee_writes_is_refused_with_its_reason(
    world: World, action: str, typed: dict[str, Any], reason: str
) -> None:
    request = make_request(world, sent=True)
    extra = {"version": 1} if action == "answer" else {}
    with pytest.raises(actions.RequestError, match=reason):
        getattr(actions, action)(by=world.person("official"), request=request, **typed, **extra)
    assert not Event.objects.filter(request=request).exclude(status__in=["drafted", "sent"])


def test_a_planned_answer_without_its_date_is_explained_on_the_page(world: World) -> None:
    request = make_request(world, sent=True)
    client = Client()
    client.force_login(world.person("official"))
    page = client.post(
        reverse("official_requests:act", args=[request.pk]),
        {"step": "answer", "kind": "planned", "text": "Au printemps.", "version": "1"},
    ).text
    assert "Indiquez la date prévue." in page


def test_a_holiday_the_city_entered_first_keeps_its_name_and_the_year_is_preset(
    world: World,
) -> None:
    ClosedDay.objects.create(day=date(2026, 11, 11), name="Armistice (fermeture du service)")
    request = make_request(world)
    with time_machine.travel(datetime(2026, 11, 6, 10, tzinfo=BRUSSELS), tick=False):
        actions.send_request(
            by=world.person("coordinator"), request=request, official=world.person("official")
        )
    request.refresh_from_db()
    assert request.acknowledge_by == date(2026, 11, 23)
    assert ClosedDay.objects.get(day=date(2026, 11, 11)).name == "Armistice (fermeture du service)"
    assert ClosedDay.objects.filter(day=date(2026, 12, 25)).exists()
