"""The coordinator translates a request to the officials (issue 16, item 5) with the keyboard on
a laptop; a Dutch reader on a 390 x 844 phone reads it in Dutch, and so do readers without
JavaScript on a 320 px phone and a 390 x 844 one; a title too long is said in view and kept;
without JavaScript the English translation is saved too."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.official_requests.models import Request
from tests.browser.conftest import LAPTOP, PHONE, assert_accessible, expect_error_summary
from tests.browser.test_workshop_journeys import sign_in

TITLE = "Limiter la vitesse rue de Bomel"
DUTCH = "De snelheid beperken in de rue de Bomel"


def in_dutch(page: Page) -> None:
    page.get_by_label("Langue", exact=True).select_option("nl")
    page.get_by_role("button", name="Changer").click()


def test_the_coordinator_translates_a_request_and_a_dutch_reader_reads_it(
    new_page: Callable[..., Page], demo: Any
) -> None:
    request = Request.objects.get(title=TITLE)
    assert request.translations == {}
    page = new_page(viewport=LAPTOP)
    sign_in(page, "coordination@palabre.example")
    page.goto(f"/demandes/{request.pk}/")
    page.get_by_role("link", name="Traduire cette demande").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("La demande dans les autres langues")
    assert_accessible(page)
    dutch = page.get_by_role("group", name="Nederlands")
    dutch.get_by_label(re.compile(r"^Titre")).fill(DUTCH)
    dutch.get_by_label(re.compile(r"^Ce qui est demandé")).fill("Zone 30 en snelheidscontroles.")
    page.get_by_role("button", name="Enregistrer les traductions").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Traductions enregistrées")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.goto(f"/demandes/{request.pk}/")
    in_dutch(phone)
    expect(phone.get_by_role("heading", level=1)).to_have_text(DUTCH)
    expect(phone.get_by_text("Zone 30 en snelheidscontroles.")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone)

    # Readers without JavaScript, on a small phone and a larger one.
    for screen in ({"width": 320, "height": 640}, PHONE):
        reader = new_page(
            viewport=screen, is_mobile=True, has_touch=True, java_script_enabled=False
        )
        reader.goto(f"/demandes/{request.pk}/")
        in_dutch(reader)
        expect(reader.get_by_role("heading", level=1)).to_have_text(DUTCH)
        expect(reader.get_by_text("Zone 30 en snelheidscontroles.")).to_be_visible()
        assert reader.evaluate("document.documentElement.scrollWidth") <= screen["width"]
        assert_accessible(reader)

    # The coordinator on a phone, in Dutch: a title too long is said in view, and kept.
    staff = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    sign_in(staff, "coordination@palabre.example")
    staff.goto(f"/demandes/{request.pk}/traductions/")
    in_dutch(staff)
    expect(staff.get_by_role("heading", level=1)).to_have_text("Het verzoek in de andere talen")
    english = staff.get_by_role("group", name="English")
    title = english.get_by_label(re.compile(r"^Titel"))
    title.evaluate("field => field.removeAttribute('maxlength')")  # as an old browser would
    title.fill("Limit the speed " * 13)
    staff.get_by_role("button", name="De vertalingen opslaan").click()
    expect_error_summary(staff, "200")
    expect(title).to_have_value("Limit the speed " * 13)
    assert staff.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(staff)
    request.refresh_from_db()
    assert "en" not in request.translations

    without_js = new_page(java_script_enabled=False)
    sign_in(without_js, "coordination@palabre.example")
    without_js.goto(f"/demandes/{request.pk}/traductions/")
    assert_accessible(without_js)
    without_js.get_by_role("group", name="English").get_by_label(re.compile(r"^Titre")).fill(
        "Limit the speed on rue de Bomel"
    )
    without_js.get_by_role("button", name="Enregistrer les traductions").click()
    expect(without_js.get_by_text("Traductions enregistrées")).to_be_visible()
    request.refresh_from_db()
    assert request.translations["en"] == {"title": "Limit the speed on rue de Bomel"}
    assert request.translations["nl"]["title"] == DUTCH
