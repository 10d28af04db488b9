"""A resident finds their rights and downloads their data, with the keyboard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_workshop_journeys import sign_in


def test_a_resident_downloads_their_data_from_their_account(page: Page, demo: Any) -> None:
    sign_in(page, "habitant@palabre.example")
    page.get_by_role("link", name="Mon compte").click()
    assert_accessible(page)
    page.get_by_role("link", name="Vos droits sur vos données").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vie privée")
    expect(page.get_by_role("link", name="dpo@palabre.example").first).to_be_visible()
    assert_accessible(page)
    page.go_back()
    link = page.get_by_role("link", name="Télécharger mes données")
    link.focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    data = json.loads(Path(download.value.path()).read_text())
    assert data["account"]["email"] == "habitant@palabre.example"
