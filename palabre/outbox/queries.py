"""Reads on the outbox."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from palabre.outbox import sms
from palabre.outbox.models import MailStatus, OutgoingMail


def needing_attention() -> QuerySet[OutgoingMail]:
    """Return emails that failed for good, or that have waited for more than an hour."""
    stuck = Q(status=MailStatus.PENDING, created_at__lt=timezone.now() - timedelta(hours=1))
    return OutgoingMail.objects.filter(Q(status=MailStatus.FAILED) | stuck).order_by(
        "-created_at", "-pk"
    )


def sms_configured() -> bool:
    """Whether text messages can be sent (PALABRE_SMS_URL): forms promise one only then."""
    return sms.is_configured()
