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
    roads = Department.objects.get(slug="proprete")  # a demo department, nobody in it yet
    sign_in(page, "coordination@palabre.example")
    page.goto("/demandes/")
    page.get_by_role("link", name="Qui répond pour chaque service").click()
    section = page.get_by_role("region", name="Service Propreté publique")
    expect(section).to_contain_text("Personne ne répond encore pour ce service.")
    assert_accessible(page)

    field = section.get_by_label(re.compile(r"^Adresse e-mail du compte"))
    field.fill("inconnu@example.org")
    section.get_by_role("button", name="Ajouter à Service Propreté publique").focus()
    page.keyboard.press("Enter")
    section = page.get_by_role("region", name="Service Propreté publique")
    expect(section.get_by_text("Aucun compte n'utilise cette adresse.")).to_be_in_viewport()
    expect(section.get_by_label(re.compile(r"^Adresse e-mail du compte"))).to_have_value(
        "inconnu@example.org"
    )
    assert_accessible(page)

    section.get_by_label(re.compile(r"^Adresse e-mail du compte")).fill(
        "echevin.mobilite@palabre.example"
    )
    section.get_by_role("button", name="Ajouter à Service Propreté publique").click()
    expect(page.get_by_text("Olivier Piette répond pour Service Propreté publique")).to_be_visible()
    assert roads.members.filter(email="echevin.mobilite@palabre.example").exists()
    assert_accessible(page)


def test_the_demo_roads_agent_acknowledges_the_late_request_on_a_phone_in_dutch(
    new_page: Any, demo: Any
) -> None:
    phone = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    sign_in(phone, "voirie@palabre.example")
    phone.get_by_label("Langue", exact=True).select_option("nl")
    phone.get_by_role("button", name="Changer").click()
    phone.get_by_role("link", name="Te beantwoorden").click()
    phone.get_by_role("link", name="Limiter la vitesse rue de Bomel").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Limiter la vitesse rue de Bomel")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    phone.get_by_role("button", name="Ontvangst bevestigen").click()
    expect(phone.get_by_role("button", name="Ontvangst bevestigen")).to_have_count(0)
    assert_accessible(phone)
