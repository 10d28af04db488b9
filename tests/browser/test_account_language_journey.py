"""A Dutch-speaking official chooses Dutch in "My account" on a 320 px phone, with the
keyboard; the page and, from now on, the emails are in Dutch."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.accounts.models import User
from tests.browser.conftest import assert_accessible
from tests.browser.test_workshop_journeys import sign_in

OFFICIAL = "echevin.mobilite@palabre.example"


def test_an_official_chooses_dutch_for_pages_and_emails(
    new_page: Callable[..., Page], demo: Any
) -> None:
    phone = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    sign_in(phone, OFFICIAL)
    phone.get_by_role("link", name="Mon compte").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(phone)
    phone.get_by_label(re.compile(r"^Langue des pages et des e-mails")).select_option("nl")
    phone.get_by_role("button", name="Enregistrer la langue").focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("Opgeslagen: pagina's en e-mails in deze taal.")).to_be_visible()
    expect(phone.locator("html")).to_have_attribute("lang", "nl")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    assert User.objects.get(email=OFFICIAL).preferred_language == "nl"
