"""Background delivery of the outbox; it only calls actions."""

from __future__ import annotations

from django.tasks import task

from palabre.outbox import actions


@task
def deliver_mail() -> str:
    """Send the emails that are due (a failed one queues this job again for its next try)."""
    return f"{actions.deliver_due()} sent"
