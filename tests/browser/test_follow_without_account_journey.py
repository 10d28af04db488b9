"""Following a request without an account (issue 16, item 4): a Dutch-speaking resident on a
320 px phone asks for the news by email; on her other phone (390 px, no JavaScript) she opens
the confirmation link and confirms; later she stops the news."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.official_requests.models import ContactFollower, Request
from palabre.outbox.models import OutgoingMail
from tests.browser.conftest import PHONE, PageErrors, assert_accessible, expect_error_summary

TITLE = "Des bancs à l'ombre au square"


def test_a_resident_follows_a_request_by_email_and_confirms_it(
    new_page: Callable[..., Page], page_errors: PageErrors, demo: Any
) -> None:
    request = Request.objects.get(title=TITLE)
    # A refused form answers 400, which the browser logs as an error.
    page_errors.allow_error_status(f"/demandes/{request.pk}/suivre-sans-compte/")
    phone = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    phone.goto(f"/demandes/{request.pk}/")
    phone.get_by_label("Langue", exact=True).select_option("nl")
    phone.get_by_role("button", name="Changer").click()
    phone.get_by_text("Volgen zonder account (e-mail of sms)").click()
    phone.get_by_role("button", name="Dit verzoek volgen").click()
    expect_error_summary(phone, "Schrijf uw e-mailadres of uw gsm-nummer.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    phone.get_by_label(re.compile("^Uw e-mailadres of gsm-nummer")).fill("sofie@example.be")
    phone.get_by_role("button", name="Dit verzoek volgen").click()
    expect(phone.get_by_text("Bedankt. Als dit adres of nummer juist is")).to_be_visible()
    assert_accessible(phone)

    asking = OutgoingMail.objects.filter(to=["sofie@example.be"]).get()
    assert asking.subject.startswith("Bevestig: nieuws over")
    link = re.search(r"https?://\S+/demandes/suivi/\S+", asking.body)
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]
    other = new_page(viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False)
    other.goto(path)
    other.get_by_role("button", name="Oui, envoyez-moi les nouvelles de cette demande").click()
    expect(other.get_by_text("Confirmé : vous recevrez les nouvelles")).to_be_visible()
    assert ContactFollower.objects.get().confirmed_at is not None
    other.get_by_role("button", name="Arrêter les nouvelles").click()
    expect(other.get_by_text("C'est fait : vous ne recevez plus de nouvelles")).to_be_visible()
    assert not ContactFollower.objects.exists()
    assert other.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
