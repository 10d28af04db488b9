"""Privacy rights, used the way people use them: a resident downloads their data and erases
their account with the keyboard; a registrant without an account does it through their private
link without JavaScript; the privacy page and the erase page fit a 320 px phone."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from palabre.accounts.models import User
from palabre.workshops.models import Registration
from tests.browser.conftest import assert_accessible, expect_error_summary
from tests.browser.test_workshop_journeys import sign_in


def test_a_resident_downloads_their_data_and_erases_their_account(page: Page, demo: Any) -> None:
    sign_in(page, "habitant@palabre.example")
    page.get_by_role("link", name="Mon compte").click()
    assert_accessible(page)
    page.get_by_role("link", name="Vos droits sur vos données").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vie privée")
    expect(page.get_by_role("link", name="dpo@palabre.example").first).to_be_visible()
    expect(
        page.get_by_role("link", name="https://www.autoriteprotectiondonnees.be")
    ).to_be_visible()
    assert_accessible(page)
    page.go_back()

    link = page.get_by_role("link", name="Télécharger mes données")
    link.focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    data = json.loads(Path(download.value.path()).read_text())
    assert data["account"]["email"] == "habitant@palabre.example"

    page.get_by_role("link", name="Effacer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Effacer mon compte")
    page.get_by_role("button", name="Effacer mon compte").click()
    expect_error_summary(page, "Cochez la case pour confirmer.")
    assert_accessible(page)
    page.get_by_label("Je comprends").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Effacer mon compte").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Votre compte est effacé.")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    assert_accessible(page)
    assert not User.objects.filter(email="habitant@palabre.example").exists()


def test_a_registrant_downloads_and_erases_through_their_link_without_javascript(
    page_without_js: Page, demo: Any
) -> None:
    page = page_without_js
    registration = (
        Registration.objects.filter(user__isnull=True, link__isnull=False, email__gt="")
        .exclude(status="cancelled")
        .select_related("link")
        .first()
    )
    assert registration is not None
    page.goto(f"/ateliers/inscription/{registration.token}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger mes données").click()
    data = json.loads(Path(download.value.path()).read_text())
    assert data["workshop_registration"]["email"] == registration.email

    page.get_by_role("link", name="Effacer mes coordonnées").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Effacer mes coordonnées")
    assert_accessible(page)
    page.get_by_label("Je comprends").check()
    page.get_by_role("button", name="Effacer mes coordonnées").click()
    expect(page.get_by_text("Vos coordonnées sont effacées.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vie privée")
    registration.refresh_from_db()
    assert (registration.name, registration.email) == ("Anonyme", "")


def test_the_privacy_pages_fit_a_320_px_phone(new_page: Callable[..., Page], demo: Any) -> None:
    page = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page.goto("/vie-privee/")
    expect(page.get_by_role("heading", name="Combien de temps")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    registration = Registration.objects.filter(link__isnull=False).select_related("link").first()
    assert registration is not None
    page.goto(f"/vie-privee/effacer/{registration.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Effacer mes coordonnées")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
