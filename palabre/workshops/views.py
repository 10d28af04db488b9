from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palabre.core import offline
from palabre.core.forms import ids
from palabre.core.pagecache import fresh_key, public_page
from palabre.core.shortcuts import render_page, require
from palabre.core.spreadsheets import csv_download, safe_cell
from palabre.core.throttle import limit_anonymous_writes
from palabre.links import queries as links_queries
from palabre.links.views import link_gone
from palabre.neighbourhoods.queries import visible_neighbourhoods
from palabre.workshops import actions, queries
from palabre.workshops.forms import (
    HOME_ELSEWHERE,
    CancelWorkshopForm,
    CycleForm,
    DuplicateCycleForm,
    FiguresForm,
    InvitationBatchForm,
    MinutesForm,
    RegistrationForm,
    SessionForm,
    SessionTextsForm,
    SignInSheetForm,
    WalkInForm,
    WorkshopForm,
    WorkshopTextsForm,
    duplicate_defaults,
)
from palabre.workshops.ical import calendar_of
from palabre.workshops.models import (
    Cycle,
    EventKind,
    InvitationBatch,
    Minutes,
    Registration,
    RegistrationStatus,
    Session,
    Status,
    Workshop,
    default_guiding_questions,
    new_token,
)
from palabre.workshops.permissions import (
    can_check_in,
    can_manage_workshops,
    can_print_invitations,
    can_record_held,
    can_see_own_workshops,
    can_view_registrations,
    can_write_minutes,
    facilitates,
)
from palabre.workshops.printing import flyer_preview_pdf, sign_in_sheet_pdf
from palabre.workshops.printing import minutes_pdf as minutes_pdf_bytes


def _visible_workshop(request: HttpRequest, pk: int, *, own_columns: bool = False) -> Workshop:
    """The workshop `pk` if `request.user` may see it, else 404; with what its pages show
    loaded, or only its own columns (`own_columns`: its partners and facilitators are then
    read if a permission asks, for someone who is not of the service)."""
    found = queries.with_attendance(queries.visible_workshops(request.user))
    if own_columns:
        found = found.select_related(None).prefetch_related(None)
    try:
        workshop: Workshop = found.get(pk=pk)
    except Workshop.DoesNotExist:
        raise Http404 from None
    return workshop


def _home_cities(workshop: Workshop) -> list[str] | None:
    """The followed cities the registration form offers as "Where do you live?", for an event
    open to other cities; None for any other (the question is not asked)."""
    # The network sits above workshops (it shares their events): imported here, when asked.
    from palabre.network.queries import home_cities

    return home_cities(workshop)


def _programme(workshop: Workshop) -> list[Session]:
    """The sessions and speakers of an event; a speaker from a city this city follows gets
    that city's site (`network_site`) to link to. One more query only when a city is said."""
    sessions = list(queries.programme(workshop))
    speakers = [speaker for session in sessions for speaker in session.speakers.all()]
    if any(speaker.city for speaker in speakers):
        from palabre.network.queries import city_sites  # above workshops, as _home_cities

        sites = city_sites()
        for speaker in speakers:
            speaker.network_site = sites.get(speaker.city.casefold(), "")  # type: ignore[attr-defined]
    return sessions


def _workshop_page(
    request: HttpRequest, workshop: Workshop, form: RegistrationForm, **extra: Any
) -> HttpResponse:
    confirmed: int = workshop.confirmed_count  # type: ignore[attr-defined]
    return render_page(
        request,
        "workshops/detail.html",
        {
            "workshop": workshop,
            # The service's texts in the page's language where translated (issue 14), else the
            # original, which the template marks with its own language.
            "texts": workshop.texts_in(),
            "form": form,
            "places_left": max(workshop.capacity - confirmed, 0),
            "can_manage": can_manage_workshops(request.user),
            "can_view_registrations": can_view_registrations(request.user, workshop),
            "can_print": can_print_invitations(request.user, workshop),
            "can_check_in": can_check_in(request.user, workshop),
            "can_write_minutes": can_write_minutes(request.user, workshop),
            "can_record_held": can_record_held(request.user, workshop),
            "cancel_form": CancelWorkshopForm(),
            "sessions": _programme(workshop),
            **extra,
        },
        fragment="registration",
    )


