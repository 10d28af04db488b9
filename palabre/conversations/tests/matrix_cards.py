"""The paper cards' pages (print, PDF, keying) x every persona."""

from __future__ import annotations

from typing import Any

from palabre.core.testing import MatrixRow, World, only

STAFF = ("coordinator", "administrator")
RUNNERS = ("facilitator", *STAFF)
SLUG = "cartes-place"


def _city_wide(world: World) -> dict[str, Any]:
    """A published conversation of no workshop: the service alone runs it (others see it)."""
    from palabre.conversations.tests.factories import make_conversation, make_statements

    conversation = make_conversation(slug=SLUG)
    make_statements(conversation, 3)
    return {"slug": conversation.slug}


def _draft(world: World) -> dict[str, Any]:
    from palabre.conversations.models import Conversation

    found = _city_wide(world)
    Conversation.objects.filter(slug=found["slug"]).update(is_published=False)
    return found


def _workshops(world: World) -> dict[str, Any]:
    """A published conversation of a workshop the facilitator persona runs."""
    from palabre.conversations.models import Conversation
    from palabre.workshops.tests.factories import make_hosted_workshop

    found = _city_wide(world)
    Conversation.objects.filter(slug=found["slug"]).update(workshop=make_hosted_workshop(world))
    return found


def _print(world: World) -> dict[str, Any]:
    return {"count": "2", "first": "1", "language": "fr"}


def _card(world: World) -> dict[str, Any]:
    from palabre.conversations.models import Statement

    ticks = {
        f"s{pk}": "1"
        for pk in Statement.objects.filter(conversation__slug=SLUG).values_list("pk", flat=True)
    }
    return {"number": "1"} | ticks


ROWS = [
    MatrixRow("conversations:cards", only(200, STAFF, otherwise=403), kwargs=_city_wide),
    MatrixRow(
        "conversations:cards",
        only(200, STAFF, otherwise=404),
        kwargs=_draft,
        state="draft",
    ),
    MatrixRow(
        "conversations:cards",
        only(200, RUNNERS, otherwise=403),
        kwargs=_workshops,
        state="a workshop's conversation",
    ),
    MatrixRow(
        "conversations:cards_pdf",
        only(200, STAFF, otherwise=403),
        kwargs=_city_wide,
        data=_print,
    ),
    MatrixRow(
        "conversations:cards_pdf",
        only(400, STAFF, otherwise=403),
        kwargs=_city_wide,
        data=lambda w: {"count": "0", "first": "1", "language": "fr"},
        state="no card asked",
    ),
    MatrixRow(
        "conversations:cards_pdf",
        only(200, RUNNERS, otherwise=403),
        kwargs=_workshops,
        data=_print,
        state="a workshop's conversation",
    ),
    MatrixRow("conversations:key_card", only(200, STAFF, otherwise=403), kwargs=_city_wide),
    MatrixRow(
        "conversations:key_card",
        only(200, STAFF, otherwise=404),
        kwargs=_draft,
        state="draft",
    ),
    MatrixRow(
        "conversations:key_card",
        only(302, STAFF, otherwise=403),
        kwargs=_city_wide,
        method="post",
        data=_card,
    ),
    MatrixRow(
        "conversations:key_card",
        only(400, STAFF, otherwise=403),
        kwargs=_city_wide,
        method="post",
        data=lambda w: _card(w) | {"number": ""},
        state="no card number",
    ),
    MatrixRow(
        "conversations:key_card",
        only(302, RUNNERS, otherwise=403),
        kwargs=_workshops,
        method="post",
        data=_card,
        state="a workshop's conversation",
    ),
]
