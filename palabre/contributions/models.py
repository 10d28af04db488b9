from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 2000


class Theme(models.Model):
    """One theme of the taxonomy the coordinator edits (cadre de vie, propreté, ...)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    WORKSHOP = "workshop", _("Said at a workshop")
    ONLINE = "online", _("Written online")
    PAPER = "paper", _("Transcribed from paper")


class Status(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden")


class Contribution(models.Model):
    """Something a resident said or wrote; never deleted, only hidden with a reason."""

    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.PROTECT, related_name="contributions"
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    question = models.CharField(_("guiding question"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source)
    text = models.TextField(_("what was said"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    author_name = models.CharField(
        _("nickname"), max_length=100, blank=True, help_text=_("Empty means anonymous.")
    )
    table_label = models.CharField(_("table or group"), max_length=50, blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="contributions"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    # The key the capture form carried: a retried or doubled submit finds its first save.
    submission_key = models.CharField(max_length=64, unique=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(GreaterThanOrEqual(Length("text"), 1))
                & Q(LessThanOrEqual(Length("text"), MAX_LENGTH)),
                name="contribution_text_length",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]
