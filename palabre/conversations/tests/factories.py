"""Typed builders of opinion conversations for tests."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from palabre.conversations import actions
from palabre.conversations.models import Conversation, Origin, Statement

# ../shared/data/polis, as the `shared_data` fixture finds it.
POLIS = Path(__file__).resolve().parents[4] / "shared" / "data" / "polis"
# Known even where the shared data is absent, so that the tests are listed (and skipped).
POLIS_CONVERSATIONS = sorted(
    {"15-per-hour-seattle", "canadian-electoral-reform", "london.youth.policing"}
    | {"scoop-hivemind.ubi"}
    | (
        {path.name for path in POLIS.iterdir() if (path / "comments.csv").is_file()}
        if POLIS.is_dir()
        else set()
    )
)


def make_conversation(
    *,
    slug: str = "place-communale",
    opened_days_ago: int = 1,
    closes_in_days: int = 14,
    is_published: bool = True,
) -> Conversation:
    """A published city-wide conversation open to votes from `opened_days_ago` to
    `closes_in_days`."""
    now = timezone.now()
    return Conversation.objects.create(
        title="Quelle place communale voulons-nous\u00a0?",
        slug=slug,
        opens_at=now - timedelta(days=opened_days_ago),
        closes_at=now + timedelta(days=closes_in_days),
        is_published=is_published,
    )


def make_statements(
    conversation: Conversation, count: int, *, origin: str = Origin.SEEDED
) -> list[Statement]:
    """`count` statements added through the action (seeded ones are open to votes)."""
    return [
        actions.add_statement(
            conversation=conversation, text=f"Affirmation {number}", origin=origin
        )
        for number in range(1, count + 1)
    ]
