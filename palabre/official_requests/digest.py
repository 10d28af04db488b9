"""The Monday digest (ADR 0060): for each person who answers requests and chose it, one email a
week with the requests that reached them and what is late or due, instead of one email each.

Reminders, escalations and the service's reminders by hand stay immediate: they are about a
date. The weekly run queues the next one, like privacy's nightly run (ADR 0049).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from palabre.accounts.models import RequestNews, Role, User
from palabre.official_requests import queries
from palabre.official_requests.models import Event, Request
from palabre.official_requests.queries import ToDo
from palabre.outbox.actions import queue_mail

DIGEST_HOUR = time(8, 0)  # Monday, 08:00, Brussels time


@dataclass(frozen=True)
class Digest:
    """What one person reads on Monday: the requests that reached them (or their department)
    during the week, then their to-do list's late ones and those due within a week."""

    arrived: list[Request]
    late: list[ToDo]
    this_week: list[ToDo]
    later: int  # requests still to act on, due after this week

    @property
    def is_empty(self) -> bool:
        return not (self.arrived or self.late or self.this_week)


def _monday_morning(now: datetime) -> datetime:
    """The Monday 08:00 (Brussels) of the week `now` falls in."""
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, DIGEST_HOUR, tzinfo=ZoneInfo(settings.TIME_ZONE))


def next_digest_run(now: datetime | None = None) -> datetime:
    """Return the next Monday 08:00 (Brussels) after `now`."""
    now = now or timezone.now()
    run = _monday_morning(now)
    return run if run > now else _monday_morning(run + timedelta(days=7))


def week_key(user: User, now: datetime) -> str:
    """The outbox key of `user`'s digest of the ISO week of `now`: one email a week at most."""
    year, week, _day = now.astimezone(ZoneInfo(settings.TIME_ZONE)).isocalendar()
    return f"digest:{user.pk}:{year}-W{week:02d}"


def readers() -> QuerySet[User]:
    """The active people who answer requests (officials, members of a department, their
    cabinets' collaborators) and chose the Monday digest."""
    answers = (
        Q(role=Role.OFFICIAL) | Q(departments__isnull=False) | Q(cabinet_membership__isnull=False)
    )
    return (
        User.objects.filter(is_active=True, request_news=RequestNews.WEEKLY)
        .filter(answers)
        .distinct()
        .order_by("pk")
    )


def arrived(user: User, *, since: datetime, until: datetime) -> list[Request]:
    """The requests `user` (or their department) has now and got from `since` to `until`: sent
    to them or passed on to them, by the step that made them the holder (one query)."""
    handed_over = (
        Event.objects.filter(request=OuterRef("pk"))
        .filter(Q(official__isnull=False) | Q(department__isnull=False))
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return list(
        queries.inbox(user)
        .filter(merged_into=None)
        .annotate(reached_at=Coalesce(Subquery(handed_over), F("sent_at")))
        .filter(reached_at__gte=since, reached_at__lt=until)
        .order_by("reached_at", "pk")
    )


def build_digest(user: User) -> Digest:
    """What `user` reads this week: what reached them since the Monday morning before this
    week's (a run that starts late misses nothing), and their to-do list as of today (three
    queries, however many requests)."""
    now = timezone.now()
    since = _monday_morning(now) - timedelta(days=7)
    to_do = queries.to_do(user)
    return Digest(
        arrived=arrived(user, since=since, until=now),
        late=to_do.late,
        this_week=to_do.this_week,
        later=len(to_do.later),
    )


def _url(name: str) -> str:
    return f"{settings.SITE_URL}{reverse(name)}"


def send_digests() -> int:
    """Queue this week's digest of each reader who has something to read, in their language;
    return how many. A second run in the same week queues nothing new (the outbox key)."""
    now = timezone.now()
    count = 0
    for user in readers():
        digest = build_digest(user)
        if digest.is_empty:
            continue
        language = user.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = _("Requests to answer: your Monday summary")
            body = render_to_string(
                "official_requests/email/digest.txt",
                {
                    "digest": digest,
                    "site_url": settings.SITE_URL,
                    "inbox_url": _url("official_requests:portal"),
                    "account_url": _url("accounts:account"),
                },
            )
        queue_mail(
            to=[user.email],
            subject=subject,
            body=body,
            kind="request digest",
            key=week_key(user, now),
            language=language,
        )
        count += 1
    return count


def schedule_digest(*, now: datetime | None = None) -> bool:
    """Queue the next Monday's digest run unless one is already waiting; True when queued.

    Each run queues the next after its work, so the chain never stops; two chains started at
    once merge, since a run queues nothing while another is waiting (as in ADR 0049).
    """
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from palabre.official_requests.tasks import send_weekly_digest

    waiting = DBTaskResult.objects.filter(
        task_path=send_weekly_digest.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return False
    send_weekly_digest.using(run_after=next_digest_run(now)).enqueue()
    return True
