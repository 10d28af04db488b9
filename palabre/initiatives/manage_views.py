"""The leads' page of a citizen action: status, tasks, volunteers, needs and the city's
support, budget and receipts, photos and the report. Each section posts its own form; an
invalid one comes back on the page with what was typed."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from palabre.core.shortcuts import png_response, render_page, require
from palabre.initiatives import actions, queries
from palabre.initiatives.forms import (
    AskCityForm,
    BudgetForm,
    DetailsForm,
    ExpenseForm,
    MoveForm,
    NeedForm,
    NewTaskForm,
    PhotoForm,
    ReportForm,
    TaskForm,
)
from palabre.initiatives.models import CITY_NEEDS, Initiative, Need, Status, Task
from palabre.initiatives.permissions import can_grant
from palabre.official_requests.models import Department

Forms = dict[str, Any]


def _steered(request: HttpRequest, pk: int) -> Initiative:
    """The initiative, if `request.user` steers it: one they may not steer is refused (403)
    when its public page is visible to them, and does not exist for them (404) otherwise."""
    user = request.user
    found = queries.management_page(queries.steerable_initiatives(user)).filter(pk=pk).first()
    if found is None:
        require(not queries.visible_initiatives(user).filter(pk=pk).exists())
        raise Http404
    return found


def _one[Item: Model](items: Iterable[Item], pk: int) -> Item:
    """The row `pk` among the initiative's prefetched `items`, or 404."""
    found = next((item for item in items if item.pk == pk), None)
    if found is None:
        raise Http404
    return found


def _targets(initiative: Initiative) -> list[tuple[str, str]]:
    return [(str(s), str(s.label)) for s in Status if s in actions.MOVES[initiative.status]]


def _page(request: HttpRequest, initiative: Initiative, bound: Forms | None = None) -> HttpResponse:
    bound = bound or {}
    volunteers = list(initiative.volunteers.all())
    departments = list(Department.objects.all())
    key = secrets.token_urlsafe(24)
    tasks = list(initiative.tasks.all())
    task_forms = [
        bound.get(f"task-{task.pk}") or TaskForm(task=task, volunteers=volunteers) for task in tasks
    ]
    asking = [t for t in tasks if t.permit and t.request_id is None] + [
        n for n in initiative.needs.all() if n.kind in CITY_NEEDS and n.request_id is None
    ]
    ask_forms = [
        bound.get(AskCityForm.prefix_for(item)) or AskCityForm(item=item, departments=departments)
        for item in asking
    ]
    context = {
        "initiative": initiative,
        "volunteers": volunteers,
        "lead_ids": {lead.pk for lead in initiative.leads.all()},
        "move_form": bound.get("move") or MoveForm(targets=_targets(initiative)),
        "details_form": bound.get("details")
        or DetailsForm(
            initial={
                "title": initiative.title,
                "description": initiative.description,
                "starts_on": initiative.starts_on,
            }
        ),
        "new_task_form": bound.get("task") or NewTaskForm(),
        "task_forms": task_forms,
        "need_form": bound.get("need") or NeedForm(),
        "ask_forms": ask_forms,
        "budget_form": bound.get("budget")
        or BudgetForm(
            may_grant=can_grant(request.user),
            initial={
                "requested": initiative.budget_requested,
                "granted": initiative.budget_granted,
            },
        ),
        "expense_form": bound.get("expense") or ExpenseForm(initial={"key": key}),
        "photo_form": bound.get("photo") or PhotoForm(initial={"key": key}),
        "report_form": bound.get("report") or ReportForm(initial={"report": initiative.report}),
        "spent": sum(expense.amount for expense in initiative.expenses.all()),
    }
    status = 400 if bound else 200
    return render_page(request, "initiatives/manage.html", context, status=status)


def _done(request: HttpRequest, initiative: Initiative, message: str, anchor: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"{initiative_url(initiative)}#{anchor}")


def initiative_url(initiative: Initiative) -> str:
    return reverse("initiatives:manage", args=[initiative.pk])


def _handle(
    request: HttpRequest,
    initiative: Initiative,
    name: str,
    form: Any,
    act: Callable[[], str],
    anchor: str,
    upload: str | None = None,
) -> HttpResponse:
    """Run `act` when `form` is valid; otherwise (or on a refused change) show the form again.
    An unreadable upload is reported on its field (`upload`)."""
    if form.is_valid():
        try:
            return _done(request, initiative, act(), anchor)
        except actions.InitiativeError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(upload, error)
    return _page(request, initiative, {name: form})


@require_GET
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _steered(request, pk))


@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _steered(request, pk)
    form = MoveForm(request.POST, targets=_targets(initiative))

    def act() -> str:
        actions.move(
            by=request.user,
            initiative=initiative,
            target=form.cleaned_data["target"],
            reason=form.cleaned_data["reason"],
        )
        return _("The status is changed.")

    return _handle(request, initiative, "move", form, act, "status")


