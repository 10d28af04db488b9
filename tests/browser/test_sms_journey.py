"""Text messages for people without email (issue 16, item 3), on a 390x844 phone with JavaScript
and a 320 px one without it, axe-core on every page: the registration form promises a text
message only while the service can send one; a resident registers with only a phone number and
sees the confirmation; someone follows a request with only a mobile number and confirms it from
the text message they get. The file backend stands for the provider (the live server reads the
settings at each request, so override_settings reaches it)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from palabre.official_requests.models import ContactFollower, Request
from palabre.outbox.actions import deliver_due
from palabre.workshops.models import Registration, Workshop
from tests.browser.conftest import PHONE, assert_accessible

PHONE_320 = {"width": 320, "height": 640}
SCREENS = [
    pytest.param(PHONE, True, id="390x844-with-javascript"),
    pytest.param(PHONE_320, False, id="320-without-javascript"),
]
WORKSHOP = "propreté et espaces partagés"  # the demo's next Bomel workshop
REQUEST = "Des bancs à l'ombre au square"  # a demo request, sent and not answered yet
NO_PROMISE = "Facultatif\u00a0: pour que le service puisse vous joindre si l'atelier change."
PROMISE = "Facultatif\u00a0: sans adresse e-mail, le rappel et tout changement arrivent par SMS."


def _phone(new_page: Callable[..., Page], screen: dict[str, int], javascript: bool) -> Page:
    return new_page(viewport=screen, is_mobile=True, has_touch=True, java_script_enabled=javascript)


def _fits(page: Page, screen: dict[str, int]) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= screen["width"], page.url


def _sms(folder: Path) -> dict[str, str]:
    """What the file backend wrote, by number, parts ("(1/2) …") put back together in order."""
    parts: dict[str, list[str]] = {}
    for sent in sorted(folder.glob("*.txt")) if folder.exists() else []:
        head, body = sent.read_text(encoding="utf-8").split("\n\n", 1)
        parts.setdefault(head.removeprefix("To: "), []).append(body.strip())
    return {
        number: " ".join(re.sub(r"^\(\d+/\d+\) ", "", part) for part in sorted(texts))
        for number, texts in parts.items()
    }


@pytest.mark.usefixtures("pages_rendered_each_time")  # SMS switched on mid-test
@pytest.mark.parametrize(("screen", "javascript"), SCREENS)
def test_the_registration_form_promises_a_text_message_only_when_one_can_be_sent(
    new_page: Callable[..., Page],
    demo: Any,
    tmp_path: Path,
    screen: dict[str, int],
    javascript: bool,
) -> None:
    workshop = Workshop.objects.get(title__contains=WORKSHOP)
    phone = _phone(new_page, screen, javascript)
    phone.goto(workshop.get_absolute_url())
    number = phone.get_by_label("Téléphone", exact=True)
    expect(number).to_have_accessible_description(NO_PROMISE)
    expect(phone.locator("#registration")).not_to_contain_text("SMS")
    _fits(phone, screen)
    assert_accessible(phone)
    with override_settings(SMS={"backend": "file", "path": str(tmp_path / "sms")}):
        phone.reload()
        expect(number).to_have_accessible_description(PROMISE)
        _fits(phone, screen)
        assert_accessible(phone)


@pytest.mark.parametrize(("screen", "javascript"), SCREENS)
def test_a_resident_registers_with_only_a_phone_number_and_sees_the_confirmation(
    new_page: Callable[..., Page],
    demo: Any,
    tmp_path: Path,
    screen: dict[str, int],
    javascript: bool,
) -> None:
    workshop = Workshop.objects.get(title__contains=WORKSHOP)
    phone = _phone(new_page, screen, javascript)
    with override_settings(SMS={"backend": "file", "path": str(tmp_path / "sms")}):
        phone.goto(workshop.get_absolute_url())
        phone.get_by_label("Votre prénom ou un pseudonyme").fill("Fatima")
        phone.get_by_label("Téléphone", exact=True).fill("0470 12 34 56")
        phone.get_by_label("J'ai besoin d'un accès sans marche").check()
        phone.get_by_role("button", name="S'inscrire", exact=True).click()
        expect(phone.get_by_text("Vous êtes inscrit·e. À bientôt !")).to_be_visible()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Votre inscription")
        registration = Registration.objects.get(name="Fatima")
        assert registration.phone == "+32470123456"
        assert registration.email == ""
        assert registration.link is not None
        # What she will be asked on the phone, and what she said she needs.
        expect(phone.get_by_text(registration.link.reference)).to_be_visible()
        expect(phone.get_by_text("accès sans marche", exact=True)).to_be_visible()
        _fits(phone, screen)
        assert_accessible(phone)


@pytest.mark.parametrize(("screen", "javascript"), SCREENS)
def test_someone_follows_a_request_with_a_mobile_number_and_confirms_from_the_text(
    new_page: Callable[..., Page],
    demo: Any,
    tmp_path: Path,
    screen: dict[str, int],
    javascript: bool,
) -> None:
    request = Request.objects.get(title=REQUEST)
    folder = tmp_path / "sms"
    phone = _phone(new_page, screen, javascript)
    with override_settings(SMS={"backend": "file", "path": str(folder)}):
        phone.goto(f"/demandes/{request.pk}/")
        phone.get_by_text("La suivre sans compte (e-mail ou SMS)").click()
        phone.get_by_label(re.compile("^Votre adresse e-mail ou votre numéro de GSM")).fill(
            "0470 12 34 56"
        )
        phone.get_by_role("button", name="Suivre cette demande").click()
        expect(phone.get_by_text("Merci. Si l'adresse ou le numéro est juste")).to_be_visible()
        _fits(phone, screen)
        assert_accessible(phone)
        assert ContactFollower.objects.get().phone == "+32470123456"

        deliver_due()  # the outbox worker hands it to the provider
        deliver_due()  # once
        [(number, text)] = _sms(folder).items()
        assert number == "+32470123456"
        assert text.startswith(f'Palabre : pour recevoir les nouvelles de "{REQUEST}" par SMS')
        link = re.search(r"https?://\S+(/demandes/suivi/[A-Za-z0-9_-]+/)", text)
        assert link is not None

        phone.goto(link.group(1))
        _fits(phone, screen)
        assert_accessible(phone)
        phone.get_by_role("button", name="Oui, envoyez-moi les nouvelles de cette demande").click()
        expect(phone.get_by_text("Confirmé\u00a0: vous recevrez les nouvelles")).to_be_visible()
        assert ContactFollower.objects.get().confirmed_at is not None
        _fits(phone, screen)
        assert_accessible(phone)
