"""Issue 20: someone who reuses data (a journalist, the regional portal's editor) opens the
open-data page, learns what is published and under which licence, downloads a table, opens the
JSON and finds the schema and the catalogue; on a laptop with the keyboard, and on a phone
without JavaScript."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from palabre.core.testing import build_world
from palabre.opendata.tests.city import make_open_city
from tests.browser.conftest import PageErrors, assert_accessible

PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}


def test_a_reader_finds_the_datasets_the_licence_and_downloads_a_table(
    new_page: Callable[..., Page], page_errors: PageErrors, transactional_db: Any
) -> None:
    # A JSON document has no <link rel="icon">: Chromium asks for /favicon.ico, which the
    # site does not serve (its pages name their icon).
    page_errors.allow_error_status("/favicon.ico")
    city = make_open_city(build_world())
    page = new_page(locale="en-GB")
    page.goto("/donnees/")
    expect(page.get_by_role("heading", level=1, name="Open data")).to_be_visible()
    for title in (
        "Neighbourhood workshops and city-wide events",
        "Requests to officials and their answers",
        "Citizen actions",
        "Participatory budget results",
        "Opinion maps",
    ):
        expect(page.get_by_role("heading", level=3, name=title)).to_be_visible()
    expect(page.get_by_text("Numbers under 5 are not published")).to_be_visible()
    licence = page.get_by_role("link", name="CC BY 4.0")
    expect(licence).to_have_attribute("href", "https://creativecommons.org/licenses/by/4.0/")
    expect(licence).to_have_attribute("rel", "license")
    assert_accessible(page)

    # With the keyboard: the first table link is reached and followed with Enter.
    first_csv = page.get_by_role("link", name=re.compile(r"^Table \(CSV\) ?: Neighbourhood work"))
    first_csv.focus()
    expect(first_csv).to_be_focused()
    with page.expect_download() as downloading:
        page.keyboard.press("Enter")
    table = Path(downloading.value.path()).read_text(encoding="utf-8-sig")
    assert table.splitlines()[0].startswith("id,url,title,theme")
    assert "Atelier de Bomel" in table
    assert "'=Petit atelier" in table
    assert "Atelier en préparation" not in table

    # The JSON of the workshops, then the schema and the catalogue, each a link away.
    page.get_by_role("link", name=re.compile(r"^JSON ?: Neighbourhood workshops")).click()
    data = json.loads(page.locator("body").inner_text())
    assert data["licence"] == "https://creativecommons.org/licenses/by/4.0/"
    assert {item["id"] for item in data["items"]} == {
        city.held.pk,
        city.small.pk,
        city.announced.pk,
    }
    page.go_back()
    page.get_by_role("link", name="Its description (OpenAPI schema)").click()
    assert json.loads(page.locator("body").inner_text())["openapi"].startswith("3.")
    page.go_back()
    page.get_by_role("link", name="The catalogue for open-data portals (DCAT-AP, JSON-LD)").click()
    catalogue = json.loads(page.locator("body").inner_text())
    assert len(catalogue["dcat:dataset"]) == 5


def test_the_page_reads_on_a_phone_without_javascript_in_french_and_dutch(
    new_page: Callable[..., Page], transactional_db: Any
) -> None:
    for locale in ("fr-BE", "nl-BE"):
        phone = new_page(java_script_enabled=False, locale=locale, **PHONE)
        phone.goto("/donnees/")
        expect(phone.locator("html")).to_have_attribute("lang", locale[:2])
        expect(phone.locator("a[href='/donnees/opinion-maps.csv']")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 320
        assert_accessible(phone)
