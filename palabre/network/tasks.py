"""Background tasks of the network; each one only calls actions (the logic lives there)."""

from __future__ import annotations

from django.tasks import task

from palabre.network import actions


@task
def refresh_followed_cities() -> str:
    """Read every followed city's feed again, then queue tomorrow's run."""
    refused = actions.refresh_all()
    actions.schedule_refresh()
    return f"{refused} feeds refused"
