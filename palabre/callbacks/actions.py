"""Writes on call-back requests: a resident asks, the service calls and says so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from palabre.callbacks.models import BestTime, CallbackRequest
from palabre.callbacks.permissions import can_handle_callbacks

# A request that was called back is forgotten this long after the call (data minimisation).
KEPT_AFTER_CALL = timedelta(days=30)


@dataclass(frozen=True)
class Asked:
    callback: CallbackRequest
    created: bool


def ask_callback(
    *,
    key: str,
    name: str,
    phone: str,
    language: str,
    best_time: str = BestTime.ANY,
    about: str = "",
) -> Asked:
    """Queue a call-back. The same form sent twice, or a number that already waits for a call,
    returns the waiting request unchanged (nobody learns anything about it)."""
    try:
        with transaction.atomic():
            callback = CallbackRequest.objects.create(
                key=key,
                name=name.strip(),
                phone=phone,
                language=language,
                best_time=best_time,
                about=about.strip(),
            )
    except IntegrityError:
        same = CallbackRequest.objects.filter(key=key).first()
        same = same or CallbackRequest.objects.filter(phone=phone, called_at__isnull=True).first()
        if same is None:  # the waiting one was called back in between: ask again
            return ask_callback(
                key=key,
                name=name,
                phone=phone,
                language=language,
                best_time=best_time,
                about=about,
            )
        return Asked(same, created=False)
    return Asked(callback, created=True)


def mark_called(*, by: Any, callback: CallbackRequest) -> bool:
    """Say the person was called. Pressed twice, or by two colleagues: the first one counts."""
    if not can_handle_callbacks(by):
        raise PermissionDenied
    done = CallbackRequest.objects.filter(pk=callback.pk, called_at__isnull=True).update(
        called_at=timezone.now(), called_by=by
    )
    return bool(done)


def forget_called(*, now: datetime | None = None) -> int:
    """Delete the requests called back more than `KEPT_AFTER_CALL` ago; return how many."""
    before = (now or timezone.now()) - KEPT_AFTER_CALL
    deleted, _ = CallbackRequest.objects.filter(called_at__lte=before).delete()
    return deleted
