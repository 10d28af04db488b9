"""The map's pages (room_views.py) x every persona: whoever sees the conversation sees its map."""

from __future__ import annotations

from typing import Any

from palabre.core.testing import MatrixRow, World, everyone, only

STAFF = ("coordinator", "administrator")
PAGES = ("conversations:map", "conversations:projector", "conversations:report")


def _mapped(world: World) -> dict[str, Any]:
    from palabre.conversations import actions
    from palabre.conversations.models import Value
    from palabre.conversations.tests.factories import make_conversation, make_statements

    conversation = make_conversation(slug="carte-de-bomel")
    statements = make_statements(conversation, 8)
    for card in range(1, 9):
        holder = actions.participant_for_card(conversation=conversation, number=card)
        for number, statement in enumerate(statements):
            value = Value.AGREE if (number < 4) == (card % 2 == 0) else Value.DISAGREE
            actions.cast_vote(participant=holder, statement=statement, value=value)
    actions.refresh_map(conversation_id=conversation.pk)
    return {"slug": conversation.slug}


def _draft(world: World) -> dict[str, Any]:
    from palabre.conversations.tests.factories import make_conversation

    return {"slug": make_conversation(slug="brouillon", is_published=False).slug}


ROWS = [
    *(MatrixRow(name, everyone(200), kwargs=_mapped, state="published") for name in PAGES),
    *(
        MatrixRow(name, only(200, STAFF, otherwise=404), kwargs=_draft, state="unpublished")
        for name in PAGES
    ),
]
