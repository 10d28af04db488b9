"""A resident asks the service to call them back: a name and a phone number, no account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palabre.core.phones import readable


class BestTime(models.TextChoices):
    ANY = "any", _("Any time")
    MORNING = "morning", _("In the morning")
    AFTERNOON = "afternoon", _("In the afternoon")


class CallbackRequest(models.Model):
    key = models.CharField(max_length=64, unique=True)  # the form's submission key: retries
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20)  # E.164, e.g. +32470123456
    language = models.CharField(_("language"), max_length=5)
    best_time = models.CharField(
        _("best time to call"), max_length=10, choices=BestTime, default=BestTime.ANY
    )
    about = models.CharField(_("what it is about"), max_length=300, blank=True)
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["asked_at"]
        verbose_name = _("call-back request")
        verbose_name_plural = _("call-back requests")
        constraints = [
            # One waiting request per number: asking again (or someone spraying the form with the
            # same number) never queues a second call.
            models.UniqueConstraint(
                fields=["phone"],
                condition=Q(called_at__isnull=True),
                name="one_waiting_callback_per_phone",
            ),
            models.CheckConstraint(
                condition=Q(called_at__isnull=False) | Q(called_by__isnull=True),
                name="callback_called_by_only_once_called",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["fr", "nl", "en"]), name="callback_language_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.phone}"

    @property
    def readable_phone(self) -> str:
        return readable(self.phone)

    @property
    def dial_link(self) -> str:
        return f"tel:{self.phone}"
