"""Writes on the outbox: queue an email or a text message with its action, deliver what is
due, try again, and numbers that opt out of text messages (STOP)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation

from palabre.core import phones
from palabre.core.context_processors import signature
from palabre.outbox import sms
from palabre.outbox.models import Channel, MailStatus, OutgoingMail, SmsOptOut
from palabre.outbox.permissions import can_see_outbox

logger = logging.getLogger("palabre.mail")

MAX_ATTEMPTS = 12
FIRST_PAUSE = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(hours=2)


# Line breaks and runs of spaces, but not the no-break spaces of French typography ("Réponse : …").
_BREAKS = re.compile(r"[ \t\n\r\f\v\x85\u2028\u2029]+")


def _one_line(text: str) -> str:
    # A title typed with a newline must not break the header (Django refuses it at sending).
    return _BREAKS.sub(" ", str(text)).strip()[:255]


def queue_mail(
    *,
    to: Iterable[str],
    subject: str,
    body: str,
    cc: Iterable[str] = (),
    kind: str = "",
    key: str | None = None,
    language: str = "",
) -> OutgoingMail | None:
    """Write an email to send, in the caller's transaction; the worker sends it after commit.

    Nothing is sent inside a web request. The same `key` twice keeps one email. The signature
    is written in `language` (the recipient's; the active language when not given).
    """
    recipients = [address for address in dict.fromkeys(to) if address]
    if not recipients:
        return None
    with translation.override(language or translation.get_language()):
        body = f"{body.rstrip()}\n\n{signature()}\n"
    copies = [address for address in dict.fromkeys(cc) if address and address not in recipients]
    try:
        with transaction.atomic():
            mail = OutgoingMail.objects.create(
                to=recipients,
                cc=copies,
                subject=_one_line(subject),
                body=body,
                kind=kind[:40],
                key=key,
            )
    except IntegrityError:
        if key is None:
            raise
        return OutgoingMail.objects.filter(key=key).first()
    transaction.on_commit(_wake_worker)
    return mail


def queue_sms(*, to: str, text: str, kind: str = "", key: str | None = None) -> int:
    """Write a text message to send, in the caller's transaction (written in the recipient's
    language by the caller); return how many messages it takes (0: none sent).

    Nothing is queued when SMS are not configured, when the number cannot be dialled, or when
    it replied STOP. A text too long for one message goes as parts cut between words; the same
    `key` twice keeps one of each part.
    """
    if not sms.is_configured():
        return 0
    try:
        number = phones.normalise(to)
    except ValidationError:
        logger.warning("text message to an unusable number not queued", extra={"kind": kind})
        return 0
    if SmsOptOut.objects.filter(phone=number).exists():
        return 0
    parts = sms.split(sms.gsm(text))
    for index, part in enumerate(parts, 1):
        try:
            with transaction.atomic():
                OutgoingMail.objects.create(
                    channel=Channel.SMS,
                    to=[number],
                    subject=_one_line(part),
                    body=part,
                    kind=kind[:40],
                    key=f"{key}:{index}" if key else None,
                )
        except IntegrityError:
            if key is None:
                raise
    transaction.on_commit(_wake_worker)
    return len(parts)


def opt_out(*, phone: str, stop: bool) -> None:
    """Record a STOP (or a START again) received from `phone`; an unusable number is ignored."""
    try:
        number = phones.normalise(phone)
    except ValidationError:
        return
    if stop:
        SmsOptOut.objects.get_or_create(phone=number)
    else:
        SmsOptOut.objects.filter(phone=number).delete()


def _wake_worker(when: Any = None) -> None:
    from palabre.outbox.tasks import deliver_mail

    job = deliver_mail.using(run_after=when) if when else deliver_mail
    job.enqueue()


def _pause(attempt: int) -> timedelta:
    pause: timedelta = FIRST_PAUSE * 2 ** (attempt - 1)
    return min(pause, LONGEST_PAUSE)


def _claim(mail: OutgoingMail, now: Any) -> bool:
    """Take a due email for this worker: the UPDATE is the lock (two workers never both send)."""
    attempt = mail.attempts + 1
    return bool(
        OutgoingMail.objects.filter(
            pk=mail.pk,
            status=MailStatus.PENDING,
            attempts=mail.attempts,
            next_attempt_at__lte=now,
        ).update(attempts=F("attempts") + 1, next_attempt_at=now + _pause(attempt))
    )


def deliver_due(*, limit: int = 200) -> int:
    """Send the emails and text messages that are due; a failure is tried again later, then
    given up and shown."""
    now = timezone.now()
    sent = 0
    due = OutgoingMail.objects.filter(status=MailStatus.PENDING, next_attempt_at__lte=now)
    for mail in due.order_by("next_attempt_at", "pk")[:limit]:
        if not _claim(mail, now):
            continue
        try:
            if mail.channel == Channel.SMS:
                sms.send(mail.to[0], mail.body)
            else:
                EmailMessage(mail.subject, mail.body, to=mail.to, cc=mail.cc).send()
        except (OSError, ValueError) as error:  # smtplib errors and SmsError are OSErrors
            attempts = mail.attempts + 1
            given_up = attempts >= MAX_ATTEMPTS or isinstance(error, ValueError)
            OutgoingMail.objects.filter(pk=mail.pk).update(
                status=MailStatus.FAILED if given_up else MailStatus.PENDING,
                last_error=f"{type(error).__name__}: {error}"[:500],
            )
            log = logger.error if given_up else logger.warning
            log("mail not sent", extra={"mail": mail.pk, "attempt": attempts, "kind": mail.kind})
            if not given_up:
                _wake_worker(now + _pause(attempts))
            continue
        # Once sent, the content is not kept: it may hold a private link or a sign-in code.
        OutgoingMail.objects.filter(pk=mail.pk).update(
            status=MailStatus.SENT,
            sent_at=timezone.now(),
            last_error="",
            body="",
            subject="" if mail.channel == Channel.SMS else mail.subject,
        )
        sent += 1
    return sent


def try_again(*, by: Any, mail: OutgoingMail) -> None:
    """Send an email that failed again, from now on (the service, after fixing an address)."""
    if not can_see_outbox(by):
        raise PermissionDenied
    updated = OutgoingMail.objects.filter(pk=mail.pk, status=MailStatus.FAILED).update(
        status=MailStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    if updated:
        transaction.on_commit(_wake_worker)
