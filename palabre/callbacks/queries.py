from __future__ import annotations

from django.db.models import QuerySet

from palabre.callbacks.models import CallbackRequest


def waiting() -> QuerySet[CallbackRequest]:
    """The requests nobody has called back yet, oldest first."""
    return CallbackRequest.objects.filter(called_at__isnull=True).order_by("asked_at", "pk")
