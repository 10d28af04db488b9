"""Background tasks of privacy; each one only calls actions (the logic lives there)."""

from __future__ import annotations

from django.tasks import task

from palabre.privacy import actions


@task
def apply_retention_nightly() -> str:
    """Anonymise what has been kept long enough, then queue tomorrow night's run."""
    done = actions.apply_retention()
    actions.schedule_retention()
    return f"{done.registrations} registrations, {done.volunteers} volunteers anonymised"