@public_page(query=("via",))
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _visible_workshop(request, pk)
    initial = {"channel": request.GET.get("via", "")[:20], "key": fresh_key(request)}
    if request.user.is_authenticated:
        initial |= {"name": request.user.display_name, "email": request.user.email}
    return _workshop_page(
        request,
        workshop,
        RegistrationForm(initial=initial, home_cities=_home_cities(workshop)),
    )


@limit_anonymous_writes("registration")
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _visible_workshop(request, pk)
    form = RegistrationForm(request.POST, home_cities=_home_cities(workshop))
    if not form.is_valid():
        return _workshop_page(request, workshop, form)
    try:
        result = actions.register(
            workshop=workshop,
            by=request.user if request.user.is_authenticated else None,
            **form.cleaned_data,
        )
    except actions.WorkshopError as error:
        form.add_error(None, str(error))
        return _workshop_page(request, workshop, form)
    registration = result.registration
    if not result.mine:
        messages.info(
            request,
            _(
                "This address is already registered for this workshop. We have sent the link "
                "to that registration to this address again."
            ),
        )
        return redirect(workshop)
    if not result.created:
        messages.info(request, _("You were already registered: here is your registration."))
    elif registration.status == RegistrationStatus.WAITING:
        messages.warning(
            request,
            _(
                "The workshop is full: you are on the waiting list. If a place becomes free, "
                "you get it when it is your turn (in the order people registered)."
            ),
        )
    else:
        messages.success(request, _("You are registered. See you there!"))
    return redirect("workshops:registration", token=registration.token)


@require_http_methods(["GET", "POST"])
def registration(request: HttpRequest, token: str) -> HttpResponse:
    # The secret link is the permission: whoever holds it registered (or was sent it).
    found = links_queries.holding(
        Registration.objects.select_related("workshop__venue", "workshop__neighbourhood", "link"),
        token,
    ).first()
    if found is None:
        return link_gone(request)
    # No step: a page from before the confirmation existed; it asks too.
    step = request.POST.get("step", "cancel")
    if request.method == "POST" and step == "cancel":  # asked first: a slip costs a place
        return render_page(
            request, "workshops/registration.html", {"registration": found, "confirming": True}
        )
    if request.method == "POST" and step == "cancel_confirmed":
        actions.cancel_registration(token=token)
        messages.info(request, _("Your registration is cancelled. Thank you for telling us."))
        return redirect("workshops:registration", token=token)
    if request.method == "POST" and step == "register_again":
        try:
            again = actions.register_again(token=token)
        except actions.WorkshopError as error:
            messages.error(request, str(error))
        else:
            waiting = again is not None and again.status == RegistrationStatus.WAITING
            messages.success(
                request,
                _("The workshop is full: you are back on the waiting list.")
                if waiting
                else _("You are registered again. See you soon!"),
            )
        return redirect("workshops:registration", token=token)
    if request.method == "POST":
        return HttpResponseBadRequest(_("Unknown step."))
    return render_page(request, "workshops/registration.html", {"registration": found})


@require_GET
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _visible_workshop(request, pk, own_columns=True)
    require(can_view_registrations(request.user, workshop), hide=True)
    found = list(queries.registrations_of(workshop))
    return render_page(
        request,
        "workshops/registrations.html",
        {
            "workshop": workshop,
            "registrations": [(r, _lives_in(r.home_city)) for r in found],
            "home_cities": _count_by_home(workshop, found),
        },
    )


def _count_by_home(workshop: Workshop, found: list[Registration]) -> list[tuple[str, int]] | None:
    """How many registered people live in each place, for an event open to other cities (or
    one that was): this city, each followed city, any other city named, elsewhere."""
    followed = _home_cities(workshop)
    if followed is None and not any(registration.home_city for registration in found):
        return None
    counts = Counter(registration.home_city for registration in found)
    named = sorted(set(counts) - {"", HOME_ELSEWHERE, *(followed or [])})
    order = ["", *(followed or []), *named, HOME_ELSEWHERE]
    return [(_lives_in(city), counts[city]) for city in dict.fromkeys(order)]


def _lives_in(home_city: str) -> str:
    """Where a registered person lives, in words (blank: this city)."""
    if home_city == HOME_ELSEWHERE:
        return _("Elsewhere")
    return home_city or settings.CITY_NAME


