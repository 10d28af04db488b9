"""A resident who avoids computers asks to be called back (issue 16, item 2): from any page's
foot, on a phone, keyboard only; a wrong number is explained in view and nothing typed is lost;
the coordinator finds the request on the Monday page and says the call was made. Every page's
foot names the service, a person to ask for, its phone number and hours; the accessibility
statement and the privacy page give the contacts the city configured. Tried on a 320 px phone
and a 390x844 one with JavaScript, and on a 320 px one without it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.test import override_settings
from playwright.sync_api import Page, expect

from palabre.callbacks.models import CallbackRequest
from tests.browser.conftest import PHONE, assert_accessible, expect_error_summary
from tests.browser.test_workshop_journeys import sign_in


def _fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_resident_asks_to_be_called_back_and_the_coordinator_calls(
    new_page: Callable[..., Page], demo: Any
) -> None:
    phone = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    phone.goto("/")
    phone.get_by_role("link", name="Demandez-nous de vous rappeler").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Demandez-nous de vous rappeler")
    _fits(phone, 320)
    assert_accessible(phone)

    phone.get_by_label(re.compile(r"^Votre nom")).fill("Fatima")
    phone.get_by_label(re.compile(r"^Votre numéro de téléphone")).fill("0470 12")
    phone.get_by_label("Le matin").check()
    about = phone.get_by_label("C'est à quel sujet ? (facultatif)")
    about.fill("M'inscrire à l'atelier de Bomel")
    about.focus()
    phone.keyboard.press("Tab")  # to the button, then send it with the keyboard
    phone.keyboard.press("Enter")
    error = "Écrivez un numéro de téléphone que nous pouvons appeler"
    expect_error_summary(phone, error)
    phone.get_by_role("link", name=re.compile(error)).click()
    expect(phone.get_by_label(re.compile(r"^Votre numéro de téléphone"))).to_be_focused()
    expect(phone.get_by_label(re.compile(r"^Votre nom"))).to_have_value("Fatima")
    expect(phone.get_by_label("Le matin")).to_be_checked()
    expect(about).to_have_value("M'inscrire à l'atelier de Bomel")
    _fits(phone, 320)
    assert_accessible(phone)

    phone.get_by_label(re.compile(r"^Votre numéro de téléphone")).fill("0470 12 34 56")
    phone.get_by_role("button", name="Rappelez-moi").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Nous allons vous rappeler")
    expect(
        phone.get_by_text("Merci, Fatima. Nous appellerons le 0470 12 34 56 (le matin)")
    ).to_be_visible()
    _fits(phone, 320)
    assert_accessible(phone)
    assert CallbackRequest.objects.get().phone == "+32470123456"

    office = new_page()
    sign_in(office, "coordination@palabre.example")
    office.goto("/semaine/")
    calls = office.get_by_role("region", name="1 personne à rappeler")
    expect(calls).to_contain_text("Fatima")
    expect(calls.get_by_role("link", name="0470 12 34 56")).to_have_attribute(
        "href", "tel:+32470123456"
    )
    expect(calls).to_contain_text("M'inscrire à l'atelier de Bomel")
    assert_accessible(office)
    calls.get_by_role("button", name="Fatima a été appelé·e").click()
    expect(office.get_by_text("Fatima a été rappelé·e.")).to_be_visible()
    expect(office.get_by_text("Personne n'attend d'appel.")).to_be_visible()
    assert_accessible(office)


def test_a_dutch_speaker_without_javascript_asks_to_be_called_back(
    new_page: Callable[..., Page], demo: Any
) -> None:
    phone = new_page(
        viewport={"width": 320, "height": 640}, java_script_enabled=False, locale="nl-BE"
    )
    phone.goto("/rappel/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Vraag dat we u terugbellen")
    expect(phone.get_by_text("maandag tot vrijdag, van 9 tot 12 uur").first).to_be_visible()
    assert_accessible(phone)
    phone.get_by_label(re.compile(r"^Uw naam")).fill("Jan")
    phone.get_by_label(re.compile(r"^Uw telefoonnummer")).fill("+32 81 24 63 00")
    phone.get_by_role("button", name="Bel me terug").click()
    expect(phone.get_by_text("Dank u, Jan. We bellen 081 24 63 00 (op elk moment)")).to_be_visible()
    _fits(phone, 320)
    assert_accessible(phone)
    assert CallbackRequest.objects.get().language == "nl"


# What a city configures (config/settings.py, .env.example): a person to ask for, an email
# address for residents, its data protection officer and the controller's address.
CONTACTS = {
    "SERVICE_CONTACT": "Nadia Lambert",
    "SERVICE_EMAIL": "cohesion.sociale@namur.example",
    "DPO_EMAIL": "protection.donnees@namur.example",
    "CONTROLLER_ADDRESS": "Hôtel de Ville, Esplanade de l'Hôtel de Ville 1, 5000 Namur",
}
HOURS = "du lundi au vendredi, de 9 h à 12 h et de 13 h 30 à 16 h"


def test_every_page_names_a_human_to_reach_and_a_call_back_is_asked_on_a_larger_phone(
    new_page: Callable[..., Page], demo: Any
) -> None:
    with override_settings(**CONTACTS):
        phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
        phone.goto("/demandes/")
        contact = phone.get_by_role("contentinfo").locator("address")
        expect(contact).to_contain_text("Service de Cohésion sociale — demandez Nadia Lambert")
        expect(contact.get_by_role("link", name="081 12 34 56")).to_have_attribute(
            "href", "tel:081123456"
        )
        expect(contact).to_contain_text(f"({HOURS})")
        expect(contact).to_contain_text("Esplanade de l'Hôtel de Ville 1, 5000 Namur")
        _fits(phone, PHONE["width"])
        assert_accessible(phone)

        phone.get_by_role("link", name="Déclaration d'accessibilité").click()
        statement = phone.get_by_role("main")
        expect(statement.get_by_role("heading", level=1)).to_have_text(
            "Déclaration d'accessibilité"
        )
        expect(statement).to_contain_text(f"({HOURS}) — demandez Nadia Lambert")
        expect(statement.get_by_role("link", name="081 12 34 56")).to_have_attribute(
            "href", "tel:081123456"
        )
        expect(
            statement.get_by_role("link", name="cohesion.sociale@namur.example")
        ).to_have_attribute("href", "mailto:cohesion.sociale@namur.example")
        expect(statement).to_contain_text(
            "Service de Cohésion sociale, Hôtel de Ville, Esplanade de l'Hôtel de Ville 1"
        )
        _fits(phone, PHONE["width"])
        assert_accessible(phone)

        phone.get_by_role("link", name="Vie privée", exact=True).click()
        privacy = phone.get_by_role("main")
        expect(privacy.get_by_role("heading", level=1)).to_have_text("Vie privée")
        expect(privacy).to_contain_text(
            "Palabre est géré par Ville de Namur (Hôtel de Ville, Esplanade de l'Hôtel de Ville 1"
        )
        expect(
            privacy.get_by_role("link", name="protection.donnees@namur.example").first
        ).to_have_attribute("href", "mailto:protection.donnees@namur.example")
        expect(phone.get_by_role("contentinfo")).to_contain_text("demandez Nadia Lambert")
        _fits(phone, PHONE["width"])
        assert_accessible(phone)

        phone.get_by_role("link", name="Demandez-nous de vous rappeler").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Demandez-nous de vous rappeler")
        _fits(phone, PHONE["width"])
        assert_accessible(phone)
        phone.get_by_label(re.compile(r"^Votre nom")).fill("Mehmet")
        phone.get_by_label(re.compile(r"^Votre numéro de téléphone")).fill("0470 98 76 54")
        phone.get_by_role("button", name="Rappelez-moi").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Nous allons vous rappeler")
        expect(
            phone.get_by_text("Merci, Mehmet. Nous appellerons le 0470 98 76 54")
        ).to_be_visible()
        _fits(phone, PHONE["width"])
        assert_accessible(phone)
    assert CallbackRequest.objects.get().phone == "+32470987654"
