"""The coordinator keeps the ready answers officials start from, from the front office: one
added (a missing text explained in view, what was typed kept), changed, then deleted after a
confirmation on a phone in Dutch."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from palabre.official_requests.models import AnswerTemplate
from tests.browser.conftest import assert_accessible, expect_error_summary
from tests.browser.test_workshop_journeys import sign_in, signed_in_phone_in_dutch


def test_the_coordinator_adds_then_changes_a_ready_answer(page: Page, demo: Any) -> None:
    sign_in(page, "coordination@palabre.example")
    page.goto("/demandes/")
    page.get_by_role("link", name="Réponses toutes faites pour les élu·es").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réponses toutes faites")
    expect(page.get_by_text("pour commencer sa réponse")).to_be_visible()
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Titre")).fill("Travaux prévus au budget")
    page.get_by_label(re.compile(r"^Type de réponse")).select_option("planned")
    page.get_by_role("button", name="Ajouter la réponse toute faite").focus()
    page.keyboard.press("Enter")
    expect_error_summary(page, "Écrivez le texte de la réponse.")
    expect(page.get_by_label(re.compile(r"^Titre"))).to_have_value("Travaux prévus au budget")
    expect(page.get_by_label(re.compile(r"^Type de réponse"))).to_have_value("planned")
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Texte de la réponse")).fill(
        "Le collège a inscrit ces travaux au budget ; ils sont prévus pour la date ci-dessous."
    )
    page.get_by_role("button", name="Ajouter la réponse toute faite").click()
    expect(page.get_by_text("Modèle « Travaux prévus au budget » ajouté")).to_be_visible()
    section = page.get_by_role("region", name="Prévu")
    section.get_by_role("link", name="Travaux prévus au budget").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Travaux prévus au budget")
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Titre")).fill("Travaux prévus au budget communal")
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_text("Modèle « Travaux prévus au budget communal » enregistré.")
    ).to_be_visible()
    assert AnswerTemplate.objects.filter(title="Travaux prévus au budget communal").exists()
    assert_accessible(page)


def test_on_a_phone_in_dutch_the_coordinator_deletes_a_ready_answer(
    new_page: Any, demo: Any
) -> None:
    AnswerTemplate.objects.create(
        title="Niet bevoegd", kind="not_competent", text="Dit hoort bij het gewest."
    )
    phone = signed_in_phone_in_dutch(new_page, "coordination@palabre.example")
    phone.goto("/demandes/")
    phone.get_by_role("link", name="Kant-en-klare antwoorden voor de mandatarissen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Kant-en-klare antwoorden")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)

    phone.get_by_role("link", name="Niet bevoegd").click()
    phone.get_by_role("button", name="Dit kant-en-klare antwoord verwijderen…").click()
    confirm = phone.get_by_role("region", name=re.compile(r"^.Niet bevoegd. verwijderen\?$"))
    expect(confirm).to_be_in_viewport()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    confirm.get_by_role("button", name="Ja, dit kant-en-klare antwoord verwijderen").click()
    expect(phone.get_by_text(re.compile(r"^Sjabloon .Niet bevoegd. verwijderd"))).to_be_visible()
    expect(phone.get_by_role("link", name="Niet bevoegd")).to_have_count(0)
    assert not AnswerTemplate.objects.filter(title="Niet bevoegd").exists()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
