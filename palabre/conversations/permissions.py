"""Who prepares, moderates and keys opinion conversations. Pure predicates."""

from __future__ import annotations

from typing import Any

from palabre.accounts.models import Role
from palabre.accounts.permissions import has_role
from palabre.conversations.models import Conversation
from palabre.workshops.permissions import facilitates


def can_start_conversations(user: Any) -> bool:
    """Whether `user` starts conversations: the service for any place or theme, a facilitator
    for the workshops they run."""
    return has_role(user, Role.FACILITATOR, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_run_any_conversation(user: Any) -> bool:
    """Whether `user` runs every conversation, imports Pol.is exports and sees drafts (the
    service)."""
    return has_role(user, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_run_conversation(user: Any, conversation: Conversation) -> bool:
    """Whether `user` edits this conversation, seeds and moderates its statements, prints its
    cards and keys them: the service, or a facilitator of its workshop."""
    if can_run_any_conversation(user):
        return True
    workshop = conversation.workshop
    return workshop is not None and facilitates(user, workshop)
