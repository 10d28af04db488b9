"""The coordinator gives a workshop its Dutch title and questions and a photo for the flyers
(issue 14, item 4): with the keyboard on a laptop in French, then on a 320 px phone in Dutch,
and without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Page, expect

from palabre.workshops.models import Status, Workshop
from tests.browser.conftest import LAPTOP, assert_accessible, expect_error_summary
from tests.browser.test_workshop_journeys import sign_in


def test_the_coordinator_translates_a_workshop_and_adds_a_photo(
    new_page: Callable[..., Page], demo: Any, tmp_path: Path
) -> None:
    workshop = Workshop.objects.filter(status=Status.ANNOUNCED, kind="workshop").first()
    assert workshop is not None
    page = new_page(viewport=LAPTOP)
    sign_in(page, "coordination@palabre.example")
    page.goto(workshop.get_absolute_url())
    page.get_by_role("link", name="Textes dans d'autres langues et photo des invitations").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Textes dans d'autres langues et photo"
    )
    assert_accessible(page)
    dutch = page.get_by_role("group", name="Nederlands")
    dutch.get_by_label(re.compile(r"^Titre")).fill("Goed samenleven in de wijk")
    dutch.get_by_label(re.compile(r"^Questions")).fill("Hoe beleeft u uw wijk?")
    picture = tmp_path / "wijk.png"
    Image.new("RGB", (300, 200), "#2050d0").save(picture)
    page.get_by_label(re.compile(r"^Photo ou illustration")).set_input_files(str(picture))
    page.get_by_role("button", name="Enregistrer les textes et la photo").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Textes et photo enregistrés")).to_be_visible()
    workshop.refresh_from_db()
    assert workshop.translations["nl"]["title"] == "Goed samenleven in de wijk"
    assert workshop.photo
    # The flyer as it prints in Dutch, from the texts page.
    page.goto(f"/ateliers/{workshop.pk}/textes/")
    preview = page.get_by_role("link", name="Tract A5 — Nederlands (PDF)")
    pdf = page.request.get(preview.get_attribute("href") or "")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    phone = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    sign_in(phone, "coordination@palabre.example")
    phone.goto(f"/ateliers/{workshop.pk}/textes/")
    phone.get_by_label("Langue", exact=True).select_option("nl")
    phone.get_by_role("button", name="Changer").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Teksten in andere talen en foto")
    expect(phone.get_by_label(re.compile(r"^Titel")).first).to_have_value(
        "Goed samenleven in de wijk"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    # A file that is not an image: the error is in view and what was typed stays.
    bad = tmp_path / "flyer.png"
    bad.write_bytes(b"not an image")
    phone.get_by_label(re.compile(r"^Foto of illustratie")).set_input_files(str(bad))
    phone.get_by_role("button", name="Teksten en foto bewaren").click()
    expect_error_summary(phone, "Dit bestand is geen leesbare afbeelding")
    expect(phone.get_by_label(re.compile(r"^Titel")).first).to_have_value(
        "Goed samenleven in de wijk"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)

    without_js = new_page(java_script_enabled=False)
    sign_in(without_js, "coordination@palabre.example")
    without_js.goto(f"/ateliers/{workshop.pk}/textes/")
    english = without_js.get_by_role("group", name="English")
    english.get_by_label(re.compile(r"^Titre")).fill("Living well in the neighbourhood")
    without_js.get_by_role("button", name="Enregistrer les textes et la photo").click()
    expect(without_js.get_by_text("Textes et photo enregistrés")).to_be_visible()
    workshop.refresh_from_db()
    assert workshop.translations["en"]["title"] == "Living well in the neighbourhood"
    assert workshop.translations["nl"]["title"] == "Goed samenleven in de wijk"
    assert workshop.photo  # kept: nothing said to remove it
