"""What each email of a request says, to whom and in which language: the request sent, the
answer to its followers, the reminder before a deadline, the escalation after it and the
service's reminder by hand (pinned by the mutation run, docs/mutation/official_requests.md)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from palabre.accounts.models import Role, User
from palabre.accounts.tests.factories import make_user
from palabre.core.testing import World, sent_mail
from palabre.official_requests import actions
from palabre.official_requests.models import AnswerKind, Department, Event, EventKind, Request
from palabre.official_requests.tests.factories import make_department, make_request

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")
TITLE = "Un ralentisseur devant l'école"


def _url(request: Request) -> str:
    return f"{settings.SITE_URL}{reverse('official_requests:detail', args=[request.pk])}"


def _sent_friday_6_november(
    world: World, *, official: User | None = None, department: Department | None = None
) -> Request:
    """Sent on Friday 6 November 2026: acknowledgement due Monday 23 November, answer due
    Tuesday 5 January 2027."""
    request = make_request(world)
    if department is None:
        official = official or world.person("official")
    with time_machine.travel(datetime(2026, 11, 6, 10, tzinfo=BRUSSELS), tick=False):
        actions.send_request(
            by=world.person("coordinator"),
            request=request,
            official=official,
            department=department,
        )
    sent_mail()
    mail.outbox.clear()
    request.refresh_from_db()
    assert (request.acknowledge_by, request.answer_by) == (date(2026, 11, 23), date(2027, 1, 5))
    return request


def _dutch_official() -> User:
    return make_user(
        role=Role.OFFICIAL,
        official_title="Schepen",
        display_name="Anke Peeters",
        email="schepen@example.org",
        preferred_language="nl",
    )


def _retired_coordinator() -> User:
    return make_user(role=Role.COORDINATOR, email="retraite@example.org", is_active=False)


def _last_event(request: Request) -> Event:
    event = Event.objects.filter(request=request).last()
    assert event is not None
    return event


# The request sent --------------------------------------------------------------------------------


def test_a_request_goes_to_the_official_with_its_link_and_the_active_coordinators_in_copy(
    world: World,
) -> None:
    _retired_coordinator()
    request = make_request(world)
    sent_mail().clear()
    actions.send_request(
        by=world.person("coordinator"), request=request, official=world.person("official")
    )
    [message] = sent_mail()
    assert message.cc == ["coordinator@example.org"]
    assert message.subject == f"Une demande d'habitant·es\u00a0: {TITLE}"
    assert _url(request) in message.body


def test_a_dutch_speaking_official_receives_the_request_in_dutch(world: World) -> None:
    request = make_request(world)
    sent_mail().clear()
    actions.send_request(
        by=world.person("coordinator"), request=request, official=_dutch_official()
    )
    [message] = sent_mail()
    assert message.subject == f"Een verzoek van bewoners: {TITLE}"
    assert "van 9 tot 12 uur" in message.body  # down to the signature


def test_a_request_to_a_department_goes_to_its_address_rather_than_to_each_member(
    world: World,
) -> None:
    department = make_department(world)
    Department.objects.filter(pk=department.pk).update(email="voirie@example.org")
    department.refresh_from_db()
    department.members.add(world.person("partner"))
    request = make_request(world)
    sent_mail().clear()
    with translation.override("nl"):  # sent from a Dutch page: a shared address reads French
        actions.send_request(by=world.person("coordinator"), request=request, department=department)
    assert [m.to for m in sent_mail()] == [["voirie@example.org"]]
    assert sent_mail()[0].subject == f"Une demande d'habitant·es\u00a0: {TITLE}"


def test_a_request_to_a_department_without_an_address_goes_to_its_members(
    world: World,
) -> None:
    department = make_department(world)
    department.members.add(world.person("partner"), make_user(email="agent@example.org"))
    request = make_request(world)
    sent_mail().clear()
    actions.send_request(by=world.person("coordinator"), request=request, department=department)
    [message] = sent_mail()
    assert sorted(message.to) == ["agent@example.org", "partner@example.org"]


# The answer, to the followers --------------------------------------------------------------------


def test_each_follower_is_told_of_the_answer_in_their_language_with_the_link(
    world: World,
) -> None:
    request = make_request(world, sent=True)
    dutch = make_user(email="buur@example.org", preferred_language="nl")
    for person in (world.person("neighbour"), dutch):
        actions.follow(by=person, request=request, following=True)
    sent_mail().clear()
    actions.answer(
        by=world.person("official"),
        request=request,
        kind=AnswerKind.ACCEPTED,
        text="Accordé pour le printemps.",
        version=1,
    )
    told = {m.to[0]: m for m in sent_mail() if m.to[0] in ("neighbour@example.org", dutch.email)}
    french, flemish = told["neighbour@example.org"], told[dutch.email]
    assert french.subject == f"Réponse\u00a0: {TITLE}"
    assert (
        f"La demande que vous suivez, «\u00a0{TITLE}\u00a0», a reçu une réponse\u00a0:"
        in french.body
    )
    assert "Accordé pour le printemps." in french.body
    assert _url(request) in french.body
    assert flemish.subject == f"Antwoord: {TITLE}"
    assert "van 9 tot 12 uur" in flemish.body  # down to the signature


def test_stopping_following_a_request_keeps_the_other_followers_and_requests(
    world: World,
) -> None:
    first, second = make_request(world, sent=True), make_request(world, sent=True)
    neighbour, resident = world.person("neighbour"), world.person("resident")
    for request, person in ((first, neighbour), (first, resident), (second, neighbour)):
        actions.follow(by=person, request=request, following=True)
    actions.follow(by=neighbour, request=first, following=False)
    assert list(first.followers.values_list("user__email", flat=True)) == [resident.email]
    assert list(second.followers.values_list("user__email", flat=True)) == [neighbour.email]


# Reminder before a deadline, escalation after it -------------------------------------------------


def test_the_reminder_is_in_the_official_s_language_and_says_what_is_due_when(
    world: World,
) -> None:
    request = _sent_friday_6_november(world, official=_dutch_official())
    actions.deliver_notice(request_id=request.pk, step="acknowledge", kind="reminder")
    [message] = sent_mail()
    assert message.to == ["schepen@example.org"]
    assert message.subject == f"Verwacht op maandag 23 november 2026: {TITLE}"
    assert (
        f"Bewoners van Bomel wachten op u voor \u201c{TITLE}\u201d: de ontvangstbevestiging "
        "verwacht op maandag 23 november 2026." in " ".join(message.body.split())
    )
    assert _url(request) in message.body
    note = _last_event(request)
    assert (note.kind, note.is_public) == (EventKind.NOTE, False)
    assert note.note == "Rappel envoyé\u00a0: attendu le lundi 23 novembre 2026."


def test_the_escalation_tells_the_active_coordinators_in_french_who_was_late(
    world: World,
) -> None:
    _retired_coordinator()
    request = _sent_friday_6_november(world, official=_dutch_official())
    actions.deliver_notice(request_id=request.pk, step="acknowledge", kind="escalation")
    [message] = sent_mail()
    assert message.to == ["coordinator@example.org"]
    assert message.subject == f"En retard\u00a0: {TITLE}"
    body = " ".join(message.body.split())
    assert (
        f"La demande « {TITLE} » (Bomel) est en retard : la date prévue pour l'accusé de "
        "réception était le lundi 23 novembre 2026." in body
    )
    assert "Adressée à : Anke Peeters" in body
    note = _last_event(request)
    assert (note.kind, note.is_public) == (EventKind.NOTE, False)
    assert (
        note.note == "Délai dépassé (lundi 23 novembre 2026)\u00a0: la coordination est prévenue."
    )


# The service's reminder by hand ------------------------------------------------------------------


def test_the_service_reminds_of_the_step_still_due_once_each_and_privately(
    world: World,
) -> None:
    coordinator = world.person("coordinator")
    request = _sent_friday_6_november(world)
    assert actions.remind_now(by=coordinator, request=request)
    [message] = sent_mail()
    assert message.to == [
        "official@example.org",
        "cabinet@example.org",
    ]  # the official and their cabinet
    assert message.subject == f"Rappel du service\u00a0: {TITLE}"
    assert "Date prévue pour l'accusé de réception : lundi 23 novembre 2026" in " ".join(
        message.body.split()
    )
    note = _last_event(request)
    assert (note.kind, note.is_public, note.by) == (EventKind.NOTE, False, coordinator)
    assert note.note == (
        "Rappel envoyé par le service\u00a0: "
        "l'accusé de réception attendu le lundi 23 novembre 2026."
    )
    # Acknowledged the same day: the answer is now what is due, and it may be reminded too.
    actions.acknowledge(by=world.person("official"), request=request)
    assert actions.remind_now(by=coordinator, request=request)
    assert len(sent_mail()) == 2
    assert "mardi 5 janvier 2027" in " ".join(sent_mail()[1].body.split())
    assert _last_event(request).note.endswith(" attendu le mardi 5 janvier 2027.")
    assert [nudge.by for nudge in request.nudges.all()] == [coordinator, coordinator]


def test_a_request_that_is_done_is_reminded_to_nobody(world: World) -> None:
    request = make_request(world, sent=True)
    official = world.person("official")
    actions.answer(by=official, request=request, kind=AnswerKind.ACCEPTED, text="Oui.", version=1)
    actions.mark_done(by=official, request=request)
    with pytest.raises(actions.RequestError, match="n'attend plus personne"):
        actions.remind_now(by=world.person("coordinator"), request=request)


def test_a_department_nobody_answers_for_cannot_be_reminded(world: World) -> None:
    request = _sent_friday_6_november(world, department=make_department(world))
    with pytest.raises(actions.RequestError, match="Personne ne peut être contacté"):
        actions.remind_now(by=world.person("coordinator"), request=request)
    assert not request.nudges.exists()


def test_a_first_answer_and_a_recorded_revision_say_no_change_nobody_wrote(
    world: World,
) -> None:
    """ "What changed" is said only of an answer revised with a word of what changed: never of a
    first answer (even sent with one), nor of a revision the service recorded from a letter."""
    request = make_request(world, sent=True)
    actions.follow(by=world.person("neighbour"), request=request, following=True)
    sent_mail().clear()
    actions.answer(
        by=world.person("official"),
        request=request,
        kind=AnswerKind.ACCEPTED,
        text="Accordé.",
        version=1,
        what_changed="Rien.",  # a forged form: the first answer has no such field
    )
    first = [m for m in sent_mail() if m.to == ["neighbour@example.org"]]
    assert len(first) == 1
    assert "Ce qui change" not in first[0].body
    assert "Accordé." in _last_event(request).note  # the answer's own entry of the timeline
    assert "Réponse revue" not in _last_event(request).note
    sent_mail().clear()
    request.refresh_from_db()
    actions.record_answer(
        by=world.person("coordinator"),
        request=request,
        kind=AnswerKind.PLANNED,
        text="Par courrier : prévu en mars.",
        version=request.version,
        received_via="letter",
        planned_for=date(2027, 3, 1),
    )
    revised = [m for m in sent_mail() if m.to == ["neighbour@example.org"]]
    assert len(revised) == 1
    assert "Ce qui change" not in revised[0].body
    assert "prévu en mars" in _last_event(request).note
    assert "Réponse revue" not in _last_event(request).note


def test_a_merged_duplicate_gets_no_reminder_its_request_carries_the_deadlines(
    world: World,
) -> None:
    duplicate = _sent_friday_6_november(world, official=_dutch_official())
    keep = make_request(world, sent=True)
    actions.merge_requests(by=world.person("coordinator"), keep=keep, duplicate=duplicate)
    duplicate.refresh_from_db()
    assert duplicate.status in actions.WAITING  # only the merge says it is over
    before = len(sent_mail())  # the news of the merge
    outcome = actions.deliver_notice(request_id=duplicate.pk, step="acknowledge", kind="reminder")
    assert outcome == "no longer relevant"
    assert len(sent_mail()) == before
