"""Background tasks of requests to officials; each one only calls an action."""

from __future__ import annotations

from django.tasks import task

from palabre.official_requests import actions, digest


@task
def check_deadline(request_id: int, step: str, kind: str, attempt: int = 1, due: str = "") -> str:
    """Remind the addressee before a deadline, or escalate to the coordinator after it
    (`attempt` is kept for jobs queued before the outbox retried failed emails; `due`, the
    deadline the job was queued for, is empty in jobs queued before deadlines could move)."""
    return actions.deliver_notice(request_id=request_id, step=step, kind=kind, queued_for=due)


@task
def send_weekly_digest() -> str:
    """Email the Monday digest to each person who chose it, then queue next Monday's run."""
    sent = digest.send_digests()
    digest.schedule_digest()
    return f"{sent} digests queued"
