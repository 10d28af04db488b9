"""A resident reads how officials and departments answer (issue 15, item 3): from the tracker,
chooses a period with the keyboard, reads how each figure is computed; on a laptop in French, on
a 320 px phone in Dutch, and without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible


def test_a_resident_reads_the_fair_figures_and_chooses_a_period(
    new_page: Callable[..., Page], demo: Any
) -> None:
    page = new_page()
    page.goto("/demandes/")
    page.get_by_role("link", name=re.compile("les chiffres")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Comment les élu·es et les services répondent"
    )
    expect(page.get_by_role("heading", name="Comment ces chiffres sont calculés")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Premier jour").fill("2026-12-31")
    page.get_by_label("Dernier jour").fill("2026-01-01")
    page.get_by_label("Dernier jour").press("Enter")
    reversed_period = page.get_by_text("Le dernier jour ne peut pas être avant le premier jour.")
    expect(reversed_period.first).to_be_in_viewport()
    assert_accessible(page)
    page.get_by_label("Premier jour").fill("2026-01-01")
    page.get_by_label("Dernier jour").fill("2026-12-31")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_text("Demandes envoyées du jeudi 1 janvier 2026")).to_be_visible()
    assert_accessible(page)

    phone = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    phone.goto("/demandes/redevabilite/")
    phone.get_by_label("Langue", exact=True).select_option("nl")
    phone.get_by_role("button", name="Changer").click()
    expect(phone.get_by_role("heading", name="Hoe deze cijfers berekend worden")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)

    # Without JavaScript the period is chosen the same way (a plain GET form).
    without_js = new_page(java_script_enabled=False)
    without_js.goto("/demandes/redevabilite/")
    without_js.get_by_label("Premier jour").fill("2026-01-01")
    without_js.get_by_role("button", name="Afficher").click()
    expect(without_js.get_by_text("Demandes envoyées du jeudi 1 janvier 2026")).to_be_visible()
