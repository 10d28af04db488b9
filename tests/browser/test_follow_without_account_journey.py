"""Following a request without an account (issue 16, items 3 and 4): a Dutch-speaking resident
on a 320 px phone asks for the news by email; on her other phone (390 px, no JavaScript) she
opens the confirmation link and confirms; later she stops the news. A resident without email
follows with his mobile number on a 390x844 phone and confirms from the text message on a
320 px phone without JavaScript. The form promises a text message only when the service can
send one."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.test import override_settings
from playwright.sync_api import Page, expect

from palabre.official_requests.models import ContactFollower, Request
from palabre.outbox.actions import deliver_due
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
    # No SMS backend here: nothing promises a text message.
    phone.get_by_text("Volgen zonder account (per e-mail)").click()
    phone.get_by_role("button", name="Dit verzoek volgen").click()
    expect_error_summary(phone, "Schrijf uw e-mailadres.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    phone.get_by_label(re.compile("^Uw e-mailadres")).fill("sofie@example.be")
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
    assert_accessible(other)
    other.get_by_role("button", name="Oui, envoyez-moi les nouvelles de cette demande").click()
    expect(other.get_by_text("Confirmé : vous recevrez les nouvelles")).to_be_visible()
    assert_accessible(other)
    assert ContactFollower.objects.get().confirmed_at is not None
    other.get_by_role("button", name="Arrêter les nouvelles").click()
    expect(other.get_by_text("C'est fait : vous ne recevez plus de nouvelles")).to_be_visible()
    assert not ContactFollower.objects.exists()
    assert other.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(other)


def _fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _texts_sent(folder: Path, *, to: str) -> str:
    """The text the file backend wrote to `to`, its parts ("(1/2) ...") put back together."""
    parts = []
    for sent in folder.iterdir():
        head, body = sent.read_text(encoding="utf-8").split("\n\n", 1)
        assert head == f"To: {to}"
        parts.append(body.strip())
    assert len(parts) == OutgoingMail.objects.filter(to=[to]).count()  # each part sent once
    return " ".join(re.sub(r"^\(\d+/\d+\) ", "", part) for part in sorted(parts))


def test_a_resident_without_email_follows_a_request_by_text_message(
    new_page: Callable[..., Page], page_errors: PageErrors, demo: Any, tmp_path: Path
) -> None:
    request = Request.objects.get(title=TITLE)
    page_errors.allow_error_status(f"/demandes/{request.pk}/suivre-sans-compte/")
    # The service sends text messages (the file backend stands for a provider).
    with override_settings(SMS={"backend": "file", "path": str(tmp_path)}):
        phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
        phone.goto(f"/demandes/{request.pk}/")
        phone.get_by_text("La suivre sans compte (e-mail ou SMS)").click()
        number = phone.get_by_label(re.compile("^Votre adresse e-mail ou votre numéro de GSM"))
        number.fill("0470 12")
        phone.get_by_role("button", name="Suivre cette demande").click()
        expect_error_summary(
            phone, "Écrivez une adresse e-mail, ou un numéro de GSM comme 0470 12 34 56."
        )
        expect(number).to_have_value("0470 12")
        _fits(phone, PHONE["width"])
        assert_accessible(phone)
        number.fill("0470 12 34 56")
        phone.get_by_role("button", name="Suivre cette demande").click()
        expect(phone.get_by_text("Merci. Si l'adresse ou le numéro est juste")).to_be_visible()
        _fits(phone, PHONE["width"])
        assert_accessible(phone)
        assert ContactFollower.objects.get().phone == "+32470123456"

        # The outbox worker hands the text message to the provider: one, in French.
        deliver_due()
        deliver_due()
        texts = _texts_sent(tmp_path, to="+32470123456")
        assert texts.startswith(f'Palabre : pour recevoir les nouvelles de "{TITLE}" par SMS')
        link = re.search(r"https?://\S+/demandes/suivi/\S+", texts)
        assert link is not None

        # He opens the link on a small phone without JavaScript.
        other = new_page(
            viewport={"width": 320, "height": 640},
            is_mobile=True,
            has_touch=True,
            java_script_enabled=False,
        )
        other.goto("/" + link.group(0).split("/", 3)[3])
        _fits(other, 320)
        assert_accessible(other)
        other.get_by_role("button", name="Oui, envoyez-moi les nouvelles de cette demande").click()
        expect(other.get_by_text("Confirmé : vous recevrez les nouvelles")).to_be_visible()
        assert ContactFollower.objects.get().confirmed_at is not None
        _fits(other, 320)
        assert_accessible(other)


def test_without_sms_configured_the_follow_form_promises_no_text_message(
    new_page: Callable[..., Page], page_errors: PageErrors, demo: Any
) -> None:
    request = Request.objects.get(title=TITLE)
    page_errors.allow_error_status(f"/demandes/{request.pk}/suivre-sans-compte/")
    phone = new_page(
        viewport={"width": 320, "height": 640}, is_mobile=True, java_script_enabled=False
    )
    phone.goto(f"/demandes/{request.pk}/")
    _fits(phone, 320)
    assert_accessible(phone)
    follow = phone.locator("details.follow-without-account")
    follow.locator("summary").click()
    expect(follow).to_contain_text("La suivre sans compte")
    expect(follow).not_to_contain_text("SMS")
    expect(follow).not_to_contain_text("GSM")
    # A mobile number typed all the same is refused, saying why.
    phone.get_by_label(re.compile("^Votre adresse e-mail")).fill("0470 12 34 56")
    phone.get_by_role("button", name="Suivre cette demande").click()
    expect_error_summary(phone, "ce site n'envoie pas de SMS")
    _fits(phone, 320)
    assert_accessible(phone)
    assert not ContactFollower.objects.exists()
