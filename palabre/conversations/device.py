"""A phone's identity in conversations: a random token in a signed cookie, nothing about the
person. The database keeps only a digest of it per conversation (actions.device_digest)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse

COOKIE = "palabre_device"
SALT = "palabre.conversations.device"
# A phone stays the same voter for a year (a conversation, its follow-up, the next one).
LIFETIME = timedelta(days=365)


def token_of(request: HttpRequest) -> str | None:
    """The device's token, if its cookie is there and was signed by this site."""
    token: str | None = request.get_signed_cookie(COOKIE, default=None, salt=SALT)
    return token


def ensure_token(request: HttpRequest, response: HttpResponse) -> str:
    """The device's token, handing out a new one (in the response's cookie) if it has none."""
    token = token_of(request)
    if token is None:
        token = secrets.token_urlsafe(24)
        response.set_signed_cookie(
            COOKIE,
            token,
            salt=SALT,
            max_age=int(LIFETIME.total_seconds()),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return token
