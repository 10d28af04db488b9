"""Writes on accounts: creating users, one-time codes, and the sign-in throttle."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from palabre.accounts import permissions
from palabre.accounts.models import (
    Competence,
    RequestNews,
    Role,
    SignInCode,
    SignInFailure,
    User,
)
from palabre.core import throttle
from palabre.core.throttle import Limit, Tally, tally
from palabre.outbox.actions import queue_mail

logger = logging.getLogger("palabre.accounts")


def _throttle_key(email: str) -> str:
    # A keyed hash: the failure table never stores addresses people typed.
    return hmac.new(
        settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256
    ).hexdigest()


class SignInKind(StrEnum):
    """What a sign-in try is, which decides the limits it counts against."""

    PASSWORD = "password"  # noqa: S105 - a kind of sign-in, not a secret
    CODE = "code"
    CODE_REQUEST = "code-request"


def _client_failures(client: str) -> Tally:
    window = timedelta(minutes=settings.SIGN_IN_FAILURE_WINDOW_MINUTES)
    return tally(Limit("sign-in-client", settings.SIGN_IN_CLIENT_MAX_FAILURES, window), client)


def _owner_tallies(email: str, client: str) -> list[Tally]:
    window = timedelta(minutes=settings.SIGN_IN_FAILURE_WINDOW_MINUTES)
    return [
        # Wrong passwords lock the password for everyone: the owner still has the code path.
        tally(Limit("password-account", settings.SIGN_IN_MAX_FAILURES, window), email),
        # Wrong codes count per account *and* client: a stranger guessing from elsewhere does
        # not close the owner's own code entry (each code also dies after a few tries).
        tally(Limit("code-account-client", settings.SIGN_IN_MAX_FAILURES, window), email, client),
    ]


def _tallies(kind: SignInKind, email: str, client: str) -> list[Tally]:
    if kind is SignInKind.CODE_REQUEST:
        window = timedelta(minutes=settings.SIGN_IN_FAILURE_WINDOW_MINUTES)
        day = timedelta(days=1)
        # Counted on the typed address whether or not it has an account, so that a refusal
        # reveals nothing; per client first, so one client cannot use up an owner's codes.
        return [
            tally(Limit("codes-client", settings.SIGN_IN_CLIENT_MAX_CODE_REQUESTS, window), client),
            tally(Limit("codes-account-client", settings.SIGN_IN_MAX_CODES, day), email, client),
            tally(Limit("codes-account", settings.SIGN_IN_MAX_CODES_PER_ACCOUNT, day), email),
        ]
    password, code = _owner_tallies(email, client)
    return [_client_failures(client), password if kind is SignInKind.PASSWORD else code]


def claim_sign_in_try(*, kind: SignInKind, email: str, client: str) -> int | None:
    """Count one sign-in try before it is checked; return the seconds to wait when refused."""
    return throttle.claim(_tallies(kind, email, client))


def sign_in_succeeded(*, email: str, client: str) -> None:
    """Give back a successful try and lift the limits the account's owner just passed."""
    throttle.release([_client_failures(client)])
    throttle.reset(_owner_tallies(email, client))
    SignInFailure.objects.filter(key=_throttle_key(email)).delete()


def record_sign_in_failure(*, email: str, ip_address: str | None) -> None:
    """Keep a trace of one failed sign-in (the limits were counted when the try began)."""
    SignInFailure.objects.create(key=_throttle_key(email), ip_address=ip_address)
    logger.warning("sign-in failure", extra={"ip": ip_address})


