"""Error pages in the browser: a flyer's dead short code, a refused form, a crash."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PageErrors, assert_accessible


def test_a_dead_short_code_from_a_flyer_leads_to_the_neighbourhoods(
    page: Page, page_errors: PageErrors, demo: Any
) -> None:
    page_errors.allow_error_status("/i/zz99")
    response = page.goto("/i/zz99")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Cette page n'existe pas")
    expect(page.get_by_text("code QR d'un tract")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Voir les quartiers et leurs ateliers").click()
    expect(page.get_by_role("heading", name="Les quartiers", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Bomel").first).to_be_visible()


def test_a_refused_form_sends_again_from_the_back_button_with_what_was_typed(
    page: Page, page_errors: PageErrors, transactional_db: None
) -> None:
    page_errors.allow_error_status("/compte/connexion/")
    page.goto("/compte/connexion/")
    page.locator("#id_email").fill("amina@example.org")
    # What a browser forgetting its cookies, or a sign-in in another window, does to a form.
    page.context.clear_cookies()
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre formulaire n'a pas été envoyé")
    assert_accessible(page)

    page.go_back()
    expect(page.locator("#id_email")).to_have_value("amina@example.org")
    page.get_by_role("button", name="Se connecter", exact=True).click()
    # Accepted this time: the sign-in form answers (the password is missing).
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    expect(page.locator("#id_email")).to_have_value("amina@example.org")


def test_a_crash_shows_the_standalone_500_page(
    page: Page, page_errors: PageErrors, transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from palabre.home import views

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "visible_neighbourhoods", crash)
    page_errors.allow_error_status("/")
    response = page.goto("/")
    assert response is not None
    assert response.status == 500
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Un problème est survenu de notre côté"
    )
    assert_accessible(page)
