"""Who may vote, proved one way or another: a voting code sent by email or text message, or
a facilitator's word in person at a workshop. (Codes printed on letters: actions.redeem_code.)

A code by message is keyed by a keyed hash of the address or number: asking again with the
same one makes the same voter, so one person still has one ballot per envelope (ADR 0068).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from palabre.budgets.actions import Refused, vote_not_open
from palabre.budgets.models import Channel, MessageCode, Phase, Process, Voter
from palabre.budgets.permissions import can_key_paper
from palabre.core import phones, throttle
from palabre.outbox import sms
from palabre.outbox.actions import queue_mail, queue_sms

CODE_MINUTES = 30
CODE_TRIES = 3
CODES_PER_ADDRESS = throttle.Limit("voting-codes-address", 5, timedelta(days=1))


def _recipient(address: str) -> tuple[Channel, str]:
    """The channel and the normalised address (an email, or an E.164 mobile number)."""
    typed = address.strip()
    if "@" in typed:
        try:
            validate_email(typed)
        except ValidationError:
            raise Refused(_("This email address is not complete: check it.")) from None
        return Channel.EMAIL, typed.lower()
    if not sms.is_configured():
        raise Refused(_("Type an email address: text messages are not available here."))
    try:
        return Channel.SMS, phones.normalise(typed)
    except ValidationError:
        raise Refused(
            _("Type an email address, or a mobile number such as 0470 12 34 56.")
        ) from None


def _key(channel: Channel, address: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return f"{channel}:{digest.hexdigest()}"


def send_message_code(
    *, process: Process, address: str, language: str, now: datetime | None = None
) -> Channel:
    """Send a one-time voting code to an email address or a mobile number (through the
    outbox, in `language`); a new code replaces any earlier one."""
    now = now or timezone.now()
    if process.phase(now) != Phase.VOTE:
        raise Refused(vote_not_open(process, now))
    channel, to = _recipient(address)
    key = _key(channel, to)
    # A few codes a day per address, whoever asks: nobody floods a stranger's inbox.
    wait = throttle.claim([throttle.tally(CODES_PER_ADDRESS, key)])
    if wait is not None:
        raise Refused(throttle.wait_message(wait))
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        MessageCode.objects.filter(process=process, key=key, used_at__isnull=True).update(
            used_at=now
        )
        MessageCode.objects.create(
            process=process,
            key=key,
            channel=channel,
            code_hash=make_password(code),
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        with translation.override(language):
            context = {"process": process, "code": code, "minutes": CODE_MINUTES}
            if channel == Channel.EMAIL:
                # The code is in the body only: subjects show on lock screens.
                queue_mail(
                    to=[to],
                    subject=_("Your voting code"),
                    body=render_to_string("budgets/email/voting_code.txt", context),
                    kind="voting code",
                    language=language,
                )
            else:
                queue_sms(
                    to=to,
                    text=render_to_string("budgets/email/voting_code.sms.txt", context).strip(),
                    kind="voting code",
                )
    return channel


def redeem_message_code(
    *, process: Process, address: str, code: str, now: datetime | None = None
) -> Voter:
    """The voter behind an address whose unexpired code this is (made the first time)."""
    now = now or timezone.now()
    if process.phase(now) != Phase.VOTE:
        raise Refused(vote_not_open(process, now))
    channel, to = _recipient(address)
    key = _key(channel, to)
    wrong = Refused(_("This code is not right, or no longer valid. Check it, or ask a new one."))
    candidate = (
        MessageCode.objects.filter(process=process, key=key, used_at__isnull=True)
        .filter(expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    # The try is counted in the UPDATE itself, before the check: a code is tried a few times
    # at most, whoever types it.
    if candidate is None or not MessageCode.objects.filter(
        pk=candidate.pk, used_at__isnull=True, tries__lt=CODE_TRIES
    ).update(tries=F("tries") + 1):
        make_password(code)  # the same work either way
        raise wrong
    if not check_password(code.strip(), candidate.code_hash):
        raise wrong
    if not MessageCode.objects.filter(pk=candidate.pk, used_at__isnull=True).update(used_at=now):
        raise wrong
    voter, _created = Voter.objects.get_or_create(
        process=process,
        key=key,
        defaults={"channel": channel, "token": secrets.token_urlsafe(32)},
    )
    return voter


def vote_in_person(*, by: Any, process: Process, now: datetime | None = None) -> Voter:
    """A facilitator lets a resident present at a workshop vote on the spot (on the
    facilitator's tablet or the resident's phone): the facilitator vouches for one person."""
    if not can_key_paper(by):
        raise PermissionDenied
    now = now or timezone.now()
    if process.phase(now) != Phase.VOTE:
        raise Refused(vote_not_open(process, now))
    return Voter.objects.create(
        process=process,
        key=f"in_person:{by.pk}:{uuid.uuid4().hex}",
        channel=Channel.IN_PERSON,
        token=secrets.token_urlsafe(32),
    )
