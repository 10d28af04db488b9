"""How every conversation page finds its conversation: through the visibility query."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from palabre.conversations import queries
from palabre.conversations.models import Conversation
from palabre.conversations.permissions import can_run_conversation
from palabre.core.shortcuts import require


def conversation_for(request: HttpRequest, slug: str) -> Conversation:
    """The conversation `slug` if the visitor may see it, else 404."""
    found = queries.visible_conversations(request.user).filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def run_conversation(request: HttpRequest, slug: str) -> Conversation:
    """The conversation `slug` if the visitor runs it: 404 when they may not see it, 403 when
    they see it without running it."""
    found = conversation_for(request, slug)
    require(can_run_conversation(request.user, found))
    return found
