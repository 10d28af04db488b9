"""Writes on accounts: creating users, one-time codes, and the sign-in throttle."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from palabre.accounts import permissions
from palabre.accounts.models import Competence, Role, SignInCode, SignInFailure, User

logger = logging.getLogger("palabre.accounts")


def _throttle_key(email: str) -> str:
    # A keyed hash: the failure table never stores addresses people typed.
    return hmac.new(
        settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256
    ).hexdigest()


def sign_in_is_throttled(*, email: str, ip_address: str | None) -> bool:
    """Tell whether this address (or this client) failed too often recently."""
    since = timezone.now() - timedelta(minutes=settings.SIGN_IN_FAILURE_WINDOW_MINUTES)
    recent = SignInFailure.objects.filter(created_at__gte=since)
    if recent.filter(key=_throttle_key(email)).count() >= settings.SIGN_IN_MAX_FAILURES:
        return True
    # A client trying many addresses is slowed down too, with a looser limit.
    return bool(
        ip_address
        and recent.filter(ip_address=ip_address).count() >= 4 * settings.SIGN_IN_MAX_FAILURES
    )


def record_sign_in_failure(*, email: str, ip_address: str | None) -> None:
    """Count one failed sign-in for the throttle."""
    SignInFailure.objects.create(key=_throttle_key(email), ip_address=ip_address)
    logger.warning("sign-in failure", extra={"ip": ip_address})


def clear_sign_in_failures(*, email: str) -> None:
    """Forget the failures of an address after it signed in."""
    SignInFailure.objects.filter(key=_throttle_key(email)).delete()


def send_sign_in_code(*, email: str) -> None:
    """Email a one-time code if an active account has this address; silently do nothing if not."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        # Same work as the real path, so that nothing reveals whether the address exists.
        make_password(secrets.token_hex(3))
        return
    now = timezone.now()
    window = now - timedelta(minutes=settings.SIGN_IN_FAILURE_WINDOW_MINUTES)
    if (
        SignInCode.objects.filter(user=user, created_at__gte=window).count()
        >= settings.SIGN_IN_MAX_CODES
    ):
        # Someone may be flooding this person's inbox: send nothing, answer the same way.
        logger.warning("sign-in code limit reached", extra={"user": user.pk})
        return
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        SignInCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        SignInCode.objects.create(
            user=user,
            code_hash=make_password(code),
            expires_at=now + timedelta(minutes=settings.SIGN_IN_CODE_MINUTES),
        )
        with translation.override(user.preferred_language):
            subject = _("Your Palabre sign-in code: %(code)s") % {"code": code}
            body = render_to_string(
                "accounts/email/sign_in_code.txt",
                {"user": user, "code": code, "minutes": settings.SIGN_IN_CODE_MINUTES},
            )
        transaction.on_commit(
            partial(send_mail, subject, body, None, [user.email], fail_silently=False)
        )


def redeem_sign_in_code(*, email: str, code: str) -> User | None:
    """Return the user whose unexpired code this is, marking it used; None when it is not."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        make_password(code)
        return None
    now = timezone.now()
    candidate = (
        SignInCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if candidate is None or not check_password(code.strip(), candidate.code_hash):
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
