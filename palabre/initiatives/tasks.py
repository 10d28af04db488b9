"""Background tasks of citizen actions; each one only calls an action."""

from __future__ import annotations

from django.tasks import task

from palabre.initiatives import actions


@task
def remind_task_owner(task_id: int, due_on: str, attempt: int = 1) -> str:
    """Remind the volunteer who took a task, a few days before it is due (`attempt` is kept for
    jobs queued before the outbox retried failed emails)."""
    return actions.deliver_reminder(task_id=task_id, due_on=due_on)
