"""Writes on private links: create, send again, renew, revoke, recover by reference."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from palabre.core import phones
from palabre.links.models import AccessLink, Purpose, hash_of, new_reference, token_of
from palabre.outbox.actions import queue_mail

logger = logging.getLogger("palabre.links")

# The page each kind of link opens (names only: this app imports none of its owners).
ROUTES = {
    Purpose.REGISTRATION: "workshops:registration",
    Purpose.VOLUNTEER: "initiatives:volunteer",
    Purpose.CONTRIBUTION: "contributions:follow",
    Purpose.REQUEST: "official_requests:followed",
}


def url_of(link: AccessLink) -> str:
    """Return the absolute address of a link's page, secret included (for emails only)."""
    return settings.SITE_URL + reverse(ROUTES[Purpose(link.purpose)], args=[link.token])


def create_link(
    *, purpose: Purpose, email: str = "", phone: str = "", language: str = ""
) -> AccessLink:
    """Create a private link, valid for the city's PRIVATE_LINK_DAYS."""
    now = timezone.now()
    for _attempt in range(5):
        link = AccessLink(
            purpose=purpose,
            email=email.strip().lower(),
            phone=phone.strip(),
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
            created_at=now,
            expires_at=now + timedelta(days=settings.PRIVATE_LINK_DAYS),
            reference=new_reference(),
        )
        link.token_hash = hash_of(link.token)
        try:
            with transaction.atomic():
                link.save()
        except IntegrityError:
            continue  # one reference in 121 million was taken: draw another
        return link
    raise RuntimeError("no free link reference after 5 draws")


def may_send_now(link: AccessLink) -> bool:
    """Claim the right to send `link` to its owner: at most once per
    PRIVATE_LINK_RESEND_MINUTES, decided by the UPDATE (two clicks at once send one message)."""
    now = timezone.now()
    quiet_since = now - timedelta(minutes=settings.PRIVATE_LINK_RESEND_MINUTES)
    return bool(
        AccessLink.objects.filter(pk=link.pk)
        .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lt=quiet_since))
        .update(last_sent_at=now)
    )


def send_again(*, link: AccessLink, about: str) -> bool:
    """Email a link to its own address, at most once per PRIVATE_LINK_RESEND_MINUTES.

    Whoever asks, the link goes only to the address it was made for, so typing someone's
    address never shows their page; the pause keeps a stranger from flooding their inbox.
    """
    if not link.email or not link.is_active or not may_send_now(link):
        return False
    with translation.override(link.language):
        subject = _("Your private link: %(about)s") % {"about": about}  # one line: queue_mail
        body = render_to_string(
            "links/email/your_link.txt",
            {"link": link, "url": url_of(link), "about": about},
        )
    queue_mail(
        to=[link.email], subject=subject, body=body, kind="private link", language=link.language
    )
    return True


def renew(*, link: AccessLink) -> AccessLink:
    """Give a link a new secret (the previous address stops working) and a new expiry."""
    generation = link.generation + 1
    expires_at = timezone.now() + timedelta(days=settings.PRIVATE_LINK_DAYS)
    AccessLink.objects.filter(pk=link.pk, generation=link.generation).update(
        generation=F("generation") + 1,
        token_hash=hash_of(token_of(link.nonce, generation)),
        expires_at=expires_at,
        revoked_at=None,
    )
    link.refresh_from_db()
    return link


def revoke(*, link: AccessLink) -> None:
    """Stop a link from opening anything (it can be renewed by its owner later)."""
    AccessLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def normalise_reference(text: str) -> str:
    """Read a reference the way people type it: "jmb 4821", "JMB4821" → "JMB-4821"."""
    compact = re.sub(r"[^A-Za-z0-9]", "", text).upper()
    return f"{compact[:3]}-{compact[3:]}" if len(compact) == 7 else compact


def _dialled(text: str) -> str:
    """A number as dialled (E.164), whether stored as typed (older links) or normalised; its
    bare digits when it is no valid number."""
    try:
        return phones.normalise(text)
    except ValidationError:
        return re.sub(r"\D", "", text)


@transaction.atomic
def recover(*, reference: str, contact: str) -> None:
    """Send a fresh link when the reference and the email or phone match; say nothing either way.

    The old address of the link stops working (it may be what was lost).
    """
    link = (
        AccessLink.objects.select_for_update()
        .filter(reference=normalise_reference(reference), revoked_at__isnull=True)
        .first()
    )
    contact = contact.strip().lower()
    if link is None or not contact:
        return
    same_email = bool(link.email) and contact == link.email
    same_phone = bool(link.phone) and len(re.sub(r"\D", "", contact)) >= 6
    same_phone = same_phone and _dialled(contact) == _dialled(link.phone)
    if not (same_email or same_phone):
        logger.info("link recovery refused", extra={"link": link.pk})
        return
    if not link.email:
        return  # a phone alone: the service reads it out on the phone (see the ADR)
    if link.last_sent_at and link.last_sent_at > timezone.now() - timedelta(
        minutes=settings.PRIVATE_LINK_RESEND_MINUTES
    ):
        return
    send_again(link=renew(link=link), about=str(Purpose(link.purpose).label))
