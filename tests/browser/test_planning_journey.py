"""The coordinator plans a workshop and moves it from the front office, never the back-office:
with the keyboard on a laptop in French, and on a 320 px phone in Dutch."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.neighbourhoods.models import Venue
from palabre.workshops.models import Workshop
from tests.browser.conftest import LAPTOP, assert_accessible, expect_error_summary
from tests.browser.test_workshop_journeys import sign_in


def test_the_coordinator_plans_then_changes_a_workshop(
    new_page: Callable[..., Page], demo: Any
) -> None:
    page = new_page(viewport=LAPTOP)
    sign_in(page, "coordination@palabre.example")
    page.goto("/ateliers/cycles/2026-2027/")
    page.get_by_role("link", name="Planifier un atelier").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Planifier un atelier")
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Titre\b")).fill("Bomel : la place du marché")
    page.get_by_label(re.compile(r"^Quartier\b")).select_option(label="Bomel")
    page.get_by_label(re.compile(r"^Jour\b")).fill("2027-05-11")
    page.get_by_label(re.compile(r"^Début\b")).fill("18:30")
    page.get_by_label(re.compile(r"^Fin\b")).fill(
        "17:00"
    )  # before the start: refused, nothing lost
    hall = Venue.objects.get(slug="salle-polyvalente-bomel")
    venue = page.get_by_label(re.compile(r"^Lieu\b"))
    expect(venue).to_contain_text(
        f"{hall.name} · 60 places · sans marche · boucle magnétique (pour appareils auditifs)"
    )
    venue.select_option(value=str(hall.pk))
    page.get_by_label("Maison de quartier de Bomel").check()
    page.get_by_label("Julien Lambotte").check()
    page.get_by_label("Capacité (personnes)").fill("40")
    page.get_by_role("button", name="Prévoir l'atelier").focus()
    page.keyboard.press("Enter")
    expect_error_summary(page, "Un atelier doit se terminer après avoir commencé.")
    expect(page.get_by_label(re.compile(r"^Titre\b"))).to_have_value("Bomel : la place du marché")
    assert_accessible(page)
    page.get_by_label(re.compile(r"^Fin\b")).fill("20:30")
    page.get_by_role("button", name="Prévoir l'atelier").click()
    expect(page.get_by_text("Atelier prévu.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bomel : la place du marché")
    assert_accessible(page)

    page.get_by_role("link", name="Modifier l'atelier (date, lieu, personnes, questions)").click()
    expect(page.get_by_label(re.compile(r"^Titre\b"))).to_have_value("Bomel : la place du marché")
    page.get_by_label(re.compile(r"^Début\b")).fill("19:00")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.get_by_text("Modifications enregistrées.")).to_be_visible()
    planned = Workshop.objects.get(title="Bomel : la place du marché")
    assert planned.starts_at is not None
    assert planned.starts_at.isoformat() == "2027-05-11T17:00:00+00:00"


def test_the_planning_form_on_a_320_px_phone_in_dutch(
    new_page: Callable[..., Page], demo: Any
) -> None:
    page = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    sign_in(page, "coordination@palabre.example")
    page.get_by_label("Langue").select_option("nl")
    page.get_by_role("button", name="Changer").click()
    page.goto("/ateliers/cycles/2026-2027/nouvel-atelier/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Een workshop plannen")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    page.get_by_role("button", name="De workshop plannen").click()
    expect(page.get_by_text("Dit veld is verplicht.").first).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_coordinator_creates_a_cycle(new_page: Callable[..., Page], demo: Any) -> None:
    page = new_page(viewport=LAPTOP)
    sign_in(page, "coordination@palabre.example")
    page.goto("/ateliers/cycles/")
    page.get_by_role("link", name="Créer un cycle").click()
    assert_accessible(page)
    page.get_by_role("textbox", name="Nom (obligatoire)").fill("Colloque 2028")
    page.get_by_label(re.compile(r"^Nom court")).fill("colloque-2028")
    page.get_by_label(re.compile(r"^Commence le")).fill("2028-01-10")
    page.get_by_label(re.compile(r"^Se termine le")).fill("2028-03-31")
    page.get_by_role("button", name="Créer le cycle").click()
    expect_error_summary(page, "Choisissez au moins un quartier.")
    assert_accessible(page)
    page.get_by_label("Jambes").check()
    page.get_by_role("button", name="Créer le cycle").click()
    expect(page.get_by_text("Cycle créé.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Colloque 2028")
