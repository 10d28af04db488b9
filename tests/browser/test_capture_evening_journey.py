"""Capture that follows the evening (issue 17, item 3), on a 390 x 844 phone: the table's label
stays filled between notes, a note noted under the wrong question is moved there, one noted by
mistake is deleted; with and without JavaScript, axe on every page, none wider than the phone."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.contributions.models import Contribution, EventKind, Reason
from tests.browser.conftest import PHONE, PageErrors, assert_accessible
from tests.browser.test_my_workshops_journey import FACILITATOR, _fits, _started_tonight
from tests.browser.test_workshop_journeys import sign_in


def _note(page: Page, question: int, text: str) -> None:
    section = page.locator(f"#question-{question}")
    section.get_by_label("Ce qui a été dit").fill(text)
    section.get_by_role("button", name="Enregistrer").click()


def note_saved(page: Page, text: str) -> None:
    """Wait until the note is shown, then until the phone has sent it (ADR 0065)."""
    note = page.locator("ol.notes li", has_text=text)
    expect(note).to_be_visible()
    expect(note).not_to_have_class(re.compile(r"\bis-waiting\b"))


def _correct(page: Page, text: str) -> None:
    page.get_by_role("link", name=f"Corriger « {text} »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Corriger une note")


def test_the_facilitator_corrects_moves_and_deletes_notes_during_the_evening(
    new_page: Callable[..., Page], demo: Any, page_errors: PageErrors
) -> None:
    workshop = _started_tonight()
    capture = f"/parole/atelier/{workshop.pk}/"
    for javascript in (True, False):
        phone = new_page(
            viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=javascript
        )
        sign_in(phone, FACILITATOR)
        phone.goto(capture)
        first = phone.locator("#question-0")
        first.get_by_label("Table ou groupe").fill("Table des jeunes")
        moved, mistake = f"Un skatepark ({javascript})", f"Note en double ({javascript})"
        _note(phone, 0, moved)
        expect(first.locator("ol.notes")).to_contain_text(moved)
        expect(first.get_by_label("Table ou groupe")).to_have_value("Table des jeunes")
        expect(first.get_by_label("Ce qui a été dit")).to_have_value("")
        _note(phone, 0, mistake)
        expect(first.locator("ol.notes")).to_contain_text(mistake)
        if javascript:
            expect(phone.locator(".is-waiting")).to_have_count(0)
            phone.reload()  # the links to correct come with the server's page
        _fits(phone)

        _correct(phone, moved)
        _fits(phone)
        phone.get_by_label("Sous la question").select_option(index=1)
        phone.get_by_role("button", name="Enregistrer la correction").click()
        expect(phone.get_by_text("La note est corrigée.")).to_be_visible()
        expect(phone.locator("#question-1 ol.notes")).to_contain_text(moved)
        expect(phone.locator("#question-0 ol.notes")).not_to_contain_text(moved)

        _correct(phone, mistake)
        phone.get_by_role("button", name="Supprimer cette note").click()
        expect(
            phone.get_by_text("La note est supprimée. Le service peut encore la voir.")
        ).to_be_visible()
        expect(phone.locator("main")).not_to_contain_text(mistake)
        _fits(phone)

        note = Contribution.objects.get(text=moved)
        assert note.question == workshop.guiding_questions[1]
        assert note.table_label == "Table des jeunes"
        assert note.events.filter(kind=EventKind.MOVED).count() == 1
        assert Contribution.objects.get(text=mistake).hidden_reason == Reason.WITHDRAWN


def test_a_refused_correction_is_in_view_on_a_small_phone(
    new_page: Callable[..., Page], demo: Any
) -> None:
    workshop = _started_tonight()
    phone = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    sign_in(phone, FACILITATOR)
    phone.goto(f"/parole/atelier/{workshop.pk}/")
    _note(phone, 0, "Une erreur de frappe")
    note_saved(phone, "Une erreur de frappe")
    phone.reload()
    _correct(phone, "Une erreur de frappe")
    phone.get_by_label("Ce qui a été dit").fill("")
    phone.get_by_role("button", name="Enregistrer la correction").click()
    summary = phone.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Ce champ est obligatoire.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)


def test_a_suggested_theme_is_added_without_reloading_what_is_being_typed(
    new_page: Callable[..., Page], demo: Any
) -> None:
    from palabre.contributions import actions

    actions.train_suggester()
    workshop = _started_tonight()
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(phone, FACILITATOR)
    phone.goto(f"/parole/atelier/{workshop.pk}/")
    _note(phone, 0, "Les poubelles débordent et les déchets traînent partout")
    note_saved(phone, "Les poubelles débordent et les déchets traînent partout")
    phone.reload()
    note = phone.locator("#question-0 ol.notes li").last
    suggestions = note.locator("form.suggestions button")
    expect(suggestions.first).to_be_visible()
    theme = suggestions.first.inner_text().split("\n")[0].strip()
    phone.locator("#question-1").get_by_label("Ce qui a été dit").fill("En train d'écrire")
    phone.evaluate("window.stillTheSamePage = true")
    suggestions.first.tap()
    expect(note.locator("span.meta").first).to_contain_text(theme)
    expect(note.locator("form.suggestions")).to_have_count(0)
    assert phone.evaluate("window.stillTheSamePage") is True
    expect(phone.locator("#question-1").get_by_label("Ce qui a été dit")).to_have_value(
        "En train d'écrire"
    )
    _fits(phone)
