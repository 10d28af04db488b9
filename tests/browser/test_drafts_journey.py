"""The service finds its drafts and starts a new request from the tracker, never the back-office."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_workshop_journeys import sign_in, signed_in_phone_in_dutch


def test_the_coordinator_starts_a_request_from_the_tracker(page: Page, demo: Any) -> None:
    sign_in(page, "coordination@palabre.example")
    page.goto("/demandes/")
    drafts = page.get_by_role("region", name="Brouillons du service")
    expect(drafts).to_be_visible()
    assert_accessible(page)
    drafts.get_by_role("link", name="Nouvelle demande").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.url.endswith("/demandes/nouvelle/")
    assert_accessible(page)


def test_drafts_and_a_new_request_on_a_320_px_phone_in_dutch(
    new_page: Callable[..., Page], demo: Any
) -> None:
    phone = signed_in_phone_in_dutch(new_page, "coordination@palabre.example")
    phone.goto("/demandes/")
    drafts = phone.get_by_role("region", name="Ontwerpen van de dienst")
    expect(drafts).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    drafts.get_by_role("link", name="Nieuw verzoek").click()
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert phone.url.endswith("/demandes/nouvelle/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
