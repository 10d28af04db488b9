"""An official's inbox as a to-do list (issue 15, item 1): on a laptop in French with the
keyboard, then on a 320 px phone in Dutch, nothing hidden or wider than the screen."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_workshop_journeys import sign_in, signed_in_phone_in_dutch

OFFICIAL = "echevin.mobilite@palabre.example"


def test_an_official_sees_what_to_do_first_and_what_is_done(
    new_page: Callable[..., Page], demo: Any
) -> None:
    page = new_page()
    sign_in(page, OFFICIAL)
    page.get_by_role("link", name="À traiter").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes demandes à traiter")
    expect(page.get_by_text(re.compile(r"^Prochaine étape")).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Faites \(")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name=re.compile(r"^Faites \("))).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)

    phone = signed_in_phone_in_dutch(new_page, OFFICIAL)
    phone.get_by_role("link", name="Te beantwoorden").click()
    expect(phone.get_by_text(re.compile(r"^Volgende stap")).first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
