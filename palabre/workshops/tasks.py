"""Background tasks of workshops; each one only calls an action (the logic lives there)."""

from __future__ import annotations

from django.tasks import task

from palabre.workshops import actions


@task
def send_reminder(registration_id: int, attempt: int = 1, starts_at: str = "") -> str:
    """Remind one registrant of their workshop (see actions.deliver_reminder; `attempt` is kept
    for jobs queued before the outbox retried failed emails)."""
    return actions.deliver_reminder(registration_id=registration_id, starts_at=starts_at)


@task
def make_invitations(batch_id: int) -> str:
    """Make the PDF of a large batch of invitations."""
    return actions.make_invitations(batch_id=batch_id)
