"""Reads of citizen actions, filtered by what a user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from palabre.contributions.models import Contribution
from palabre.contributions.models import Status as ContributionStatus
from palabre.initiatives.models import Initiative, Task, Volunteer
from palabre.neighbourhoods.permissions import can_see_unpublished


def visible_initiatives(user: Any) -> QuerySet[Initiative]:
    """Initiatives `user` may see: every one in a published neighbourhood (the story is public)."""
    queryset = Initiative.objects.select_related("neighbourhood", "playbook")
    if can_see_unpublished(user):
        return queryset
    return queryset.filter(neighbourhood__is_published=True)


def initiative_page(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """One initiative with its tasks, story, volunteers' count and published origins."""
    return queryset.prefetch_related(
        Prefetch("tasks", queryset=Task.objects.select_related("owner")),
        "events",
        "volunteers",
        "leads",
        Prefetch(
            "contributions",
            queryset=Contribution.objects.filter(status=ContributionStatus.PUBLISHED),
        ),
    )


def volunteer_by_token(token: str) -> QuerySet[Volunteer]:
    return Volunteer.objects.select_related("initiative__neighbourhood").filter(token=token or None)
