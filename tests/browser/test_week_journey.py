"""The coordinator's Monday page, from the menu: on a laptop with axe, and on a 320 px phone
in Dutch without anything wider than the screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP, assert_accessible
from tests.browser.test_workshop_journeys import sign_in


def test_the_coordinator_reads_the_week(new_page: Callable[..., Page], demo: Any) -> None:
    page = new_page(viewport=LAPTOP)
    sign_in(page, "coordination@palabre.example")
    page.get_by_role("link", name="Cette semaine").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cette semaine")
    expect(page.get_by_role("region", name="modération")).to_be_visible()
    assert_accessible(page)

    phone = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    sign_in(phone, "coordination@palabre.example")
    phone.get_by_label("Langue").select_option("nl")
    phone.get_by_role("button", name="Changer").click()
    expect(phone.locator("html")).to_have_attribute("lang", "nl")
    phone.goto("/semaine/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Deze week")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    # Every action waiting for the city, page by page (the week shows the first ten).
    phone.goto("/semaine/actions-en-attente/?page=abc")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    breadcrumb = phone.get_by_role("navigation", name="Kruimelpad")
    expect(breadcrumb.get_by_role("link", name="Deze week")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)


def test_the_coordinator_reminds_a_late_department_from_the_week(
    new_page: Callable[..., Page], demo: Any
) -> None:
    page = new_page(viewport=LAPTOP)
    sign_in(page, "coordination@palabre.example")
    page.goto("/semaine/")
    page.get_by_role("button", name="Relancer : Limiter la vitesse rue de Bomel").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cette semaine")
    expect(page.get_by_text("Rappel envoyé : « Limiter la vitesse rue de Bomel »")).to_be_visible()
    assert_accessible(page)