@require_POST
def details(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _steered(request, pk)
    form = DetailsForm(request.POST)

    def act() -> str:
        actions.edit_details(by=request.user, initiative=initiative, **form.cleaned_data)
        return _("The details are saved.")

    return _handle(request, initiative, "details", form, act, "details")


@require_POST
def add_task(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _steered(request, pk)
    form = NewTaskForm(request.POST)

    def act() -> str:
        actions.add_task(by=request.user, initiative=initiative, **form.cleaned_data)
        return _("The task is added.")

    return _handle(request, initiative, "task", form, act, "tasks")


@require_POST
def update_task(request: HttpRequest, pk: int, task: int) -> HttpResponse:
    initiative = _steered(request, pk)
    found = _one(initiative.tasks.all(), task)
    form = TaskForm(request.POST, task=found, volunteers=list(initiative.volunteers.all()))

    def act() -> str:
        actions.update_task(
            by=request.user,
            task=found,
            owner=form.chosen_owner(),
            due_on=form.cleaned_data["due_on"],
            done=form.cleaned_data["done"],
        )
        return _("The task “%(title)s” is saved.") % {"title": found.title}

    return _handle(request, initiative, f"task-{found.pk}", form, act, "tasks")


@require_POST
def make_lead(request: HttpRequest, pk: int, volunteer: int) -> HttpResponse:
    initiative = _steered(request, pk)
    found = _one(initiative.volunteers.all(), volunteer)
    try:
        actions.make_lead(by=request.user, volunteer=found)
    except actions.InitiativeError as error:
        messages.error(request, str(error))
        return redirect(f"{initiative_url(initiative)}#people")
    return _done(
        request,
        initiative,
        _("%(name)s is also an organiser of the action.") % {"name": found.name},
        "people",
    )


@require_POST
def add_need(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _steered(request, pk)
    form = NeedForm(request.POST)

    def act() -> str:
        actions.add_need(by=request.user, initiative=initiative, **form.cleaned_data)
        return _("The need is listed.")

    return _handle(request, initiative, "need", form, act, "needs")


@require_POST
def need_met(request: HttpRequest, pk: int, need: int) -> HttpResponse:
    initiative = _steered(request, pk)
    found = _one(initiative.needs.all(), need)
    actions.mark_need_met(by=request.user, need=found)
    return _done(request, initiative, _("Marked as met."), "needs")


@require_POST
def ask_city(request: HttpRequest, pk: int, kind: str, item: int) -> HttpResponse:
    if kind not in ("task", "need"):
        raise Http404
    initiative = _steered(request, pk)
    items: list[Task | Need] = list(
        initiative.tasks.all() if kind == "task" else initiative.needs.all()
    )
    found = _one(items, item)
    form = AskCityForm(request.POST, item=found, departments=list(Department.objects.all()))

    def act() -> str:
        sent = actions.ask_city(
            by=request.user,
            initiative=initiative,
            department=form.chosen_department(),
            asked=form.cleaned_data["asked"],
            item=found,
        )
        return _("Sent to %(department)s; follow it under “The city's support”.") % {
            "department": sent.department
        }

    return _handle(request, initiative, AskCityForm.prefix_for(found), form, act, "city")


@require_POST
def budget(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _steered(request, pk)
    form = BudgetForm(request.POST, may_grant=can_grant(request.user))

    def act() -> str:
        actions.set_budget(
            by=request.user,
            initiative=initiative,
            requested=form.cleaned_data["requested"],
            granted=form.cleaned_data.get("granted", initiative.budget_granted),
        )
        return _("The budget is saved.")

    return _handle(request, initiative, "budget", form, act, "budget")


@require_POST
def add_expense(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _steered(request, pk)
    form = ExpenseForm(request.POST, request.FILES)

    def act() -> str:
        actions.add_expense(by=request.user, initiative=initiative, **form.cleaned_data)
        return _("The expense and its receipt are recorded.")

    return _handle(request, initiative, "expense", form, act, "budget", upload="receipt")


@require_GET
def receipt(request: HttpRequest, pk: int, expense: int) -> FileResponse:
    initiative = _steered(request, pk)
    found = _one(initiative.expenses.all(), expense)
    return png_response(found.receipt, cache="private, no-store")


@require_POST
def add_photo(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _steered(request, pk)
    form = PhotoForm(request.POST, request.FILES)

    def act() -> str:
        actions.add_photo(by=request.user, initiative=initiative, **form.cleaned_data)
        return _("The photo is added to the story.")

    return _handle(request, initiative, "photo", form, act, "photos", upload="image")


@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _steered(request, pk)
    form = ReportForm(request.POST)

    def act() -> str:
        actions.publish_report(
            by=request.user, initiative=initiative, text=form.cleaned_data["report"]
        )
        return _("The report is published.")

    return _handle(request, initiative, "report", form, act, "report")
