"""Phones and zoom (issue 16, item 7), as a resident who avoids computers meets them: on a 320 px
phone with and without JavaScript, and on a 390x844 one without it, she registers for a demo
workshop without an account and says what she needs; the confirmation repeats it; cancelling
asks first; once cancelled, "register again" is offered and works. The board of a busy
neighbourhood comes in pages and its search box finds a word, on both phones, with and without
JavaScript. No page is wider than the screen (WCAG 1.4.10); axe-core checks every page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import PHONE, assert_accessible

NARROW = {"width": 320, "height": 640}
WORKSHOP = "Bomel : propreté et espaces partagés"
# The primary actions are big enough for a thumb (WCAG 2.5.8 asks 24 px; the issue, 44).
TAP = 44


def _phone(new_page: Callable[..., Page], screen: dict[str, int], javascript: bool) -> Page:
    return new_page(viewport=screen, is_mobile=True, has_touch=True, java_script_enabled=javascript)


def _checked(page: Page, width: int) -> None:
    """The page is no wider than the screen, and axe-core finds nothing."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    assert_accessible(page)


def _big_enough(button: Locator) -> None:
    box = button.bounding_box()
    assert box is not None
    assert box["height"] >= TAP, box
    assert box["width"] >= TAP, box


def test_a_resident_registers_with_a_need_cancels_and_registers_again_on_small_screens(
    new_page: Callable[..., Page], demo: Any
) -> None:
    for screen, javascript, name in [
        (NARROW, True, "Amina"),
        (NARROW, False, "Rachid"),
        (PHONE, False, "Leïla"),
    ]:
        width = screen["width"]
        page = _phone(new_page, screen, javascript)
        page.goto("/quartiers/bomel/")
        _checked(page, width)
        page.get_by_role("link", name=WORKSHOP).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(WORKSHOP)
        _checked(page, width)

        page.get_by_label("Votre prénom ou un pseudonyme").fill(name)
        page.get_by_label("J'ai besoin d'un accès sans marche").check()
        page.get_by_label("Je souhaite une interprétation en").fill("arabe")
        register = page.get_by_role("button", name="S'inscrire", exact=True)
        _big_enough(register)
        register.click()
        expect(page.get_by_text("Vous êtes inscrit·e. À bientôt !")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("Votre inscription")
        facts = page.locator("dl.facts")
        expect(facts).to_contain_text(name)
        expect(facts).to_contain_text("Inscrit·e")
        # The confirmation repeats what she said she needs.
        expect(facts).to_contain_text("accès sans marche, interprétation en arabe")
        _checked(page, width)

        # Cancelling asks first, with the focus on the question.
        cancel = page.get_by_role("button", name="Annuler mon inscription")
        _big_enough(cancel)
        cancel.click()
        expect(page.get_by_role("heading", name="Annuler votre inscription ?")).to_be_focused()
        expect(page.locator("dl.facts")).to_contain_text("Inscrit·e")  # nothing changed yet
        _checked(page, width)
        confirm = page.get_by_role("button", name="Oui, annuler mon inscription")
        _big_enough(confirm)
        confirm.click()
        expect(page.get_by_text("Votre inscription est annulée.")).to_be_visible()
        expect(page.locator("dl.facts")).to_contain_text("Inscription annulée")
        expect(page.get_by_role("button", name="Annuler mon inscription")).to_have_count(0)
        _checked(page, width)

        # Once cancelled, registering again is offered, and works.
        again = page.get_by_role("button", name="Se réinscrire")
        _big_enough(again)
        again.click()
        expect(page.get_by_text("Vous êtes de nouveau inscrit·e. À bientôt !")).to_be_visible()
        facts = page.locator("dl.facts")
        expect(facts).to_contain_text("Inscrit·e")
        expect(facts).to_contain_text("accès sans marche, interprétation en arabe")
        _checked(page, width)


def test_a_busy_board_comes_in_pages_and_its_search_finds_a_word_on_small_screens(
    new_page: Callable[..., Page], demo: Any
) -> None:
    for screen in (PHONE, NARROW):
        for javascript in (True, False):
            width = screen["width"]
            page = _phone(new_page, screen, javascript)
            page.goto("/parole/quartier/bomel/")
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Ce que disent les habitants de Bomel"
            )
            expect(
                page.get_by_text(re.compile(r"^Page 1 sur \d+, les plus récentes d'abord\.$"))
            ).to_be_visible()
            expect(page.locator("ul.contributions > li")).to_have_count(20)
            pages = page.get_by_role("navigation", name="Pages")
            expect(pages.get_by_role("link", name="Contributions plus récentes")).to_have_count(0)
            _checked(page, width)

            pages.get_by_role("link", name="Contributions plus anciennes").click()
            expect(page).to_have_url(re.compile(r"\?page=2#said-title$"))
            expect(pages.get_by_text(re.compile(r"^Page 2 sur \d+$"))).to_be_visible()
            _checked(page, width)
            pages.get_by_role("link", name="Contributions plus récentes").click()
            expect(pages.get_by_text(re.compile(r"^Page 1 sur \d+$"))).to_be_visible()

            search = page.get_by_role("search")
            search.get_by_label("Chercher ce qui a été dit à Bomel").fill("déchets")
            search.get_by_role("button", name="Chercher").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Chercher dans ce qui a été dit"
            )
            expect(page.get_by_text("À Bomel uniquement.")).to_be_visible()
            found = page.get_by_role("heading", level=2, name=re.compile("trouvée"))
            expect(found).to_have_text(re.compile(r"^[1-9]\d* contributions? trouvées?$"))
            results = page.locator("ul.contributions > li")
            expect(results.first).to_contain_text(re.compile("déchets", re.IGNORECASE))
            expect(page.get_by_label("Mots à chercher")).to_have_value("déchets")
            _checked(page, width)
