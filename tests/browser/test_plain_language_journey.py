"""Plain words and French typography (issue 16, item 6), as residents read them: in French on a
390x844 phone, in Dutch on a 320 px phone, each with and without JavaScript. Every page read
keeps its no-break spaces (the text a French reader reads, demo content included), says how a
figure is made in short sentences, and never calls a request a question in Dutch."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.core.tests.test_french_typography import french_spacing_faults
from palabre.official_requests.models import Request
from palabre.workshops.models import Workshop
from tests.browser.conftest import PHONE, assert_accessible

REQUEST = "Des bancs à l'ombre au square"
WORKSHOP = "Bomel\u00a0: propreté et espaces partagés"


def _paths() -> list[str]:
    request = Request.objects.get(title=REQUEST)
    workshop = Workshop.objects.get(title=WORKSHOP)
    return ["/", f"/ateliers/{workshop.pk}/", "/demandes/", f"/demandes/{request.pk}/"]


def test_a_resident_reads_french_pages_in_plain_words_on_a_phone(
    new_page: Callable[..., Page], demo: Any
) -> None:
    for javascript in (True, False):
        phone = new_page(
            viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=javascript
        )
        for path in _paths():
            phone.goto(path)
            assert french_spacing_faults(phone.content()) == [], path
            assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            assert_accessible(phone)
        # The request's support says how it is counted, in short sentences, with the right
        # plural.
        support = phone.locator(".support")
        expect(support).to_contain_text("soutiennent cette demande")
        expect(support).not_to_contain_text(";")
        expect(support).not_to_contain_text("(s)")


def test_a_dutch_reader_reads_verzoek_on_a_small_phone_with_and_without_javascript(
    new_page: Callable[..., Page], demo: Any
) -> None:
    for javascript in (False, True):
        phone = new_page(
            viewport={"width": 320, "height": 640},
            is_mobile=True,
            has_touch=True,
            java_script_enabled=javascript,
        )
        phone.goto("/")
        phone.get_by_label("Langue", exact=True).select_option("nl")
        phone.get_by_role("button", name="Changer").click()
        for path in _paths():
            phone.goto(path)
            text = phone.locator("main").inner_text()
            assert "aanvraag" not in text.lower(), path
            assert phone.evaluate("document.documentElement.scrollWidth") <= 320, path
            assert_accessible(phone)
        expect(phone.get_by_role("heading", level=1)).to_have_text(REQUEST)
        # (Not "(e-mail of sms)": the form may promise a text message only when SMS are set up.)
        expect(phone.get_by_text(re.compile(r"^Volgen zonder account"))).to_be_visible()
        expect(phone.locator("h1 [lang=fr], h1[lang=fr]")).to_have_count(1)  # written in French
