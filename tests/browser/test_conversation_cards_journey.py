"""Issue 19: the facilitator of a workshop prints its paper cards, then keys 10 of them with the
keyboard only; each card is one participant with the votes ticked on it."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from palabre.conversations.models import Conversation, Participant, Statement, Value
from palabre.conversations.tests.factories import make_conversation, make_statements
from palabre.core.testing import build_world
from palabre.workshops.tests.factories import make_hosted_workshop
from tests.browser.conftest import assert_accessible, signed_in

# The radios of a statement in the order of the card, the last one being "left blank" (checked
# at first): from it, the arrow down goes round to agree, then disagree, then pass.
PRESSES: dict[int | None, int] = {Value.AGREE: 1, Value.DISAGREE: 2, Value.PASS: 3, None: 0}


def _card(number: int, count: int) -> list[int | None]:
    """What card `number` has ticked: every kind of box, a few left blank."""
    choices: list[int | None] = [Value.AGREE, Value.DISAGREE, Value.PASS, None]
    return [choices[(number + index) % 4] for index in range(count)]


def _stored(conversation: Conversation, statements: list[Statement]) -> dict[int, list[Any]]:
    position = {statement.pk: index for index, statement in enumerate(statements)}
    found: dict[int, list[Any]] = {}
    for participant in Participant.objects.filter(conversation=conversation).prefetch_related(
        "votes"
    ):
        assert participant.card is not None
        ticks: list[Any] = [None] * len(statements)
        for vote in participant.votes.all():
            ticks[position[vote.statement_id]] = vote.value
        found[participant.card] = ticks
    return found


def test_a_facilitator_prints_the_cards_and_keys_ten_with_the_keyboard(
    new_page: Callable[..., Page], transactional_db: Any, tmp_path: Path
) -> None:
    world = build_world()
    conversation = make_conversation(slug="place-bomel")
    Conversation.objects.filter(pk=conversation.pk).update(workshop=make_hosted_workshop(world))
    statements = make_statements(conversation, 5)
    page = signed_in(new_page, world.person("facilitator"))

    # Print the cards: ten, numbered from 1, in French.
    page.goto(f"/avis/{conversation.slug}/cartes/")
    expect(page.locator("#keyed-count")).to_have_attribute("data-keyed", "0")
    expect(page.locator("#id_first")).to_have_value("1")
    expect(page.locator("#id_language")).to_have_value("fr")
    assert_accessible(page)
    page.locator("#id_count").fill("10")
    with page.expect_download() as downloading:
        page.locator("#print-cards button[type=submit]").click()
    saved = tmp_path / "cartes.pdf"
    downloading.value.save_as(saved)
    info = subprocess.run(["pdfinfo", str(saved)], capture_output=True, check=True, text=True)
    assert re.search(r"^Pages:\s+10$", info.stdout, re.MULTILINE), info.stdout
    text = subprocess.run(
        ["pdftotext", str(saved), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Affirmation 5" in text
    assert "D’accord" in text

    # Key the ten cards with the keyboard only.
    page.locator(f"a[href='/avis/{conversation.slug}/cartes/saisir/']").first.click()
    assert_accessible(page)
    for number in range(1, 11):
        field = page.locator("#id_number")
        expect(field).to_be_focused()
        expect(field).to_have_value(str(number))
        for value in _card(number, len(statements)):
            page.keyboard.press("Tab")
            for _ in range(PRESSES[value]):
                page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        expect(page.locator("#keyed-count")).to_have_attribute("data-keyed", str(number))
        expect(page.get_by_role("status")).to_contain_text(str(number))
    assert_accessible(page)
    assert _stored(conversation, statements) == {
        number: _card(number, len(statements)) for number in range(1, 11)
    }

    # Card 3 asked for again: its votes are shown and it says it was keyed.
    page.goto(f"/avis/{conversation.slug}/cartes/saisir/?card=3")
    expect(page.locator("#already-keyed")).to_have_attribute("data-card", "3")
    for statement, value in zip(statements, _card(3, len(statements)), strict=True):
        checked = page.locator(f"input[name='s{statement.pk}']:checked")
        expect(checked).to_have_value("" if value is None else str(value))
    assert_accessible(page)

    # The cards page counts them and suggests 11 for the next cards printed.
    page.goto(f"/avis/{conversation.slug}/cartes/")
    expect(page.locator("#keyed-count")).to_have_attribute("data-keyed", "10")
    expect(page.locator("#id_first")).to_have_value("11")


def test_a_card_is_keyed_without_javascript(
    new_page: Callable[..., Page], transactional_db: Any
) -> None:
    world = build_world()
    conversation = make_conversation(slug="place-bomel")
    statements = make_statements(conversation, 3)
    page = signed_in(new_page, world.person("coordinator"), java_script_enabled=False)
    page.goto(f"/avis/{conversation.slug}/cartes/saisir/")
    assert_accessible(page)
    page.locator("#id_number").fill("7")
    page.locator(f"input[name='s{statements[0].pk}'][value='1']").check()
    page.locator(f"input[name='s{statements[2].pk}'][value='-1']").check()
    page.locator("#key-card button[type=submit]").click()
    expect(page.locator("#keyed-count")).to_have_attribute("data-keyed", "1")
    expect(page.locator("#id_number")).to_have_value("8")
    assert_accessible(page)
    assert _stored(conversation, statements) == {7: [Value.AGREE, None, Value.DISAGREE]}
