"""Reads of requests to officials, filtered by what a user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from palabre.accounts.models import Role, User
from palabre.accounts.permissions import has_role, is_signed_in
from palabre.contributions.models import Contribution
from palabre.contributions.models import Status as ContributionStatus
from palabre.official_requests.models import Department, Event, Request, Status
from palabre.official_requests.permissions import can_draft
from palabre.official_requests.routing import THEME_COMPETENCES

ACTIVE = (Status.SENT, Status.ACKNOWLEDGED, Status.ANSWERED, Status.IN_PROGRESS)


def visible_requests(user: Any) -> QuerySet[Request]:
    """Requests `user` may see: every sent one is public; drafts stay with the service."""
    queryset = Request.objects.select_related("neighbourhood", "official", "department")
    if can_draft(user):
        return queryset
    return queryset.exclude(status=Status.DRAFTED).filter(neighbourhood__is_published=True)


def tracker(user: Any, neighbourhood_id: int | None = None) -> QuerySet[Request]:
    """The public follow-up: sent requests, newest first (one query, whatever their number)."""
    queryset = visible_requests(user).exclude(status=Status.DRAFTED)
    if neighbourhood_id is not None:
        queryset = queryset.filter(neighbourhood_id=neighbourhood_id)
    return queryset.order_by("-sent_at", "-pk")


def request_page(user: Any, pk: int, *, private: bool) -> Request:
    """One visible request with its timeline (private notes only if `private`) and evidence."""
    events = Event.objects.select_related("by")
    if not private:
        events = events.filter(is_public=True)
    evidence = Contribution.objects.select_related("neighbourhood")
    if not can_draft(user):
        evidence = evidence.filter(status=ContributionStatus.PUBLISHED)
    return (
        visible_requests(user)
        .select_related("workshop")
        .prefetch_related(
            Prefetch("events", queryset=events),
            Prefetch("contributions", queryset=evidence),
            "themes",
        )
        .get(pk=pk)
    )


def inbox(user: Any) -> QuerySet[Request]:
    """Requests addressed to `user` or to a department they answer for, oldest due first."""
    if not is_signed_in(user):
        return Request.objects.none()
    mine = Q(official=user) | Q(department__members=user)
    return (
        Request.objects.filter(mine)
        .exclude(status=Status.DRAFTED)
        .select_related("neighbourhood", "official", "department")
        .distinct()
        .order_by("answer_by", "pk")
    )


def overdue(request: Request) -> bool:
    """Whether a deadline of `request` has passed without the step it waits for."""
    today = timezone.localdate()
    if request.status == Status.SENT and request.acknowledge_by and request.acknowledge_by < today:
        return True
    waiting = request.status in (Status.SENT, Status.ACKNOWLEDGED)
    return bool(waiting and request.answer_by and request.answer_by < today)


def suggested_addressees(request: Request) -> tuple[list[User], list[Department]]:
    """Officials and departments whose competences match the request's themes."""
    slugs = {c for theme in request.themes.all() for c in THEME_COMPETENCES.get(theme.slug, ())}
    officials = list(
        User.objects.filter(role=Role.OFFICIAL, is_active=True, portfolio__slug__in=slugs)
        .distinct()
        .order_by("display_name")
    )
    departments = list(
        Department.objects.filter(competences__slug__in=slugs).distinct().order_by("name")
    )
    return officials, departments


def officials() -> QuerySet[User]:
    return User.objects.filter(role=Role.OFFICIAL, is_active=True).order_by("display_name")


def requests_from(contribution: Contribution, user: Any) -> QuerySet[Request]:
    """What came of a contribution: the requests it supports that `user` may see."""
    return visible_requests(user).filter(contributions=contribution).order_by("created_at")


def is_official(user: Any) -> bool:
    return has_role(user, Role.OFFICIAL)
