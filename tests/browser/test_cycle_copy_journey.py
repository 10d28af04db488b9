"""The coordinator plans next year by copying this year's cycle, without the back-office: with
the keyboard on a laptop screen in French, and on a 320 px phone in Dutch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.workshops.models import Cycle, Status, Workshop
from tests.browser.conftest import LAPTOP, assert_accessible, expect_error_summary
from tests.browser.test_workshop_journeys import sign_in


def test_the_coordinator_copies_the_cycle_with_the_keyboard(
    new_page: Callable[..., Page], demo: Any
) -> None:
    page = new_page(viewport=LAPTOP)
    to_copy = Workshop.objects.filter(cycle__slug="2026-2027").exclude(status=Status.CANCELLED)
    # The "cycle of 9 workshops" (and the round table of the year).
    assert to_copy.filter(kind="workshop").count() == 9
    sign_in(page, "coordination@palabre.example")
    page.get_by_role("link", name="Ateliers", exact=True).click()
    page.get_by_role("link", name="Ateliers 2026–2027").click()
    page.get_by_role("link", name="Planifier le cycle suivant à partir de celui-ci").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Planifier le cycle suivant sur le modèle de « Ateliers 2026–2027 »"
    )
    expect(page.get_by_text(f"{to_copy.count()} ateliers à copier")).to_be_visible()
    expect(page.get_by_label("Nom du nouveau cycle")).to_have_value("Ateliers 2027–2028")
    assert_accessible(page)

    # A short name already taken: the message is in view, what was typed stays.
    page.get_by_label("Nom du nouveau cycle").fill("Ateliers de l'an prochain")
    page.get_by_label("Nom court dans les adresses").fill("2026-2027")
    page.get_by_role("button", name="Copier le cycle").focus()
    page.keyboard.press("Enter")
    expect_error_summary(page, "Le cycle « Ateliers 2026–2027 » utilise déjà ce nom court")
    expect(page.get_by_label("Nom du nouveau cycle")).to_have_value("Ateliers de l'an prochain")
    assert_accessible(page)

    page.get_by_label("Nom court dans les adresses").fill("2027-2028")
    page.get_by_role("button", name="Copier le cycle").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Planification : Ateliers de l'an prochain"
    )
    expect(page.get_by_text(f"{to_copy.count()} ateliers copiés, prévus")).to_be_visible()
    expect(page.get_by_text("Copié de Ateliers 2026–2027")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Prévu")
    assert_accessible(page)
    copy = Cycle.objects.get(slug="2027-2028")
    assert copy.workshops.count() == to_copy.count()
    assert not copy.workshops.exclude(status=Status.PLANNED).exists()


def test_a_copy_on_a_320_px_phone_in_dutch(new_page: Callable[..., Page], demo: Any) -> None:
    page = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    sign_in(page, "coordination@palabre.example")
    page.get_by_label("Langue").select_option("nl")
    page.get_by_role("button", name="Changer").click()
    page.goto("/ateliers/cycles/2026-2027/dupliquer/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "De volgende cyclus plannen naar het model van \u201cAteliers 2026–2027\u201d"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)

    page.get_by_label("Hij eindigt op").fill("2027-01-01")
    page.get_by_role("button", name="De cyclus kopiëren").click()
    expect_error_summary(page, "Een cyclus kan niet eindigen voor hij begint.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    page.get_by_label("Hij eindigt op").fill("2028-06-30")
    page.get_by_role("button", name="De cyclus kopiëren").click()
    expect(page.get_by_text("Gekopieerd van Ateliers 2026–2027")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
