"""A resident erases their account with the keyboard; the page passes axe."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_workshop_journeys import sign_in


def test_a_resident_erases_their_account(page: Page, demo: Any) -> None:
    sign_in(page, "habitant@palabre.example")
    page.goto("/compte/")
    page.get_by_role("link", name="Effacer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Effacer mon compte")
    page.get_by_role("button", name="Effacer mon compte").click()
    expect(page.get_by_text("Cochez la case pour confirmer.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Je comprends").check()
    page.get_by_role("button", name="Effacer mon compte").click()
    expect(page.get_by_text("Votre compte est effacé.")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