@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _visible_workshop(request, pk)
    target = request.POST.get("status", "")
    if target in ("held", "undo_held"):
        return _record_held(request, workshop, undo=target == "undo_held")
    require(can_manage_workshops(request.user))
    try:
        if target == "announced":
            actions.announce_workshop(by=request.user, workshop=workshop)
            messages.success(request, _("The workshop is announced: registrations are open."))
        elif target == "cancelled":
            form = CancelWorkshopForm(request.POST)
            if not form.is_valid():
                raise actions.WorkshopError(_("Say why the workshop is cancelled."))
            actions.cancel_workshop(
                by=request.user, workshop=workshop, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The workshop is cancelled; registrants are told."))
        else:
            raise actions.WorkshopError(_("Unknown status."))
    except actions.WorkshopError as error:
        messages.error(request, str(error))
    return redirect(workshop)


def _record_held(request: HttpRequest, workshop: Workshop, *, undo: bool) -> HttpResponse:
    """Record a workshop as held after a confirmation, or undo it the same day: the service,
    or its facilitator once it has started (from its page or from "My workshops")."""
    user = request.user
    require(can_manage_workshops(user) or facilitates(user, workshop))
    from_mine = request.POST.get("back") == "mine"
    back = redirect("workshops:mine") if from_mine else redirect(workshop)
    if not can_record_held(user, workshop):
        # Its facilitator, before it starts: say from when, rather than a bare refusal.
        message = _("The workshop has not started yet.")
        if workshop.starts_at is not None:
            when = formats.date_format(timezone.localtime(workshop.starts_at), "DATETIME_FORMAT")
            message = _(
                "The workshop has not started yet. You can record it as held from %(when)s."
            ) % {"when": when}
        messages.error(request, message)
        return back
    # A second tap, or the other device: say it is done rather than refuse it.
    if not undo and workshop.status == Status.HELD:
        messages.info(request, _("This workshop is already recorded as held."))
        return back
    if undo and workshop.status == Status.ANNOUNCED:
        messages.info(request, _("Already undone: the workshop is announced again."))
        return back
    try:
        if undo:
            actions.undo_held(by=user, workshop=workshop)
            messages.success(request, _("Undone: the workshop is announced again."))
        elif request.POST.get("confirm") != "yes":
            return render_page(
                request,
                "workshops/confirm_held.html",
                {"workshop": workshop, "from_mine": from_mine},
            )
        else:
            actions.mark_held(by=user, workshop=workshop)
            messages.success(
                request,
                _("The workshop is recorded as held. A mistake? You can undo it until midnight."),
            )
    except actions.WorkshopError as error:
        messages.error(request, str(error))
    return back


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """A facilitator's workshops: today's first with the evening's tools, then the coming ones,
    then the past ones still to record as held or to write minutes for."""
    user = request.user
    require(can_see_own_workshops(user))
    found = queries.own_workshops(user)
    for workshop in (*found.today, *found.to_finish):
        workshop.may_record_held = can_record_held(user, workshop)  # type: ignore[attr-defined]
    # Kept on the phone for the day, with tonight's check-in and capture pages (ADR 0065).
    return offline.keep_offline(
        render_page(
            request,
            "workshops/mine.html",
            {"own": found, "can_manage": can_manage_workshops(user)},
        )
    )


def cycle_list(request: HttpRequest) -> HttpResponse:
    require(can_manage_workshops(request.user))
    return render_page(request, "workshops/cycles.html", {"cycles": queries.cycles()})


def _cycle_refused(form: CycleForm | DuplicateCycleForm, error: ValidationError) -> Cycle | None:
    """Say on the form why a cycle was refused; return the cycle holding its short name when
    that is why (the unique slug decides, whoever asked first)."""
    taken = Cycle.objects.filter(slug=form.cleaned_data["slug"]).first()
    if taken is None:
        form.add_error(None, error.messages)
    else:
        form.add_error(
            "slug",
            _("The cycle “%(name)s” already uses this short name: choose another one.")
            % {"name": taken.name},
        )
    return taken


@require_http_methods(["GET", "POST"])
def new_cycle(request: HttpRequest) -> HttpResponse:
    require(can_manage_workshops(request.user))
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        neighbourhoods = data.pop("neighbourhoods")
        try:
            cycle = actions.save_cycle(
                by=request.user, cycle=Cycle(**data), neighbourhoods=neighbourhoods
            )
        except ValidationError as error:
            taken = _cycle_refused(form, error)
            if taken and (taken.name, taken.starts_on) == (data["name"], data["starts_on"]):
                return redirect(taken)  # the same form sent twice
        else:
            messages.success(request, _("Cycle created. Now plan its workshops."))
            return redirect(cycle)
    return render_page(request, "workshops/cycle_form.html", {"form": form})


def planning(request: HttpRequest, slug: str) -> HttpResponse:
    require(can_manage_workshops(request.user))
    cycle = get_object_or_404(Cycle.objects.select_related("duplicated_from"), slug=slug)
    return render_page(
        request,
        "workshops/planning.html",
        {"cycle": cycle, "report": queries.cycle_planning(cycle)},
    )


@require_http_methods(["GET", "POST"])
def duplicate_cycle(request: HttpRequest, slug: str) -> HttpResponse:
    require(can_manage_workshops(request.user))
    source = get_object_or_404(Cycle, slug=slug)
    form = DuplicateCycleForm(request.POST or None, initial=duplicate_defaults(source))
    if request.method == "POST" and form.is_valid():
        try:
            done = actions.duplicate_cycle(by=request.user, source=source, **form.cleaned_data)
        except ValidationError as error:
            _cycle_refused(form, error)
        else:
            if done.created:
                messages.success(
                    request,
                    _(
                        "%(count)s workshops copied, planned and not yet announced. Check their "
                        "dates, venues and facilitators below."
                    )
                    % {"count": done.workshops},
                )
            else:
                messages.info(request, _("This copy had already been made: here it is."))
            return redirect(done.cycle)
    workshops = source.workshops.exclude(status=Status.CANCELLED).select_related("neighbourhood")
    return render_page(
        request,
        "workshops/duplicate_cycle.html",
        {"source": source, "form": form, "workshops": workshops.order_by("starts_at", "pk")},
    )


def _planning_form(
    request: HttpRequest, cycle: Cycle, workshop: Workshop | None
) -> tuple[WorkshopForm, queries.PlanningChoices]:
    choices = queries.planning_choices(cycle)
    initial = (
        WorkshopForm.initial_for(workshop)
        if workshop
        else {
            "key": new_token(),
            "guiding_questions": "\n".join(
                choices.past_questions[:3] or default_guiding_questions()
            ),
        }
    )
    form = WorkshopForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        cycle=cycle,
        venues=choices.venues,
        partners=choices.partners,
        facilitators=choices.facilitators,
    )
    return form, choices


