"""The council's yearly reports, made by the background worker and kept to be downloaded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    WAITING = "waiting", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be made")


class YearlyReport(models.Model):
    """One calendar year's report in one language: its PDF and the same figures as CSV, as
    they stood when it was made (asking again makes it anew)."""

    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState, default=ReportState.WAITING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    made_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(default=bytes, editable=False)
    csv = models.TextField(default="", editable=False)
    # Raised by every request: the worker's result of an older request is not kept.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year", "language"]
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")
        constraints = [
            models.UniqueConstraint(fields=["year", "language"], name="one_report_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="report_year_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} ({self.language})"
