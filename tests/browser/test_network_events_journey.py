"""Issue 20, item 6: a resident of Namur, on a 320 px phone without JavaScript, finds on
/reseau/ailleurs/ the round table Liège opened to the network (a speaker from another city
among its speakers), follows the link to Liège's site and registers there, saying they live in
Namur; Liège's service sees how many come from each city.

One test server plays both cities: Namur first (it follows Liège, whose feed is this database's
signed with Liège's key), then Liège (its CITY_NAME, following Namur). The pages are read in
English: the interface's words are the source strings, whatever the catalogues hold."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from palabre.core.testing import build_world
from palabre.network import actions as network_actions
from palabre.network.models import FollowedCity
from palabre.network.tests.factories import follow_read, other_city_feed
from palabre.workshops import actions as workshop_actions
from palabre.workshops.models import EventKind, Registration, Session
from palabre.workshops.tests.factories import make_hosted_workshop
from tests.browser.conftest import assert_accessible, expect_error_summary, signed_in

PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
WIDE = """[...document.querySelectorAll('body *')]
  .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX == 'visible')
  .map(e => `${e.tagName}.${e.className} ${e.scrollWidth}/${e.clientWidth}`)"""


def _fits(page: Page, width: int = 320) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.evaluate(WIDE)
    assert_accessible(page)


def _in_english(page: Page, url: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": url}])


def test_a_resident_finds_another_citys_round_table_and_registers_there(
    new_page: Callable[..., Page],
    live_server: Any,
    settings: Any,
    tmp_path: Path,
    transactional_db: Any,
) -> None:
    world = build_world()
    coordinator = world.person("coordinator")
    round_table = make_hosted_workshop(
        world,
        kind=EventKind.ROUND_TABLE,
        title="Table ronde : vivre ensemble entre voisins",
        capacity=30,
        days_from_now=20,
    )
    assert round_table.starts_at is not None
    assert round_table.ends_at is not None
    workshop_actions.add_session(
        by=coordinator,
        workshop=round_table,
        session=Session(
            title="Ce que les habitants ont dit",
            starts_at=round_table.starts_at,
            ends_at=round_table.ends_at,
        ),
        speakers=[
            ("Anne Dupont", "sociologue, UNamur", "Namur"),
            ("Jan Peeters", "Universiteit Maastricht", "Maastricht"),
        ],
    )
    network_actions.open_event(by=coordinator, workshop=round_table, opened=True)
    # Namur follows Liège: Liège's feed is this database's, signed with Liège's key.
    follow_read(
        other_city_feed(tmp_path / "liege.pem", city="Liège", site=live_server.url),
        site=live_server.url,
    )

    phone = new_page(java_script_enabled=False, **PHONE)
    _in_english(phone, live_server.url)
    phone.goto("/reseau/ailleurs/")
    expect(
        phone.get_by_role("heading", level=1, name="Events in other cities of the network")
    ).to_be_visible()
    card = phone.locator(".card", has_text="vivre ensemble entre voisins")
    expect(card.get_by_role("link", name="Liège", exact=True)).to_be_visible()
    expect(card.get_by_text("Round table")).to_be_visible()
    expect(card.get_by_text("Anne Dupont (Namur), sociologue, UNamur")).to_be_visible()
    _fits(phone)

    # Liège's site (the same server, now Liège): it follows Namur.
    settings.CITY_NAME = "Liège"
    FollowedCity.objects.create(
        feed_url="https://namur.example/reseau/flux.json",
        name="Namur",
        site="https://namur.example",
        public_key="11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
        feed={"items": {"events": []}},
    )
    card.get_by_role("link", name="Register on the site of Liège").click()
    expect(phone.get_by_role("heading", level=2, name="Register")).to_be_visible()
    where = phone.get_by_role("group", name="Where do you live?")
    expect(where.get_by_role("radio")).to_have_count(3)  # Liège, Namur, Elsewhere
    _fits(phone)

    # Sent without saying where: the error is in view, what was typed stays.
    phone.get_by_label("Your first name or a nickname").fill("Lucie")
    phone.get_by_label("Email address").fill("lucie@example.org")
    phone.get_by_role("button", name="Register", exact=True).click()
    expect_error_summary(phone, "Say where you live")
    expect(phone.get_by_label("Your first name or a nickname")).to_have_value("Lucie")
    _fits(phone)

    # With the keyboard: the answer, then the button.
    where.get_by_label("Namur").focus()
    phone.keyboard.press("Space")
    expect(where.get_by_label("Namur")).to_be_checked()
    phone.get_by_role("button", name="Register", exact=True).focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("You are registered. See you there!")).to_be_visible()
    _fits(phone)
    assert Registration.objects.get(workshop=round_table).home_city == "Namur"

    # Liège's service: how many come from each city.
    office = signed_in(new_page, coordinator)
    _in_english(office, live_server.url)
    office.goto(f"/ateliers/{round_table.pk}/inscriptions/")
    table = office.get_by_role("table", name="Where the people registered live")
    expect(table.get_by_role("row", name="Namur").get_by_role("cell")).to_have_text("1")
    expect(table.get_by_role("row", name="Liège").get_by_role("cell")).to_have_text("0")
    expect(table.get_by_role("row", name="Elsewhere").get_by_role("cell")).to_have_text("0")
    assert_accessible(office)
