"""Reads of opinion conversations, filtered by what a user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from palabre.accounts.models import Role
from palabre.accounts.permissions import has_role
from palabre.conversations.models import Conversation, Moderation, Participant, Statement, Vote
from palabre.conversations.permissions import can_run_any_conversation


def visible_conversations(user: Any) -> QuerySet[Conversation]:
    """Conversations `user` may see: published ones in published places; the service sees
    every one; a facilitator also the drafts of the workshops they run."""
    queryset = Conversation.objects.select_related("workshop", "neighbourhood", "theme")
    if can_run_any_conversation(user):
        return queryset
    visible = Q(is_published=True) & (
        Q(neighbourhood__isnull=True) | Q(neighbourhood__is_published=True)
    )
    if has_role(user, Role.FACILITATOR):
        visible |= Q(workshop__facilitators=user)
    return queryset.filter(visible).distinct()


def open_statements(conversation: Conversation) -> QuerySet[Statement]:
    """The statements people vote on, in the order they were written."""
    return conversation.statements.filter(moderation=Moderation.ACCEPTED).order_by(
        "written_at", "pk"
    )


def next_statement(conversation: Conversation, participant: Participant | None) -> Statement | None:
    """The statement to show this participant next (ADR 0071): among the open statements they
    have not voted on, the one with the fewest votes so far (so that every statement gathers
    votes, the newest included), then the oldest. None when they have voted on all of them."""
    candidates = open_statements(conversation)
    if participant is not None:
        candidates = candidates.exclude(
            Exists(Vote.objects.filter(participant=participant, statement=OuterRef("pk")))
        )
    return (
        candidates.annotate(vote_count=Count("votes"))
        .order_by("vote_count", "written_at", "pk")
        .first()
    )


def votes_of(participant: Participant | None) -> dict[int, int]:
    """Statement id -> the participant's vote."""
    if participant is None:
        return {}
    return dict(participant.votes.values_list("statement_id", "value"))


def pending_statements(conversation: Conversation) -> QuerySet[Statement]:
    """Residents' statements waiting for moderation, oldest first."""
    return conversation.statements.filter(moderation=Moderation.PENDING).order_by(
        "written_at", "pk"
    )
