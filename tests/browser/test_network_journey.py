"""Issue 20, item 5: a coordinator follows another city on a phone (320 px), sees an altered
feed refused, compares the key's fingerprint, imports a playbook with the keyboard and reads
the two cities' yearly figures side by side. The page is read in English: the interface's
words are the source strings, whatever the catalogues hold."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from palabre.core.testing import build_world
from palabre.initiatives.models import Playbook
from palabre.network import signing
from palabre.network.models import FollowedCity, ImportedPlaybook
from palabre.network.tests.factories import (
    FeedServer,
    feed_server,
    make_shared_city,
    other_city_feed,
    tampered,
)
from tests.browser.conftest import PageErrors, assert_accessible, expect_error_summary, signed_in

PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}


@pytest.fixture(autouse=True)
def _a_key_of_its_own(settings: Any, tmp_path: Path) -> None:
    settings.NETWORK_KEY_FILE = tmp_path / "namur.pem"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as running:
        yield running


WIDE = """[...document.querySelectorAll('body *')]
  .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX == 'visible')
  .map(e => `${e.tagName}.${e.className} ${e.scrollWidth}/${e.clientWidth}`)"""


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.evaluate(WIDE)
    assert_accessible(page)


def test_a_coordinator_follows_a_city_imports_a_playbook_and_compares_figures(
    new_page: Callable[..., Page],
    page_errors: PageErrors,
    server: FeedServer,
    tmp_path: Path,
    transactional_db: Any,
) -> None:
    page_errors.allow_error_status("/reseau/suivre/")  # the refused feed's answer is a 400
    world = build_world()
    make_shared_city(world)
    liege = other_city_feed(tmp_path / "liege.pem")
    good = server.serve("/reseau/flux.json", *liege)
    altered = server.serve("/altere/flux.json", tampered(liege[0]), liege[1])

    phone = signed_in(new_page, world.person("coordinator"), java_script_enabled=False, **PHONE)
    phone.context.add_cookies([{"name": "django_language", "value": "en", "url": phone.url}])
    phone.goto("/reseau/")
    expect(phone.get_by_role("heading", level=1, name="Network of cities")).to_be_visible()
    _fits(phone)

    phone.get_by_label("Address of the other city's feed").fill(altered)
    phone.get_by_role("button", name="Follow", exact=True).click()
    expect_error_summary(phone, "may have been altered on the way")
    expect(phone.get_by_label("Address of the other city's feed")).to_have_value(altered)
    _fits(phone)
    assert not FollowedCity.objects.exists()

    phone.get_by_label("Address of the other city's feed").fill(good)
    phone.get_by_role("button", name="Follow", exact=True).click()
    expect(phone.get_by_role("heading", level=1, name="Liège")).to_be_visible()
    fingerprint = signing.fingerprint(FollowedCity.objects.get().public_key)
    expect(phone.get_by_text(f"The fingerprint of its key is {fingerprint}")).to_be_visible()
    _fits(phone)

    # With the keyboard: the import button of the playbook, then Enter.
    phone.get_by_role("button", name="Import Fête de rue").focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("“Fête de rue (Liège)” was imported from Liège.")).to_be_visible()
    expect(phone.get_by_role("link", name="Open “Fête de rue (Liège)”")).to_be_visible()
    _fits(phone)
    assert ImportedPlaybook.objects.get().playbook == Playbook.objects.get(
        title="Fête de rue (Liège)"
    )
    # The format is in French, Dutch and German: this page is in English, so French is shown,
    # and said.
    format_card = phone.locator(".card", has_text="Bien vivre à Bomel")
    expect(format_card.get_by_text("Shown in Français", exact=False)).to_be_visible()
    expect(format_card.locator('h3[lang="fr"]')).to_have_text("Bien vivre à Bomel")

    phone.get_by_role("link", name="Network of cities").click()
    table = phone.get_by_role("table", name="Yearly figures")
    expect(table.get_by_role("columnheader", name="Namur")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Liège")).to_be_visible()
    held = table.get_by_role("row", name="Workshops held")
    expect(held.get_by_role("cell")).to_have_text(["1", "1"])
    expect(table.get_by_role("row", name="People present").get_by_role("cell")).to_have_text(
        ["fewer than 5", "fewer than 5"]
    )
    expect(phone.get_by_text("from Liège, imported on", exact=False)).to_be_visible()
    _fits(phone)
