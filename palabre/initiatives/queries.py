"""Reads of citizen actions, filtered by what a user may see."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)

from palabre.accounts.models import Role
from palabre.accounts.permissions import has_role, is_signed_in, is_staff_member
from palabre.contributions.models import Contribution
from palabre.contributions.models import Status as ContributionStatus
from palabre.initiatives.models import (
    CITY_NEEDS,
    Initiative,
    InitiativePhoto,
    Need,
    Playbook,
    Status,
    Task,
    Volunteer,
)
from palabre.links.queries import holding
from palabre.neighbourhoods.permissions import can_see_unpublished
from palabre.official_requests.models import Request
from palabre.workshops.models import Workshop


def visible_initiatives(user: Any) -> QuerySet[Initiative]:
    """Initiatives `user` may see: every one in a published neighbourhood (the story is public)."""
    queryset = Initiative.objects.select_related("neighbourhood", "playbook")
    if can_see_unpublished(user):
        return queryset
    return queryset.filter(neighbourhood__is_published=True)


def steerable_initiatives(user: Any) -> QuerySet[Initiative]:
    """Initiatives `user` steers (the same rule as `can_steer`): all of them for the service;
    those they lead; for a facilitator, also those they started and those of the neighbourhoods
    where they facilitate a workshop."""
    queryset = visible_initiatives(user)
    if is_staff_member(user):
        return queryset
    if not is_signed_in(user):
        return queryset.none()
    mine = Q(pk__in=Initiative.leads.through.objects.filter(user=user).values("initiative_id"))
    if has_role(user, Role.FACILITATOR):
        patch = Workshop.objects.filter(facilitators=user).values("neighbourhood_id")
        mine |= Q(created_by=user) | Q(neighbourhood__in=patch)
    return queryset.filter(mine)


def with_tasks(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """Initiatives with their tasks and who took them (a volunteer's page)."""
    return queryset.prefetch_related(
        Prefetch("tasks", queryset=Task.objects.select_related("owner"))
    )


def management_page(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """One initiative with everything its leads' page shows."""
    return with_tasks(queryset).prefetch_related(
        "volunteers",
        "leads",
        "needs__request",
        "photos",
        "expenses",
        Prefetch(
            "support_requests",
            queryset=Request.objects.select_related("department").order_by("pk"),
        ),
    )


def initiative_page(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """One initiative with everything its public page shows: the leads' page's, its story
    (status changes) and what residents said that started it."""
    return management_page(queryset).prefetch_related(
        "events",
        published_words(),
    )


UNDER_WAY = (Status.PREPARATION, Status.HAPPENING)


def showcase(user: Any, neighbourhood: Any = None) -> QuerySet[Initiative]:
    """Initiatives under way and done, newest first; `with_cards` loads what a card shows."""
    queryset = visible_initiatives(user).filter(status__in=(*UNDER_WAY, Status.DONE))
    if neighbourhood is not None:
        queryset = queryset.filter(neighbourhood=neighbourhood)
    return queryset.order_by("-starts_on", "-pk")


def published_words() -> Prefetch[str]:
    """What residents said that started an initiative, as far as it is published."""
    return Prefetch(
        "contributions", queryset=Contribution.objects.filter(status=ContributionStatus.PUBLISHED)
    )


def photos_in_order() -> Prefetch[str]:
    """An initiative's photos, in the order they were added."""
    return Prefetch("photos", queryset=InitiativePhoto.objects.order_by("pk"))


def with_cards(*pages: Page[Initiative]) -> None:
    """Load what the cards of these pages of initiatives show, in two queries for them all
    (a photo, what a resident said)."""
    initiatives = []
    for page in pages:
        page.object_list = list(page.object_list)
        initiatives += page.object_list
    prefetch_related_objects(
        initiatives,
        photos_in_order(),
        published_words(),
    )


def visible_photos(user: Any) -> QuerySet[InitiativePhoto]:
    """Photos of initiatives `user` may see (they are public with their story)."""
    return InitiativePhoto.objects.filter(initiative__in=visible_initiatives(user))


def volunteer_by_token(token: str) -> QuerySet[Volunteer]:
    """Return the volunteer whose active private link carries this secret."""
    return holding(Volunteer.objects.select_related("initiative__neighbourhood", "link"), token)


def playbook_list() -> QuerySet[Playbook]:
    """Every playbook with its number of steps, by title (the kinds' codes mean nothing to a
    reader)."""
    return Playbook.objects.annotate(step_count=Count("steps")).order_by("title")


def needing_city_support() -> QuerySet[Initiative]:
    """Actions under way that wait for the city, the oldest first: a need of the city's kinds
    neither met nor asked yet (in `open_city_needs`), or a budget requested and not yet
    granted."""
    open_needs = Need.objects.filter(kind__in=CITY_NEEDS, met_at__isnull=True, request__isnull=True)
    return (
        Initiative.objects.exclude(status__in=[Status.DONE, Status.ABANDONED])
        .filter(
            Q(Exists(open_needs.filter(initiative=OuterRef("pk"))))
            | Q(budget_requested__gt=0, budget_granted__isnull=True)
        )
        .select_related("neighbourhood")
        .prefetch_related(
            Prefetch("needs", queryset=open_needs.order_by("pk"), to_attr="open_city_needs")
        )
        .order_by("pk")
    )
