from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palabre.accounts.permissions import is_signed_in
from palabre.contributions.queries import visible_contributions
from palabre.core.charts import bar_chart
from palabre.core.shortcuts import render_page, require
from palabre.neighbourhoods.models import Neighbourhood
from palabre.neighbourhoods.queries import visible_neighbourhoods
from palabre.official_requests import actions, queries
from palabre.official_requests.forms import AnswerForm, DraftForm, NoteForm, SendForm
from palabre.official_requests.models import AnswerTemplate, Department, Request, Status
from palabre.official_requests.permissions import can_answer, can_draft, can_see_private_notes
from palabre.official_requests.printing import since_last_time_pdf
from palabre.workshops.queries import past_in, past_workshops

log = logging.getLogger("palabre.security")
PER_PAGE = 50


@require_GET
def tracker(request: HttpRequest) -> HttpResponse:
    neighbourhoods = list(visible_neighbourhoods(request.user))
    chosen = next((n for n in neighbourhoods if n.slug == request.GET.get("quartier")), None)
    pages = Paginator(queries.tracker(request.user, chosen.pk if chosen else None), PER_PAGE)
    page = pages.get_page(request.GET.get("page"))
    for row in page.object_list:
        row.is_overdue = queries.overdue(row)  # type: ignore[attr-defined]
    return render_page(
        request,
        "official_requests/tracker.html",
        {"page": page, "neighbourhoods": neighbourhoods, "chosen": chosen},
    )


def _load(request: HttpRequest, pk: int, *, private: bool = False) -> Request:
    try:
        return queries.request_page(request.user, pk, private=private)
    except Request.DoesNotExist:
        raise Http404 from None


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Who may read private notes decides what the page loads (the timeline is prefetched once).
    head = queries.visible_requests(request.user).filter(pk=pk).first()
    if head is None:
        raise Http404
    private = can_see_private_notes(request.user, head)
    found = _load(request, pk, private=private)
    context: dict[str, Any] = {
        "item": found,
        "is_overdue": queries.overdue(found),
        "support": queries.support(found),
        "following": queries.follows(request.user, found),
        "can_answer": can_answer(request.user, found),
        "can_draft": can_draft(request.user),
        "private": private,
    }
    if context["can_answer"]:
        templates = list(AnswerTemplate.objects.all())
        chosen = next((t for t in templates if str(t.pk) == request.GET.get("template")), None)
        context["answer_templates"] = templates
        context["answer_form"] = AnswerForm(
            initial={
                "version": found.version,
                "kind": chosen.kind if chosen else found.answer_kind,
                "text": chosen.text if chosen else found.answer_text,
                "planned_for": found.planned_for,
            }
        )
    if private:
        context["note_form"] = NoteForm()
        if found.status not in (Status.DRAFTED, Status.DONE):
            context["redirect_form"] = SendForm(
                officials=queries.officials(), departments=Department.objects.all()
            )
    if can_draft(request.user) and found.merged_into_id is None:
        context["merge_candidates"] = queries.merge_candidates(found)
    if can_draft(request.user) and found.status == Status.DRAFTED:
        officials, departments = queries.suggested_addressees(found)
        context["send_form"] = SendForm(
            officials=queries.officials(), departments=Department.objects.all()
        )
        context["suggested"] = [*officials, *departments]
    return render_page(request, "official_requests/detail.html", context)


@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest) -> HttpResponse:
    require(can_draft(request.user))
    options = {
        "neighbourhoods": visible_neighbourhoods(request.user),
        "contributions": visible_contributions(request.user),
        "workshops": past_workshops(request.user),
    }
    chosen = request.GET.getlist("contribution")
    initial: dict[str, Any] = {"contributions": chosen}
    first = visible_contributions(request.user).filter(pk__in=chosen[:1]).first()
    if first is not None:
        initial |= {"neighbourhood": first.neighbourhood_id, "asked": first.public_text}
    form = DraftForm(initial=initial, **options)
    if request.method == "POST":
        form = DraftForm(request.POST, **options)
        if form.is_valid():
            try:
                made = actions.draft_request(by=request.user, **form.cleaned_data)
            except actions.RequestError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Request drafted: choose whom to send it to."))
                return redirect("official_requests:detail", pk=made.pk)
    # The evidence offered: what was chosen, or the neighbourhood's published contributions.
    pool = options["contributions"].filter(pk__in=chosen) if chosen else None
    return render_page(request, "official_requests/draft.html", {"form": form, "pool": pool})


