"""The paper plan B and the minutes from what was said (issue 17, items 4 and 5), on a 390 x 844
phone: paper capture sheets typed back in under their questions, the paper sign-in sheet's
lettered boxes entered back with the same letters, and a minutes draft that starts from the
notes of the evening grouped by theme; with and without JavaScript, axe on every page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.contributions.models import Contribution, Source
from palabre.workshops.models import Status, Workshop
from tests.browser.conftest import assert_accessible
from tests.browser.test_capture_evening_journey import note_saved
from tests.browser.test_my_workshops_journey import FACILITATOR, _fits, _phone, _started_tonight
from tests.browser.test_workshop_journeys import sign_in


def test_paper_sheets_are_typed_back_in_under_their_questions(
    new_page: Callable[..., Page], demo: Any
) -> None:
    workshop = _started_tonight()
    first, second = workshop.guiding_questions[:2]
    for javascript in (True, False):
        phone = _phone(new_page, javascript=javascript)
        phone.goto(f"/parole/atelier/{workshop.pk}/")
        sheets = phone.get_by_role("link", name="Imprimer les feuilles de prise de notes (PDF)")
        expect(sheets).to_have_attribute("href", f"/parole/atelier/{workshop.pk}/feuilles.pdf")
        phone.get_by_role("link", name="Taper les feuilles papier").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Taper les feuilles papier")
        expect(phone.get_by_text(f"Feuille A{workshop.pk}-Q2")).to_be_visible()
        _fits(phone)
        phone.get_by_label(first).fill(f"Un potager ({javascript})\n\nDes bancs ({javascript})")
        phone.get_by_label(second).fill(f"Une fête de rue ({javascript})")
        phone.get_by_role("button", name="Enregistrer les contributions").click()
        expect(
            phone.get_by_text("3 contributions tapées depuis les feuilles papier.")
        ).to_be_visible()
        expect(phone.locator("#question-0 ol.notes")).to_contain_text(f"Des bancs ({javascript})")
        expect(phone.locator("#question-1 ol.notes")).to_contain_text(
            f"Une fête de rue ({javascript})"
        )
        _fits(phone)
    typed = Contribution.objects.filter(workshop=workshop, source=Source.PAPER)
    assert typed.count() == 6
    assert set(typed.values_list("question", flat=True)) == {first, second}


def test_nothing_typed_in_is_refused_in_view(new_page: Callable[..., Page], demo: Any) -> None:
    workshop = _started_tonight()
    phone = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    sign_in(phone, FACILITATOR)
    phone.goto(f"/parole/atelier/{workshop.pk}/papier/")
    phone.get_by_role("button", name="Enregistrer les contributions").click()
    summary = phone.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Tapez au moins une contribution.")
    assert_accessible(phone)


def test_the_sign_in_sheets_lettered_boxes_are_entered_back_with_the_same_letters(
    new_page: Callable[..., Page], demo: Any
) -> None:
    workshop = _started_tonight()
    phone = _phone(new_page)
    phone.goto(f"/ateliers/{workshop.pk}/accueil/")
    phone.get_by_role(
        "link", name="Après la soirée\u00a0: encoder la feuille de présence papier"
    ).click()
    answers = phone.get_by_label("En a entendu parler par").first.locator("option")
    expect(answers.nth(1)).to_have_text(re.compile(r"^A — "))
    expect(answers.nth(2)).to_have_text(re.compile(r"^B — "))
    _fits(phone)


def test_the_minutes_draft_starts_from_the_notes_of_the_evening(
    new_page: Callable[..., Page], demo: Any
) -> None:
    workshop = _started_tonight()
    phone = _phone(new_page)
    phone.goto(f"/parole/atelier/{workshop.pk}/")
    section = phone.locator("#question-0")
    section.get_by_label("Ce qui a été dit").fill("Des poubelles qui débordent au parc")
    section.get_by_label("propreté").check()
    section.get_by_label("Table ou groupe").fill("Table 3")
    section.get_by_role("button", name="Enregistrer").click()
    note_saved(phone, "Des poubelles qui débordent au parc")
    phone.wait_for_load_state("networkidle")  # no request of the phone's still at the server
    Workshop.objects.filter(pk=workshop.pk).update(status=Status.HELD)

    phone.goto(f"/ateliers/{workshop.pk}/compte-rendu/rediger/")
    notes = phone.get_by_label(workshop.guiding_questions[0])
    expect(notes).to_have_value(
        re.compile(r"Propreté\n– Des poubelles qui débordent au parc \(Table 3\)")
    )
    _fits(phone)
