"""Issue 19: the room's screen shows the map of opinions while votes arrive; htmx brings the new
figures every few seconds without reloading the page, and the map in words reads without
JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.conversations import actions
from palabre.conversations.models import Conversation, Statement, Value
from palabre.conversations.tests.factories import make_conversation, make_statements
from tests.browser.conftest import assert_accessible

# htmx asks every 5 s; the page must show new figures within two rounds.
UPDATE_TIMEOUT = 12_000


def _cards(conversation: Conversation, statements: list[Statement], first: int, last: int) -> None:
    """Cards `first`..`last` keyed in: two camps on statements 1-8, everyone agrees with 9."""
    for card in range(first, last + 1):
        holder = actions.participant_for_card(conversation=conversation, number=card)
        camp = card % 2 == 0
        for number, statement in enumerate(statements, start=1):
            value = Value.AGREE if number == 9 or (number <= 4) == camp else Value.DISAGREE
            actions.cast_vote(participant=holder, statement=statement, value=value)


def test_the_projector_updates_its_figures_as_votes_arrive_without_reloading(
    new_page: Callable[..., Page], transactional_db: Any
) -> None:
    conversation = make_conversation(slug="place-de-bomel")
    statements = make_statements(conversation, 9)
    screen = new_page(viewport={"width": 1920, "height": 1080})
    screen.goto("/avis/place-de-bomel/projection/")
    expect(screen.get_by_role("heading", level=1)).to_have_text(conversation.title)
    figures = screen.locator("#room-figures")
    expect(figures).to_have_attribute("data-state", "none")
    expect(figures).to_have_attribute("data-votes", "0")
    expect(screen.get_by_role("img", name="/avis/place-de-bomel/")).to_be_visible()
    assert_accessible(screen)
    # Marks this very page: a reload would forget it.
    screen.evaluate("window.stillTheSamePage = true")

    # Two people vote: the next refresh counts them, though there are too few for a map.
    _cards(conversation, statements, 1, 2)
    actions.refresh_map(conversation_id=conversation.pk)
    expect(figures).to_have_attribute("data-votes", "18", timeout=UPDATE_TIMEOUT)
    expect(figures).to_have_attribute("data-state", "too-few")
    expect(screen.locator("[data-more-people]")).to_have_attribute("data-more-people", "1")

    # The rest of the room votes, and the worker makes the map.
    _cards(conversation, statements, 3, 20)
    actions.refresh_map(conversation_id=conversation.pk)
    expect(figures).to_have_attribute("data-state", "ready", timeout=UPDATE_TIMEOUT)
    expect(figures).to_have_attribute("data-people", "20")
    expect(figures).to_have_attribute("data-votes", "180")
    expect(screen.locator(".room__group")).to_have_count(2)
    expect(screen.locator('.room__group[data-group="A"]')).to_have_attribute("data-size", "10")
    expect(screen.locator(".room__shared")).to_contain_text(statements[8].text)
    assert screen.evaluate("window.stillTheSamePage") is True
    assert_accessible(screen)

    # Without JavaScript, the map in words has every figure.
    reader = new_page(java_script_enabled=False)
    reader.goto("/avis/place-de-bomel/carte/")
    expect(reader.locator("#groups li[data-group]")).to_have_count(2)
    expect(reader.locator("#shared-agree")).to_contain_text(statements[8].text)
    expect(reader.get_by_role("table")).to_contain_text(statements[0].text)
    assert_accessible(reader)
    # ... and the projector offers a link to refresh it by hand.
    reader.goto("/avis/place-de-bomel/projection/")
    reader.locator('.room__foot a[href="/avis/place-de-bomel/projection/"]').click()
    expect(reader.locator("#room-figures")).to_have_attribute("data-votes", "180")
