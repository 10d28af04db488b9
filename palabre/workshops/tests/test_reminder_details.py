"""When the reminder goes out, in the details the first mutation run of the reminders left
unpinned (docs/mutation/workshops.md): the job waits for its time, a late registration gets none,
and a job queued for a start that moved a little sends nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from palabre.core.testing import World
from palabre.workshops import actions
from palabre.workshops.models import Registration, Workshop
from palabre.workshops.tests.factories import make_cycle, make_workshop

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def reminders() -> list[Any]:
    return [m for m in mail.outbox if m.subject.startswith("Rappel")]


def workshop_in(world: World, days: int) -> Workshop:
    return make_workshop(
        cycle=make_cycle([world.home]),
        neighbourhood=world.home,
        venue=world.venue,
        days_from_now=days,
        capacity=10,
    )


def register(workshop: Workshop, email: str = "amina@example.org") -> Registration:
    return actions.register(workshop=workshop, by=None, name="Amina", email=email).registration


def test_the_reminder_job_waits_in_the_queue_until_two_days_before(world: World) -> None:
    workshop = workshop_in(world, 10)
    amina = register(workshop)
    (job,) = DBTaskResult.objects.filter(task_path__endswith="send_reminder")
    assert workshop.starts_at is not None
    assert job.run_after == workshop.starts_at - timedelta(days=2)
    assert job.args_kwargs["kwargs"]["registration_id"] == amina.pk


def test_registering_the_day_before_brings_no_reminder_on_top_of_the_confirmation(
    world: World,
) -> None:
    workshop = workshop_in(world, 1)
    register(workshop)
    assert not DBTaskResult.objects.filter(task_path__endswith="send_reminder").exists()
    run_worker()
    assert reminders() == []
    assert [m.subject for m in mail.outbox] == ["Votre inscription\u00a0: Atelier"]


def test_a_workshop_moved_half_an_hour_later_is_reminded_at_its_new_time_not_the_old_one(
    world: World,
) -> None:
    workshop = workshop_in(world, 10)
    register(workshop)
    assert workshop.starts_at is not None
    assert workshop.ends_at is not None
    old_due = workshop.starts_at - timedelta(days=2)
    workshop.starts_at += timedelta(minutes=30)
    workshop.ends_at += timedelta(minutes=30)
    actions.plan_workshop(by=world.person("coordinator"), workshop=workshop)
    with time_machine.travel(old_due + timedelta(minutes=1)):
        run_worker()  # the job queued for the old start: stale, it sends nothing
    assert reminders() == []
    with time_machine.travel(old_due + timedelta(minutes=31)):
        run_worker()
        run_worker()
    assert [m.to for m in reminders()] == [["amina@example.org"]]
