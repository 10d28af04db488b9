"""Background tasks of workshops; each one only calls an action (the logic lives there)."""

from __future__ import annotations

from django.tasks import task

from palabre.workshops import actions


@task
def send_reminder(registration_id: int, attempt: int = 1) -> str:
    """Remind one registrant of their workshop (see actions.deliver_reminder)."""
    return actions.deliver_reminder(registration_id=registration_id, attempt=attempt)
