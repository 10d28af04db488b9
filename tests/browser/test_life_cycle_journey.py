"""A safe life cycle, in the browser: the coordinator records the evening's workshop as held,
confirms, then undoes a mistake with the keyboard; a resident who scans the flyer of a workshop
not yet announced learns when it is, in French or Dutch, on a 320 px phone without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from palabre.workshops import actions
from palabre.workshops.models import Status, Workshop
from tests.browser.conftest import LAPTOP, assert_accessible, expect_error_summary
from tests.browser.test_workshop_journeys import sign_in, signed_in_phone_in_dutch


def _tonights_workshop() -> Workshop:
    """A workshop of the demo, moved to this evening."""
    workshop = Workshop.objects.filter(status=Status.ANNOUNCED, kind="workshop").first()
    assert workshop is not None
    tonight = datetime.combine(
        timezone.localdate(), time(18, 30), tzinfo=timezone.get_current_timezone()
    )
    Workshop.objects.filter(pk=workshop.pk).update(
        starts_at=tonight, ends_at=tonight + timedelta(hours=2)
    )
    return workshop


def test_the_coordinator_records_tonights_workshop_held_and_undoes_it(
    new_page: Callable[..., Page], demo: Any
) -> None:
    workshop = _tonights_workshop()
    page = new_page(viewport=LAPTOP)
    sign_in(page, "coordination@palabre.example")
    page.goto(workshop.get_absolute_url())
    page.get_by_role("button", name="Enregistrer comme tenu").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cet atelier a-t-il eu lieu ?")
    assert_accessible(page)
    page.get_by_role("button", name="Oui, il a eu lieu").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("L'atelier est enregistré comme tenu.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Annuler : pas tenu").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("C'est annulé : l'atelier est de nouveau annoncé.")).to_be_visible()
    assert Workshop.objects.get(pk=workshop.pk).status == Status.ANNOUNCED


def test_a_flyer_of_a_workshop_not_announced_says_when_it_is(
    new_page: Callable[..., Page], demo: Any
) -> None:
    planned = Workshop.objects.filter(status=Status.PLANNED, starts_at__isnull=False).first()
    assert planned is not None
    batch = actions.prepare_invitations(
        by=None, workshop=planned, label="Tracts", print_format="a4x4", copies=4, language="fr"
    )
    phone = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    phone.goto(f"/i/{batch.code}")
    expect(phone.get_by_role("heading", level=1)).to_have_text(planned.title)
    expect(phone.get_by_text("Cet atelier est en préparation")).to_be_visible()
    expect(phone.get_by_text("Il est prévu le")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    phone.get_by_label("Langue").select_option("nl")
    phone.get_by_role("button", name="Changer").click()
    expect(phone.get_by_text("Deze workshop wordt voorbereid")).to_be_visible()
    assert_accessible(phone)

    without_js = new_page(java_script_enabled=False)
    without_js.goto(f"/i/{batch.code}")
    expect(without_js.get_by_text("Cet atelier est en préparation")).to_be_visible()


def test_held_and_undone_on_a_320_px_phone_in_dutch(
    new_page: Callable[..., Page], demo: Any
) -> None:
    workshop = _tonights_workshop()
    phone = signed_in_phone_in_dutch(new_page, "coordination@palabre.example")
    phone.goto(workshop.get_absolute_url())
    phone.get_by_role("button", name="Registreren als gehouden").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Heeft deze workshop plaatsgevonden?"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    phone.get_by_role("button", name="Ja, hij heeft plaatsgevonden").click()
    expect(phone.get_by_text("De workshop is als gehouden geregistreerd.")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    phone.get_by_role("button", name="Ongedaan maken: niet gehouden").click()
    expect(
        phone.get_by_text("Ongedaan gemaakt: de workshop is opnieuw aangekondigd.")
    ).to_be_visible()
    assert Workshop.objects.get(pk=workshop.pk).status == Status.ANNOUNCED


def test_printing_before_the_announcement_warns_on_a_phone_in_dutch(
    new_page: Callable[..., Page], demo: Any
) -> None:
    planned = Workshop.objects.filter(status=Status.PLANNED, starts_at__isnull=False).first()
    assert planned is not None
    phone = signed_in_phone_in_dutch(new_page, "coordination@palabre.example")
    phone.goto(f"/ateliers/{planned.pk}/invitations/")
    expect(phone.get_by_text("Deze workshop is nog niet aangekondigd.")).to_be_visible()
    phone.get_by_label(re.compile(r"^Kanaal")).fill("Brievenbussen Hoogstraat")
    phone.get_by_role("button", name="Voorbereiden").click()
    # Not ticked: refused, the reason in view, the channel's name kept.
    expect_error_summary(phone, "Vink het vakje aan om vóór de aankondiging te drukken.")
    expect(phone.get_by_label(re.compile(r"^Kanaal"))).to_have_value("Brievenbussen Hoogstraat")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    phone.get_by_label(re.compile(r"^Ik begrijp het")).check()
    phone.get_by_role("button", name="Voorbereiden").click()
    expect(phone.get_by_role("cell", name="Brievenbussen Hoogstraat", exact=True)).to_be_visible()
    assert_accessible(phone)
