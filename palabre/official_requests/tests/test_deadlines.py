"""Reminders before each deadline and escalation after it, through the real task queue and its
worker, on a frozen clock, across Belgian public holidays."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from palabre.core.testing import MailServerDownOnce, World, sent_mail
from palabre.official_requests import actions
from palabre.official_requests.models import Event, Notice, Request, Status
from palabre.official_requests.tests.factories import make_request

pytestmark = pytest.mark.django_db(transaction=True)
BRUSSELS = ZoneInfo("Europe/Brussels")


def run_worker_at(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def at(day: int, month: int, hour: int = 9, minute: int = 1, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


def sent_friday_6_november(world: World, title: str = "") -> Request:
    request = make_request(world)
    if title:
        Request.objects.filter(pk=request.pk).update(title=title)
    with time_machine.travel(at(6, 11, 10, 0), tick=False):
        actions.send_request(
            by=world.person("coordinator"), request=request, official=world.person("official")
        )
        sent_mail()
    request.refresh_from_db()
    mail.outbox.clear()  # the request itself, sent to the official
    return request


def test_the_official_is_reminded_then_the_coordinator_told_across_holidays(
    world: World,
) -> None:
    request = sent_friday_6_november(world)
    # 10 working days with Armistice (Wednesday 11) closed: Monday 23 November.
    assert request.acknowledge_by == date(2026, 11, 23)
    run_worker_at(at(18, 11))  # two working days before is Thursday 19: nothing yet
    assert mail.outbox == []
    with translation.override("nl"):  # whatever the worker's language, the official's is used
        run_worker_at(at(19, 11))
    assert [m.to for m in mail.outbox] == [["official@example.org", "cabinet@example.org"]]
    assert "23 novembre 2026" in mail.outbox[0].subject
    run_worker_at(at(20, 11))  # a retried task sends nothing twice
    assert len(mail.outbox) == 1
    run_worker_at(at(24, 11))  # the day after the deadline, not acknowledged: escalation
    assert [m.to for m in mail.outbox][1:] == [["coordinator@example.org"]]
    assert "Ralentisseur" in mail.outbox[1].subject or "ralentisseur" in mail.outbox[1].subject
    assert set(Notice.objects.values_list("step", "kind")) == {
        ("acknowledge", "reminder"),
        ("acknowledge", "escalation"),
    }
    notes = Event.objects.filter(request=request, is_public=False)
    assert notes.count() == 2  # the history keeps both, privately


def test_nothing_is_sent_for_a_step_already_taken(world: World) -> None:
    request = sent_friday_6_november(world)
    with time_machine.travel(at(10, 11), tick=False):
        actions.acknowledge(by=world.person("official"), request=request)
    run_worker_at(at(19, 11))
    run_worker_at(at(24, 11))
    assert mail.outbox == []
    # The answer deadline still runs: 60 days after 6 November is Tuesday 5 January 2027;
    # its reminder leaves two working days before (Saturday 2 and 1 January closed).
    run_worker_at(at(31, 12, year=2026))
    assert [m.to for m in mail.outbox] == [["official@example.org", "cabinet@example.org"]]
    assert "5 janvier 2027" in mail.outbox[0].subject


def test_a_reminder_the_mail_server_refused_is_sent_later_once(world: World, settings: Any) -> None:
    sent_friday_6_november(world)
    MailServerDownOnce.install(settings)
    run_worker_at(at(19, 11))
    assert MailServerDownOnce.failed
    assert mail.outbox == []
    assert Notice.objects.count() == 1  # recorded with its email, which the outbox retries
    run_worker_at(at(19, 11, minute=40))
    assert [m.to for m in mail.outbox] == [["official@example.org", "cabinet@example.org"]]
    run_worker_at(at(19, 11, hour=12))
    assert len(mail.outbox) == 1
    assert Notice.objects.count() == 1


def test_a_merged_duplicate_neither_reminds_nor_escalates(world: World) -> None:
    keep = sent_friday_6_november(world, title="Un ralentisseur (gardée)")
    duplicate = sent_friday_6_november(world, title="Un ralentisseur (doublon)")
    with time_machine.travel(at(10, 11), tick=False):
        actions.merge_requests(by=world.person("coordinator"), keep=keep, duplicate=duplicate)
    run_worker_at(at(19, 11))  # reminders of both were queued at sending
    run_worker_at(at(24, 11))  # and escalations
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 2
    assert all("gardée" in subject for subject in subjects)
    assert not Notice.objects.filter(request=duplicate).exists()
    duplicate.refresh_from_db()
    assert (duplicate.acknowledge_by, duplicate.answer_by) == (None, None)
    assert duplicate.status == Status.SENT  # its history stays as it was


def test_a_title_typed_with_a_line_break_still_gets_its_reminder(world: World) -> None:
    sent_friday_6_november(world, title="Un ralentisseur\r\ndevant l'école")
    run_worker_at(at(19, 11))
    assert [m.subject for m in mail.outbox] == [
        "Attendu le lundi 23 novembre 2026\u00a0: Un ralentisseur devant l'école"
    ]