def _save_workshop(request: HttpRequest, form: WorkshopForm, workshop: Workshop) -> Workshop | None:
    """Fill `workshop` from the valid form and save it; None (errors on the form) if refused."""
    data = form.cleaned_data
    workshop.starts_at, workshop.ends_at = form.moments()
    for name in ("title", "kind", "neighbourhood", "venue", "capacity", "theme", "description"):
        setattr(workshop, name, data[name])
    workshop.guiding_questions = data["guiding_questions"]
    if workshop.kind != EventKind.WORKSHOP:
        workshop.neighbourhood = None
    try:
        return actions.plan_workshop(
            by=request.user,
            workshop=workshop,
            partners=data["partners"],
            facilitators=data["facilitators"],
            version=data["version"],
        )
    except actions.WorkshopConflict as error:
        stored = Workshop.objects.get(pk=workshop.pk)
        changed = form.differences(stored)
        message = str(error)
        if changed:
            message += " " + _("Saved meanwhile: %(changes)s.") % {"changes": "; ".join(changed)}
        form.conflict(message, version=stored.version)
        return None
    except ValidationError as error:
        form.add_error(None, error.messages)
        return None


@require_http_methods(["GET", "POST"])
def new_workshop(request: HttpRequest, slug: str) -> HttpResponse:
    require(can_manage_workshops(request.user))
    cycle = get_object_or_404(Cycle, slug=slug)
    form, choices = _planning_form(request, cycle, None)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["key"] or None
        saved = _save_workshop(request, form, Workshop(cycle=cycle, creation_key=key))
        if saved is not None:
            messages.success(
                request, _("Workshop planned. Announce it when its venue and date are sure.")
            )
            return redirect(saved)
    return render_page(
        request,
        "workshops/workshop_form.html",
        {"cycle": cycle, "form": form, "workshop": None, "past_questions": choices.past_questions},
    )


