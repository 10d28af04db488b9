"""Issue 20, item 2: the coordinator types in a neighbourhood's population from Statbel, then
sees who the workshops reach and who they miss; small groups never appear as numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from palabre.core.testing import build_world
from palabre.inclusion.tests.factories import make_answers
from palabre.workshops.models import Status
from palabre.workshops.tests.factories import make_hosted_workshop
from tests.browser.conftest import PageErrors, assert_accessible, expect_error_summary
from tests.browser.test_inclusion_questionnaire_journey import PHONE_320, fits, signed_in_as

BANDS = {
    "under_18": "800",
    "from_18_to_24": "400",
    "from_25_to_39": "2000",
    "from_40_to_54": "850",
    "from_55_to_64": "500",
    "from_65_to_79": "450",
    "from_80": "100",
}


def test_the_coordinator_compares_the_answers_with_the_population(
    new_page: Callable[..., Page],
    live_server: Any,
    transactional_db: Any,
    page_errors: PageErrors,
) -> None:
    world = build_world()
    days = -min(20, timezone.localdate().timetuple().tm_yday - 1)
    workshop = make_hosted_workshop(world, days_from_now=days, status=Status.HELD)
    make_answers(workshop, 9, age_band="55-64", languages=["fr"])
    make_answers(workshop, 8, age_band="65-79", languages=["fr", "ar"])
    make_answers(workshop, 2, age_band="25-39", languages=["tr"])
    page_errors.allow_error_status("/inclusion/population/")  # the mistake below
    page = signed_in_as(new_page, live_server, world.person("coordinator"))

    # The population, typed in from Statbel, with one mistake first.
    page.goto("/inclusion/population/")
    assert_accessible(page)
    page.locator("#id_neighbourhood").select_option(label=world.home.name)
    page.get_by_label("Year (population on 1 January)").fill(str(timezone.localdate().year))
    for name, value in BANDS.items():
        page.locator(f"#id_{name}").fill(value)
    page.get_by_label("80 or over").fill("-100")
    page.get_by_label("Source").fill("Statbel, 1 January 2026")
    page.get_by_role("button", name="Save the figures").click()
    expect_error_summary(page, "A number of people cannot be below 0.")
    expect(page.get_by_label("Source")).to_have_value("Statbel, 1 January 2026")
    assert_accessible(page)
    page.get_by_label("80 or over").fill("100")
    page.get_by_role("button", name="Save the figures").click()
    expect(page.get_by_role("status")).to_contain_text("(5100 people)")
    expect(page.locator("#population-rows")).to_contain_text("Statbel, 1 January 2026")

    # Who we reach.
    page.get_by_role("link", name="Who we reach").click()
    expect(page.locator("#reach-total")).to_contain_text("19 answers, from 1 workshop.")
    # 25-39: 2 answers, shown as "fewer than 5"; with a third of the population it is missed.
    expect(page.locator("#reach-missed")).to_contain_text("25 to 39")
    ages = page.locator("#ages-table")
    expect(ages.get_by_role("row", name="25 to 39")).to_contain_text("fewer than 5")
    expect(ages.get_by_role("row", name="55 to 64")).to_contain_text("9")
    expect(page.locator("table[data-question=languages]")).to_contain_text("fewer than 5")
    assert "Statbel, 1 January 2026" in page.locator("main").inner_text()
    assert_accessible(page)

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    path = downloading.value.path()
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert ["Age", "25 to 39", "fewer than 5", "", "", ""] in rows
    assert not any(row[2] == "2" for row in rows if len(row) > 2)


def test_the_reach_and_population_pages_fit_a_320_px_phone_without_javascript(
    new_page: Callable[..., Page], live_server: Any, transactional_db: Any
) -> None:
    world = build_world()
    workshop = make_hosted_workshop(world, days_from_now=-1, status=Status.HELD)
    make_answers(workshop, 6, age_band="40-54")
    page = signed_in_as(
        new_page,
        live_server,
        world.person("administrator"),
        viewport=PHONE_320,
        java_script_enabled=False,
    )
    for address in ("/inclusion/portee/", "/inclusion/population/"):
        page.goto(address)
        fits(page)
        assert_accessible(page)
    page.goto(
        f"/inclusion/portee/?year={timezone.localdate().year}&neighbourhood={world.home.slug}"
    )
    expect(page.locator("#reach-total")).to_contain_text("answers")
    fits(page)
