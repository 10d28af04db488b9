from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palabre.contributions.queries import visible_contributions
from palabre.core.forms import ids
from palabre.core.pagecache import fresh_key, public_page
from palabre.core.shortcuts import png_response, render_page, require
from palabre.core.throttle import limit_anonymous_writes
from palabre.initiatives import actions, queries
from palabre.initiatives.forms import SignUpForm, StartForm
from palabre.initiatives.models import Initiative, Playbook, Status, Task, Volunteer
from palabre.initiatives.permissions import can_start_initiative, can_steer
from palabre.links.views import link_gone
from palabre.neighbourhoods.queries import visible_neighbourhoods
from palabre.workshops.queries import visible_workshops

# The showcase's cards per page, in each of its two lists; the done list's page in the address.
SHOWCASE_PAGE = 12
DONE_PAGE = "realisees"


@public_page()
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk, SignUpForm(initial={"key": fresh_key(request)}))


def _detail_page(request: HttpRequest, pk: int, form: SignUpForm) -> HttpResponse:
    found = queries.initiative_page(queries.visible_initiatives(request.user)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return render_page(
        request,
        "initiatives/detail.html",
        {
            "initiative": found,
            "form": form,
            "can_steer": can_steer(request.user, found),
            "spent": sum(expense.amount for expense in found.expenses.all()),
            # Where it was proposed, if that workshop is visible to this reader.
            "workshop": found.workshop_id
            and visible_workshops(request.user).filter(pk=found.workshop_id).first(),
        },
        status=400 if form.is_bound else 200,
    )


@limit_anonymous_writes("volunteer")
@require_POST
def sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = queries.visible_initiatives(request.user).get(pk=pk)
    except Initiative.DoesNotExist:
        raise Http404 from None
    form = SignUpForm(request.POST)
    if not request.user.is_authenticated and not form.is_valid():
        # The page again, with the error summary and what was typed (ADR 0061).
        return _detail_page(request, pk, form)
    data = form.cleaned_data if form.is_valid() else {"key": request.POST.get("key", "")[:64]}
    try:
        done = actions.sign_up(by=request.user, initiative=found, **data)
    except actions.InitiativeError as error:
        messages.error(request, str(error))
        return redirect("initiatives:detail", pk=pk)
    if not done.mine:
        messages.info(
            request,
            _(
                "This address has already signed up for this action. We have sent the link to "
                "that sign-up to this address again."
            ),
        )
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
        return link_gone(request)
    initiative = queries.with_tasks(Initiative.objects.filter(pk=found.initiative_id)).get()
    return render_page(
        request, "initiatives/volunteer.html", {"volunteer": found, "initiative": initiative}
    )


def _volunteer_task(token: str, task: int) -> tuple[Volunteer, Task]:
    """The volunteer behind a private link and a task of their initiative, or 404."""
    found = queries.volunteer_by_token(token).first()
    if found is None:
        raise Http404
    picked = found.initiative.tasks.filter(pk=task).first()
    if picked is None:
        raise Http404
    return found, picked


@require_POST
def take_task(request: HttpRequest, token: str, task: int) -> HttpResponse:
    found, picked = _volunteer_task(token, task)
    try:
        actions.take_task(volunteer=found, task=picked)
    except actions.InitiativeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The task is yours."))
    return redirect("initiatives:volunteer", token=token)


@require_POST
def finish_task(request: HttpRequest, token: str, task: int) -> HttpResponse:
    found, picked = _volunteer_task(token, task)
    require(picked.owner_id == found.pk)  # a volunteer changes only their own tasks
    actions.finish_task(volunteer=found, task=picked)
    messages.success(request, _("Well done! The task is marked done."))
    return redirect("initiatives:volunteer", token=token)


@require_POST
def release_task(request: HttpRequest, token: str, task: int) -> HttpResponse:
    found, picked = _volunteer_task(token, task)
    require(picked.owner_id in (found.pk, None))  # giving it back twice is harmless
    actions.release_task(volunteer=found, task=picked)
    messages.info(request, _("The task is free again. The organisers can see that."))
    return redirect("initiatives:volunteer", token=token)


@public_page(query=("page", DONE_PAGE))
@require_GET
def showcase(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Citizen actions under way and done, each with its story (per neighbourhood or all), both
    lists page by page (`page` and `realisees` in the address)."""
    neighbourhood = None
    if slug is not None:
        neighbourhood = visible_neighbourhoods(request.user).filter(slug=slug).first()
        if neighbourhood is None:
            raise Http404
    found = queries.showcase(request.user, neighbourhood)
    under_way = Paginator(found.filter(status__in=queries.UNDER_WAY), SHOWCASE_PAGE).get_page(
        request.GET.get("page")
    )
    done = Paginator(found.filter(status=Status.DONE), SHOWCASE_PAGE).get_page(
        request.GET.get(DONE_PAGE)
    )
    queries.with_cards(under_way, done)
    return render_page(
        request,
        "initiatives/showcase.html",
        {
            "neighbourhood": neighbourhood,
            "under_way": under_way,
            "done": done,
            # Each list's page links keep the other list's page.
            "under_way_query": _keeping(request, DONE_PAGE),
            "done_query": _keeping(request, "page"),
        },
    )


def _keeping(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name, "")
    return urlencode({name: value}) if value.isdigit() else ""


@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    found = get_object_or_404(queries.visible_photos(request.user), pk=pk)
    return png_response(found.image, cache="public, max-age=3600")


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Turn what residents said into a citizen action, from a playbook (facilitators, service)."""
    require(can_start_initiative(request.user))
    chosen = list(
        visible_contributions(request.user).filter(pk__in=ids(request.GET.getlist("contribution")))
    )
    if not chosen:
        raise Http404  # an initiative starts from what someone said
    neighbourhood = chosen[0].neighbourhood
    form = StartForm(playbooks=Playbook.objects.all(), initial={"title": ""})
    if request.method == "POST":
        form = StartForm(request.POST, playbooks=Playbook.objects.all())
        if form.is_valid():
            try:
                made = actions.start_initiative(
                    by=request.user,
                    neighbourhood=neighbourhood,
                    contributions=chosen,
                    **form.cleaned_data,
                )
            except actions.InitiativeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The citizen action is started from its playbook."))
                return redirect("initiatives:detail", pk=made.pk)
    return render_page(
        request,
        "initiatives/start.html",
        {"form": form, "contributions": chosen, "neighbourhood": neighbourhood},
    )