@require_http_methods(["GET", "POST"])
def edit_workshop(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _visible_workshop(request, pk)
    require(can_manage_workshops(request.user))
    if workshop.status not in (Status.PLANNED, Status.ANNOUNCED):
        messages.error(request, _("A workshop that took place or was cancelled is not changed."))
        return redirect(workshop)
    form, choices = _planning_form(request, workshop.cycle, workshop)
    if request.method == "POST" and form.is_valid():
        saved = _save_workshop(request, form, workshop)
        if saved is not None:
            messages.success(
                request,
                _("Changes saved. If the day, time or venue changed, registrants are told.")
                if saved.status == Status.ANNOUNCED
                else _("Changes saved."),
            )
            return redirect(saved)
    return render_page(
        request,
        "workshops/workshop_form.html",
        {
            "cycle": workshop.cycle,
            "form": form,
            "workshop": workshop,
            "past_questions": choices.past_questions,
        },
    )


@require_http_methods(["GET", "POST"])
def workshop_texts(request: HttpRequest, pk: int) -> HttpResponse:
    """The workshop's texts in the other languages and the photo of its invitations."""
    workshop = _visible_workshop(request, pk)
    require(can_manage_workshops(request.user))
    form = WorkshopTextsForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        workshop=workshop,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.set_workshop_texts(
                by=request.user,
                workshop=workshop,
                language=data["language"],
                translations=form.translations(),
                photo=data["photo"],
                remove_photo=data["remove_photo"],
            )
        except (ValidationError, actions.WorkshopError) as error:
            form.add_error("photo" if isinstance(error, ValidationError) else None, error)
        else:
            messages.success(request, _("Texts and photo saved: the next invitations use them."))
            return redirect(workshop)
    return render_page(
        request, "workshops/workshop_texts.html", {"workshop": workshop, "form": form}
    )


def _ical(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def neighbourhood_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    neighbourhood = get_object_or_404(visible_neighbourhoods(None), slug=slug)
    workshops = queries.public_workshops().filter(neighbourhood=neighbourhood)
    name = _("Workshops in %(name)s") % {"name": neighbourhood.name}
    return _ical(calendar_of(workshops, name=name), f"ateliers-{slug}.ics")


@require_GET
def cycle_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    cycle = get_object_or_404(Cycle, slug=slug)
    workshops = queries.public_workshops().filter(cycle=cycle)
    return _ical(calendar_of(workshops, name=cycle.name), f"ateliers-{slug}.ics")


@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _visible_workshop(request, pk)
    require(can_print_invitations(request.user, workshop), hide=True)
    form = InvitationBatchForm(
        request.POST or None,
        initial={"language": get_language() or "fr", "copies": 100},
        announced=workshop.status != Status.PLANNED,
    )
    if request.method == "POST" and form.is_valid():
        form.cleaned_data.pop("before_announcement", None)
        try:
            batch = actions.prepare_invitations(
                by=request.user, workshop=workshop, **form.cleaned_data
            )
        except actions.WorkshopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Invitations ready: channel %(label)s, code %(code)s.")
                % {"label": batch.label, "code": batch.code},
            )
            return redirect("workshops:invitations", pk=workshop.pk)
    return render_page(
        request,
        "workshops/invitations.html",
        {"workshop": workshop, "form": form, "batches": queries.batches_of(workshop)},
    )


@require_GET
def invitation_pdf(request: HttpRequest, code: str) -> HttpResponse:
    batch = get_object_or_404(InvitationBatch.objects.select_related("workshop"), code=code)
    workshop = _visible_workshop(request, batch.workshop_id)
    require(can_print_invitations(request.user, workshop), hide=True)
    if workshop.status not in actions.PRINTABLE:
        messages.error(
            request,
            _("This workshop is %(status)s: its invitations are no longer printed.")
            % {"status": workshop.get_status_display().lower()},
        )
        return redirect("workshops:invitations", pk=workshop.pk)
    batch.workshop = workshop
    pdf = actions.invitations_pdf(by=request.user, batch=batch)
    if pdf is None:
        return render_page(request, "workshops/invitations_wait.html", {"batch": batch}, status=202)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="invitations-{batch.code}.pdf"'
    return response


@require_GET
def invitation_link(request: HttpRequest, code: str) -> HttpResponse:
    """Follow the short address printed on an invitation, remembering its channel. Before the
    workshop is announced, the flyer's reader learns that it is coming, never gets a 404."""
    batch = get_object_or_404(
        InvitationBatch.objects.select_related("workshop__neighbourhood", "workshop__venue"),
        code=code.strip().lower(),
    )
    # The flyer's language is the page's for whoever has not chosen one yet (issue 16, item 5):
    # a QR code from a Dutch flyer opens the Dutch page, and a registration made there writes
    # to the person in Dutch. A language chosen before stays.
    chosen = settings.LANGUAGE_COOKIE_NAME in request.COOKIES
    language = translation.get_language() if chosen else batch.language
    with translation.override(language):
        if batch.workshop.status == Status.PLANNED:
            response: HttpResponse = render_page(
                request, "workshops/not_announced.html", {"workshop": batch.workshop}
            )
        else:
            response = redirect(
                f"{reverse('workshops:detail', kwargs={'pk': batch.workshop_id})}?via={batch.code}"
            )
    if not chosen:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            batch.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",  # as LANGUAGE_COOKIE_SAMESITE
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
    return response


@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _visible_workshop(request, pk)
    require(can_check_in(request.user, workshop), hide=True)
    search = request.GET.get("q", "")[:100]
    channels = queries.channel_choices(workshop)
    walk_in_form = WalkInForm(initial={"key": new_token()}, channels=channels)
    if request.method == "POST":
        back = f"{reverse('workshops:check_in', kwargs={'pk': pk})}?q={quote(search)}"
        queued = offline.from_queue(request)
        if "walk_in" in request.POST:
            walk_in_form = WalkInForm(request.POST, channels=channels)
            if not walk_in_form.is_valid():
                if queued:
                    return offline.form_refused(walk_in_form)
            else:
                try:
                    person = actions.add_walk_in(
                        by=request.user, workshop=workshop, **walk_in_form.cleaned_data
                    )
                except actions.WorkshopError as error:
                    if queued:
                        return offline.refused([str(error)])
                    messages.error(request, str(error))
                    return redirect(back)
                if walk_in_form.cleaned_data["name"].strip():
                    welcome = _("Counted as present: %(name)s.") % {"name": person.name}
                else:
                    welcome = _("Counted as present: one person who gave no name.")
                if queued:
                    return offline.accepted(
                        figures=_figures_html(request, workshop), message=welcome
                    )
                messages.success(request, welcome)
                return redirect(back)
        else:
            chosen = ids([request.POST.get("registration", "")])
            registration = get_object_or_404(
                workshop.registrations.all(), pk=chosen[0] if chosen else 0
            )
            try:
                actions.set_arrival(
                    by=request.user,
                    registration=registration,
                    present=request.POST.get("present") == "yes",
                )
            except actions.WorkshopError as error:
                if queued:
                    return offline.refused([str(error)])
                messages.error(request, str(error))
                return redirect(back)
            if queued:
                return offline.accepted(figures=_figures_html(request, workshop))
            return redirect(back)
    response = render_page(
        request,
        "workshops/check_in.html",
        {
            "workshop": workshop,
            "found": queries.find_arrivals(workshop, search),
            "search": search,
            "figures": queries.attendance(workshop),
            "walk_in_form": walk_in_form,
            "now": timezone.now(),
        },
    )
    return response if search else offline.keep_offline(response)


def _figures_html(request: HttpRequest, workshop: Workshop) -> str:
    """The attendance line of the check-in page, for a phone that sent an entry from its queue."""
    return render_to_string(
        "workshops/_attendance.html", {"figures": queries.attendance(workshop)}, request
    )


@require_http_methods(["GET", "POST"])
def enter_sign_in_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """After the evening: the paper sign-in sheet entered in one screen."""
    workshop = _visible_workshop(request, pk)
    require(can_check_in(request.user, workshop), hide=True)
    people = list(queries.arrivals(workshop))
    form = SignInSheetForm(
        request.POST if request.method == "POST" else None,
        people=people,
        channels=queries.lettered_channels(workshop),
    )
    if request.method == "GET":
        for row in range(form.NEW_ROWS):
            form.initial[f"new_key_{row}"] = new_token()
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_sign_in_sheet(
                by=request.user,
                workshop=workshop,
                lines=form.answers(),
                newcomers=form.newcomers(),
            )
        except actions.WorkshopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The sign-in sheet is entered: the figures are up to date.")
            )
            return redirect("workshops:check_in", pk=workshop.pk)
    return render_page(
        request,
        "workshops/enter_sign_in_sheet.html",
        {"workshop": workshop, "form": form, "figures": queries.attendance(workshop)},
    )


