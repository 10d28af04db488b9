"""The outbox: every email Palabre sends is first a row written with the action that caused it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("not delivered")


class Channel(models.TextChoices):
    EMAIL = "email", _("email")
    SMS = "sms", _("text message")


class OutgoingMail(models.Model):
    """One email or text message to send. Written in the transaction of the action that causes
    it, so a rolled back action sends nothing and a committed one is never forgotten; the
    background worker sends it, trying again with growing pauses while the server fails."""

    channel = models.CharField(max_length=5, choices=Channel, default=Channel.EMAIL)
    to = models.JSONField(default=list)  # email addresses, or one phone number in E.164
    cc = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    # What it is about, for the service's list (e.g. "sign-in code", "reminder").
    kind = models.CharField(max_length=40, blank=True)
    # A retried action writes the same key: the database keeps one email.
    key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    status = models.CharField(max_length=10, choices=MailStatus, default=MailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="sent_mail_has_a_time",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["email", "sms"]), name="outgoing_channel_known"
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class SmsOptOut(models.Model):
    """A number that replied STOP: no text message is sent to it until it replies START."""

    phone = models.CharField(max_length=20, unique=True)  # E.164
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("number that opted out of text messages")
        verbose_name_plural = _("numbers that opted out of text messages")

    def __str__(self) -> str:
        return self.phone
