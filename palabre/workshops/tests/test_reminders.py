"""Reminders two days before, through the real task queue and its worker, on a frozen clock."""

from __future__ import annotations

import smtplib
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tasks_db.models import DBTaskResult

from palabre.core.testing import World
from palabre.workshops import actions
from palabre.workshops.models import Registration, Workshop
from palabre.workshops.tests.factories import make_cycle, make_workshop

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.fixture
def workshop(world: World) -> Workshop:
    return make_workshop(
        cycle=make_cycle([world.home]),
        neighbourhood=world.home,
        venue=world.venue,
        days_from_now=10,
        capacity=10,
    )


def register(workshop: Workshop, name: str, email: str) -> Registration:
    return actions.register(workshop=workshop, by=None, name=name, email=email).registration


def reminders() -> list[Any]:
    return [m for m in mail.outbox if m.subject.startswith("Rappel")]


def test_a_reminder_is_sent_two_days_before_and_only_once(workshop: Workshop) -> None:
    register(workshop, "Amina", "amina@example.org")
    register(workshop, "Marc", "")  # no address: nothing to send
    assert DBTaskResult.objects.filter(task_path__endswith="send_reminder").count() == 1
    assert workshop.starts_at is not None
    run_worker()
    assert reminders() == []  # not yet due
    with time_machine.travel(workshop.starts_at - timedelta(days=2, minutes=-1)):
        run_worker()
        run_worker()
    assert [m.to for m in reminders()] == [["amina@example.org"]]
    assert "Rue des Tilleuls 12, 5000 Namur" in reminders()[0].body
    assert Registration.objects.get(name="Amina").reminded_at is not None


def test_no_reminder_after_cancelling(workshop: Workshop) -> None:
    amina = register(workshop, "Amina", "amina@example.org")
    actions.cancel_registration(token=amina.token)
    assert workshop.starts_at is not None
    with time_machine.travel(workshop.starts_at - timedelta(days=1)):
        run_worker()
    assert reminders() == []


def test_a_moved_workshop_moves_its_reminders(workshop: Workshop) -> None:
    register(workshop, "Amina", "amina@example.org")
    assert workshop.starts_at is not None
    assert workshop.ends_at is not None
    first_due = workshop.starts_at - timedelta(days=2)
    Workshop.objects.filter(pk=workshop.pk).update(
        starts_at=workshop.starts_at + timedelta(days=7),
        ends_at=workshop.ends_at + timedelta(days=7),
    )
    with time_machine.travel(first_due + timedelta(minutes=1)):
        run_worker()
    assert reminders() == []
    with time_machine.travel(first_due + timedelta(days=7, minutes=1)):
        run_worker()
    assert len(reminders()) == 1


def move(world: World, workshop: Workshop, by: timedelta) -> None:
    """Move the workshop as the coordinator does, in the back-office (through plan_workshop)."""
    assert workshop.starts_at is not None
    assert workshop.ends_at is not None
    workshop.starts_at += by
    workshop.ends_at += by
    actions.plan_workshop(by=world.person("coordinator"), workshop=workshop)


def test_a_workshop_moved_earlier_is_reminded_before_its_new_start(
    world: World, workshop: Workshop
) -> None:
    register(workshop, "Amina", "amina@example.org")
    assert workshop.starts_at is not None
    old_due = workshop.starts_at - timedelta(days=2)
    move(world, workshop, -timedelta(days=5))
    with time_machine.travel(old_due - timedelta(days=5, minutes=-1)):
        run_worker()
    assert [m.to for m in reminders()] == [["amina@example.org"]]
    with time_machine.travel(old_due + timedelta(minutes=1)):
        run_worker()  # the job queued for the old start sends nothing
    assert len(reminders()) == 1


def test_a_workshop_moved_later_is_reminded_once(world: World, workshop: Workshop) -> None:
    register(workshop, "Amina", "amina@example.org")
    assert workshop.starts_at is not None
    old_due = workshop.starts_at - timedelta(days=2)
    move(world, workshop, timedelta(days=3))
    with time_machine.travel(old_due + timedelta(minutes=1)):
        run_worker()  # the old job follows the move
    assert reminders() == []
    with time_machine.travel(old_due + timedelta(days=3, minutes=2)):
        run_worker()  # two jobs for the new start now: one email
        run_worker()
    assert len(reminders()) == 1