FIGURE_COLUMNS = ("registered", "present", "walk_ins", "first_timers", "returning", "not_known")
FIGURE_LABELS = {
    "registered": gettext_lazy("registered"),
    "present": gettext_lazy("present"),
    "walk_ins": gettext_lazy("came without registering"),
    "first_timers": gettext_lazy("first time"),
    "returning": gettext_lazy("came before"),
    "not_known": gettext_lazy("first time or not: not known"),
}


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """Who came and how, per workshop, neighbourhood and cycle, over a period; also as CSV."""
    require(can_manage_workshops(request.user))
    form = FiguresForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    as_csv = request.GET.get("format") == "csv" and not form.errors
    found = queries.figures(
        cycle=chosen.get("cycle"),
        neighbourhood=chosen.get("neighbourhood"),
        start=chosen.get("start"),
        end=chosen.get("end"),
        # The CSV has every workshop; the page lists them a page at a time.
        page=None if as_csv else request.GET.get("page", 1),
    )
    if as_csv:
        return _figures_csv(found)
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "workshops/figures.html",
        {"form": form, "figures": found, "query": query.urlencode()},
    )


def _figures_csv(found: queries.Figures) -> HttpResponse:
    response, out = csv_download("palabre-participation.csv")
    out.writerow(
        [_("level"), _("date"), _("cycle"), _("neighbourhood"), _("workshop")]
        + [FIGURE_LABELS[name] for name in FIGURE_COLUMNS]
    )

    def counts(attendance: queries.Attendance) -> list[int]:
        return [getattr(attendance, name) for name in FIGURE_COLUMNS]

    for workshop, attendance in found.workshops:
        out.writerow(
            [
                _("workshop"),
                timezone.localdate(workshop.starts_at).isoformat() if workshop.starts_at else "",
                workshop.cycle.name,
                workshop.neighbourhood.name if workshop.neighbourhood else _("City-wide"),
                safe_cell(workshop.title),
                *counts(attendance),
            ]
        )
    for area, attendance in found.neighbourhoods:
        out.writerow([_("neighbourhood"), "", "", area, "", *counts(attendance)])
    out.writerow([_("total"), "", "", "", "", *counts(found.overall)])
    return response


