"""Reminders two days before, through the real task queue and its worker, on a frozen clock."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
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
    assert DBTaskResult.objects.count() == 1
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
