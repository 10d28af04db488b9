"""Issue 17, item 7: on a phone, the coordinator prints the "since last time" sheet from the
workshop page; it names that workshop, in the language of the page it was printed from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from palabre.core.testing import pdf_text
from palabre.workshops.models import Workshop
from tests.browser.conftest import assert_accessible
from tests.browser.test_workshop_journeys import sign_in


def _download(page: Page, name: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("link", name=name).click()
    return " ".join(pdf_text(Path(download.value.path()).read_bytes()).split())


def test_the_coordinator_prints_the_sheet_for_the_workshop_from_a_phone(
    phone_page: Page, demo: Any
) -> None:
    page = phone_page
    workshop = Workshop.objects.get(title__startswith="Bomel\u00a0: propreté")
    sign_in(page, "coordination@palabre.example")
    page.goto(f"/ateliers/{workshop.pk}/")
    assert_accessible(page)
    text = _download(page, "Imprimer ce qui s'est passé depuis la dernière fois (PDF)")
    assert "Pour l'atelier : Bomel : propreté et espaces partagés" in text
    assert "demandes/?quartier=bomel" in text.replace(" ", "")

    page.get_by_label("Langue", exact=True).select_option("nl")
    page.get_by_role("button", name="Changer").click()
    text = _download(page, "Afdrukken wat er sinds de vorige keer gebeurde (pdf)")
    assert "Wat er sinds de vorige keer gebeurde" in text
    assert "Voor de workshop:" in text
    assert "Volg deze verzoeken online:" in text
