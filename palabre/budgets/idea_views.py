"""The pages of ideas: proposed from every door, merged, checked by a department, made into
projects, and the funded projects' follow-up (HTTP only: the rules are in idea_actions.py)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palabre.budgets import idea_actions, idea_queries, queries
from palabre.budgets.actions import Refused
from palabre.budgets.idea_forms import (
    FEASIBLE,
    NOT_FEASIBLE,
    ContributionIdeaForm,
    EstimateForm,
    FollowForm,
    FundingForm,
    IdeaForm,
    MergeForm,
    ProjectForm,
    ReviewForm,
)
from palabre.budgets.idea_permissions import (
    can_ask_funding,
    can_bring_ideas,
    can_estimate,
    is_before_vote,
    is_taking_ideas,
)
from palabre.budgets.models import Idea, IdeaStatus, Process, Project
from palabre.budgets.permissions import can_run_budgets
from palabre.contributions.queries import visible_contributions
from palabre.core.forms import ids
from palabre.core.shortcuts import render_page, require
from palabre.core.throttle import limit_anonymous_writes
from palabre.initiatives.queries import visible_initiatives
from palabre.official_requests.permissions import can_answer

IDEAS_PAGE = 30
REVIEWING = (IdeaStatus.IN_REVIEW, IdeaStatus.FEASIBLE, IdeaStatus.NOT_FEASIBLE)


def _process(request: HttpRequest, slug: str) -> Process:
    found = queries.visible_processes(request.user).filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def _idea(request: HttpRequest, process: Process, pk: int) -> Idea:
    found = idea_queries.idea_page(request.user, process, pk)
    if found is None:
        raise Http404
    found.process = process
    return found


def _new_key() -> str:
    return secrets.token_urlsafe(24)


def _idea_url(idea: Idea) -> str:
    return reverse("budgets:idea", args=[idea.process.slug, idea.pk])


# The list and one idea's page ------------------------------------------------------------------


@require_GET
def ideas(request: HttpRequest, slug: str) -> HttpResponse:
    found = _process(request, slug)
    now = timezone.now()
    visible = idea_queries.visible_ideas(request.user, found)
    page = Paginator(visible.order_by("-created_at", "-pk"), IDEAS_PAGE).get_page(
        request.GET.get("page")
    )
    return render_page(
        request,
        "budgets/ideas/list.html",
        {
            "process": found,
            "phase": found.phase(now),
            "page": page,
            "ideas": page.object_list,
            "counts": idea_queries.status_counts(visible),
            "taking_ideas": is_taking_ideas(found, now),
            "before_vote": is_before_vote(found, now),
            "can_bring": can_bring_ideas(request.user),
            "can_run": can_run_budgets(request.user),
        },
    )


def _idea_page(
    request: HttpRequest,
    process: Process,
    idea: Idea,
    *,
    merge: MergeForm | None = None,
    review: ReviewForm | None = None,
    estimate: EstimateForm | None = None,
) -> HttpResponse:
    user = request.user
    now = timezone.now()
    projects = list(idea.projects.all())
    can_run = can_run_budgets(user)
    open_to_change = is_before_vote(process, now) and idea.status != IdeaStatus.MERGED
    context: dict[str, Any] = {
        "process": process,
        "idea": idea,
        "projects": projects,
        "can_run": can_run,
        "can_make_project": can_run
        and idea.status == IdeaStatus.FEASIBLE
        and process.rules_frozen_at is None,
    }
    if can_run and open_to_change and idea.review_id is None:
        context["review_form"] = review or ReviewForm(
            departments=idea_queries.departments(),
            places=idea_queries.places(),
            city_wide=idea.neighbourhood_id is None,
        )
    if can_run and open_to_change and not projects:
        context["merge_form"] = merge or MergeForm(targets=idea_queries.merge_targets(idea))
    if idea.status in REVIEWING and not projects and can_estimate(user, idea):
        assert idea.review is not None
        context["estimate_form"] = estimate or EstimateForm(
            initial={
                "verdict": {
                    IdeaStatus.FEASIBLE: FEASIBLE,
                    IdeaStatus.NOT_FEASIBLE: NOT_FEASIBLE,
                }.get(IdeaStatus(idea.status)),
                "cost_estimate": idea.cost_estimate,
                "reasons": idea.reasons,
            },
            recording=not can_answer(user, idea.review),
        )
    failed = any(form is not None and form.errors for form in (merge, review, estimate))
    return render_page(request, "budgets/ideas/detail.html", context, status=400 if failed else 200)


@require_GET
def idea(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _process(request, slug)
    return _idea_page(request, found, _idea(request, found, pk))


# Ideas from every door -------------------------------------------------------------------------


def _entry_page(
    request: HttpRequest,
    process: Process,
    form: Any,
    *,
    heading: str,
    intro: str,
    button: str,
    is_open: bool,
    closed: str,
    **extra: Any,
) -> HttpResponse:
    return render_page(
        request,
        "budgets/ideas/form.html",
        {
            "process": process,
            "form": form,
            "heading": heading,
            "intro": intro,
            "button": button,
            "is_open": is_open,
            "closed": closed,
            **extra,
        },
        status=400 if form.is_bound else 200,
    )


def _bound(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _closed_for_ideas(process: Process) -> str:
    if timezone.localdate() < process.ideas_from:
        return _("Ideas are collected from %(date)s.") % {
            "date": date_format(process.ideas_from, "DATE_FORMAT")
        }
    return _("Ideas are no longer collected for this budget: see what became of them.")


def _typed_idea(
    request: HttpRequest, found: Process, write: Callable[..., Idea], done: str, **page: Any
) -> HttpResponse:
    """An idea typed in a form (online, or from a paper form): `write` records it."""
    form = IdeaForm(
        _bound(request),
        initial={"key": _new_key()},
        envelopes=idea_queries.idea_places(request.user, found),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = write(
                by=request.user,
                process=found,
                title=data["title"],
                description=data["description"],
                neighbourhood=form.neighbourhood(),
                key=data["key"],
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, done)
            return redirect(_idea_url(made))
    return _entry_page(request, found, form, **page)


@limit_anonymous_writes("budget-idea")
@require_http_methods(["GET", "POST"])
def propose_idea(request: HttpRequest, slug: str) -> HttpResponse:
    found = _process(request, slug)
    return _typed_idea(
        request,
        found,
        idea_actions.propose_idea,
        _(
            "Thank you: your idea is published. A city department will check whether it is "
            "feasible and what it would cost."
        ),
        heading=_("Propose an idea"),
        intro=_(
            "Anyone can propose an idea, with or without an account. A city department checks "
            "whether it is feasible and what it would cost; the feasible ideas become projects "
            "that residents vote for."
        ),
        button=_("Propose my idea"),
        is_open=is_taking_ideas(found, timezone.now()),
        closed=_closed_for_ideas(found),
    )


@require_http_methods(["GET", "POST"])
def paper_idea(request: HttpRequest, slug: str) -> HttpResponse:
    found = _process(request, slug)
    require(can_bring_ideas(request.user))
    return _typed_idea(
        request,
        found,
        idea_actions.transcribe_paper_idea,
        _("The idea written on paper is typed in."),
        heading=_("Type in an idea written on paper"),
        intro=_(
            "Type the idea as the resident wrote it on the form. It is checked and voted on "
            "like the ideas proposed online."
        ),
        button=_("Type in the idea"),
        is_open=is_before_vote(found, timezone.now()),
        closed=_("The vote has begun: the ideas can no longer change."),
    )


@require_http_methods(["GET", "POST"])
def idea_from_contribution(request: HttpRequest, slug: str, contribution: int) -> HttpResponse:
    found = _process(request, slug)
    said = visible_contributions(request.user).filter(pk=contribution).first()
    if said is None:
        raise Http404
    require(can_bring_ideas(request.user))
    form = ContributionIdeaForm(_bound(request), initial={"description": said.public_text})
    if form.is_valid():
        try:
            made = idea_actions.idea_from_contribution(
                by=request.user, process=found, contribution=said, **form.cleaned_data
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The contribution is an idea of this budget now."))
            return redirect(_idea_url(made))
    return _entry_page(
        request,
        found,
        form,
        heading=_("Make an idea of a contribution"),
        intro=_(
            "Give the idea a title and keep what the resident said, shortened or completed if "
            "needed. The idea shows the contribution, and the contribution the idea."
        ),
        button=_("Make it an idea"),
        is_open=is_before_vote(found, timezone.now()),
        closed=_("The vote has begun: the ideas can no longer change."),
        contribution=said,
        made=idea_queries.ideas_of(request.user, contribution=said, process=found),
    )


@require_http_methods(["GET", "POST"])
def ask_funding(request: HttpRequest, slug: str, initiative: int) -> HttpResponse:
    found = _process(request, slug)
    action = visible_initiatives(request.user).filter(pk=initiative).first()
    if action is None:
        raise Http404
    require(can_ask_funding(request.user, action))
    form = FundingForm(
        _bound(request), initial={"title": action.title, "description": action.description}
    )
    if form.is_valid():
        try:
            made = idea_actions.ask_funding(
                by=request.user, process=found, initiative=action, **form.cleaned_data
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _(
                    "Your request for funding is an idea of the budget now: a city department "
                    "checks it, then residents vote."
                ),
            )
            return redirect(_idea_url(made))
    return _entry_page(
        request,
        found,
        form,
        heading=_("Ask the participatory budget for funding"),
        intro=_(
            "Your citizen action becomes an idea of the budget: a city department checks what "
            "it would cost, and if it is feasible, residents vote for it like for every project."
        ),
        button=_("Ask for funding"),
        is_open=is_taking_ideas(found, timezone.now()),
        closed=_closed_for_ideas(found),
        initiative=action,
        made=idea_queries.ideas_of(request.user, initiative=action, process=found),
    )


# The coordinator and the departments, on an idea's page ----------------------------------------


@require_POST
def merge_idea(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _process(request, slug)
    duplicate = _idea(request, found, pk)
    require(can_run_budgets(request.user))
    form = MergeForm(request.POST, targets=idea_queries.merge_targets(duplicate))
    if form.is_valid():
        try:
            kept = idea_actions.merge_ideas(
                by=request.user, duplicate=duplicate, keep=form.cleaned_data["keep"]
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The ideas are merged."))
            kept.process = found
            return redirect(_idea_url(kept))
    return _idea_page(request, found, duplicate, merge=form)


@require_POST
def send_for_review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _process(request, slug)
    sent = _idea(request, found, pk)
    require(can_run_budgets(request.user))
    form = ReviewForm(
        request.POST,
        departments=idea_queries.departments(),
        places=idea_queries.places(),
        city_wide=sent.neighbourhood_id is None,
    )
    if form.is_valid():
        try:
            idea_actions.send_for_review(
                by=request.user,
                idea=sent,
                department=form.cleaned_data["department"],
                neighbourhood=form.cleaned_data.get("neighbourhood"),
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("The idea is sent to the department, with the deadlines of every request."),
            )
            return redirect(_idea_url(sent))
    return _idea_page(request, found, sent, review=form)


@require_POST
def record_estimate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _process(request, slug)
    checked = _idea(request, found, pk)
    require(can_estimate(request.user, checked))
    assert checked.review is not None
    form = EstimateForm(request.POST, recording=not can_answer(request.user, checked.review))
    if form.is_valid():
        data = form.cleaned_data
        try:
            idea_actions.record_estimate(
                by=request.user,
                idea=checked,
                feasible=data["verdict"] == FEASIBLE,
                cost_estimate=data["cost_estimate"],
                reasons=data["reasons"],
                received_via=data.get("received_via", ""),
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The feasibility review is saved and public."))
            return redirect(_idea_url(checked))
    return _idea_page(request, found, checked, estimate=form)


# Projects ------------------------------------------------------------------------------------


def _projects_page(
    request: HttpRequest, process: Process, *, failed: tuple[int, FollowForm] | None = None
) -> HttpResponse:
    can_run = can_run_budgets(request.user)
    envelopes = list(idea_queries.projects_with_origins(request.user, process))
    funded = (
        {p.pk for p in idea_actions.funded_projects(process)} if process.published_at else set()
    )
    follow_forms = {}
    if can_run and process.published_at:
        for envelope in envelopes:
            for project in envelope.projects.all():
                if project.pk in funded and project.follow_up_id is None:
                    follow_forms[project.pk] = FollowForm(
                        departments=idea_queries.departments(),
                        places=idea_queries.places(),
                        city_wide=envelope.neighbourhood_id is None,
                        prefix=f"project-{project.pk}",
                    )
        if failed is not None:
            follow_forms[failed[0]] = failed[1]
    return render_page(
        request,
        "budgets/ideas/projects.html",
        {
            "process": process,
            "envelopes": envelopes,
            "funded": funded,
            "follow_forms": follow_forms,
            "can_run": can_run,
            "can_make": can_run and process.rules_frozen_at is None,
            "history": idea_queries.project_history(process),
        },
        status=400 if failed else 200,
    )


@require_GET
def projects(request: HttpRequest, slug: str) -> HttpResponse:
    return _projects_page(request, _process(request, slug))


@require_http_methods(["GET", "POST"])
def make_project(request: HttpRequest, slug: str) -> HttpResponse:
    found = _process(request, slug)
    require(can_run_budgets(request.user))
    feasible = idea_queries.feasible_ideas(found)
    chosen = ids(request.GET.getlist("idea"))
    first = feasible.filter(pk__in=chosen).first() if chosen else None
    envelopes = idea_queries.idea_places(request.user, found)
    initial: dict[str, Any] = {"ideas": chosen}
    if first is not None:
        initial |= {"title": first.title, "summary": first.description[:1_000]}
        initial["envelope"] = envelopes.filter(neighbourhood=first.neighbourhood).first()
    form = ProjectForm(_bound(request), initial=initial, ideas=feasible, envelopes=envelopes)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = idea_actions.make_project(
                by=request.user,
                process=found,
                ideas=data["ideas"],
                envelope=data["envelope"],
                title=data["title"],
                summary=data["summary"],
                cost=data["cost"],
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("The project “%(title)s” is on the ballot.") % {"title": made.title},
            )
            return redirect(reverse("budgets:projects", args=[slug]) + f"#project-{made.pk}")
    return render_page(
        request,
        "budgets/ideas/make_project.html",
        {"process": found, "form": form, "frozen": found.rules_frozen_at is not None},
        status=400 if form.is_bound else 200,
    )


@require_POST
def follow_projects(request: HttpRequest, slug: str) -> HttpResponse:
    found = _process(request, slug)
    require(can_run_budgets(request.user))
    try:
        done = idea_actions.follow_funded_projects(by=request.user, process=found)
    except Refused as refused:
        messages.error(request, refused.message)
        return redirect("budgets:projects", slug=slug)
    messages.success(
        request,
        ngettext(
            "%(count)d funded project is sent to its department to be carried out.",
            "%(count)d funded projects are sent to their department to be carried out.",
            len(done.followed),
        )
        % {"count": len(done.followed)},
    )
    if done.unrouted:
        messages.warning(
            request,
            ngettext(
                "%(count)d funded project has no department yet: choose it below.",
                "%(count)d funded projects have no department yet: choose it below.",
                len(done.unrouted),
            )
            % {"count": len(done.unrouted)},
        )
    return redirect("budgets:projects", slug=slug)


@require_POST
def follow_project(request: HttpRequest, slug: str, project: int) -> HttpResponse:
    found = _process(request, slug)
    funded = Project.objects.filter(envelope__process=found, pk=project).select_related("envelope")
    chosen = funded.first()
    if chosen is None:
        raise Http404
    require(can_run_budgets(request.user))
    form = FollowForm(
        request.POST,
        departments=idea_queries.departments(),
        places=idea_queries.places(),
        city_wide=chosen.envelope.neighbourhood_id is None,
        prefix=f"project-{chosen.pk}",
    )
    if form.is_valid():
        try:
            idea_actions.follow_project(
                by=request.user,
                project=chosen,
                department=form.cleaned_data["department"],
                neighbourhood=form.cleaned_data.get("neighbourhood"),
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("“%(title)s” is sent to the department to be carried out.")
                % {"title": chosen.title},
            )
            return redirect(reverse("budgets:projects", args=[slug]) + f"#project-{chosen.pk}")
    return _projects_page(request, found, failed=(chosen.pk, form))
