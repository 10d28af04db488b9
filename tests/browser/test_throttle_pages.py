"""Over a limit, people read what happened and how long to wait (ADR 0042)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import PageErrors, assert_accessible


def test_a_sign_in_over_the_limit_says_to_wait_and_offers_the_code(
    page: Page, page_errors: PageErrors, transactional_db: None, settings: Any
) -> None:
    settings.SIGN_IN_MAX_FAILURES = 0
    page_errors.allow_error_status("/compte/connexion/")
    page.goto("/compte/connexion/")
    page.locator("#id_email").fill("amina@example.org")
    page.locator("#id_password").fill("a guess")
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page.get_by_text("Trop de tentatives sans succès.")).to_be_visible()
    expect(page.get_by_text("avec un code reçu par e-mail")).to_be_visible()
    expect(page.locator("#id_email")).to_have_value("amina@example.org")
    assert_accessible(page)


def test_the_pause_page_says_what_happened_and_how_long_to_wait(
    page: Page, page_errors: PageErrors, transactional_db: None, settings: Any
) -> None:
    settings.SIGN_IN_MAX_FAILURES = 0
    page_errors.allow_error_status("/gestion/login/")
    page.goto("/gestion/login/")
    page.locator("#id_username").fill("admin@example.org")
    page.locator("#id_password").fill("a guess")
    page.locator("input[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci de patienter un peu")
    expect(page.get_by_text("Trop de tentatives sans succès.")).to_be_visible()
    expect(page.get_by_text("avant de réessayer")).to_be_visible()
    assert_accessible(page)
