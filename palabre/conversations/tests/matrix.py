"""The conversations' pages x every persona."""

from __future__ import annotations

from typing import Any

from palabre.conversations.tests.matrix_cards import ROWS as CARD_ROWS
from palabre.conversations.tests.matrix_room import ROWS as ROOM_ROWS
from palabre.conversations.tests.matrix_transfer import ROWS as TRANSFER_ROWS
from palabre.core.testing import MatrixRow, World, everyone, only

STAFF = ("coordinator", "administrator")
STARTERS = ("facilitator", *STAFF)


def _open(world: World) -> dict[str, Any]:
    from palabre.conversations.tests.factories import make_conversation, make_statements

    conversation = make_conversation(slug="place-bomel")
    make_statements(conversation, 3)
    return {"slug": conversation.slug}


def _draft(world: World) -> dict[str, Any]:
    from palabre.conversations.models import Conversation

    found = _open(world)
    Conversation.objects.filter(slug=found["slug"]).update(is_published=False)
    return found


def _pending(world: World) -> dict[str, Any]:
    from palabre.conversations import actions
    from palabre.conversations.models import Conversation

    found = _open(world)
    conversation = Conversation.objects.get(slug=found["slug"])
    statement = actions.propose_statement(conversation=conversation, text="Plus de bancs")
    return found | {"pk": statement.pk}


def _vote(world: World) -> dict[str, Any]:
    from palabre.conversations.models import Statement

    return {"statement": Statement.objects.get(text="Affirmation 1").pk, "value": "agree"}


def _conversation_data(world: World) -> dict[str, Any]:
    return {
        "title": "Que faire de la place ?",
        "workshop": "",
        "neighbourhood": world.home.pk,
        "theme": "",
        "opens_on": "2027-01-10",
        "opens_time": "18:00",
        "closes_on": "2027-01-24",
        "closes_time": "20:00",
        "statements": "Plus d'arbres\nMoins de voitures",
        "is_published": "on",
    }


ROWS = [
    MatrixRow("conversations:index", everyone(200)),
    MatrixRow("conversations:new", only(200, STARTERS, otherwise=403)),
    MatrixRow(
        "conversations:new",
        only(302, STAFF, otherwise=403) | {"facilitator": 400},
        method="post",
        data=_conversation_data,
        state="a city-wide conversation",
    ),
    MatrixRow(
        "conversations:new",
        only(400, STARTERS, otherwise=403),
        method="post",
        data=lambda w: _conversation_data(w) | {"title": ""},
        state="no question",
    ),
    MatrixRow("conversations:conversation", everyone(200), kwargs=_open),
    MatrixRow(
        "conversations:conversation",
        only(200, STAFF, otherwise=404),
        kwargs=_draft,
        state="draft",
    ),
    MatrixRow(
        "conversations:vote",
        everyone(400),
        kwargs=_open,
        method="post",
        data=_vote,
        state="no device cookie",
    ),
    MatrixRow("conversations:vote", everyone(405), kwargs=_open, state="with GET"),
    MatrixRow("conversations:forget", everyone(302), kwargs=_open, method="post"),
    MatrixRow("conversations:propose", everyone(200), kwargs=_open),
    MatrixRow(
        "conversations:propose",
        everyone(302),
        kwargs=_open,
        method="post",
        data=lambda w: {"text": "Un marché le samedi"},
    ),
    MatrixRow("conversations:map_json", everyone(200), kwargs=_open),
    MatrixRow(
        "conversations:map_json", only(200, STAFF, otherwise=404), kwargs=_draft, state="draft"
    ),
    MatrixRow("conversations:manage", only(200, STAFF, otherwise=403), kwargs=_open),
    MatrixRow(
        "conversations:manage",
        only(302, STAFF, otherwise=403),
        kwargs=_open,
        method="post",
        data=_conversation_data,
    ),
    MatrixRow(
        "conversations:seed",
        only(302, STAFF, otherwise=403),
        kwargs=_open,
        method="post",
        data=lambda w: {"statements": "Une fontaine"},
    ),
    MatrixRow(
        "conversations:moderate",
        only(302, STAFF, otherwise=403),
        kwargs=_pending,
        method="post",
        data=lambda w: {f"s{_pk(w)}-decision": "accept", f"s{_pk(w)}-text": ""},
    ),
]


ROWS += CARD_ROWS + ROOM_ROWS + TRANSFER_ROWS


def _pk(world: World) -> int:
    from palabre.conversations.models import Statement

    return Statement.objects.get(text="Plus de bancs").pk
