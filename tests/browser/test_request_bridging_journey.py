"""Issue 19, item 5: the service drafts a request resting on a statement of an opinion
conversation with the keyboard only; a resident without JavaScript reads on the tracker and on
the request's page across how many opinion groups it is agreed; the official sorts their inbox
by it. Every page checked by axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.core.testing import build_world
from palabre.official_requests import actions
from palabre.official_requests.models import Request
from palabre.official_requests.tests.test_bridging import two_camps
from tests.browser.conftest import assert_accessible, signed_in


def test_a_request_resting_on_a_statement_shows_its_support_across_groups(
    new_page: Callable[..., Page], transactional_db: Any
) -> None:
    world = build_world()
    x, y = two_camps()
    coordinator, official = world.person("coordinator"), world.person("official")
    on_x = actions.draft_request(
        by=coordinator,
        neighbourhood=world.home,
        title="Des terrasses sur la place",
        asked="Des terrasses.",
        statements=[x],
    )
    actions.send_request(by=coordinator, request=on_x, official=official)

    # The service drafts a request with the keyboard: the conversation's statements are folded
    # under its title, each with its support.
    page = signed_in(new_page, coordinator)
    page.goto("/demandes/nouvelle/")
    page.get_by_label("Quartier").select_option(label=world.home.name)
    page.get_by_label("Titre").fill("Une place pour tous")
    page.get_by_label("Ce qui est demandé").fill("Une place où chacun trouve sa place.")
    summary = page.locator("details.statements summary").first
    summary.focus()
    page.keyboard.press("Enter")
    box = page.locator(f"#statement-{y.pk}")
    expect(box).to_be_visible()
    expect(page.locator(f"label[for=statement-{y.pk}] [data-bridging]")).to_have_attribute(
        "data-bridging", "2/2"
    )
    assert_accessible(page)
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.get_by_role("button", name="Préparer la demande").click()
    expect(page.get_by_role("status")).to_contain_text("Demande préparée")
    on_y = Request.objects.get(title="Une place pour tous")
    assert list(on_y.statements.all()) == [y]
    page.get_by_label("Élu·e").select_option(label=official.display_name)
    page.get_by_role("button", name="Envoyer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("les délais courent")
    expect(page.locator("#bridging-title ~ p.support [data-bridging]")).to_have_attribute(
        "data-bridging", "2/2"
    )
    assert_accessible(page)

    # A resident without JavaScript: the tracker, then the request's page.
    reader = new_page(java_script_enabled=False)
    reader.goto("/demandes/")
    row = reader.get_by_role("row").filter(has_text="Une place pour tous")
    expect(row.locator("[data-bridging]")).to_have_attribute("data-bridging", "2/2")
    other = reader.get_by_role("row").filter(has_text="Des terrasses sur la place")
    expect(other.locator("[data-bridging]")).to_have_attribute("data-bridging", "1/2")
    expect(reader.locator("#bridging-explained")).to_be_visible()
    assert_accessible(reader)
    row.get_by_role("link").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Une place pour tous")
    expect(reader.locator("#bridging-explained")).to_be_visible()
    expect(reader.get_by_text(y.text)).to_be_visible()
    assert_accessible(reader)

    # The official sorts their inbox by support: the request agreed across both groups first.
    inbox = signed_in(new_page, official)
    inbox.goto("/demandes/portail/")
    inbox.locator("#id_order").select_option("support")
    inbox.get_by_role("button", name="Afficher").click()
    titles = inbox.locator(".to-do h3").all_inner_texts()
    assert titles.index("Une place pour tous") < titles.index("Des terrasses sur la place")
    expect(inbox.locator("#id_order")).to_have_value("support")
    assert_accessible(inbox)