def test_whoever_was_reminded_of_the_old_date_is_reminded_of_the_new_one(
    world: World, workshop: Workshop
) -> None:
    register(workshop, "Amina", "amina@example.org")
    assert workshop.starts_at is not None
    old_due = workshop.starts_at - timedelta(days=2)
    with time_machine.travel(old_due + timedelta(minutes=1)):
        run_worker()
        move(world, workshop, timedelta(days=7))
    with time_machine.travel(old_due + timedelta(days=7, minutes=1)):
        run_worker()
    assert len(reminders()) == 2
    assert workshop.starts_at is not None
    with translation.override("fr"):
        new_start = date_format(timezone.localtime(workshop.starts_at), "DATETIME_FORMAT")
    assert new_start in reminders()[1].body
    assert new_start not in reminders()[0].body


def test_a_failed_send_is_retried_later(
    workshop: Workshop, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(workshop, "Amina", "amina@example.org")
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages
    failures = {"left": 2}

    def flaky(self: EmailBackend, messages: Any) -> int:
        if failures["left"]:
            failures["left"] -= 1
            raise smtplib.SMTPServerDisconnected("relay down")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    assert workshop.starts_at is not None
    due = workshop.starts_at - timedelta(days=2, minutes=-1)
    with time_machine.travel(due):
        run_worker()
    assert reminders() == []
    with time_machine.travel(due + timedelta(minutes=6)):
        run_worker()  # second attempt fails too
    with time_machine.travel(due + timedelta(minutes=20)):
        run_worker()  # third attempt succeeds
    assert len(reminders()) == 1
    assert timezone.now() < workshop.starts_at


def test_a_title_typed_with_a_line_break_still_gets_its_reminder(workshop: Workshop) -> None:
    Workshop.objects.filter(pk=workshop.pk).update(title="Atelier\r\nBomel")
    register(workshop, "Amina", "amina@example.org")
    assert workshop.starts_at is not None
    with time_machine.travel(workshop.starts_at - timedelta(days=2, minutes=-1)):
        run_worker()
    assert [m.subject for m in reminders()] == ["Rappel\u00a0: Atelier Bomel"]


def test_everyone_registered_gets_their_own_reminder_with_their_name_and_link(
    workshop: Workshop,
) -> None:
    amina = register(workshop, "Amina", "amina@example.org")
    karim = register(workshop, "Karim", "karim@example.org")
    assert workshop.starts_at is not None
    with time_machine.travel(workshop.starts_at - timedelta(days=2, minutes=-1)):
        run_worker()
    sent = {m.to[0]: m.body for m in reminders()}
    assert set(sent) == {"amina@example.org", "karim@example.org"}
    assert "Amina" in sent["amina@example.org"]
    assert f"/ateliers/inscription/{amina.token}/" in sent["amina@example.org"]
    assert f"/ateliers/inscription/{karim.token}/" in sent["karim@example.org"]


def test_a_job_for_a_registration_gone_or_a_workshop_begun_sends_nothing(
    workshop: Workshop,
) -> None:
    assert actions.deliver_reminder(registration_id=987654) == "nothing to do"
    amina = register(workshop, "Amina", "amina@example.org")
    assert workshop.starts_at is not None
    with time_machine.travel(workshop.starts_at + timedelta(minutes=5)):
        assert actions.deliver_reminder(registration_id=amina.pk) == "too late"
        run_worker()
    assert reminders() == []


def test_a_job_run_early_waits_for_the_due_time_then_sends_once(workshop: Workshop) -> None:
    amina = register(workshop, "Amina", "amina@example.org")
    assert workshop.starts_at is not None
    start = workshop.starts_at.isoformat()  # Brussels time; the jobs may carry UTC
    due = workshop.starts_at - timedelta(days=2)
    with time_machine.travel(due - timedelta(hours=3)):
        assert actions.deliver_reminder(registration_id=amina.pk, starts_at=start) == "rescheduled"
    job = DBTaskResult.objects.filter(task_path__endswith="send_reminder").latest("enqueued_at")
    assert job.run_after == due
    assert job.args_kwargs["kwargs"]["registration_id"] == amina.pk
    assert datetime.fromisoformat(job.args_kwargs["kwargs"]["starts_at"]) == workshop.starts_at
    with time_machine.travel(due + timedelta(minutes=1)):
        assert actions.deliver_reminder(registration_id=amina.pk, starts_at=start) == "queued"
        assert actions.deliver_reminder(registration_id=amina.pk, starts_at=start) == (
            "nothing to do"
        )
