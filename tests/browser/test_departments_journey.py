"""The coordinator says who answers for a department, from the front office, with the
keyboard; a wrong address is explained in view, and what was typed stays."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from palabre.official_requests.models import Department
from tests.browser.conftest import assert_accessible
from tests.browser.test_workshop_journeys import sign_in


def test_the_coordinator_adds_a_member_to_a_department(page: Page, demo: Any) -> None:
    roads = Department.objects.get(slug="voirie")  # a demo department, nobody in it yet
    sign_in(page, "coordination@palabre.example")
    page.goto("/demandes/")
    page.get_by_role("link", name="Qui répond pour chaque service").click()
    section = page.get_by_role("region", name="Service Voirie")
    expect(section).to_contain_text("Personne ne répond encore pour ce service.")
    assert_accessible(page)

    field = section.get_by_label(re.compile(r"^Adresse e-mail du compte"))
    field.fill("inconnu@example.org")
    section.get_by_role("button", name="Ajouter à Service Voirie").focus()
    page.keyboard.press("Enter")
    section = page.get_by_role("region", name="Service Voirie")
    expect(section.get_by_text("Aucun compte n'utilise cette adresse.")).to_be_in_viewport()
    expect(section.get_by_label(re.compile(r"^Adresse e-mail du compte"))).to_have_value(
        "inconnu@example.org"
    )
    assert_accessible(page)

    section.get_by_label(re.compile(r"^Adresse e-mail du compte")).fill(
        "echevin.mobilite@palabre.example"
    )
    section.get_by_role("button", name="Ajouter à Service Voirie").click()
    expect(page.get_by_text("Olivier Piette répond pour Service Voirie")).to_be_visible()
    assert roads.members.filter(email="echevin.mobilite@palabre.example").exists()
    assert_accessible(page)
