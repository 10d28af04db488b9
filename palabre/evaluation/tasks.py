"""Background tasks of the evaluation; each one only calls an action (the logic lives there)."""

from __future__ import annotations

from django.tasks import task

from palabre.evaluation import actions


@task
def make_report(report_id: int, version: int) -> str:
    """Make a yearly report's PDF and CSV (see actions.make_report)."""
    return actions.make_report(report_id=report_id, version=version)
