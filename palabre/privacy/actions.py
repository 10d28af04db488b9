"""Erasure (GDPR art. 17) and retention (art. 5.1.e): what people said stays, without their
name; their contact details go.

This app sits at the top of the stack, like `demo`. No other app has an action that anonymises
its rows, and erasure must reach every table in one transaction (a half-erased person is worse
than none), so the rows are written here; each write says what it keeps and why (ADR 0049).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from palabre.accounts.actions import _throttle_key
from palabre.accounts.models import SignInCode, SignInFailure, User
from palabre.callbacks.actions import forget_called
from palabre.contributions.models import Contribution, Event, EventKind
from palabre.contributions.queries import by_follow_token
from palabre.conversations.actions import forget_typed_statements
from palabre.initiatives.models import Event as InitiativeEvent
from palabre.initiatives.models import Initiative, Volunteer
from palabre.initiatives.models import Status as InitiativeStatus
from palabre.links import queries as links
from palabre.links.models import AccessLink
from palabre.official_requests.actions import forget_contact_followers
from palabre.official_requests.models import ContactFollower, Follower
from palabre.outbox.models import MailStatus, OutgoingMail
from palabre.privacy import permissions
from palabre.workshops.models import Registration

# Stored labels (see `_label`), marked for translation.
ANONYMOUS = gettext_noop("Anonymous")
A_RESIDENT = gettext_noop("a resident")
RETENTION_HOUR = time(3, 0)


def _label(message: str) -> str:
    # Stored in the city's language: the lists that show it are the city's, and a row must read
    # the same whoever (a person, or the nightly task) erased it.
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message)


def _forget_links(ids: set[int | None]) -> None:
    # links.actions.revoke works one link at a time and keeps the address it would recover to;
    # here many links die at once and their email and phone go with them.
    found = AccessLink.objects.filter(pk__in={pk for pk in ids if pk})
    found.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    found.update(email="", phone="")


def _forget_mail(addresses: set[str]) -> None:
    # The outbox keeps who each email went to (a sent one has no body left); an email still
    # waiting would reach the person after they erased their account. Only for an account's
    # erasure: retention or one link's erasure may concern an address still used elsewhere.
    wanted = {address.strip().lower() for address in addresses if address.strip()}
    if not wanted:
        return
    around = Q()
    for address in wanted:
        around |= Q(to__icontains=address) | Q(cc__icontains=address)
    for mail in OutgoingMail.objects.filter(around):
        to = [address for address in mail.to if address.lower() not in wanted]
        cc = [address for address in mail.cc if address.lower() not in wanted]
        if (to, cc) == (mail.to, mail.cc):
            continue  # another address merely containing this one
        fields: dict[str, Any] = {"to": to, "cc": cc}
        if not to and mail.status == MailStatus.PENDING:
            fields |= {"status": MailStatus.FAILED, "body": "", "last_error": "recipient erased"}
        OutgoingMail.objects.filter(pk=mail.pk).update(**fields)


def _anonymise_registrations(registrations: QuerySet[Registration]) -> int:
    """Remove the contact details of these registrations; return how many changed.

    The account stays linked: an erased account is itself anonymous, and "returning" in the
    workshop figures recognises people by account (see ADR 0049).
    """
    rows = list(registrations.values_list("pk", "link_id"))
    _forget_links({link for _pk, link in rows})
    return Registration.objects.filter(pk__in=[pk for pk, _link in rows]).update(
        name=_label(ANONYMOUS), email="", phone=""
    )


def _anonymise_volunteers(volunteers: QuerySet[Volunteer]) -> int:
    """Remove the names and emails of these volunteers; their tasks stay theirs, without a name."""
    rows = list(volunteers.values_list("pk", "link_id"))
    _forget_links({link for _pk, link in rows})
    return Volunteer.objects.filter(pk__in=[pk for pk, _link in rows]).update(
        name=_label(ANONYMOUS), email=""
    )


def _anonymise_contributions(contributions: QuerySet[Contribution]) -> int:
    """Take the author off these contributions; the text stays as published, with its history."""
    rows = list(contributions.values_list("pk", "link_id"))
    _forget_links({link for _pk, link in rows})
    ids = [pk for pk, _link in rows]
    changed = Contribution.objects.filter(pk__in=ids).update(
        author=None, author_name=_label(A_RESIDENT), contact_email=""
    )
    # The moderation history says why the author disappeared (the contribution model's log).
    Event.objects.bulk_create(Event(contribution_id=pk, kind=EventKind.ANONYMISED) for pk in ids)
    return changed


@transaction.atomic
def erase_account(*, by: Any, user: User) -> None:
    """Erase an account: contact details removed everywhere, what was said kept as "a resident"."""
    if not permissions.can_erase_account(by, user):
        raise PermissionDenied
    # The row is locked and read again: a second tab or a double click finds it already erased.
    account = User.objects.select_for_update().get(pk=user.pk)
    if not permissions.can_erase_account(account, account):
        raise PermissionDenied
    registrations = Registration.objects.filter(user=account)
    volunteers = Volunteer.objects.filter(user=account)
    contributions = Contribution.objects.filter(author=account)
    _forget_mail(
        {account.email}
        | set(registrations.values_list("email", flat=True))
        | set(volunteers.values_list("email", flat=True))
        | set(contributions.values_list("contact_email", flat=True))
    )
    _anonymise_registrations(registrations)
    _anonymise_volunteers(volunteers)
    _anonymise_contributions(contributions)
    Follower.objects.filter(user=account).delete()
    # Requests followed by email without signing in, with the account's address: the address
    # goes, and the links that would stop those news die with it.
    by_email = ContactFollower.objects.filter(email=account.email.strip().lower())
    links: set[int | None] = set(by_email.values_list("link_id", flat=True))
    by_email.delete()
    _forget_links(links)
    SignInCode.objects.filter(user=account).delete()
    SignInFailure.objects.filter(key=_throttle_key(account.email)).delete()
    for initiative in Initiative.objects.filter(leads=account):
        initiative.leads.remove(account)
    # The row stays as an anonymous key: its "me too" still count once, its registrations still
    # count as one returning person; it can no longer sign in, and the address is free again.
    account.email = f"erased-{account.pk}@invalid"
    account.display_name = _label(ANONYMOUS)
    account.home_neighbourhood = None
    account.official_title = ""
    account.is_active = False
    account.set_unusable_password()
    account.save(
        update_fields=[
            "email",
            "display_name",
            "home_neighbourhood",
            "official_title",
            "is_active",
            "password",
        ]
    )
    user.is_active = False


@transaction.atomic
def erase_by_link(*, token: str) -> bool:
    """Erase the contact details of what a live private link opens; False for no live link.

    The link is the permission (as on the page it opens), and it dies with the erasure.
    """
    found: list[tuple[QuerySet[Any], Callable[[QuerySet[Any]], int]]] = [
        (links.holding(Registration.objects.all(), token), _anonymise_registrations),
        (links.holding(Volunteer.objects.all(), token), _anonymise_volunteers),
        # Contributions are found the way their follow-up page finds them.
        (by_follow_token(token), _anonymise_contributions),
    ]
    for holders, anonymise in found:
        held = holders.values_list("pk", "link_id").first()
        if held is None:
            continue
        pk, link = held
        # Revoking is the claim: of two erasures sent at once, one does the work.
        if not AccessLink.objects.filter(pk=link, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        ):
            return False
        return bool(anonymise(holders.model.objects.filter(pk=pk)))
    return False


def months_before(moment: datetime, months: int) -> datetime:
    """Return the same moment `months` calendar months earlier (31 March - 1 = 28/29 February)."""
    index = moment.year * 12 + moment.month - 1 - max(months, 0)
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass(frozen=True)
class Retention:
    registrations: int
    volunteers: int
    callbacks: int = 0
    request_followers: int = 0
    typed_statements: int = 0


def _with_contact_left(queryset: QuerySet[Any], *fields: str) -> QuerySet[Any]:
    # Only rows with something left to erase: a second run changes (and counts) nothing.
    left = ~Q(name=_label(ANONYMOUS)) | Q(link__revoked_at__isnull=True, link__isnull=False)
    for field in (*fields, "link__email", "link__phone"):
        left |= Q(**{f"{field}__gt": ""})
    return queryset.filter(left)


@transaction.atomic
def apply_retention(*, now: datetime | None = None) -> Retention:
    """Anonymise registrations and volunteers whose workshop or action ended long enough ago;
    forget call-back requests answered, and people following a request by email or text
    message once it is done, long enough ago, and the words as typed of residents' statements
    never moderated in a closed conversation."""
    now = now or timezone.now()
    workshops_before = months_before(now, settings.RETENTION_MONTHS_REGISTRATIONS)
    ended = Registration.objects.alias(
        ended_at=Coalesce(F("workshop__ends_at"), F("workshop__starts_at"))
    ).filter(ended_at__lte=workshops_before)
    registrations = _anonymise_registrations(_with_contact_left(ended, "email", "phone"))
    actions_before = months_before(now, settings.RETENTION_MONTHS_VOLUNTEERS)
    # When the action reached its final status: its last move there (or its report).
    finished_at = Subquery(
        InitiativeEvent.objects.filter(
            initiative=OuterRef("initiative"), status=OuterRef("initiative__status")
        )
        .order_by("-at")
        .values("at")[:1]
    )
    finished = Volunteer.objects.filter(
        initiative__status__in=[InitiativeStatus.DONE, InitiativeStatus.ABANDONED]
    ).alias(finished_at=Coalesce(finished_at, F("initiative__reported_at")))
    volunteers = _anonymise_volunteers(
        _with_contact_left(finished.filter(finished_at__lte=actions_before), "email")
    )
    callbacks = forget_called(now=now)
    return Retention(
        registrations=registrations,
        volunteers=volunteers,
        callbacks=callbacks,
        request_followers=forget_contact_followers(now=now),
        typed_statements=forget_typed_statements(now=now),
    )


def next_retention_run(now: datetime | None = None) -> datetime:
    """Return the next night's run time (03:00, local time) after `now`."""
    local = timezone.localtime(now or timezone.now())
    run = local.replace(hour=RETENTION_HOUR.hour, minute=0, second=0, microsecond=0)
    return run if run > local else run + timedelta(days=1)


def schedule_retention(*, now: datetime | None = None) -> bool:
    """Queue the next nightly retention run unless one is already waiting; True when queued.

    Each run queues the next one after its work, so the chain never stops; two chains started
    at once merge, since a run queues nothing while another is waiting (ADR 0049).
    """
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from palabre.privacy.tasks import apply_retention_nightly

    waiting = DBTaskResult.objects.filter(
        task_path=apply_retention_nightly.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return False
    apply_retention_nightly.using(run_after=next_retention_run(now)).enqueue()
    return True