def send_sign_in_code(*, email: str) -> None:
    """Email a one-time code if an active account has this address; silently do nothing if not."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        # Same work as the real path (one hash), so that nothing reveals whether it exists.
        make_password(secrets.token_hex(3))
        return
    now = timezone.now()
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        SignInCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        SignInCode.objects.create(
            user=user,
            code_hash=make_password(code),
            expires_at=now + timedelta(minutes=settings.SIGN_IN_CODE_MINUTES),
        )
        with translation.override(user.preferred_language):
            # The code is in the body only: subjects show in lock screens and mail lists.
            subject = _("Your Palabre sign-in code")
            body = render_to_string(
                "accounts/email/sign_in_code.txt",
                {"user": user, "code": code, "minutes": settings.SIGN_IN_CODE_MINUTES},
            )
        # Through the outbox, like every email: no mail server is reached within the request,
        # so a known address answers as fast as an unknown one.
        queue_mail(
            to=[user.email],
            subject=subject,
            body=body,
            kind="sign-in code",
            language=user.preferred_language,
        )


def redeem_sign_in_code(*, email: str, code: str) -> User | None:
    """Return the user whose unexpired code this is, marking it used; None when it is not.

    Every path checks exactly one hash, so that an unknown address, an account without a live
    code and a wrong code take the same time.
    """
    now = timezone.now()
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    # No account: `user=None` matches no code (the same query either way).
    candidate = (
        SignInCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    # The try is counted before the check, in the UPDATE itself: parallel guesses cannot all
    # see "2 tries so far", and a code that has had its tries is dead for everyone.
    if candidate is not None and not (
        SignInCode.objects.filter(
            pk=candidate.pk, used_at__isnull=True, tries__lt=settings.SIGN_IN_CODE_MAX_TRIES
        ).update(tries=F("tries") + 1)
    ):
        candidate = None
    if candidate is None:
        make_password(code)
        return None
    if not check_password(code.strip(), candidate.code_hash):
        return None
    # The update is the guard: two tabs redeeming the same code cannot both succeed.
    used = SignInCode.objects.filter(pk=candidate.pk, used_at__isnull=True).update(used_at=now)
    return user if used else None


def create_user(
    *,
    by: User | None,
    email: str,
    display_name: str,
    role: Role = Role.RESIDENT,
    password: str | None = None,
    **fields: object,
) -> User:
    """Create an account; only administrators create staff accounts (`by=None` is the system)."""
    if by is not None and not permissions.can_manage_accounts(by) and role != Role.RESIDENT:
        raise PermissionDenied
    user = User.objects.create_user(
        email=email, password=password, display_name=display_name, role=role, **fields
    )
    return user


def set_portfolio(*, by: User | None, official: User, competences: list[Competence]) -> None:
    """Replace an official's portfolio of competences."""
    if by is not None and not permissions.can_manage_accounts(by):
        raise PermissionDenied
    official.portfolio.set(competences)


def save_user(*, by: User | None, user: User) -> User:
    """Validate and save an account changed in the back-office (administrators only).

    A new account gets no password: its owner signs in with a one-time code.
    """
    if by is not None and not permissions.can_manage_accounts(by):
        raise PermissionDenied
    user.email = user.email.strip().lower()
    if user._state.adding and not user.password:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


def ensure_default_competences() -> None:
    """Create the preset competences where they are missing (a fresh or emptied database)."""
    from palabre.accounts.competences import DEFAULT_COMPETENCES

    for slug, name in DEFAULT_COMPETENCES:
        Competence.objects.get_or_create(slug=slug, defaults={"name": name})


def set_preferred_language(*, user: User, language: str) -> None:
    """The language of the emails (and, once signed in, the pages) `user` gets."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"not a language of the site: {language!r}")
    User.objects.filter(pk=user.pk).update(preferred_language=language)
    user.preferred_language = language


def set_request_news(*, user: User, news: str) -> None:
    """How `user`, who answers requests to officials, hears of a request that reaches them:
    one email each, or the Monday digest (ADR 0060). Saving the same choice again changes
    nothing."""
    if not permissions.can_choose_request_news(user):
        raise PermissionDenied
    if news not in RequestNews.values:
        raise ValueError(f"not a way to hear of requests: {news!r}")
    User.objects.filter(pk=user.pk).update(request_news=news)
    user.request_news = news
