"""The coordinator translates a board's question (issue 16, item 5) with the keyboard; a Dutch
reader on a 390 x 844 phone reads it in Dutch, and so do readers without JavaScript on a 320 px
phone and a 390 x 844 one; an English reader reads the original marked as French; a translation
too long is said in view and kept; without JavaScript it is saved too."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.contributions.models import Board
from tests.browser.conftest import LAPTOP, assert_accessible, expect_error_summary
from tests.browser.test_workshop_journeys import sign_in

PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
DUTCH = "Wat wilt u ons zeggen over Salzinnes?"


def switch_to(page: Page, language: str) -> None:
    page.get_by_label(re.compile(r"^(Langue|Taal|Language)$")).select_option(language)
    page.get_by_role("button", name=re.compile(r"^(Changer|Wijzigen|Change)$")).click()


def test_the_coordinator_translates_the_board_question_and_readers_see_their_language(
    new_page: Callable[..., Page], demo: Any
) -> None:
    page = new_page(viewport=LAPTOP)
    sign_in(page, "coordination@palabre.example")
    page.goto("/parole/panneaux/salzinnes/")
    assert_accessible(page)
    page.get_by_label("Ouvert").check()
    page.get_by_label(re.compile(r"^Question affichée sur le panneau \(facultatif\)")).fill(
        "Que voulez-vous nous dire sur Salzinnes\u00a0?"
    )
    dutch = page.get_by_role("group", name="Nederlands")
    dutch.get_by_label(re.compile(r"^Question affichée")).fill(DUTCH)
    page.get_by_role("button", name="Enregistrer le panneau").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Le panneau de Salzinnes est ouvert")).to_be_visible()

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.goto("/parole/quartier/salzinnes/")
    switch_to(phone, "nl")
    expect(phone.locator("#post-title")).to_have_text(DUTCH)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone)
    for screen in ({"width": 320, "height": 640}, {"width": 390, "height": 844}):
        reader = new_page(
            viewport=screen, is_mobile=True, has_touch=True, java_script_enabled=False
        )
        reader.goto("/parole/quartier/salzinnes/")
        switch_to(reader, "nl")
        expect(reader.locator("#post-title")).to_have_text(DUTCH)
        assert reader.evaluate("document.documentElement.scrollWidth") <= screen["width"]
        assert_accessible(reader)
    switch_to(phone, "en")
    expect(phone.locator("#post-title span[lang=fr]")).to_have_text(
        "Que voulez-vous nous dire sur Salzinnes ?"  # Playwright reads the no-break space as one
    )

    staff = new_page(**PHONE)
    sign_in(staff, "coordination@palabre.example")
    staff.goto("/parole/panneaux/salzinnes/")
    switch_to(staff, "nl")
    english = staff.get_by_role("group", name="English").get_by_label(re.compile(r"^Vraag"))
    english.evaluate("field => field.removeAttribute('maxlength')")  # as an old browser would
    english.fill("What would you tell us? " * 13)
    staff.get_by_role("button", name="Prikbord opslaan").click()
    expect_error_summary(staff, "300")
    expect(english).to_have_value("What would you tell us? " * 13)
    assert staff.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(staff)

    without_js = new_page(java_script_enabled=False)
    sign_in(without_js, "coordination@palabre.example")
    without_js.goto("/parole/panneaux/salzinnes/")
    without_js.get_by_role("group", name="English").get_by_label(
        re.compile(r"^Question affichée")
    ).fill("What would you like to tell us about Salzinnes?")
    without_js.get_by_role("button", name="Enregistrer le panneau").click()
    expect(without_js.get_by_text("Le panneau de Salzinnes est ouvert")).to_be_visible()
    board = Board.objects.get(neighbourhood__slug="salzinnes")
    assert board.translations == {
        "nl": {"prompt": DUTCH},
        "en": {"prompt": "What would you like to tell us about Salzinnes?"},
    }
