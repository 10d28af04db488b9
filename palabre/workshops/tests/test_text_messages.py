"""Registrants who gave only a phone number (issue 16, item 3): the reminder and any change reach
them by text message, in their language, once, through the real task queue and its worker."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from palabre.core.testing import World
from palabre.outbox.actions import deliver_due
from palabre.outbox.models import SmsOptOut
from palabre.workshops import actions
from palabre.workshops.models import Registration, Workshop
from palabre.workshops.tests.factories import make_cycle, make_workshop
from palabre.workshops.tests.test_reminders import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "sms"


@pytest.fixture
def workshop(world: World) -> Workshop:
    workshop = make_workshop(
        cycle=make_cycle([world.home]),
        neighbourhood=world.home,
        venue=world.venue,
        days_from_now=10,
        capacity=10,
        title="Bien vivre ensemble à Bomel",
    )
    workshop.translations = {"nl": {"title": "Goed samenleven in Bomel"}}
    workshop.save()
    return workshop


def texts(folder: Path) -> list[str]:
    return sorted(path.read_text() for path in folder.glob("*.txt")) if folder.exists() else []


def register_in(language: str, workshop: Workshop, name: str, phone: str) -> Registration:
    with translation.override(language):
        result = actions.register(workshop=workshop, by=None, name=name, phone=phone)
    return result.registration


def test_a_phone_only_registrant_is_reminded_by_text_in_dutch_once(
    workshop: Workshop, folder: Path
) -> None:
    with override_settings(SMS={"backend": "file", "path": str(folder)}):
        jan = register_in("nl", workshop, "Jan", "0470 12 34 56")
        assert workshop.starts_at is not None
        with time_machine.travel(workshop.starts_at - timedelta(days=2, minutes=-1)):
            run_worker()
            run_worker()  # a second run sends nothing more
    (reminder,) = texts(folder)
    assert reminder.startswith("To: +32470123456\n\n")
    assert 'Herinnering: "Goed samenleven in Bomel"' in reminder
    with translation.override("nl"):
        day = date_format(timezone.localtime(workshop.starts_at), "l j F")  # "dinsdag 15 december"
    assert f"{day}, 18.30 uur, {workshop.venue}, Rue des Tilleuls 12." in reminder
    assert jan.link is not None
    assert f"Kunt u niet komen? Bel 081 12 34 56 (ref. {jan.link.reference})." in reminder
    body = reminder.split("\n\n", 1)[1].strip()
    assert len(body) <= 160  # one message


# Configuration read when the page is rendered: a kept page shows a change of it after
# PAGE_CACHE_SECONDS at most (ADR 0083); this test looks at the rendering itself.
@pytest.mark.usefixtures("pages_rendered_each_time")
def test_without_sms_configured_nobody_is_promised_or_sent_one(
    workshop: Workshop, folder: Path
) -> None:
    page = Client().get(reverse("workshops:detail", args=[workshop.pk])).text
    assert "par SMS" not in page
    register_in("fr", workshop, "Marc", "0470 12 34 56")
    assert workshop.starts_at is not None
    with time_machine.travel(workshop.starts_at - timedelta(days=2, minutes=-1)):
        run_worker()
    assert texts(folder) == []
    with override_settings(SMS={"backend": "file", "path": str(folder)}):
        page = Client().get(reverse("workshops:detail", args=[workshop.pk])).text
    assert "le rappel et tout changement arrivent par SMS" in page


def test_a_cancelled_workshop_is_told_by_text_with_its_reason(
    world: World, workshop: Workshop, folder: Path
) -> None:
    with override_settings(SMS={"backend": "file", "path": str(folder)}):
        register_in("fr", workshop, "Marc", "+32 470 99 88 77")
        register_in("fr", workshop, "Léa", "")  # neither email nor phone: nothing to send
        actions.cancel_workshop(
            by=world.person("coordinator"), workshop=workshop, reason="La salle est inondée."
        )
        deliver_due()
    (cancelled,) = texts(folder)
    assert cancelled.startswith("To: +32470998877\n\n")
    assert 'Annulé : "Bien vivre ensemble à Bomel"' in cancelled
    assert "Raison : La salle est inondée." in cancelled


def test_a_number_that_said_stop_gets_no_reminder(workshop: Workshop, folder: Path) -> None:
    with override_settings(SMS={"backend": "file", "path": str(folder)}):
        register_in("fr", workshop, "Marc", "0470 12 34 56")
        SmsOptOut.objects.create(phone="+32470123456")
        assert workshop.starts_at is not None
        with time_machine.travel(workshop.starts_at - timedelta(days=2, minutes=-1)):
            run_worker()
    assert texts(folder) == []
