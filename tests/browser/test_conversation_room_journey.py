"""Issue 19: a simulated workshop. Thirty phones vote at once on the statements while the
room's screen shows the projector view; the background worker makes the map a few seconds
after votes arrive, and the screen shows it without being reloaded."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from playwright.sync_api import Page, expect

from palabre.conversations.models import Conversation, ConversationMap, Participant, Vote
from palabre.conversations.tests.factories import make_conversation, make_statements

PHONES = 30
STATEMENTS = 8
PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
# A few seconds after the last vote (the worker's delay and poll, the map, two htmx rounds).
ON_SCREEN = 20_000


def _run_worker_until_mapped(conversation: Conversation, votes: int) -> None:
    """Run the background worker's queue until the map counts `votes` votes. The worker runs
    in the test's thread: the test database is SQLite in memory, which the live server's
    threads share through the test's own connection; a worker on a connection of its own would
    fail at once with "database table is locked" where Palabre's file database waits."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        stored = ConversationMap.objects.filter(conversation=conversation).first()
        if stored is not None and stored.vote_count == votes:
            return
        time.sleep(0.25)  # the map waits MAP_DELAY after the first vote of a burst
    raise AssertionError(f"no map of {votes} votes within 30 s")


def _answer(phone_number: int, statement_number: int) -> str:
    """Three camps in the room; everyone agrees with the last statement."""
    camp = phone_number % 3
    if statement_number == STATEMENTS:
        return "D’accord"
    if statement_number % 3 == camp:
        return "D’accord"
    return "Passer / je ne sais pas" if statement_number == 1 else "Pas d’accord"


def test_thirty_phones_vote_while_the_projector_shows_the_map(
    new_page: Callable[..., Page], transactional_db: Any
) -> None:
    conversation = make_conversation(slug="atelier-bomel")
    texts = {
        s.text: number for number, s in enumerate(make_statements(conversation, STATEMENTS), 1)
    }
    screen = new_page(viewport={"width": 1920, "height": 1080})
    screen.goto(f"/avis/{conversation.slug}/projection/")
    screen.evaluate("window.stillTheSamePage = true")
    figures = screen.locator("#room-figures")
    expect(figures).to_have_attribute("data-votes", "0")

    phones = [new_page(**PHONE) for _ in range(PHONES)]
    for phone in phones:
        phone.goto(f"/avis/{conversation.slug}/")
    # Round after round, every phone answers the statement it shows: the votes of the room
    # arrive interleaved, as they do on the evening.
    for round_number in range(STATEMENTS):
        for number, phone in enumerate(phones):
            shown = phone.locator(".statement__text").inner_text()
            before = phone.locator("#voting p.meta").first.inner_text()
            phone.get_by_role("button", name=_answer(number, texts[shown]), exact=True).click()
            expect(phone.locator("#voting p.meta").first).not_to_have_text(before)
        if round_number == STATEMENTS // 2:
            # Half-way, the worker maps what came so far, and the screen shows it.
            _run_worker_until_mapped(conversation, PHONES * (round_number + 1))
            expect(figures).to_have_attribute(
                "data-votes", str(PHONES * (round_number + 1)), timeout=ON_SCREEN
            )
    for phone in phones:
        expect(
            phone.get_by_text("Vous avez voté sur toutes les affirmations. Merci !")
        ).to_be_visible()

    # None lost: one voter per phone, one vote per phone and statement.
    assert Participant.objects.filter(conversation=conversation).count() == PHONES
    assert (
        Vote.objects.filter(participant__conversation=conversation).count() == PHONES * STATEMENTS
    )
    # The screen shows the map the worker made, without a reload.
    _run_worker_until_mapped(conversation, PHONES * STATEMENTS)
    expect(figures).to_have_attribute("data-state", "ready", timeout=ON_SCREEN)
    expect(figures).to_have_attribute("data-people", str(PHONES), timeout=ON_SCREEN)
    expect(figures).to_have_attribute("data-votes", str(PHONES * STATEMENTS), timeout=ON_SCREEN)
    expect(screen.locator(".room__group")).to_have_count(3, timeout=ON_SCREEN)
    assert screen.evaluate("window.stillTheSamePage") is True
