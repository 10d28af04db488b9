"""Reads of contributions."""

from __future__ import annotations

from django.db.models import QuerySet

from palabre.contributions.models import Contribution, Theme
from palabre.workshops.models import Workshop


def captured_at(workshop: Workshop) -> QuerySet[Contribution]:
    """Return what was noted at a workshop, in order, with its themes."""
    return workshop.contributions.prefetch_related("themes").order_by("created_at", "pk")


def active_themes() -> QuerySet[Theme]:
    """Return the themes of the taxonomy in use."""
    return Theme.objects.filter(is_active=True)
