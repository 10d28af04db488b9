"""The coordinator keeps the themes and the online boards from the front office, without the
back-office: a theme added (a duplicate name refused first, in view, what was typed kept), moved
up and another taken out of use; on a phone in Dutch, a closed board opened with a question."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.contributions.models import Board, Moderation, Theme
from tests.browser.conftest import assert_accessible, expect_error_summary
from tests.browser.test_workshop_journeys import sign_in, signed_in_phone_in_dutch


def test_the_coordinator_adds_a_theme_moves_it_up_and_takes_another_out_of_use(
    page: Page, demo: Any
) -> None:
    sign_in(page, "coordination@palabre.example")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Modération"
    ).click()
    page.get_by_role("link", name=re.compile(r"^Thèmes : ajouter")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thèmes")
    assert_accessible(page)

    field = page.get_by_label(re.compile(r"^Nom du nouveau thème"))
    field.fill("propreté")  # a starting theme's name
    page.get_by_role("button", name="Ajouter le thème").focus()
    page.keyboard.press("Enter")
    expect_error_summary(page, "Un thème s'appelle déjà « propreté » : choisissez un autre nom.")
    expect(page.get_by_label(re.compile(r"^Nom du nouveau thème"))).to_have_value("propreté")
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Nom du nouveau thème")).fill("Jardins partagés")
    page.get_by_role("button", name="Ajouter le thème").click()
    expect(page.get_by_text("Thème « Jardins partagés » ajouté en fin de liste")).to_be_visible()
    names = list(Theme.objects.order_by("position", "name").values_list("name", flat=True))
    assert names[-1] == "Jardins partagés"
    assert_accessible(page)

    page.get_by_role("button", name="Monter « Jardins partagés »").click()
    expect(page.get_by_role("button", name="Descendre « Jardins partagés »")).to_be_visible()
    names = list(Theme.objects.order_by("position", "name").values_list("name", flat=True))
    assert names[-2:] == ["Jardins partagés", "culture"]
    headings = page.get_by_role("list").get_by_role("heading", level=2)
    expect(headings.last).to_have_text("culture")
    assert_accessible(page)

    page.get_by_role("button", name="Mettre « culture » hors d'usage").click()
    expect(page.get_by_text("« culture » n'est plus en usage")).to_be_visible()
    culture = page.get_by_role("region", name="culture", exact=True)
    expect(culture.get_by_text("hors d'usage", exact=True)).to_be_visible()
    expect(culture.get_by_role("button", name="Remettre « culture » en usage")).to_be_visible()
    assert not Theme.objects.get(slug="culture").is_active
    assert_accessible(page)


def test_the_coordinator_opens_a_closed_board_on_a_phone_in_dutch(
    new_page: Callable[..., Page], demo: Any
) -> None:
    assert not Board.objects.get(neighbourhood__slug="salzinnes").is_open  # the demo's closed one
    phone = signed_in_phone_in_dutch(new_page, "coordination@palabre.example")
    phone.goto("/parole/moderation/")
    phone.get_by_role("link", name=re.compile(r"^Online prikborden")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Online prikborden")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)

    phone.get_by_role("link", name=re.compile(r"^Salzinnes\W+prikbord aanpassen$")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Het online prikbord van Salzinnes")
    expect(phone.get_by_label(re.compile(r"^Gesloten"))).to_be_checked()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)

    phone.get_by_label(re.compile(r"^Open")).check()
    phone.get_by_label(re.compile(r"^Vóór publicatie")).check()
    phone.get_by_label(re.compile(r"^Vraag op het prikbord \(")).fill(
        "Wat zou uw straat aangenamer maken?"
    )
    phone.get_by_role("button", name="Prikbord opslaan").focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("Het prikbord van Salzinnes is open")).to_be_visible()
    board = Board.objects.get(neighbourhood__slug="salzinnes")
    assert (board.is_open, board.moderation, board.prompt) == (
        True,
        Moderation.PRE,
        "Wat zou uw straat aangenamer maken?",
    )
    row = phone.get_by_role("row", name=re.compile(r"^Salzinnes"))
    expect(row).to_contain_text("Wat zou uw straat aangenamer maken?")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
