"""The coordinator keeps the calendar of closed days from the front office: a local closure
added with the keyboard (a day closed already is explained in view, what was typed stays), and
on a phone in Dutch a usual closure removed because the city works that day."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from palabre.official_requests.models import ClosedDay
from tests.browser.conftest import assert_accessible, expect_error_summary
from tests.browser.test_workshop_journeys import sign_in, signed_in_phone_in_dutch


def test_the_coordinator_adds_the_monday_of_the_fetes_de_wallonie(page: Page, demo: Any) -> None:
    sign_in(page, "coordination@palabre.example")
    page.goto("/demandes/")
    page.get_by_role("link", name="Jours fermés : le calendrier que les délais sautent").click()
    year = timezone.localdate().year
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Jours fermés {year}")
    expect(
        page.get_by_text("Les délais des demandes se comptent en jours ouvrables")
    ).to_be_visible()
    assert_accessible(page)

    # 27 September is closed already (Fédération Wallonie-Bruxelles): refused, in view, kept.
    page.get_by_label(re.compile(r"^Date")).fill("2027-09-27")
    page.get_by_label(re.compile(r"^Nom du jour fermé")).fill("Fêtes de Wallonie")
    page.get_by_role("button", name="Ajouter le jour fermé").click()
    expect_error_summary(page, "Ce jour est déjà fermé")
    expect(page.get_by_label(re.compile(r"^Date"))).to_have_value("2027-09-27")
    expect(page.get_by_label(re.compile(r"^Nom du jour fermé"))).to_have_value("Fêtes de Wallonie")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jours fermés 2027")
    expect(page.get_by_role("cell", name="lundi 27 septembre 2027")).to_be_visible()
    assert_accessible(page)

    # The third Monday of September, Namur's usual local holiday; sent with the keyboard.
    page.get_by_label(re.compile(r"^Date")).fill("2027-09-20")
    page.get_by_role("button", name="Ajouter le jour fermé").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("Fermé le lundi 20 septembre 2027 : Fêtes de Wallonie.")
    ).to_be_visible()
    expect(
        page.get_by_role("row", name=re.compile(r"lundi 20 septembre 2027 Fêtes de Wallonie"))
    ).to_be_visible()
    assert ClosedDay.objects.filter(day=date(2027, 9, 20), name="Fêtes de Wallonie").exists()
    assert_accessible(page)


def test_on_a_phone_in_dutch_the_coordinator_removes_all_souls_day(
    new_page: Any, demo: Any
) -> None:
    year = timezone.localdate().year
    phone = signed_in_phone_in_dutch(new_page, "coordination@palabre.example")
    phone.goto("/demandes/")
    phone.get_by_role("link", name="Sluitingsdagen: de kalender die de termijnen overslaan").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Sluitingsdagen {year}")
    expect(phone.get_by_role("cell", name="Allerzielen", exact=True)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)

    phone.get_by_role(
        "button", name=re.compile(rf"^Verwijderen 2 november {year}, Allerzielen")
    ).click()
    with translation.override("nl"):
        all_souls = date_format(date(year, 11, 2), "l j F Y")  # "maandag 2 november 2026"
    expect(phone.get_by_text(f"De stad werkt op {all_souls} (Allerzielen)")).to_be_visible()
    expect(phone.get_by_role("cell", name="Allerzielen", exact=True)).to_have_count(0)
    assert not ClosedDay.objects.filter(day=date(year, 11, 2)).exists()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