@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    found = _load(request, pk, private=True)
    step = request.POST.get("step", "")
    answering = step in ("acknowledge", "answer", "start", "done", "question")
    if answering and not can_answer(request.user, found):
        # Someone else's request: as if it did not exist, and noted for the service.
        log.warning(
            "refused answer",
            extra={"request_id": found.pk, "user_id": getattr(request.user, "pk", None)},
        )
        raise Http404
    try:
        if step == "send":
            require(can_draft(request.user))
            send = SendForm(
                request.POST, officials=queries.officials(), departments=Department.objects.all()
            )
            if not send.is_valid():
                raise actions.RequestError(_("Choose the official or the department."))
            actions.send_request(by=request.user, request=found, **send.cleaned_data)
            messages.success(request, _("Sent; the deadlines start today."))
        elif step == "acknowledge":
            actions.acknowledge(by=request.user, request=found)
            messages.success(request, _("Receipt acknowledged."))
        elif step == "answer":
            reply = AnswerForm(request.POST)
            if not reply.is_valid():
                raise actions.RequestError(_("Choose the kind of answer and write it."))
            data = reply.cleaned_data
            actions.answer(
                by=request.user,
                request=found,
                kind=data["kind"],
                text=data["text"],
                version=data["version"],
                planned_for=data["planned_for"],
            )
            messages.success(request, _("Answer published."))
        elif step == "start":
            actions.start_work(by=request.user, request=found)
        elif step == "done":
            actions.mark_done(by=request.user, request=found)
        elif step == "redirect":
            target = SendForm(
                request.POST, officials=queries.officials(), departments=Department.objects.all()
            )
            if not target.is_valid():
                raise actions.RequestError(_("Choose one official or one department."))
            actions.redirect_request(
                by=request.user,
                request=found,
                note=request.POST.get("note", ""),
                **target.cleaned_data,
            )
            messages.success(request, _("Redirected; the history keeps the previous addressee."))
        elif step == "merge":
            require(can_draft(request.user))
            keep = queries.merge_candidates(found).filter(pk=request.POST.get("into") or 0).first()
            if keep is None:
                raise actions.RequestError(_("Choose the request to merge it into."))
            actions.merge_requests(by=request.user, keep=keep, duplicate=found)
            messages.success(request, _("Merged; every link now supports the request kept."))
            return redirect("official_requests:detail", pk=keep.pk)
        elif step == "question":
            actions.ask_neighbourhood(
                by=request.user, request=found, question=request.POST.get("question", "")
            )
            messages.success(request, _("Question published; it goes to the next workshop."))
        elif step == "note":
            note = NoteForm(request.POST)
            if not note.is_valid():
                raise actions.RequestError(_("Write the note."))
            actions.add_note(by=request.user, request=found, **note.cleaned_data)
        else:
            return HttpResponseBadRequest(_("Unknown step."))
    except actions.RequestError as error:
        messages.error(request, str(error))
    return redirect("official_requests:detail", pk=pk)


@require_GET
def portal(request: HttpRequest) -> HttpResponse:
    require(is_signed_in(request.user))
    rows = list(queries.inbox(request.user))
    for row in rows:
        row.is_overdue = queries.overdue(row)  # type: ignore[attr-defined]
    groups = {
        "new": [r for r in rows if r.status == Status.SENT],
        "overdue": [r for r in rows if r.is_overdue],  # type: ignore[attr-defined]
        "planned": [r for r in rows if r.planned_for and r.status != Status.DONE],
    }
    return render_page(
        request, "official_requests/portal.html", {"requests": rows, "groups": groups}
    )


@require_GET
def since_last_time(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        neighbourhood = visible_neighbourhoods(request.user).get(slug=slug)
    except Neighbourhood.DoesNotExist:
        raise Http404 from None
    last = past_in(request.user, neighbourhood).first()
    pdf = since_last_time_pdf(neighbourhood, last.starts_at if last else None)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="depuis-la-derniere-fois-{slug}.pdf"'
    return response


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    rows = queries.accountability()
    chart = bar_chart(
        _("Requests answered on time, by official or department"),
        _("Answered on time"),
        [(row.name, row.answered_on_time) for row in rows],
    )
    return render_page(request, "official_requests/figures.html", {"rows": rows, "chart": chart})


@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    found = _load(request, pk)
    require(is_signed_in(request.user) and found.status != Status.DRAFTED)
    actions.follow(by=request.user, request=found, following=not request.POST.get("stop"))
    return redirect("official_requests:detail", pk=pk)
