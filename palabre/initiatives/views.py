from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from palabre.core.shortcuts import render_page
from palabre.initiatives import actions, queries
from palabre.initiatives.forms import SignUpForm
from palabre.initiatives.models import Initiative
from palabre.initiatives.permissions import can_steer


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.initiative_page(queries.visible_initiatives(request.user)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return render_page(
        request,
        "initiatives/detail.html",
        {"initiative": found, "form": SignUpForm(), "can_steer": can_steer(request.user, found)},
    )


@require_POST
def sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = queries.visible_initiatives(request.user).get(pk=pk)
    except Initiative.DoesNotExist:
        raise Http404 from None
    form = SignUpForm(request.POST)
    if not request.user.is_authenticated and not form.is_valid():
        messages.error(request, _("Give a first name so that the leads know who you are."))
        return redirect("initiatives:detail", pk=pk)
    data = form.cleaned_data if form.is_valid() else {"name": "", "email": ""}
    try:
        done = actions.sign_up(by=request.user, initiative=found, **data)
    except actions.InitiativeError as error:
        messages.error(request, str(error))
        return redirect("initiatives:detail", pk=pk)
    if done.created:
        messages.success(request, _("Thank you, you are in! Pick a task if you like."))
    else:
        messages.info(request, _("You were already in: here are your tasks."))
    return redirect("initiatives:volunteer", token=done.volunteer.token)


@require_GET
def volunteer(request: HttpRequest, token: str) -> HttpResponse:
    # The private link is the permission: whoever holds it signed up.
    found = queries.volunteer_by_token(token).first()
    if found is None:
        raise Http404
    initiative = queries.initiative_page(Initiative.objects.filter(pk=found.initiative_id)).get()
    return render_page(
        request, "initiatives/volunteer.html", {"volunteer": found, "initiative": initiative}
    )


@require_POST
def take_task(request: HttpRequest, token: str, task: int) -> HttpResponse:
    found = queries.volunteer_by_token(token).first()
    if found is None:
        raise Http404
    picked = found.initiative.tasks.filter(pk=task).first()
    if picked is None:
        raise Http404
    try:
        actions.take_task(volunteer=found, task=picked)
    except actions.InitiativeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The task is yours."))
    return redirect("initiatives:volunteer", token=token)
