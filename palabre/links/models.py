"""Private links: what lets a person without an account come back to their own page."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Letters nobody confuses on the phone (no I, L, O, Q) and digits: "JMB-4821".
REFERENCE_LETTERS = "ABCDEFGHJKMNPRSTUVWXYZ"


class Purpose(models.TextChoices):
    REGISTRATION = "registration", _("workshop registration")
    VOLUNTEER = "volunteer", _("citizen action volunteer")
    CONTRIBUTION = "contribution", _("contribution follow-up")
    REQUEST = "request", _("news of a request to officials")


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def new_reference() -> str:
    letters = "".join(secrets.choice(REFERENCE_LETTERS) for _ in range(3))
    return f"{letters}-{secrets.randbelow(10_000):04d}"


def token_of(nonce: str, generation: int) -> str:
    """The secret in the link, derived from the row and the server's key (never stored)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"palabre.link:{nonce}:{generation}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def hash_of(token: str) -> str:
    """What the table keeps to find a link: a hash of its secret."""
    return hashlib.sha256(token.encode()).hexdigest()


class AccessLink(models.Model):
    """A private link: hashed, with a purpose, an expiry, revocable, and a reference to read out.

    The table holds no usable secret: the token is an HMAC of `nonce` and `generation` under the
    server's secret key, and only its SHA-256 is stored (and searched). Renewing a link bumps the
    generation, which kills the previous token.
    """

    purpose = models.CharField(max_length=20, choices=Purpose)
    nonce = models.CharField(max_length=43, default=new_nonce)
    generation = models.PositiveIntegerField(default=0)
    token_hash = models.CharField(max_length=64, unique=True)
    reference = models.CharField(max_length=8, unique=True, default=new_reference)
    # Where a lost link is sent again, and in which language.
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("private link")
        verbose_name_plural = _("private links")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="link_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def token(self) -> str:
        return token_of(self.nonce, self.generation)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def opens(self, token: str) -> bool:
        """Whether `token` is this link's current secret and the link still opens its page."""
        return self.is_active and hmac.compare_digest(hash_of(token), self.token_hash)