@require_GET
@require_GET
def flyer_preview(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """The A5 flyer as it prints in `language`, so the service checks its texts and photo."""
    workshop = _visible_workshop(request, pk)
    require(can_manage_workshops(request.user))
    if language not in dict(settings.LANGUAGES):
        raise Http404
    response = HttpResponse(flyer_preview_pdf(workshop, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="apercu-{workshop.pk}-{language}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def sign_in_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _visible_workshop(request, pk)
    require(can_check_in(request.user, workshop), hide=True)
    response = HttpResponse(
        sign_in_sheet_pdf(
            workshop, list(queries.arrivals(workshop)), queries.lettered_channels(workshop)
        ),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="presences-{workshop.pk}.pdf"'
    return response


def _published_minutes(request: HttpRequest, pk: int) -> tuple[Workshop, Minutes]:
    workshop = _visible_workshop(request, pk)
    minutes = Minutes.objects.filter(workshop=workshop).first()
    if minutes is None or (
        minutes.published_at is None and not can_write_minutes(request.user, workshop)
    ):
        raise Http404
    return workshop, minutes


@require_GET
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    workshop, found = _published_minutes(request, pk)
    return render_page(
        request,
        "workshops/minutes.html",
        {
            "workshop": workshop,
            "minutes": found,
            "can_write": can_write_minutes(request.user, workshop),
        },
    )


@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    workshop, found = _published_minutes(request, pk)
    response = HttpResponse(
        minutes_pdf_bytes(workshop, found),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="compte-rendu-{workshop.pk}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def edit_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _visible_workshop(request, pk)
    require(can_write_minutes(request.user, workshop), hide=True)
    try:
        draft = actions.draft_minutes(by=request.user, workshop=workshop)
    except actions.WorkshopError as error:
        messages.error(request, str(error))
        return redirect(workshop)
    questions = [part["question"] for part in draft.discussion]
    initial: dict[str, Any] = {
        "version": draft.version,
        "introduction": draft.introduction,
        "decisions": draft.decisions,
        "next_steps": draft.next_steps,
    } | {f"notes_{i}": part["notes"] for i, part in enumerate(draft.discussion)}
    form = MinutesForm(request.POST or None, initial=initial, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_minutes(
                by=request.user,
                minutes=draft,
                version=form.cleaned_data["version"],
                introduction=form.cleaned_data["introduction"],
                notes=form.notes(),
                decisions=form.cleaned_data["decisions"],
                next_steps=form.cleaned_data["next_steps"],
                publish="publish" in request.POST,
            )
        except actions.MinutesConflict as error:
            draft.refresh_from_db()
            form.conflict(str(error), version=draft.version)
        else:
            messages.success(
                request,
                _("The minutes are published.") if saved.published_at else _("Draft saved."),
            )
            return redirect("workshops:minutes", pk=workshop.pk)
    return render_page(
        request,
        "workshops/minutes_edit.html",
        {"workshop": workshop, "minutes": draft, "form": form},
    )


def _programme_page(
    request: HttpRequest, workshop: Workshop, form: SessionForm, **extra: Any
) -> HttpResponse:
    return render_page(
        request,
        "workshops/programme.html",
        {"workshop": workshop, "sessions": _programme(workshop), "form": form, **extra},
    )


def _session_form(request: HttpRequest, workshop: Workshop) -> SessionForm:
    if request.method == "POST":
        return SessionForm(request.POST)
    start = timezone.localtime(workshop.starts_at) if workshop.starts_at else None
    return SessionForm(initial={"day": start.date() if start else None})


@require_http_methods(["GET", "POST"])
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme of a round table or symposium: its sessions and speakers, in order; add a
    session, or take one out after a confirmation."""
    workshop = _visible_workshop(request, pk)
    require(can_manage_workshops(request.user))
    step = request.POST.get("step", "add")
    if request.method == "POST" and step in {"remove", "remove_confirmed"}:
        found = workshop.sessions.filter(pk=request.POST.get("session", "")[:12] or 0).first()
        if found is None:  # a second click, or removed by someone else
            messages.info(request, _("This session is no longer in the programme."))
            return redirect("workshops:programme", pk=pk)
        if step == "remove":
            return _programme_page(request, workshop, SessionForm(), confirming=found)
        actions.remove_session(by=request.user, session=found)
        messages.success(
            request, _("“%(title)s” was taken out of the programme.") % {"title": found.title}
        )
        return redirect("workshops:programme", pk=pk)
    form = _session_form(request, workshop)
    if request.method == "POST" and form.is_valid():
        start, end = form.moments()
        data = form.cleaned_data
        session = Session(
            title=data["title"],
            starts_at=start,
            ends_at=end,
            room=data["room"],
            description=data["description"],
        )
        try:
            actions.add_session(
                by=request.user, workshop=workshop, session=session, speakers=data["speaker_list"]
            )
        except (ValidationError, actions.WorkshopError) as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("“%(title)s” is in the programme.") % {"title": session.title}
            )
            return redirect("workshops:programme", pk=pk)
    return _programme_page(request, workshop, form)


@require_http_methods(["GET", "POST"])
def edit_session(request: HttpRequest, pk: int, session: int) -> HttpResponse:
    """Change one session of the programme and its speakers."""
    workshop = _visible_workshop(request, pk)
    require(can_manage_workshops(request.user))
    found = get_object_or_404(workshop.sessions.prefetch_related("speakers"), pk=session)
    form = SessionForm(request.POST) if request.method == "POST" else SessionForm.of(found)
    if request.method == "POST" and form.is_valid():
        found.starts_at, found.ends_at = form.moments()
        for field in ("title", "room", "description"):
            setattr(found, field, form.cleaned_data[field])
        try:
            actions.save_session(
                by=request.user, session=found, speakers=form.cleaned_data["speaker_list"]
            )
        except (ValidationError, actions.WorkshopError) as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("“%(title)s” saved.") % {"title": found.title})
            return redirect("workshops:programme", pk=pk)
    return render_page(
        request,
        "workshops/session_form.html",
        {"workshop": workshop, "session": found, "form": form},
    )


@require_http_methods(["GET", "POST"])
def session_texts(request: HttpRequest, pk: int, session: int) -> HttpResponse:
    """The service's translations of a session's title, room and description."""
    workshop = _visible_workshop(request, pk)
    require(can_manage_workshops(request.user))
    found = get_object_or_404(workshop.sessions, pk=session)
    form = SessionTextsForm(request.POST if request.method == "POST" else None, item=found)
    if request.method == "POST" and form.is_valid():
        actions.set_session_texts(by=request.user, session=found, translations=form.translations())
        messages.success(request, _("Translations saved: readers of each language see them."))
        return redirect("workshops:programme", pk=pk)
    return render_page(
        request,
        "workshops/session_texts.html",
        {"workshop": workshop, "session": found, "form": form},
    )
