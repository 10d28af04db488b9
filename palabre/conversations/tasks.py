"""Background tasks of conversations; each one only calls an action (the logic lives there)."""

from __future__ import annotations

from django.tasks import task

from palabre.conversations import actions


@task
def update_map(conversation_id: int) -> str:
    """Compute the conversation's opinion map if its votes changed (see actions.refresh_map)."""
    return actions.refresh_map(conversation_id=conversation_id)
