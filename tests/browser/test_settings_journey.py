"""The coordinator finds every setting of the year from the menu (issue 14): one page, no
back-office, in French on a laptop and in Dutch on a 320 px phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_workshop_journeys import sign_in, signed_in_phone_in_dutch


def test_the_coordinator_reaches_the_calendar_of_closed_days_from_the_menu(
    page: Page, demo: Any
) -> None:
    sign_in(page, "coordination@palabre.example")
    menu = page.get_by_role("navigation", name="Menu principal")
    expect(menu.get_by_role("link", name="Gestion")).to_have_count(0)
    menu.get_by_role("link", name="Réglages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réglages du service")
    assert_accessible(page)
    page.get_by_role("link", name="Calendrier des jours de fermeture").click()
    expect(page).to_have_url(f"{page.url.split('/demandes/')[0]}/demandes/jours-fermes/")
    page.go_back()
    page.get_by_role("region", name="Lieux et partenaires").get_by_role(
        "link", name="Bomel"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bomel")


def test_the_settings_fit_a_phone_in_dutch(new_page: Callable[..., Page], demo: Any) -> None:
    phone = signed_in_phone_in_dutch(new_page, "coordination@palabre.example")
    phone.goto("/semaine/reglages/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Instellingen van de dienst")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    phone.get_by_role("link", name="Thema's").click()
    phone.wait_for_url("**/parole/themes/")  # the page it opens, before it is measured
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
