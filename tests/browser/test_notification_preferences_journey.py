"""An official chooses, in "My account", how requests reach them (issue 15, item 6): the Monday
digest on a laptop in French, with the keyboard; one email per request again on a 320 px phone
in Dutch; and the same form without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.accounts.models import RequestNews, User
from tests.browser.conftest import assert_accessible
from tests.browser.test_workshop_journeys import sign_in, signed_in_phone_in_dutch

OFFICIAL = "echevin.mobilite@palabre.example"


def _news() -> str:
    return User.objects.get(email=OFFICIAL).request_news


def test_an_official_chooses_the_monday_digest_then_one_email_per_request_again(
    new_page: Callable[..., Page], demo: Any
) -> None:
    laptop = new_page()
    sign_in(laptop, OFFICIAL)
    laptop.get_by_role("link", name="Mon compte").click()
    choice = laptop.get_by_role("group", name=re.compile("^Comment apprenez-vous"))
    expect(choice).to_contain_text("les rappels avant un délai")
    assert_accessible(laptop)
    # With the keyboard: the checked choice, the arrow to the next one, then the button.
    laptop.get_by_label(re.compile("^Un e-mail par demande")).focus()
    laptop.keyboard.press("ArrowDown")
    expect(laptop.get_by_label(re.compile("^Un résumé par semaine"))).to_be_checked()
    laptop.keyboard.press("Tab")
    expect(laptop.get_by_role("button", name="Enregistrer ce choix")).to_be_focused()
    laptop.keyboard.press("Enter")
    expect(laptop.get_by_text("Enregistré : un résumé chaque lundi matin")).to_be_visible()
    expect(laptop.get_by_label(re.compile("^Un résumé par semaine"))).to_be_checked()
    assert_accessible(laptop)
    assert _news() == RequestNews.WEEKLY

    phone = signed_in_phone_in_dutch(new_page, OFFICIAL)
    phone.get_by_role("link", name="Mijn account").click()
    expect(phone.get_by_role("heading", level=2)).to_have_text("Verzoeken aan u")
    assert_accessible(phone)
    phone.get_by_label(re.compile("^Eén e-mail per verzoek")).check()
    phone.get_by_role("button", name="Deze keuze opslaan").focus()
    phone.keyboard.press("Enter")
    expect(
        phone.get_by_text("Opgeslagen: één e-mail voor elk verzoek dat u bereikt.")
    ).to_be_visible()
    expect(phone.get_by_label(re.compile("^Eén e-mail per verzoek"))).to_be_checked()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    assert _news() == RequestNews.EACH
    assert User.objects.get(email=OFFICIAL).preferred_language == "nl"

    # Without JavaScript, in a new browser (pages in French): a plain form post; the message
    # is in the official's own language, Dutch since the phone chose it.
    without_js = new_page(java_script_enabled=False)
    sign_in(without_js, OFFICIAL)
    without_js.goto("/compte/")
    without_js.get_by_label(re.compile("^Un résumé par semaine")).check()
    without_js.get_by_role("button", name="Enregistrer ce choix").click()
    expect(without_js.get_by_text("Opgeslagen: elke maandagochtend één overzicht")).to_be_visible()
    assert _news() == RequestNews.WEEKLY
