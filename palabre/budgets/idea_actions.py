"""Writes on the ideas of a participatory budget (issue 18, items 2, 3 and 7): ideas from every
door, duplicates merged, each idea checked by a city department through a request to
officials (its routing, deadlines, reminders and public page), feasible ideas turned into
projects, and the funded projects followed to completion through a request too (ADR 0068,
"Ideas and feasibility review")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from palabre.accounts.models import User
from palabre.accounts.permissions import is_signed_in
from palabre.budgets import actions
from palabre.budgets.actions import Refused, money
from palabre.budgets.idea_permissions import (
    can_ask_funding,
    can_bring_ideas,
    can_estimate,
    is_before_vote,
    is_taking_ideas,
)
from palabre.budgets.models import (
    Envelope,
    Event,
    EventKind,
    Idea,
    IdeaSource,
    IdeaStatus,
    Process,
    Project,
)
from palabre.budgets.permissions import can_run_budgets
from palabre.contributions.models import Contribution
from palabre.contributions.models import Source as ContributionSource
from palabre.contributions.models import Status as ContributionStatus
from palabre.initiatives.models import Initiative
from palabre.initiatives.models import Status as InitiativeStatus
from palabre.neighbourhoods.models import Neighbourhood
from palabre.official_requests import actions as request_actions
from palabre.official_requests.actions import RequestError
from palabre.official_requests.models import AnswerKind, Department, Request
from palabre.official_requests.permissions import can_answer

# Where an idea from a contribution says it came from.
FROM_CONTRIBUTION = {
    ContributionSource.WORKSHOP: IdeaSource.WORKSHOP,
    ContributionSource.ONLINE: IdeaSource.ONLINE,
    ContributionSource.PAPER: IdeaSource.PAPER,
}
TITLE_LENGTH = 200  # Request.title, Project.title


class _AlreadyDone(Exception):
    """Someone else linked the request first: the transaction that made a second one rolls
    back."""


def _require_coordinator(by: Any) -> None:
    if not can_run_budgets(by):
        raise PermissionDenied


def _log(process: Process, kind: EventKind, by: Any, detail: str) -> None:
    Event.objects.create(process=process, kind=kind, by=by, detail=detail[:300])


def _fresh(process: Process) -> Process:
    """The process as it is now (its phase may have moved since the page was loaded)."""
    return Process.objects.get(pk=process.pk)


def _texts(title: str, description: str) -> tuple[str, str]:
    title, description = title.strip(), description.strip()
    if not title:
        raise Refused(_("Give the idea a title."))
    if not description:
        raise Refused(_("Say what is proposed and where, so that the city can check it."))
    return title, description


def _not_taking_ideas(process: Process, now: datetime) -> Refused:
    if timezone.localdate(now) < process.ideas_from:
        return Refused(
            _("Ideas are collected from %(date)s.")
            % {"date": date_format(process.ideas_from, "DATE_FORMAT")}
        )
    return Refused(
        _("Ideas were collected until %(date)s: the city's departments are checking them now.")
        % {"date": date_format(process.ideas_until, "DATE_FORMAT")}
    )


def _require_before_vote(process: Process, now: datetime) -> None:
    if not is_before_vote(process, now):
        raise Refused(_("The vote has begun: the ideas can no longer change."))


def _place(process: Process, neighbourhood: Neighbourhood | None) -> Neighbourhood | None:
    """Check that the process has money where the idea is for (None: the whole city)."""
    places = set(Envelope.objects.filter(process=process).values_list("neighbourhood", flat=True))
    if (neighbourhood.pk if neighbourhood else None) not in places:
        raise Refused(_("This budget has no money for that place: choose one of its envelopes."))
    return neighbourhood


def _nearest_place(process: Process, neighbourhood: Neighbourhood) -> Neighbourhood | None:
    """The neighbourhood's envelope if the process has one there, else the whole city's."""
    places = set(Envelope.objects.filter(process=process).values_list("neighbourhood", flat=True))
    if neighbourhood.pk in places:
        return neighbourhood
    if None in places:
        return None
    raise Refused(_("This budget has no money for %(place)s.") % {"place": neighbourhood.name})


def _create(*, process: Process, key: str, **fields: Any) -> Idea:
    """A new idea; the same `key` (the same form, contribution or citizen action) finds the
    one made the first time (a unique constraint decides, not a read before the write)."""
    if not key:
        raise Refused(_("This form was already used: reload the page."))
    try:
        with transaction.atomic():
            return Idea.objects.create(process=process, key=key, **fields)
    except IntegrityError:
        found = Idea.objects.filter(process=process, key=key).first()
        if found is None:
            raise
        return found


def _person(by: Any) -> User | None:
    return by if is_signed_in(by) else None


# Ideas from every door ------------------------------------------------------------------------


def propose_idea(
    *,
    by: Any,
    process: Process,
    title: str,
    description: str,
    neighbourhood: Neighbourhood | None,
    key: str,
    now: datetime | None = None,
) -> Idea:
    """Propose an idea online while the process takes ideas, signed in or not; the same form
    sent twice proposes one idea."""
    now = now or timezone.now()
    process = _fresh(process)
    if not process.is_published:
        raise PermissionDenied
    if not is_taking_ideas(process, now):
        raise _not_taking_ideas(process, now)
    title, description = _texts(title, description)
    return _create(
        process=process,
        key=key,
        source=IdeaSource.ONLINE,
        title=title,
        description=description,
        neighbourhood=_place(process, neighbourhood),
        author=_person(by),
        created_by=_person(by),
    )


def transcribe_paper_idea(
    *,
    by: Any,
    process: Process,
    title: str,
    description: str,
    neighbourhood: Neighbourhood | None,
    key: str,
    now: datetime | None = None,
) -> Idea:
    """Type in an idea written on a paper form (facilitators and the service), until the vote;
    the same form sent twice types it once."""
    if not can_bring_ideas(by):
        raise PermissionDenied
    process = _fresh(process)
    _require_before_vote(process, now or timezone.now())
    title, description = _texts(title, description)
    return _create(
        process=process,
        key=key,
        source=IdeaSource.PAPER,
        title=title,
        description=description,
        neighbourhood=_place(process, neighbourhood),
        created_by=by,
    )


def idea_from_contribution(
    *,
    by: Any,
    process: Process,
    contribution: Contribution,
    title: str,
    description: str = "",
    now: datetime | None = None,
) -> Idea:
    """Make an idea of what a resident said (a published contribution), until the vote: the
    idea shows the contribution and the contribution's page the idea. One idea per
    contribution and process: asking twice finds the first."""
    if not can_bring_ideas(by):
        raise PermissionDenied
    process = _fresh(process)
    _require_before_vote(process, now or timezone.now())
    if contribution.status != ContributionStatus.PUBLISHED:
        raise Refused(_("Only a published contribution becomes an idea."))
    title, description = _texts(title, description or contribution.public_text)
    return _create(
        process=process,
        key=f"contribution-{contribution.pk}",
        source=FROM_CONTRIBUTION.get(ContributionSource(contribution.source), IdeaSource.WORKSHOP),
        title=title,
        description=description,
        neighbourhood=_nearest_place(process, contribution.neighbourhood),
        contribution=contribution,
        created_by=by,
    )


def ask_funding(
    *,
    by: Any,
    process: Process,
    initiative: Initiative,
    title: str,
    description: str,
    now: datetime | None = None,
) -> Idea:
    """Whoever steers a citizen action asks the participatory budget to fund it, while the
    process takes ideas: it is checked and voted on like every idea. One request per action
    and process: asking twice finds the first."""
    if not can_ask_funding(by, initiative):
        raise PermissionDenied
    now = now or timezone.now()
    process = _fresh(process)
    if not process.is_published:
        raise PermissionDenied
    if not is_taking_ideas(process, now):
        raise _not_taking_ideas(process, now)
    if initiative.status in (InitiativeStatus.DONE, InitiativeStatus.ABANDONED):
        raise Refused(_("This citizen action is over: it no longer asks for funding."))
    title, description = _texts(title, description)
    return _create(
        process=process,
        key=f"initiative-{initiative.pk}",
        source=IdeaSource.CITIZEN_ACTION,
        title=title,
        description=description,
        neighbourhood=_nearest_place(process, initiative.neighbourhood),
        initiative=initiative,
        author=_person(by),
        created_by=_person(by),
    )


def merge_ideas(*, by: Any, duplicate: Idea, keep: Idea, now: datetime | None = None) -> Idea:
    """Merge a duplicate into the idea kept (the coordinator), until the vote: it shows which
    idea it joined, and the ideas merged into it move along; logged in the public history.
    Merging twice changes nothing."""
    _require_coordinator(by)
    if duplicate.pk == keep.pk:
        raise Refused(_("An idea cannot be merged with itself."))
    if duplicate.process_id != keep.process_id:
        raise Refused(_("Both ideas must belong to the same budget."))
    with transaction.atomic():
        # One merge of a process at a time: two crossed merges (A into B, B into A) cannot
        # both pass and leave a loop.
        process = Process.objects.select_for_update().get(pk=keep.process_id)
        _require_before_vote(process, now or timezone.now())
        rows = Idea.objects.in_bulk([duplicate.pk, keep.pk])
        merged, kept = rows[duplicate.pk], rows[keep.pk]
        if merged.merged_into_id == kept.pk:
            return kept
        if merged.status == IdeaStatus.MERGED:
            raise Refused(_("This idea was already merged with another one."))
        if kept.status == IdeaStatus.MERGED:
            raise Refused(
                _("That idea was itself merged with another one: merge into that one instead.")
            )
        if merged.projects.exists():
            raise Refused(_("This idea already became a project: it can no longer be merged."))
        Idea.objects.filter(merged_into=merged).update(merged_into=kept)
        Idea.objects.filter(pk=merged.pk).update(status=IdeaStatus.MERGED, merged_into=kept)
        _log(process, EventKind.IDEAS_MERGED, by, f"{merged.title} → {kept.title}")
    duplicate.status, duplicate.merged_into = IdeaStatus.MERGED, kept
    return kept


# The feasibility review -------------------------------------------------------------------------


def _idea_url(idea: Idea) -> str:
    return settings.SITE_URL + reverse("budgets:idea", args=[idea.process.slug, idea.pk])


def _evidence(contributions: Iterable[Contribution | None], place: Neighbourhood) -> list[Any]:
    """What residents said, for a request in `place` (a request rests on its own
    neighbourhood's contributions only)."""
    return [
        c
        for c in contributions
        if c is not None
        and c.neighbourhood_id == place.pk
        and c.status == ContributionStatus.PUBLISHED
    ]


def send_for_review(
    *,
    by: Any,
    idea: Idea,
    department: Department,
    neighbourhood: Neighbourhood | None = None,
    now: datetime | None = None,
) -> Request:
    """Send an idea to the competent department (the coordinator), until the vote: a request
    to officials, with its deadlines, reminders and public page, asking whether it is
    feasible and at what cost. A city-wide idea says in which neighbourhood it would be done
    (`neighbourhood`). Sending twice finds the first request."""
    _require_coordinator(by)
    idea = Idea.objects.select_related("process", "neighbourhood", "contribution").get(pk=idea.pk)
    if idea.review_id is not None:
        return Request.objects.get(pk=idea.review_id)
    if idea.status == IdeaStatus.MERGED:
        raise Refused(_("This idea was merged with another one: send that one instead."))
    _require_before_vote(idea.process, now or timezone.now())
    place = idea.neighbourhood or neighbourhood
    if place is None:
        raise Refused(
            _("Say in which neighbourhood it would be done: the department's request needs one.")
        )
    asked = _(
        "Is this idea feasible, and at what cost? Give your answer on the idea's page, %(url)s: "
        "feasible with a cost estimate, or not feasible with the reasons residents will read."
    ) % {"url": _idea_url(idea)}
    why = _(
        "An idea for the participatory budget “%(process)s” (%(source)s). The feasibility "
        "review ends on %(date)s."
    ) % {
        "process": idea.process.title,
        "source": IdeaSource(idea.source).label.lower(),
        "date": date_format(idea.process.review_until, "DATE_FORMAT"),
    }
    try:
        with transaction.atomic():
            request = request_actions.draft_request(
                by=by,
                neighbourhood=place,
                title=(_("Feasibility: %(title)s") % {"title": idea.title})[:TITLE_LENGTH],
                asked=f"{asked}\n\n{idea.title}\n\n{idea.description}",
                why=why,
                contributions=_evidence([idea.contribution], place),
            )
            request_actions.send_request(by=by, request=request, department=department)
            linked = (
                Idea.objects.filter(pk=idea.pk, review__isnull=True)
                .exclude(status=IdeaStatus.MERGED)
                .update(review=request, status=IdeaStatus.IN_REVIEW)
            )
            if not linked:
                raise _AlreadyDone
    except _AlreadyDone:
        found = Idea.objects.get(pk=idea.pk)
        if found.review_id is None:
            raise Refused(
                _("This idea was merged with another one: send that one instead.")
            ) from None
        return Request.objects.get(pk=found.review_id)
    except RequestError as error:
        raise Refused(str(error)) from None
    return request


def record_estimate(
    *,
    by: Any,
    idea: Idea,
    feasible: bool,
    cost_estimate: int | None = None,
    reasons: str = "",
    received_via: str = "",
) -> Idea:
    """Say whether the idea is feasible: with a cost estimate, or not, with the reasons shown
    to everyone. Written by whoever answers the idea's request (the department's members, the
    official it was passed on to) or by the service recording the department's answer given
    outside Palabre (`received_via`); either way it is also the request's public answer, so
    its deadlines and reminders end there. It can be revised until the idea is a project."""
    idea = Idea.objects.select_related("review__department", "review__official").get(pk=idea.pk)
    if not can_estimate(by, idea):
        raise PermissionDenied
    assert idea.review is not None  # can_estimate says so
    if idea.status not in (IdeaStatus.IN_REVIEW, IdeaStatus.FEASIBLE, IdeaStatus.NOT_FEASIBLE):
        raise Refused(_("This idea was merged with another one: its review is that idea's."))
    if idea.projects.exists():
        raise Refused(_("This idea already became a project: change the project's cost instead."))
    reasons = reasons.strip()
    if feasible:
        if not cost_estimate or cost_estimate < 1:
            raise Refused(_("Give the estimated cost in euros."))
        text = _("Feasible. Estimated cost: %(cost)s.") % {"cost": money(cost_estimate)}
        reasons = ""
    else:
        if not reasons:
            raise Refused(_("Say why it is not feasible: residents read the reasons."))
        text = _("Not feasible. %(reasons)s") % {"reasons": reasons}
        cost_estimate = None
    request = idea.review
    kind = AnswerKind.ACCEPTED if feasible else AnswerKind.REFUSED
    try:
        with transaction.atomic():
            if can_answer(by, request):
                request_actions.answer(
                    by=by,
                    request=request,
                    kind=kind,
                    text=text,
                    version=request.version,
                    what_changed=_("a new feasibility estimate") if request.answered_at else "",
                )
            else:
                request_actions.record_answer(
                    by=by,
                    request=request,
                    kind=kind,
                    text=text,
                    version=request.version,
                    received_via=received_via,
                )
            changed = Idea.objects.filter(
                pk=idea.pk,
                status__in=[IdeaStatus.IN_REVIEW, IdeaStatus.FEASIBLE, IdeaStatus.NOT_FEASIBLE],
            ).update(
                status=IdeaStatus.FEASIBLE if feasible else IdeaStatus.NOT_FEASIBLE,
                cost_estimate=cost_estimate,
                reasons=reasons,
            )
            if not changed:
                raise Refused(
                    _("This idea was merged with another one: its review is that idea's.")
                )
    except RequestError as error:
        raise Refused(str(error)) from None
    idea.refresh_from_db()
    return idea


# Projects ---------------------------------------------------------------------------------------


def _feasible(process: Process, ideas: Iterable[Idea]) -> list[Idea]:
    wanted = sorted({idea.pk for idea in ideas})
    if not wanted:
        raise Refused(_("Choose the ideas the project comes from."))
    found = list(Idea.objects.filter(process=process, pk__in=wanted).order_by("pk"))
    if len(found) != len(wanted):
        raise Refused(_("An idea you chose is not an idea of this budget."))
    for idea in found:
        if idea.status != IdeaStatus.FEASIBLE:
            raise Refused(
                _("Only ideas found feasible become projects: “%(title)s” is not.")
                % {"title": idea.title}
            )
    return found


def _story(title: str, cost: int, ideas: list[Idea]) -> str:
    return f"{title} ({money(cost)}) ← " + " · ".join(idea.title for idea in ideas)


def make_project(
    *,
    by: Any,
    process: Process,
    ideas: Iterable[Idea],
    envelope: Envelope,
    title: str,
    summary: str = "",
    cost: int | None = None,
) -> Project:
    """Turn one or several feasible ideas into a project on an envelope's ballot (the
    coordinator): merged ideas make one project, and one idea may feed several (split). The
    cost is the sum of the estimates unless adjusted. Refused once the rules are frozen, like
    every new project; logged in the public history. The same form sent twice makes one
    project."""
    _require_coordinator(by)
    if envelope.process_id != process.pk:
        raise Refused(_("This envelope belongs to another budget."))
    title, summary = title.strip(), summary.strip()
    if not title:
        raise Refused(_("Give the project a title."))
    with transaction.atomic():
        # Projects of a process are made one at a time, and a freeze waits for this one.
        locked = Process.objects.select_for_update().get(pk=process.pk)
        if locked.rules_frozen_at is not None:
            raise Refused(_("The ballot is frozen: projects can no longer be added."))
        found = _feasible(locked, ideas)
        total = cost if cost is not None else sum(idea.cost_estimate or 0 for idea in found)
        if total < 1:
            raise Refused(_("Give the project's cost in euros."))
        wanted = [idea.pk for idea in found]
        for existing in Project.objects.filter(envelope=envelope, title=title).prefetch_related(
            "ideas"
        ):
            if sorted(idea.pk for idea in existing.ideas.all()) == wanted:
                return existing  # the same form sent twice
        project = actions.add_project(
            by=by,
            envelope=envelope,
            title=title,
            cost=total,
            summary=summary,
            position=envelope.projects.count(),
        )
        project.ideas.set(found)
        _log(locked, EventKind.PROJECT_MADE, by, _story(title, total, found))
    return project


def record_origin(*, by: Any, project: Project, ideas: Iterable[Idea]) -> None:
    """Say which feasible ideas a project already on the ballot came from (one put there by
    hand or imported before ideas were kept): only its story changes, never what voters
    choose, so it is allowed at any time; logged in the public history."""
    _require_coordinator(by)
    process = Process.objects.get(envelopes=project.envelope_id)
    found = _feasible(process, ideas)
    with transaction.atomic():
        project.ideas.add(*found)
        _log(process, EventKind.PROJECT_MADE, by, _story(project.title, project.cost, found))


# Implementation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Followed:
    """Funded projects now followed through a request, and those whose department is not
    known (no idea of theirs was reviewed by one): the coordinator chooses it
    (`follow_project`)."""

    followed: list[Project]
    unrouted: list[Project]


def funded_projects(process: Process) -> list[Project]:
    """The projects the published results funded, envelope after envelope."""
    funded: list[int] = []
    for result in process.envelopes.values_list("result", flat=True):
        funded += [int(pk) for pk in (result or {}).get("winners", [])]
    return list(
        Project.objects.filter(pk__in=funded)
        .select_related("envelope__neighbourhood", "follow_up")
        .order_by("envelope", "position", "pk")
    )


def _reviewer(project: Project) -> tuple[Department | None, User | None, Neighbourhood | None]:
    """Who checked the project's ideas, and where: its follow-up goes to them."""
    for idea in project.ideas.select_related(
        "review__department",
        "review__official",
        "review__answer_from_department",
        "review__answer_from_official",
        "review__neighbourhood",
    ).order_by("pk"):
        review = idea.review
        if review is None:
            continue
        department = review.answer_from_department or review.department
        official = None if department else (review.answer_from_official or review.official)
        if department or official:
            return department, official, review.neighbourhood
    return None, None, None


def follow_funded_projects(*, by: Any, process: Process) -> Followed:
    """Once the results are published (the coordinator), send each funded project to the
    department that checked its ideas, as a request to carry it out: its answer, progress
    updates with photos and completion go through the requests' follow-up, on its public
    page. Projects already followed are left as they are; running it twice changes nothing."""
    _require_coordinator(by)
    process = _fresh(process)
    if process.published_at is None:
        raise Refused(_("The results are not published yet: only funded projects are followed."))
    followed, unrouted = [], []
    for project in funded_projects(process):
        if project.follow_up_id is not None:
            continue
        department, official, _where = _reviewer(project)
        if department is None and official is None:
            unrouted.append(project)
            continue
        follow_project(by=by, project=project, department=department, official=official)
        followed.append(project)
    return Followed(followed, unrouted)


def follow_project(
    *,
    by: Any,
    project: Project,
    department: Department | None = None,
    official: User | None = None,
    neighbourhood: Neighbourhood | None = None,
) -> Request:
    """Send one funded project to the department (or official) that carries it out, as a
    request followed like every other: deadlines, reminders, answer, progress updates with
    photos, done. A city-wide project takes the neighbourhood where its ideas were checked,
    or `neighbourhood`. Following twice finds the first request."""
    _require_coordinator(by)
    project = Project.objects.select_related("envelope__process", "envelope__neighbourhood").get(
        pk=project.pk
    )
    if project.follow_up_id is not None:
        return Request.objects.get(pk=project.follow_up_id)
    envelope = project.envelope
    process = envelope.process
    if process.published_at is None or str(project.pk) not in (envelope.result or {}).get(
        "winners", []
    ):
        raise Refused(_("Only a funded project is followed, once the results are published."))
    _department, _official, checked_in = _reviewer(project)
    place = envelope.neighbourhood or neighbourhood or checked_in
    if place is None:
        raise Refused(
            _("Say in which neighbourhood it is done: the department's request needs one.")
        )
    ideas = list(project.ideas.select_related("contribution").order_by("pk"))
    asked = _(
        "Carry out this project, funded by the residents' vote: %(title)s (%(cost)s). Post its "
        "progress on this request (the work started, photos, done): residents follow it here."
    ) % {"title": project.title, "cost": money(project.cost)}
    why = _("Funded by the participatory budget “%(process)s” (results published on %(date)s).") % {
        "process": process.title,
        "date": date_format(timezone.localdate(process.published_at), "DATE_FORMAT"),
    }
    try:
        with transaction.atomic():
            request = request_actions.draft_request(
                by=by,
                neighbourhood=place,
                title=(_("Funded project: %(title)s") % {"title": project.title})[:TITLE_LENGTH],
                asked=f"{asked}\n\n{project.summary}".strip(),
                why=why,
                contributions=_evidence((idea.contribution for idea in ideas), place),
            )
            request_actions.send_request(
                by=by, request=request, department=department, official=official
            )
            if not Project.objects.filter(pk=project.pk, follow_up__isnull=True).update(
                follow_up=request
            ):
                raise _AlreadyDone
    except _AlreadyDone:
        return Request.objects.get(budget_projects=project)
    except RequestError as error:
        raise Refused(str(error)) from None
    return request
