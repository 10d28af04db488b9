"""Journeys through the foundation: a visitor finds a venue, each role signs in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from palabre.core.testing import sent_mail
from palabre.demo.loader import DEMO_PASSWORD, USERS
from tests.browser.conftest import assert_accessible, expect_error_summary


def test_a_visitor_walks_from_the_city_to_a_venue(page: Page, demo: Any) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bien vivre ensemble")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page)

    page.get_by_role("list").get_by_role("link", name="Bomel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bomel")
    expect(page.get_by_text("Maison de quartier de Bomel").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("heading", name="Salle polyvalente de la Maison de quartier").get_by_role(
        "link"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Salle polyvalente de la Maison de quartier"
    )
    expect(page.get_by_text("Rue de Bomel 154, 5000 Namur")).to_be_visible()
    expect(page.get_by_text("Boucle magnétique").first).to_be_visible()
    assert_accessible(page)

    for path in (
        "/accessibilite/",
        "/vie-privee/",
        "/compte/connexion/",
        "/compte/connexion/code/",
        "/compte/connexion/code/saisir/",
    ):
        page.goto(path)
        assert_accessible(page)


def test_the_same_journey_works_without_javascript(page_without_js: Page, demo: Any) -> None:
    page = page_without_js
    page.goto("/")
    page.get_by_role("list").get_by_role("link", name="Jambes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jambes")
    page.locator("h3").get_by_role("link", name="Salle du Bord de Meuse").click()
    expect(page.get_by_text("Boulevard de la Meuse 81, 5100 Jambes")).to_be_visible()

    page.get_by_label("Langue").select_option("nl")
    page.get_by_role("button", name="Changer").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", name="Toegang")).to_be_visible()

    page.goto("/compte/connexion/")
    page.get_by_label("E-mailadres").fill("habitant@palabre.example")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_text("U bent aangemeld.")).to_be_visible()


@pytest.mark.parametrize(("role", "email"), [(str(u.role), u.email) for u in USERS])
def test_each_role_signs_in_and_out(page: Page, demo: Any, role: str, email: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Vous êtes connecté·e.")).to_be_visible()
    page.get_by_role("link", name="Mon compte").click()
    expect(page.get_by_text(email)).to_be_visible()
    assert_accessible(page)

    back_office = page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Gestion"
    )
    settings = page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Réglages"
    )
    if role == "administrator":
        back_office.click()
        expect(page.get_by_role("heading", name="Gestion", level=1)).to_be_visible()
        page.go_back()
    else:  # the coordinator's whole year is in the front office (issue 14)
        expect(back_office).to_have_count(0)
    if role in {"coordinator", "administrator"}:
        settings.click()
        expect(page.get_by_role("heading", name="Réglages du service", level=1)).to_be_visible()
        assert_accessible(page)
        page.go_back()
    else:
        expect(settings).to_have_count(0)

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté·e.")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()


def test_a_resident_signs_in_with_a_code_received_by_email(page: Page, demo: Any) -> None:
    page.goto("/compte/connexion/")
    page.get_by_role("link", name="Pas de mot de passe ?").click()
    page.get_by_label("Adresse e-mail").fill("habitant@palabre.example")
    page.get_by_role("button", name="M'envoyer un code").click()
    expect(page.get_by_text("Si un compte utilise cette adresse")).to_be_visible()
    code = re.search(r"\b(\d{6})\b", str(sent_mail()[-1].body))
    assert code is not None
    page.get_by_label("Code reçu par e-mail").fill("999999" if code.group(1) != "999999" else "0")
    page.get_by_role("button", name="Se connecter").click()
    expect_error_summary(page, "Ce code est faux ou il a expiré.")
    assert_accessible(page)
    page.get_by_label("Code reçu par e-mail").fill(code.group(1))
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Vous êtes connecté·e.")).to_be_visible()


def test_the_keyboard_reaches_the_content_and_the_map(page: Page, demo: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The next stops are the neighbourhoods of the SVG map, each a named link.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "/quartiers/bomel/"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bomel")


def test_pages_reflow_at_200_percent_zoom_on_a_phone(phone_page: Page, demo: Any) -> None:
    for path in ("/", "/quartiers/salzinnes/", "/quartiers/salzinnes/lieux/salle-des-balances/"):
        phone_page.goto(path)
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        assert_accessible(phone_page)
