"""The coordinator keeps the neighbourhood's venues and partners up to date from the front
office: a venue added (a name taken is explained in view, what was typed stays), then, on a
phone in Dutch, a partner changed and a contact added."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.neighbourhoods.models import Partner, Venue
from tests.browser.conftest import assert_accessible, expect_error_summary
from tests.browser.test_workshop_journeys import sign_in, signed_in_phone_in_dutch


def test_the_coordinator_adds_a_venue_after_a_name_taken_is_refused(page: Page, demo: Any) -> None:
    sign_in(page, "coordination@palabre.example")
    page.goto("/quartiers/bomel/")
    page.get_by_role("link", name="Ajouter ou modifier les lieux et les partenaires").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lieux et partenaires de Bomel")
    assert_accessible(page)

    page.get_by_role("link", name="Ajouter un lieu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter un lieu à Bomel")
    assert_accessible(page)
    page.get_by_label(re.compile(r"^Nom")).fill("Local du comité du Plateau")  # taken
    page.get_by_label(re.compile(r"^Rue")).fill("Rue Piret-Pauchet")
    page.get_by_label(re.compile(r"^Numéro")).fill("31")
    page.get_by_label(re.compile(r"^Code postal")).fill("5000")
    page.get_by_label(re.compile(r"^Localité")).fill("Namur")
    page.get_by_label(re.compile(r"^Capacité")).fill("20")
    page.get_by_label("Accès sans marche").check()
    page.get_by_label(re.compile(r"^Boucle magnétique")).check()
    page.get_by_label("Latitude").fill("50,4812")
    page.get_by_label("Longitude").fill("4,8695")
    page.get_by_label("Organisation qui accueille").select_option(
        label="Comité des habitants du Plateau"
    )
    page.get_by_role("button", name="Ajouter le lieu").focus()
    page.keyboard.press("Enter")

    expect_error_summary(page, "Ce quartier a déjà un lieu de ce nom")
    expect(page.get_by_label(re.compile(r"^Nom"))).to_have_value("Local du comité du Plateau")
    expect(page.get_by_label(re.compile(r"^Rue"))).to_have_value("Rue Piret-Pauchet")
    expect(page.get_by_label(re.compile(r"^Boucle magnétique"))).to_be_checked()
    expect(page.get_by_label("Latitude")).to_have_value("50,4812")
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Nom")).fill("Salle du Plateau")
    page.get_by_role("button", name="Ajouter le lieu").click()
    expect(page.get_by_text("Lieu ajouté : Salle du Plateau.")).to_be_visible()
    card = page.locator(".card").filter(has=page.get_by_role("heading", name="Salle du Plateau"))
    expect(card).to_contain_text("Rue Piret-Pauchet 31, 5000 Namur")
    expect(card).to_contain_text("20 personnes")
    expect(card).to_contain_text("Accès sans marche")
    expect(card).to_contain_text("Boucle magnétique")
    expect(card).to_contain_text("Comité des habitants du Plateau")
    assert_accessible(page)
    venue = Venue.objects.get(neighbourhood__slug="bomel", slug="salle-du-plateau")
    assert (venue.latitude, venue.longitude) == (50.4812, 4.8695)


def test_the_coordinator_changes_a_partner_and_adds_a_contact_on_a_phone_in_dutch(
    new_page: Callable[..., Page], demo: Any
) -> None:
    phone = signed_in_phone_in_dutch(new_page, "coordination@palabre.example")
    phone.goto("/quartiers/bomel/")
    phone.get_by_role("link", name="Locaties en partners toevoegen of wijzigen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Locaties en partners van Bomel")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)

    phone.get_by_role("link", name="Wijzigen Comité des habitants du Plateau").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "De partner Comité des habitants du Plateau wijzigen"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    phone.get_by_label("Beschrijving").fill("Buren die elk voorjaar het straatfeest organiseren.")
    phone.get_by_role("button", name="De wijzigingen opslaan").click()
    expect(
        phone.get_by_text("Wijzigingen opgeslagen: Comité des habitants du Plateau.")
    ).to_be_visible()

    adding = phone.get_by_role("region", name="Een contactpersoon toevoegen")
    adding.get_by_label(re.compile(r"^Naam")).fill("Marie Dubois")
    adding.get_by_label("Functie").fill("Secretaris")
    adding.get_by_label("E-mailadres").fill("marie@")
    adding.get_by_role("button", name="De contactpersoon toevoegen").click()
    adding = phone.get_by_role("region", name="Een contactpersoon toevoegen")
    expect_error_summary(phone)
    expect(adding.locator(".error-summary")).to_contain_text("E-mailadres")
    expect(adding.locator(".field__errors")).to_be_visible()
    expect(adding.get_by_label("E-mailadres")).to_have_value("marie@")
    expect(adding.get_by_label(re.compile(r"^Naam"))).to_have_value("Marie Dubois")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)

    adding.get_by_label("E-mailadres").fill("marie.dubois@example.org")
    adding.get_by_role("button", name="De contactpersoon toevoegen").click()
    expect(phone.get_by_text("Contactpersoon toegevoegd: Marie Dubois.")).to_be_visible()
    expect(phone.get_by_role("region", name="Marie Dubois")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    partner = Partner.objects.get(slug="comite-plateau-bomel")
    assert partner.description == "Buren die elk voorjaar het straatfeest organiseren."
    assert partner.contacts.filter(name="Marie Dubois", email="marie.dubois@example.org").exists()
