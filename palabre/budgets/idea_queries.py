"""Reads of the ideas of participatory budgets and of the projects they became, filtered by
what a user may see."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from palabre.budgets.idea_permissions import can_bring_ideas, is_before_vote, is_taking_ideas
from palabre.budgets.models import Envelope, Event, EventKind, Idea, IdeaStatus, Process, Project
from palabre.budgets.permissions import can_run_budgets
from palabre.budgets.queries import visible_envelopes, visible_processes
from palabre.neighbourhoods.models import Neighbourhood
from palabre.official_requests.models import Department, Request


def visible_ideas(user: Any, process: Process) -> QuerySet[Idea]:
    """The ideas of `process` `user` may see: all of them in published neighbourhoods and for
    the whole city; the service sees every one."""
    queryset = Idea.objects.filter(process=process).select_related(
        "neighbourhood", "merged_into", "review"
    )
    if can_run_budgets(user):
        return queryset
    return queryset.filter(Q(neighbourhood__isnull=True) | Q(neighbourhood__is_published=True))


def idea_page(user: Any, process: Process, pk: int) -> Idea | None:
    """One visible idea with where it came from, its review, the ideas merged into it and the
    projects it became (with their follow-up), or None."""
    return (
        visible_ideas(user, process)
        .select_related(
            "contribution",
            "initiative__neighbourhood",
            "review__department",
            "review__official",
        )
        .prefetch_related(
            Prefetch("merged", queryset=Idea.objects.order_by("pk")),
            Prefetch(
                "projects",
                queryset=Project.objects.select_related("envelope__neighbourhood", "follow_up"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def status_counts(ideas: QuerySet[Idea]) -> list[tuple[Any, int]]:
    """How many ideas are in each status, in the order of their life (statuses with none left
    out)."""
    counts = Counter(ideas.order_by().values_list("status", flat=True))
    return [(status.label, counts[status]) for status in IdeaStatus if counts[status]]


def feasible_ideas(process: Process) -> QuerySet[Idea]:
    """The ideas of `process` found feasible, the ones projects are made of."""
    return (
        Idea.objects.filter(process=process, status=IdeaStatus.FEASIBLE)
        .select_related("neighbourhood")
        .order_by("title", "pk")
    )


def merge_targets(idea: Idea) -> QuerySet[Idea]:
    """The ideas `idea` may be merged into: the others of its process not merged themselves."""
    return (
        Idea.objects.filter(process_id=idea.process_id)
        .exclude(pk=idea.pk)
        .exclude(status=IdeaStatus.MERGED)
        .order_by("title", "pk")
    )


def departments() -> QuerySet[Department]:
    """The city's departments, by name."""
    return Department.objects.order_by("name")


def places() -> QuerySet[Neighbourhood]:
    """The published neighbourhoods, where a city-wide idea or project may be done."""
    return Neighbourhood.objects.filter(is_published=True).order_by("position", "name")


def projects_with_origins(user: Any, process: Process) -> QuerySet[Envelope]:
    """The envelopes of `process` `user` may see, each with its projects, the ideas they came
    from and the request that follows them once funded."""
    projects = Project.objects.select_related("follow_up").prefetch_related(
        Prefetch("ideas", queryset=Idea.objects.order_by("pk"))
    )
    return (
        visible_envelopes(user, process)
        .prefetch_related(None)
        .prefetch_related(Prefetch("projects", queryset=projects.order_by("position", "pk")))
    )


def idea_places(user: Any, process: Process) -> QuerySet[Envelope]:
    """The envelopes of `process` an idea may be for (their neighbourhoods, or the whole
    city), without their projects."""
    return visible_envelopes(user, process).prefetch_related(None)


def project_history(process: Process) -> QuerySet[Event]:
    """The public story of the projects: ideas merged, projects made of ideas."""
    return process.events.filter(kind__in=[EventKind.IDEAS_MERGED, EventKind.PROJECT_MADE])


def ideas_of(user: Any, **where: Any) -> list[Idea]:
    """The ideas of visible processes made from a contribution, or asked by a citizen action
    (`contribution=` or `initiative=`), with their process."""
    return list(
        Idea.objects.filter(process__in=visible_processes(user), **where)
        .select_related("process")
        .order_by("pk")
    )


def reviews_and_follow_ups(user: Any, request: Request) -> tuple[list[Idea], list[Project]]:
    """The ideas of visible processes a request checks, and the projects it follows."""
    processes = visible_processes(user)
    ideas = list(
        Idea.objects.filter(review=request, process__in=processes)
        .select_related("process")
        .order_by("pk")
    )
    projects = list(
        Project.objects.filter(follow_up=request, envelope__process__in=processes)
        .select_related("envelope__process")
        .order_by("pk")
    )
    return ideas, projects


def processes_taking_ideas(user: Any, *, before_vote: bool = False) -> list[Process]:
    """The visible processes residents propose ideas to now, or (`before_vote`) those to which
    ideas may still be brought (from a workshop, on paper) by facilitators and the service;
    none for anyone else then."""
    if before_vote and not can_bring_ideas(user):
        return []
    now = timezone.now()
    today = timezone.localdate(now)
    found = visible_processes(user).filter(published_at__isnull=True, closed_at__isnull=True)
    if before_vote:
        return [process for process in found if is_before_vote(process, now)]
    found = found.filter(ideas_from__lte=today, ideas_until__gte=today)
    return [process for process in found if is_taking_ideas(process, now)]
