"""Retention: contact details of registrations and volunteers are anonymised N months after the
workshop or the citizen action; figures stay; the nightly run keeps itself going."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from palabre.core.testing import World
from palabre.initiatives import actions as initiative_actions
from palabre.initiatives.models import Initiative, Status, Volunteer
from palabre.initiatives.tests.factories import make_initiative
from palabre.links.models import AccessLink
from palabre.privacy import actions
from palabre.privacy.actions import Retention
from palabre.workshops import actions as workshop_actions
from palabre.workshops.models import Registration, Workshop
from palabre.workshops.queries import attendance
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


def came(world: World, workshop: Workshop, name: str, email: str = "", **who: Any) -> Registration:
    made = workshop_actions.register(
        workshop=workshop, name=name, email=email, phone="0470 11 22 33", **who
    ).registration
    return workshop_actions.set_arrival(by=None, registration=made, present=True)


def finished(world: World, initiative: Initiative, status: Status) -> None:
    coordinator = world.person("coordinator")
    for step in (Status.PREPARATION, Status.HAPPENING):
        initiative_actions.move(by=coordinator, initiative=initiative, target=step)
    initiative_actions.move(by=coordinator, initiative=initiative, target=status, reason="Fini")


def test_registrations_are_anonymised_a_year_after_the_workshop_and_the_counts_stay(
    world: World,
) -> None:
    resident = world.person("resident")
    old = make_hosted_workshop(world, days_from_now=10, capacity=10)
    recent = make_hosted_workshop(world, days_from_now=100, capacity=10)
    amina = came(world, old, "Amina", "amina@example.org", by=None)
    came(world, old, "Youssef", by=resident)
    workshop_actions.add_walk_in(by=None, workshop=old, name="Fatou", key="walk-in")
    came(world, recent, "Amina", "amina@example.org", by=None)
    came(world, recent, "Youssef", by=resident)
    before = attendance(old)
    assert attendance(recent).returning == 2

    # Eleven months after the old workshop: nothing yet.
    assert old.ends_at is not None
    with time_machine.travel(old.ends_at + timedelta(days=335), tick=False):
        assert actions.apply_retention() == Retention(registrations=0, volunteers=0)
    with time_machine.travel(old.ends_at + timedelta(days=370), tick=False):
        done = actions.apply_retention()
        again = actions.apply_retention()

    assert done == Retention(registrations=3, volunteers=0)
    assert again == Retention(registrations=0, volunteers=0)  # idempotent
    amina.refresh_from_db()
    assert (amina.name, amina.email, amina.phone) == ("Anonyme", "", "")
    link = AccessLink.objects.get(pk=amina.link_id or 0)
    assert (link.revoked_at is not None, link.email, link.phone) == (True, "", "")
    assert Client().get(reverse("workshops:registration", args=[amina.token])).status_code == 404
    assert set(old.registrations.values_list("name", flat=True)) == {"Anonyme"}
    # The recent workshop is a year younger: kept as it was.
    assert set(recent.registrations.values_list("email", flat=True)) == {
        "amina@example.org",
        "resident@example.org",
    }
    # Counts stay; "returning" still recognises an account, but no longer an erased address
    # (ADR 0049): Amina, who came to both and was never asked, is now "not asked" at the recent
    # one (an answer given at the door would have stayed: it names nobody, ADR 0054).
    assert attendance(old) == before
    recent_figures = attendance(recent)
    assert (recent_figures.returning, recent_figures.first_timers) == (1, 0)
    assert recent_figures.not_known == 1


def test_volunteers_are_anonymised_a_year_after_their_action_is_done_or_abandoned(
    world: World,
) -> None:
    done = make_initiative(world, "Fête de la rue Haute")
    abandoned = make_initiative(world, "Façades fleuries")
    ongoing = make_initiative(world, "Boîte à livres")
    for initiative, name in [(done, "Karim"), (abandoned, "Léa"), (ongoing, "Marc")]:
        initiative_actions.sign_up(
            by=None, initiative=initiative, name=name, email=f"{name.lower()}@example.org"
        )
    finished(world, done, Status.DONE)
    finished(world, abandoned, Status.ABANDONED)

    with time_machine.travel(timezone.now() + timedelta(days=300), tick=False):
        assert actions.apply_retention().volunteers == 0
    with time_machine.travel(timezone.now() + timedelta(days=370), tick=False):
        assert actions.apply_retention().volunteers == 2
        assert actions.apply_retention().volunteers == 0

    names = dict(Volunteer.objects.values_list("initiative__title", "name"))
    assert names == {
        "Fête de la rue Haute": "Anonyme",
        "Façades fleuries": "Anonyme",
        "Boîte à livres": "Marc",
    }
    assert Volunteer.objects.filter(email="").count() == 2
    assert done.volunteers.count() == 1  # the volunteer still counts, without a name


def test_the_months_kept_come_from_the_settings(world: World, settings: Any) -> None:
    settings.RETENTION_MONTHS_REGISTRATIONS = 2
    workshop = make_hosted_workshop(world, days_from_now=1)
    amina = came(world, workshop, "Amina", "amina@example.org", by=None)
    assert workshop.ends_at is not None
    with time_machine.travel(workshop.ends_at + timedelta(days=55), tick=False):
        actions.apply_retention()
    amina.refresh_from_db()
    assert amina.email == "amina@example.org"
    with time_machine.travel(workshop.ends_at + timedelta(days=65), tick=False):
        actions.apply_retention()
    amina.refresh_from_db()
    assert amina.email == ""


def test_months_are_counted_on_the_calendar() -> None:
    brussels = timezone.get_default_timezone()
    moment = datetime(2027, 3, 31, 3, 0, tzinfo=brussels)
    assert actions.months_before(moment, 1) == datetime(2027, 2, 28, 3, 0, tzinfo=brussels)
    assert actions.months_before(moment, 12) == datetime(2026, 3, 31, 3, 0, tzinfo=brussels)
    assert actions.months_before(moment, 0) == moment


def test_the_operators_command_applies_retention_and_says_what_it_did(world: World) -> None:
    workshop = make_hosted_workshop(world, days_from_now=1)
    came(world, workshop, "Amina", "amina@example.org", by=None)
    assert workshop.ends_at is not None
    out = StringIO()
    with time_machine.travel(workshop.ends_at + timedelta(days=400), tick=False):
        call_command("apply_retention", stdout=out)
        call_command("apply_retention", stdout=out)
    first, second = out.getvalue().splitlines()
    assert first.startswith("Anonymised: 1 registrations")
    assert second.startswith("Anonymised: 0 registrations")
    # The command also makes sure the nightly run is queued, once.
    assert DBTaskResult.objects.filter(task_path__endswith="apply_retention_nightly").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_nightly_run_anonymises_and_queues_the_next_night(world: World, settings: Any) -> None:
    settings.RETENTION_MONTHS_REGISTRATIONS = 0
    workshop = make_hosted_workshop(world, days_from_now=1)
    amina = came(world, workshop, "Amina", "amina@example.org", by=None)
    assert workshop.ends_at is not None
    evening = timezone.localtime(workshop.ends_at)
    with time_machine.travel(evening, tick=False):
        assert actions.schedule_retention()
        assert not actions.schedule_retention()  # one run waiting is enough
    night = (evening + timedelta(days=1)).replace(hour=3, minute=0)
    nightly = DBTaskResult.objects.filter(task_path__endswith="apply_retention_nightly")
    assert [result.run_after for result in nightly] == [night]

    with time_machine.travel(night + timedelta(minutes=1), tick=False):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    amina.refresh_from_db()
    assert amina.email == ""
    waiting = nightly.filter(status="READY")
    assert [result.run_after for result in waiting] == [night + timedelta(days=1)]


def test_the_nightly_run_is_at_three_on_the_city_clock() -> None:
    zone = timezone.get_current_timezone()

    def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
        return datetime(2027, 1, 10, hour, minute, second, 500, tzinfo=zone)

    three = datetime(2027, 1, 10, 3, 0, tzinfo=zone)
    assert actions.next_retention_run(at(2, 59, 59)) == three  # before three: tonight
    assert actions.next_retention_run(three) == three + timedelta(days=1)  # at three: tomorrow
    assert actions.next_retention_run(at(17, 30, 12)) == three + timedelta(days=1)


def test_queueing_counts_from_the_moment_given(world: World) -> None:
    zone = timezone.get_current_timezone()
    assert actions.schedule_retention(now=datetime(2030, 6, 1, 12, 0, tzinfo=zone))
    queued = DBTaskResult.objects.get(task_path__endswith="apply_retention_nightly")
    assert queued.run_after == datetime(2030, 6, 2, 3, 0, tzinfo=zone)


def test_someone_who_registered_as_anonymous_still_loses_their_address(world: World) -> None:
    workshop = make_hosted_workshop(world, days_from_now=1)
    # Named like an erased row, with an address sorting before most: still erased.
    made = came(world, workshop, "Anonyme", "ABC@example.org", by=None)
    assert workshop.ends_at is not None
    with time_machine.travel(workshop.ends_at + timedelta(days=400), tick=False):
        assert actions.apply_retention().registrations == 1
    made.refresh_from_db()
    assert (made.email, made.phone) == ("", "")
