"""The coordinator records an answer an official gave by letter, with its photo, from the
request's page (never the back-office); residents read it marked as recorded by the service."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from palabre.core.testing import jpeg_with_gps
from palabre.official_requests.models import Request, Status
from tests.browser.conftest import assert_accessible
from tests.browser.test_workshop_journeys import sign_in, signed_in_phone_in_dutch


def test_the_coordinator_records_an_answer_received_by_letter(
    page: Page, demo: Any, tmp_path: Path
) -> None:
    waiting = Request.objects.filter(status=Status.SENT).first()
    assert waiting is not None
    letter = tmp_path / "lettre.jpg"
    letter.write_bytes(jpeg_with_gps())
    sign_in(page, "coordination@palabre.example")
    page.goto(f"/demandes/{waiting.pk}/")
    record = page.get_by_role("region", name="Enregistrer une réponse")
    assert_accessible(page)
    record.get_by_label(re.compile(r"^Reçue")).select_option("letter")
    record.get_by_label(re.compile(r"^Réponse \(")).select_option("planned")
    record.get_by_label(re.compile(r"^Réponse écrite")).fill(
        "Les travaux sont prévus au printemps."
    )
    record.get_by_role("button", name="Enregistrer la réponse").click()
    # A planned answer needs its date: refused, what was typed is kept.
    expect(page.get_by_text("Indiquez la date prévue.")).to_be_visible()
    record = page.get_by_role("region", name="Enregistrer une réponse")
    expect(record.get_by_label(re.compile(r"^Réponse écrite"))).to_have_value(
        "Les travaux sont prévus au printemps."
    )
    record.get_by_label(re.compile(r"^Prévu pour")).fill("2027-04-15")
    record.get_by_label(re.compile(r"^Scan ou photo")).set_input_files(str(letter))
    record.get_by_role("button", name="Enregistrer la réponse").click()
    expect(page.get_by_text("Réponse enregistrée")).to_be_visible()
    expect(
        page.get_by_text("réponse reçue par courrier et enregistrée par le service")
    ).to_be_visible()
    assert_accessible(page)


def test_an_answer_received_by_phone_recorded_on_a_320_px_phone_in_dutch(
    new_page: Callable[..., Page], demo: Any
) -> None:
    waiting = Request.objects.filter(status=Status.SENT).first()
    assert waiting is not None
    phone = signed_in_phone_in_dutch(new_page, "coordination@palabre.example")
    phone.goto(f"/demandes/{waiting.pk}/")
    record = phone.get_by_role("region", name="Een antwoord registreren")
    record.get_by_label(re.compile(r"^Ontvangen")).select_option("letter")
    record.get_by_label(re.compile(r"^Antwoord \(")).select_option("planned")
    record.get_by_label(re.compile(r"^Schriftelijk antwoord")).fill("In de lente.")
    record.get_by_role("button", name="Het antwoord registreren").click()
    # Refused without its date: the message is in view on the phone, the text is kept.
    error = phone.get_by_text("Geef de geplande datum.")
    expect(error).to_be_in_viewport()
    expect(record.get_by_label(re.compile(r"^Schriftelijk antwoord"))).to_have_value("In de lente.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    record.get_by_label(re.compile(r"^Gepland voor")).fill("2027-04-15")
    record.get_by_role("button", name="Het antwoord registreren").click()
    expect(phone.get_by_text("Antwoord geregistreerd")).to_be_visible()
    expect(
        phone.get_by_text("antwoord per brief ontvangen en door de dienst geregistreerd")
    ).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
