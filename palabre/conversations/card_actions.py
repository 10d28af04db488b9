"""Paper cards in the room: a card number is one voter, each ticked box one vote, keyed by the
people who run the conversation (often the day after the workshop, once it has closed).

Decisions (issue 19, item 3):

- A card's votes are dated when they are keyed while the conversation is open; keyed after it
  closed (the usual case), they are dated one microsecond before the close, since they were
  cast in the room while it was open. Only the people who run the conversation key cards, so
  this is no back door for late votes.
- A box left blank stores nothing and erases nothing: a card keyed in two sittings, or a
  correction that only retypes one line, never loses what was keyed before. The keying screen
  shows a card's stored votes before a correction, so what is seen is what is kept.
- Keying a card again replaces the votes of the boxes ticked: the last keying is the reading of
  the card (a keyer's correction), whatever the dates.
- Nothing is stored for a card with no box ticked (no voter without a vote).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from palabre.conversations import actions
from palabre.conversations.actions import ConversationError
from palabre.conversations.models import (
    Conversation,
    Moderation,
    Participant,
    Statement,
    Value,
    Vote,
)
from palabre.conversations.permissions import can_run_conversation

# The highest card number (the column is a PositiveIntegerField; a million cards is plenty).
LAST_CARD = 1_000_000
# One microsecond: votes keyed after the close are dated just before it.
_TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class KeyedCard:
    """What keying a card did: its number, how many of its votes changed, how many it holds
    now, and whether it had been keyed before."""

    number: int
    changed: int
    votes: int
    keyed_before: bool


@dataclass(frozen=True)
class CardsKeyed:
    """How many cards were keyed so far in a conversation, and the highest number."""

    count: int
    highest: int

    @property
    def next_number(self) -> int:
        """The number to key or print next: the one after the highest keyed."""
        return min(self.highest + 1, LAST_CARD)


# Reads the card pages need (beside the writes they serve).


def cards_keyed(conversation: Conversation) -> CardsKeyed:
    """Count the cards keyed in `conversation` and find the highest card number."""
    found = Participant.objects.filter(conversation=conversation, card__isnull=False).aggregate(
        count=Count("pk"), highest=Max("card")
    )
    return CardsKeyed(count=found["count"] or 0, highest=found["highest"] or 0)


def card_votes(conversation: Conversation, number: int) -> dict[int, int]:
    """Statement id -> the vote keyed for card `number` (empty when it was never keyed)."""
    return dict(
        Vote.objects.filter(
            participant__conversation=conversation, participant__card=number
        ).values_list("statement_id", "value")
    )


# Writes.


def key_card(
    *, by: Any, conversation: Conversation, number: int, votes: Mapping[int, int]
) -> KeyedCard:
    """Store the boxes ticked on paper card `number` (statement id -> value): the card is one
    participant, each ticked box one vote; keying it again corrects those boxes."""
    if not can_run_conversation(by, conversation):
        raise PermissionDenied
    if not 1 <= number <= LAST_CARD:
        raise ConversationError(
            _("A card number is a whole number from 1 to %(last)d.") % {"last": LAST_CARD}
        )
    if not votes:
        raise ConversationError(
            _("No box is ticked: key the boxes ticked on the card (a blank card has no vote).")
        )
    if any(value not in Value.values for value in votes.values()):
        raise ConversationError(_("A vote is agree, disagree or pass."))
    now = timezone.now()
    # Fresh: the conversation may have been closed, a statement set aside, since the form.
    conversation = Conversation.objects.get(pk=conversation.pk)
    if conversation.opens_at is None or now < conversation.opens_at:
        raise ConversationError(
            _("This conversation is not open to votes yet: cards are keyed once it has opened.")
        )
    at = now if conversation.is_open(now) else conversation.closes_at - _TICK  # type: ignore[operator]
    statements = set(
        Statement.objects.filter(
            conversation=conversation, moderation=Moderation.ACCEPTED, pk__in=list(votes)
        ).values_list("pk", flat=True)
    )
    if statements != set(votes):
        raise ConversationError(
            _(
                "A statement of this card is no longer open to votes: reload the page and key "
                "it again."
            )
        )
    with transaction.atomic():
        keyed_before = Participant.objects.filter(conversation=conversation, card=number).exists()
        participant = actions.participant_for_card(conversation=conversation, number=number)
        kept = dict(participant.votes.values_list("statement_id", "value"))
        changed = sum(
            _store(participant.pk, pk, value, at)
            for pk, value in sorted(votes.items())
            if kept.get(pk) != value  # the same box keyed again changes nothing, not even a date
        )
        if changed:
            actions.schedule_map_on_commit(conversation.pk)
        total = Vote.objects.filter(participant=participant).count()
    return KeyedCard(number=number, changed=changed, votes=total, keyed_before=keyed_before)


def _store(participant_id: int, statement_id: int, value: int, at: Any) -> bool:
    # Not actions.cast_vote: it refuses once the conversation is closed, when cards are mostly
    # keyed (the permission and the dates are checked in key_card). The upsert keeps the latest
    # vote, as for phones; a correction keyed after the close carries the same date as the first
    # keying, so it would lose to it: the keyer's latest reading of the card wins here instead.
    if actions.upsert_vote(participant_id, statement_id, value, at):
        return True
    corrected = (
        Vote.objects.filter(participant_id=participant_id, statement_id=statement_id)
        .exclude(value=value)
        .update(value=value, voted_at=at)
    )
    return corrected > 0
