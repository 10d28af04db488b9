"""Writes of the evaluation: asking for a yearly report, and the worker making it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from palabre.evaluation import report
from palabre.evaluation.models import ReportState, YearlyReport
from palabre.evaluation.permissions import can_evaluate

# A report still "being prepared" after this long was lost by a stopped worker: asking again
# makes it anew.
STALLED_AFTER = timedelta(minutes=10)


def ask_report(*, year: int, language: str, by: Any) -> YearlyReport:
    """Ask the worker for `year`'s report in `language`. Asking while it is being prepared
    changes nothing (a double submit makes one report); asking once it is ready or failed makes
    it anew with today's figures."""
    if not can_evaluate(by):
        raise PermissionDenied
    now = timezone.now()
    try:
        with transaction.atomic():
            found = YearlyReport.objects.create(
                year=year, language=language, requested_by=by, requested_at=now
            )
    except IntegrityError:  # it exists: ask again unless it is being prepared right now
        found = YearlyReport.objects.get(year=year, language=language)
        again = YearlyReport.objects.filter(pk=found.pk).filter(
            ~Q(state=ReportState.WAITING) | Q(requested_at__lt=now - STALLED_AFTER)
        )
        if not again.update(
            state=ReportState.WAITING, version=F("version") + 1, requested_by=by, requested_at=now
        ):
            return found
        found.refresh_from_db()
    from palabre.evaluation.tasks import make_report as task

    version = found.version
    transaction.on_commit(lambda: task.enqueue(report_id=found.pk, version=version))
    return found


def make_report(*, report_id: int, version: int) -> str:
    """Make the PDF and the CSV of a report in its language; a result for an older request
    (asked again meanwhile) is dropped. Return what was done (for the worker's log)."""
    found = YearlyReport.objects.filter(pk=report_id, version=version).first()
    if found is None:
        return "asked again meanwhile"
    with translation.override(found.language):
        try:
            content = report.content(found.year)
            made_pdf, made_csv = report.render_pdf(content), report.render_csv(content)
        except Exception:
            YearlyReport.objects.filter(pk=report_id, version=version).update(
                state=ReportState.FAILED, made_at=timezone.now()
            )
            raise
    stored = YearlyReport.objects.filter(pk=report_id, version=version).update(
        state=ReportState.READY, pdf=made_pdf, csv=made_csv, made_at=timezone.now()
    )
    return "made" if stored else "asked again meanwhile"
