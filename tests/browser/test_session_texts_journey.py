"""The coordinator translates a session of the demo's round table (issue 16, item 5) with the
keyboard on a laptop; a Dutch reader on a 320 px phone reads the programme in Dutch, the room
still in French where it has no Dutch name, and so do readers without JavaScript on a 320 px
phone and a 390 x 844 one; a title too long is said in view and kept; without JavaScript the
English translation is saved too."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.workshops.models import Session, Workshop
from tests.browser.conftest import LAPTOP, PHONE, assert_accessible, expect_error_summary
from tests.browser.test_workshop_journeys import sign_in, signed_in_phone_in_dutch

COORDINATOR = "coordination@palabre.example"
SESSION = "Financer les projets\u00a0: vers un budget participatif"
DUTCH = "Projecten financieren: op weg naar een burgerbudget"
ENGLISH = "Funding the projects: towards a participatory budget"


def test_the_coordinator_translates_a_session_and_a_dutch_reader_reads_it(
    new_page: Callable[..., Page], demo: Any
) -> None:
    round_table = Workshop.objects.get(kind="round_table")
    session = round_table.sessions.get(title=SESSION)
    assert session.translations == {"nl": {"title": DUTCH}}  # the demo's own translation
    texts_url = f"/ateliers/{round_table.pk}/programme/{session.pk}/traductions/"

    page = new_page(viewport=LAPTOP)
    sign_in(page, COORDINATOR)
    page.goto(f"/ateliers/{round_table.pk}/programme/")
    page.get_by_role("link", name=re.compile(r"^Traduire\W+Financer les projets")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("La séance dans les autres langues")
    assert_accessible(page)
    dutch = page.get_by_role("group", name="Nederlands")
    expect(dutch.get_by_label(re.compile(r"^Titre"))).to_have_value(DUTCH)
    dutch.get_by_label(re.compile(r"^Salle")).fill("Zaal aan de Maas")
    page.get_by_role("group", name="English").get_by_label(re.compile(r"^Titre")).fill(ENGLISH)
    page.get_by_role("button", name="Enregistrer les traductions").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Traductions enregistrées")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme")
    session.refresh_from_db()
    assert session.translations == {
        "nl": {"title": DUTCH, "room": "Zaal aan de Maas"},
        "en": {"title": ENGLISH},
    }

    # A Dutch reader of the round table's page, on a phone.
    phone = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    phone.goto(f"/ateliers/{round_table.pk}/")
    phone.get_by_label("Langue", exact=True).select_option("nl")
    phone.get_by_role("button", name="Changer").click()
    expect(phone.get_by_role("heading", level=3, name=DUTCH)).to_be_visible()
    expect(
        phone.get_by_role("heading", level=3, name="Wat de bewoners dit jaar zeiden")
    ).to_be_visible()
    expect(phone.get_by_text("Zaal aan de Maas")).to_be_visible()
    # Where the service gave no Dutch room, the French one is read as French.
    expect(
        phone.locator('.programme span[lang="fr"]', has_text="Salle du Bord de Meuse")
    ).to_have_count(2)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)

    # Readers without JavaScript, on a small phone and a larger one.
    for screen in ({"width": 320, "height": 640}, PHONE):
        reader = new_page(
            viewport=screen, is_mobile=True, has_touch=True, java_script_enabled=False
        )
        reader.goto(f"/ateliers/{round_table.pk}/")
        reader.get_by_label("Langue", exact=True).select_option("nl")
        reader.get_by_role("button", name="Changer").click()
        expect(reader.get_by_role("heading", level=3, name=DUTCH)).to_be_visible()
        expect(reader.get_by_text("Zaal aan de Maas")).to_be_visible()
        expect(
            reader.locator('.programme span[lang="fr"]', has_text="Salle du Bord de Meuse")
        ).to_have_count(2)
        assert reader.evaluate("document.documentElement.scrollWidth") <= screen["width"]
        assert_accessible(reader)

    # The coordinator on a phone, in Dutch: a title too long is said in view, and kept.
    staff = signed_in_phone_in_dutch(new_page, COORDINATOR)
    staff.goto(texts_url)
    expect(staff.get_by_role("heading", level=1)).to_have_text("De sessie in de andere talen")
    title = staff.get_by_role("group", name="English").get_by_label(re.compile(r"^Titel"))
    title.evaluate("field => field.removeAttribute('maxlength')")  # as an old browser would
    title.fill("Funding " * 26)
    staff.get_by_role("button", name="De vertalingen opslaan").click()
    expect_error_summary(staff, "Hoogstens 200 tekens")
    expect(title).to_have_value("Funding " * 26)
    assert staff.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(staff)
    session.refresh_from_db()
    assert session.translations["en"] == {"title": ENGLISH}

    # Without JavaScript, an English description.
    without_js = new_page(java_script_enabled=False)
    sign_in(without_js, COORDINATOR)
    without_js.goto(texts_url)
    without_js.get_by_role("group", name="English").get_by_label(re.compile(r"^Description")).fill(
        "How to spend part of the city's budget with its residents."
    )
    without_js.get_by_role("button", name="Enregistrer les traductions").click()
    expect(without_js.get_by_text("Traductions enregistrées")).to_be_visible()
    session = Session.objects.get(pk=session.pk)
    assert session.translations["en"] == {
        "title": ENGLISH,
        "description": "How to spend part of the city's budget with its residents.",
    }
    assert session.translations["nl"] == {"title": DUTCH, "room": "Zaal aan de Maas"}
