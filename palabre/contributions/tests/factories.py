"""Typed builders of contributions for tests (through the actions, like the site does)."""

from __future__ import annotations

import secrets
from typing import Any

from palabre.contributions import actions
from palabre.contributions.models import Board, Contribution, Moderation
from palabre.neighbourhoods.models import Neighbourhood


def make_board(
    neighbourhood: Neighbourhood, *, is_open: bool = True, moderation: str = Moderation.PRE
) -> Board:
    board, _ = Board.objects.update_or_create(
        neighbourhood=neighbourhood, defaults={"is_open": is_open, "moderation": moderation}
    )
    return board


def make_post(
    neighbourhood: Neighbourhood,
    text: str = "Il manque des bancs près de l'arrêt de bus.",
    *,
    by: Any = None,
    moderation: str = Moderation.POST,
    **fields: Any,
) -> Contribution:
    """Post on the neighbourhood's (opened) board; published at once under post-moderation."""
    board = make_board(neighbourhood, moderation=moderation)
    key = secrets.token_urlsafe(16)
    return actions.post_on_board(by=by, board=board, text=text, key=key, **fields).contribution
