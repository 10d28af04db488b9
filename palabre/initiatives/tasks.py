"""Background tasks of citizen actions; each one only calls an action."""

from __future__ import annotations

from django.tasks import task

from palabre.core.mail_jobs import deliver_or_retry
from palabre.initiatives import actions


@task
def remind_task_owner(task_id: int, due_on: str, attempt: int = 1) -> str:
    """Remind the volunteer who took a task, a few days before it is due."""
    return deliver_or_retry(
        remind_task_owner, actions.deliver_reminder, attempt=attempt, task_id=task_id, due_on=due_on
    )
