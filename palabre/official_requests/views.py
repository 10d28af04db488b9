from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palabre.accounts.models import Role, User
from palabre.accounts.permissions import has_role, is_signed_in, is_staff_member
from palabre.contributions.permissions import can_transcribe
from palabre.contributions.queries import visible_contributions
from palabre.conversations.models import Conversation, Statement
from palabre.core.charts import bar_chart
from palabre.core.forms import FIRST_YEAR, LAST_YEAR, PeriodForm, ids
from palabre.core.pagecache import kept_value, public_page
from palabre.core.shortcuts import png_response, render_page, require
from palabre.core.throttle import limit_anonymous_writes
from palabre.links.queries import holding
from palabre.links.views import link_gone
from palabre.neighbourhoods.models import Neighbourhood
from palabre.neighbourhoods.queries import visible_neighbourhoods
from palabre.official_requests import actions, queries
from palabre.official_requests.calendar import name_in
from palabre.official_requests.forms import (
    AnswerForm,
    AnswerTemplateForm,
    ClosedDayForm,
    ContactFollowForm,
    DraftForm,
    InboxFilterForm,
    MemberForm,
    MovePlannedDateForm,
    NoteForm,
    PaperRepliesForm,
    QuestionForm,
    RecordAnswerForm,
    RedirectNoteForm,
    ReplyForm,
    RequestTextsForm,
    SendForm,
    UpdateForm,
    YearForm,
)
from palabre.official_requests.models import (
    AnswerDraft,
    AnswerKind,
    AnswerTemplate,
    CabinetMember,
    ClosedDay,
    ContactFollower,
    Department,
    Event,
    EventKind,
    Reply,
    Request,
    Status,
)
from palabre.official_requests.permissions import (
    can_answer,
    can_delegate_to_an_official,
    can_draft,
    can_prepare,
    can_redirect,
    can_see_private_notes,
    takes_replies,
)
from palabre.official_requests.printing import next_workshop_in, since_last_time_pdf
from palabre.workshops.models import Workshop
from palabre.workshops.queries import past_in, past_workshops, visible_workshops

log = logging.getLogger("palabre.security")
PER_PAGE = 50
DRAFTS_PER_PAGE = 20
DRAFTS_PAGE = "brouillons"  # the drafts' own page number, beside the requests' `page`
# The list of requests narrowed by deadline (?delai=): its value in the address, then in
# `queries.tracker`.
DEADLINES = {"retard": "late", "semaine": "week"}


@public_page(query=("quartier", "delai", "page", DRAFTS_PAGE))
@require_GET
def tracker(request: HttpRequest) -> HttpResponse:
    neighbourhoods = list(visible_neighbourhoods(request.user))
    chosen = next((n for n in neighbourhoods if n.slug == request.GET.get("quartier")), None)
    deadline = request.GET.get("delai", "")
    deadline = deadline if deadline in DEADLINES else ""
    pages = Paginator(
        queries.tracker(request.user, chosen.pk if chosen else None, DEADLINES.get(deadline, "")),
        PER_PAGE,
    )
    page = pages.get_page(request.GET.get("page"))
    for row in page.object_list:
        row.is_overdue = queries.overdue(row)  # type: ignore[attr-defined]
    return render_page(
        request,
        "official_requests/tracker.html",
        {
            "page": page,
            "any_bridging": any(
                getattr(row, "bridging_group_count", None) for row in page.object_list
            ),
            "min_voters": queries.BRIDGING_MIN_VOTERS,
            "neighbourhoods": neighbourhoods,
            "chosen": chosen,
            "deadline": deadline,
            "can_draft": can_draft(request.user),
            "drafts": Paginator(queries.drafts(request.user), DRAFTS_PER_PAGE).get_page(
                request.GET.get(DRAFTS_PAGE)
            ),
            "page_query": _other_parameters(request, "page"),
            "drafts_query": _other_parameters(request, DRAFTS_PAGE),
        },
    )


def _other_parameters(request: HttpRequest, page: str) -> str:
    """The query's parameters but `page`, for the links to another page of one list."""
    kept = request.GET.copy()
    kept.pop(page, None)
    return kept.urlencode()


def _load(request: HttpRequest, pk: int, *, private: bool = False) -> Request:
    try:
        return queries.request_page(request.user, pk, private=private)
    except Request.DoesNotExist:
        raise Http404 from None


def _redirect_form(request: HttpRequest, found: Request, data: Any = None) -> SendForm:
    """Where `request.user` may send the request on: departments, and officials if allowed."""
    form = SendForm(data, officials=queries.officials(), departments=Department.objects.all())
    if not can_delegate_to_an_official(request.user, found):
        del form.fields["official"]
    return form


# An answer can be given, revised, prepared or recorded until the work starts (the life cycle).
ANSWERABLE = actions.ANSWERABLE
MOVABLE = (Status.ANSWERED, Status.IN_PROGRESS)  # a planned date moves until it is done


@public_page()
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk)


def _detail_page(
    request: HttpRequest,
    pk: int,
    *,
    answer_form: AnswerForm | None = None,
    record_form: RecordAnswerForm | None = None,
    move_form: MovePlannedDateForm | None = None,
    update_form: UpdateForm | None = None,
    contact_form: ContactFollowForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The request's page; `answer_form` keeps what an official typed when it was refused."""
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
        "bridging": queries.bridging(request.user, found),
        "min_voters": queries.BRIDGING_MIN_VOTERS,
        "following": queries.follows(request.user, found),
        "can_answer": can_answer(request.user, found),
        "can_draft": can_draft(request.user),
        "private": private,
        "questions": [
            event
            for event in found.events.all()
            if event.kind == EventKind.QUESTION and event.is_public
        ],
        "takes_replies": takes_replies(found),
        "can_transcribe": can_transcribe(request.user),
    }
    if not is_signed_in(request.user) and found.status != Status.DRAFTED:
        context["contact_form"] = contact_form or ContactFollowForm()
    context["can_prepare"] = can_prepare(request.user, found)
    draft = AnswerDraft.objects.filter(request=found).select_related("written_by").first()
    context["draft"] = draft
    if context["can_prepare"] and found.status in ANSWERABLE:
        templates = list(AnswerTemplate.objects.all())
        chosen = next((t for t in templates if str(t.pk) == request.GET.get("template")), None)
        start = chosen or draft
        context["answer_templates"] = templates
        # The official answers; a cabinet collaborator not allowed to publish prepares it.
        context["answer_form"] = answer_form or AnswerForm(
            initial={
                "version": found.version,
                "kind": start.kind if start else found.answer_kind,
                "text": start.text if start else found.answer_text,
                "planned_for": draft.planned_for if draft and not chosen else found.planned_for,
                "what_changed": draft.what_changed if draft and not chosen else "",
            }
        )
    if found.status in MOVABLE and (context["can_answer"] or can_draft(request.user)):
        context["update_form"] = update_form or UpdateForm()
    movable = found.answer_kind == AnswerKind.PLANNED and found.status in MOVABLE
    if movable and (context["can_answer"] or can_draft(request.user)):
        context["move_form"] = move_form or MovePlannedDateForm(
            initial={"version": found.version, "planned_for": found.planned_for}
        )
    if private:
        context["note_form"] = NoteForm()
        if found.status not in (Status.DRAFTED, Status.DONE) and can_redirect(request.user, found):
            context["redirect_form"] = _redirect_form(request, found)
    if can_draft(request.user) and found.status in ANSWERABLE:
        context["record_form"] = record_form or RecordAnswerForm(
            initial={"version": found.version, "kind": found.answer_kind, "text": found.answer_text}
        )
    context["can_translate"] = can_draft(request.user)
    context["can_see_document"] = bool(found.answer_document) and (
        can_draft(request.user) or context["can_answer"]
    )
    if can_draft(request.user) and found.merged_into_id is None:
        context["merge_candidates"] = queries.merge_candidates(found)
    if can_draft(request.user) and found.status == Status.DRAFTED:
        officials, departments = queries.suggested_addressees(found)
        context["send_form"] = SendForm(
            officials=queries.officials(), departments=Department.objects.all()
        )
        context["suggested"] = [*officials, *departments]
    return render_page(request, "official_requests/detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def request_texts(request: HttpRequest, pk: int) -> HttpResponse:
    """The service's translations of the request's title, what is asked and why."""
    found = get_object_or_404(queries.visible_requests(request.user), pk=pk)
    require(can_draft(request.user))
    form = RequestTextsForm(request.POST if request.method == "POST" else None, item=found)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_request_texts(
                by=request.user,
                request=found,
                language=form.cleaned_data["language"],
                translations=form.translations(),
            )
        except actions.RequestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Translations saved: readers of each language see them."))
            return redirect("official_requests:detail", pk=found.pk)
    return render_page(request, "official_requests/texts.html", {"item": found, "form": form})


@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest) -> HttpResponse:
    require(can_draft(request.user))
    statements = queries.attachable_statements(request.user)
    options = {
        "neighbourhoods": visible_neighbourhoods(request.user),
        "contributions": visible_contributions(request.user),
        "workshops": past_workshops(request.user),
        "statements": statements,
    }
    chosen = ids(request.GET.getlist("contribution"))  # a mistyped link offers nothing
    # A link from a conversation's map may offer its statements (`?statement=12`).
    initial: dict[str, Any] = {
        "contributions": chosen,
        "statements": ids(request.GET.getlist("statement")),
    }
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
    return render_page(
        request,
        "official_requests/draft.html",
        {
            "form": form,
            "pool": pool,
            "statement_groups": _by_conversation(statements, form.chosen_statements()),
            "chosen_statements": form.chosen_statements(),
            "min_voters": queries.BRIDGING_MIN_VOTERS,
        },
    )


@dataclass(frozen=True)
class _StatementGroup:
    conversation: Conversation
    statements: list[Statement]
    has_chosen: bool  # shown open


def _by_conversation(statements: Iterable[Statement], chosen: set[str]) -> list[_StatementGroup]:
    """The statements offered, conversation by conversation (in the order of the query)."""
    groups: dict[int, list[Statement]] = {}
    for statement in statements:
        groups.setdefault(statement.conversation_id, []).append(statement)
    return [
        _StatementGroup(rows[0].conversation, rows, any(str(row.pk) in chosen for row in rows))
        for rows in groups.values()
    ]


@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    found = _load(request, pk, private=True)
    step = request.POST.get("step", "")
    answering = step in ("answer", "start", "done", "question", "approve_draft")
    preparing = step in ("acknowledge", "draft_answer")
    if (answering and not can_answer(request.user, found)) or (
        preparing and not can_prepare(request.user, found)
    ):
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
            return _answer(request, found)
        elif step == "draft_answer":
            return _answer(request, found, prepare=True)
        elif step == "approve_draft":
            actions.approve_draft(
                by=request.user, request=found, version=_posted_id(request, "version")
            )
            messages.success(request, _("Answer published."))
        elif step == "record":
            require(can_draft(request.user))
            return _record(request, found)
        elif step == "update":
            require(can_answer(request.user, found) or can_draft(request.user))
            return _update(request, found)
        elif step == "move_date":
            require(can_answer(request.user, found) or can_draft(request.user))
            return _move_date(request, found)
        elif step == "start":
            actions.start_work(by=request.user, request=found)
        elif step == "done":
            actions.mark_done(by=request.user, request=found)
        elif step == "remind":
            require(can_draft(request.user))
            if actions.remind_now(by=request.user, request=found):
                messages.success(request, _("Reminder sent: “%(title)s”.") % {"title": found.title})
            else:
                messages.info(
                    request, _("Already reminded today: “%(title)s”.") % {"title": found.title}
                )
            if request.POST.get("back") == "week":
                return redirect("week:week")
        elif step == "redirect":
            require(can_redirect(request.user, found))
            # Only the service, or where the city allows it, hands a request to an official.
            require(
                not request.POST.get("official") or can_delegate_to_an_official(request.user, found)
            )
            target = _redirect_form(request, found, request.POST)
            if not target.is_valid():
                raise actions.RequestError(_("Choose one official or one department."))
            why = _valid(RedirectNoteForm(request.POST))
            actions.redirect_request(
                by=request.user,
                request=found,
                note=why["note"],
                new_deadlines=why["new_deadlines"],
                **target.cleaned_data,
            )
            messages.success(request, _("Redirected; the history keeps the previous addressee."))
        elif step == "merge":
            require(can_draft(request.user))
            into = ids([request.POST.get("into", "")])
            keep = queries.merge_candidates(found).filter(pk__in=into).first()
            if keep is None:
                raise actions.RequestError(_("Choose the request to merge it into."))
            actions.merge_requests(by=request.user, keep=keep, duplicate=found)
            messages.success(request, _("Merged; every link now supports the request kept."))
            return redirect("official_requests:detail", pk=keep.pk)
        elif step == "question":
            asked = _valid(QuestionForm(request.POST))
            actions.ask_neighbourhood(by=request.user, request=found, question=asked["question"])
            messages.success(
                request,
                _(
                    "Question published: the residents who follow the request or spoke about it "
                    "are told, and it goes on the next workshop's sheet."
                ),
            )
        elif step == "note":
            actions.add_note(by=request.user, request=found, **_valid(NoteForm(request.POST)))
        elif step == "hide_reply":
            require(can_draft(request.user))
            reply = get_object_or_404(
                Reply, pk=_posted_id(request, "reply"), question__request=found
            )
            if actions.hide_reply(by=request.user, reply=reply):
                messages.success(request, _("Reply taken down; its place says so."))
            else:
                messages.info(request, _("This reply was taken down already."))
            return redirect(_question_url(found, reply.question_id))
        else:
            return HttpResponseBadRequest(_("Unknown step."))
    except actions.RequestError as error:
        messages.error(request, str(error))
    return redirect("official_requests:detail", pk=pk)


def _valid(form: forms.Form) -> dict[str, Any]:
    """The form's data, or its first error as the reason the step was refused."""
    if not form.is_valid():
        raise actions.RequestError(next(iter(form.errors.values()))[0])
    return form.cleaned_data


def _refused[F: AnswerForm](
    form_class: type[F], request: HttpRequest, found: Request, error: Exception
) -> F:
    """The form again with what was typed and why it was refused, on the current version: the
    same text can then be sent again on purpose."""
    typed = request.POST.copy()
    typed[form_class().add_prefix("version")] = str(Request.objects.get(pk=found.pk).version)
    form = form_class(typed)
    form.is_valid()
    form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
    return form


def _answer(request: HttpRequest, found: Request, *, prepare: bool = False) -> HttpResponse:
    """Publish (or, for a cabinet collaborator, `prepare`) an answer; when it is refused, the
    page comes back with what was typed."""
    reply = AnswerForm(request.POST)
    if reply.is_valid():
        data = reply.cleaned_data
        written = {name: data[name] for name in ("kind", "text", "planned_for", "what_changed")}
        try:
            if prepare:
                actions.draft_answer(by=request.user, request=found, **written)
            else:
                actions.answer(by=request.user, request=found, version=data["version"], **written)
        except actions.RequestError as error:
            reply = _refused(AnswerForm, request, found, error)
        else:
            if prepare:
                messages.success(
                    request, _("Answer prepared: the official is told and publishes it.")
                )
            else:
                messages.success(request, _("Answer published."))
            return redirect("official_requests:detail", pk=found.pk)
    messages.error(
        request,
        _("Your answer was not published: see why under “Your answer”. What you wrote is kept.")
        if not prepare
        else _("Your answer was not saved: see why under “Your answer”. What you wrote is kept."),
    )
    return _detail_page(request, found.pk, answer_form=reply)


def _update(request: HttpRequest, found: Request) -> HttpResponse:
    """Post a progress update; refused, the page keeps what was typed."""
    form = UpdateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.post_update(by=request.user, request=found, **form.cleaned_data)
        except actions.RequestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Update published; the residents who follow it are told."))
            return redirect("official_requests:detail", pk=found.pk)
    return _detail_page(request, found.pk, update_form=form)


def _move_date(request: HttpRequest, found: Request) -> HttpResponse:
    """Move a planned answer's date with its reason; refused, the page keeps what was typed."""
    form = MovePlannedDateForm(request.POST)
    if form.is_valid():
        try:
            actions.move_planned_date(by=request.user, request=found, **form.cleaned_data)
        except actions.RequestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Planned date moved; the residents who follow it are told.")
            )
            return redirect("official_requests:detail", pk=found.pk)
    return _detail_page(request, found.pk, move_form=form)


def _record(request: HttpRequest, found: Request) -> HttpResponse:
    """Record an answer received outside Palabre; refused, the page keeps what was typed."""
    reply = RecordAnswerForm(request.POST, request.FILES)
    if reply.is_valid():
        data = reply.cleaned_data
        try:
            actions.record_answer(
                by=request.user,
                request=found,
                kind=data["kind"],
                text=data["text"],
                version=data["version"],
                planned_for=data["planned_for"],
                received_via=data["received_via"],
                document=data["document"],
            )
        except (actions.RequestError, ValidationError) as error:
            reply = _refused(RecordAnswerForm, request, found, error)
        else:
            messages.success(request, _("Answer recorded; residents and followers are told."))
            return redirect("official_requests:detail", pk=found.pk)
    if "version" in reply.errors:  # a hidden field: its error would show nowhere
        reply.add_error(None, _("This page is out of date: reload it, then record the answer."))
    messages.error(
        request,
        _("The answer was not recorded: see why under “Record an answer”. What you wrote is kept."),
    )
    return _detail_page(request, found.pk, record_form=reply)


def _question_url(found: Request, question: int) -> str:
    return f"{reverse('official_requests:detail', args=[found.pk])}#question-{question}"


def _question(request: HttpRequest, pk: int, question: int) -> tuple[Request, Event]:
    """A visible request and one of its public questions, or 404."""
    found = queries.visible_requests(request.user).filter(pk=pk).first()
    asked = (
        Event.objects.filter(request=found, pk=question, kind=EventKind.QUESTION, is_public=True)
        .select_related("by")
        .first()
        if found is not None
        else None
    )
    if found is None or asked is None:
        raise Http404
    asked.request = found
    return found, asked


@require_http_methods(["GET", "POST"])
@limit_anonymous_writes("reply")
def reply(request: HttpRequest, pk: int, question: int) -> HttpResponse:
    """A resident replies to a question to the neighbourhood, with or without an account."""
    found, asked = _question(request, pk, question)
    form = ReplyForm(initial={"key": secrets.token_urlsafe(24)})
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                actions.reply_to_question(
                    by=request.user,
                    question=asked,
                    text=form.cleaned_data["text"],
                    key=form.cleaned_data["key"],
                    language=(get_language() or settings.LANGUAGE_CODE)[:2],
                    follow_it=form.cleaned_data["follow"],
                )
            except actions.RequestError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Thank you: your reply is under the question, for the officials to read."),
                )
                return redirect(_question_url(found, asked.pk))
    return render_page(
        request,
        "official_requests/reply.html",
        {"item": found, "question": asked, "form": form, "open": takes_replies(found)},
    )


@require_http_methods(["GET", "POST"])
def paper_replies(request: HttpRequest, pk: int, question: int) -> HttpResponse:
    """A facilitator types in the replies written on paper at a workshop."""
    require(can_transcribe(request.user))
    found, asked = _question(request, pk, question)
    workshops = past_in(request.user, found.neighbourhood).filter(starts_at__gte=asked.at)
    options = {"workshops": workshops}
    form = PaperRepliesForm(
        initial={
            "key": secrets.token_urlsafe(24),
            "workshop": workshops.first(),
            "language": (get_language() or settings.LANGUAGE_CODE)[:2],
        },
        **options,
    )
    if request.method == "POST":
        form = PaperRepliesForm(request.POST, **options)
        if form.is_valid():
            try:
                saved = actions.type_paper_replies(
                    by=request.user, question=asked, **form.cleaned_data
                )
            except actions.RequestError as error:
                form.add_error(None, str(error))
            else:
                if saved:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d reply typed in: it is under the question.",
                            "%(count)d replies typed in: they are under the question.",
                            saved,
                        )
                        % {"count": saved},
                    )
                else:
                    messages.info(request, _("These replies were typed in already."))
                return redirect(_question_url(found, asked.pk))
    return render_page(
        request,
        "official_requests/paper_replies.html",
        {"item": found, "question": asked, "form": form, "open": takes_replies(found)},
    )


@require_GET
def update_photo(request: HttpRequest, pk: int, update: int) -> FileResponse:
    """The photo of a public progress update, for whoever may read the request."""
    found = queries.visible_requests(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    event = (
        Event.objects.filter(request=found, pk=update, kind=EventKind.UPDATE, is_public=True)
        .exclude(photo="")
        .first()
    )
    if event is None:
        raise Http404
    return png_response(event.photo, cache="public, max-age=3600")


@require_GET
def answer_document(request: HttpRequest, pk: int) -> FileResponse:
    """The scan of an answer received outside Palabre: for the service and the addressee."""
    found = queries.visible_requests(request.user).filter(pk=pk).exclude(answer_document="").first()
    if found is None or not (can_draft(request.user) or can_answer(request.user, found)):
        raise Http404
    return png_response(found.answer_document, cache="private, no-store")


def _posted_id(request: HttpRequest, name: str) -> int:
    """The primary key posted as `name`, or 0 (which finds nothing) for anything else."""
    found = ids([request.POST.get(name, "")])
    return found[0] if found else 0


@require_http_methods(["GET", "POST"])
def departments(request: HttpRequest) -> HttpResponse:
    """The service says who answers for each department (their inbox gets its requests)."""
    require(can_draft(request.user))
    refused: dict[int, MemberForm] = {}
    if request.method == "POST":
        department = get_object_or_404(Department, pk=_posted_id(request, "department"))
        if request.POST.get("step") == "remove":
            member = get_object_or_404(department.members, pk=_posted_id(request, "member"))
            actions.remove_department_member(by=request.user, department=department, member=member)
            messages.success(
                request,
                _("%(name)s no longer answers for %(department)s.")
                % {"name": member.display_name, "department": department.name},
            )
            return redirect("official_requests:departments")
        form = MemberForm(request.POST, prefix=f"d{department.pk}")
        if form.is_valid():
            try:
                member = actions.add_department_member(
                    by=request.user, department=department, email=form.cleaned_data["email"]
                )
            except actions.RequestError as error:
                form.add_error("email", str(error))
            else:
                messages.success(
                    request,
                    _("%(name)s answers for %(department)s; they are told by email.")
                    % {"name": member.display_name, "department": department.name},
                )
                return redirect("official_requests:departments")
        refused[department.pk] = form
    rows = list(queries.departments_overview())
    for row in rows:
        row.member_form = refused.get(row.pk) or MemberForm(prefix=f"d{row.pk}")  # type: ignore[attr-defined]
    return render_page(request, "official_requests/departments.html", {"departments": rows})


@require_http_methods(["GET", "POST"])
def cabinets(request: HttpRequest) -> HttpResponse:
    """The service says who works in each official's cabinet; an official, whom of their
    cabinet publishes answers in their name."""
    user = request.user
    require(can_draft(user) or has_role(user, Role.OFFICIAL))
    refused: dict[int, MemberForm] = {}
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "allow":
            membership = get_object_or_404(
                CabinetMember.objects.select_related("collaborator"),
                pk=_posted_id(request, "member"),
                official=user.pk,
            )
            allowed = request.POST.get("allowed") == "1"
            actions.allow_publishing(by=user, membership=membership, allowed=allowed)
            message = (
                _("%(name)s may publish answers in your name; the page says they wrote them.")
                if allowed
                else _("%(name)s prepares answers; you publish them.")
            )
            messages.success(request, message % {"name": membership.collaborator.display_name})
            return redirect("official_requests:cabinets")
        require(can_draft(user))
        if step == "remove":
            membership = get_object_or_404(
                CabinetMember.objects.select_related("collaborator", "official"),
                pk=_posted_id(request, "member"),
            )
            actions.remove_cabinet_member(by=user, membership=membership)
            messages.success(
                request,
                _("%(name)s no longer works in the cabinet of %(official)s.")
                % {"name": membership.collaborator.display_name, "official": membership.official},
            )
            return redirect("official_requests:cabinets")
        official = get_object_or_404(queries.officials(), pk=_posted_id(request, "official"))
        form = MemberForm(request.POST, prefix=f"o{official.pk}")
        if form.is_valid():
            try:
                added = actions.add_cabinet_member(
                    by=user, official=official, email=form.cleaned_data["email"]
                )
            except actions.RequestError as error:
                form.add_error("email", str(error))
            else:
                messages.success(
                    request,
                    _("%(name)s works in the cabinet of %(official)s; they are told by email.")
                    % {"name": added.collaborator.display_name, "official": official},
                )
                return redirect("official_requests:cabinets")
        refused[official.pk] = form
    officials = queries.cabinets(None if can_draft(user) else cast(User, user))
    for row in officials:
        row.member_form = refused.get(row.pk) or MemberForm(prefix=f"o{row.pk}")  # type: ignore[attr-defined]
    return render_page(
        request,
        "official_requests/cabinets.html",
        {"officials": officials, "is_service": can_draft(user)},
    )


@require_GET
def portal(request: HttpRequest) -> HttpResponse:
    """The addressee's to-do list: late first, then due this week, then later; the requests
    with a decision under a "done" tab; filters by neighbourhood and theme; within each part,
    by deadline or by support across opinion groups."""
    require(is_signed_in(request.user))
    form = InboxFilterForm(request.GET or None, neighbourhoods=visible_neighbourhoods(request.user))
    chosen = form.cleaned_data if form.is_valid() else {}
    found = queries.to_do(
        request.user,
        neighbourhood_id=chosen["neighbourhood"].pk if chosen.get("neighbourhood") else None,
        theme_id=chosen["theme"].pk if chosen.get("theme") else None,
        by_support=chosen.get("order") == "support",
    )
    filters = request.GET.copy()
    filters.pop("vue", None)
    return render_page(
        request,
        "official_requests/portal.html",
        {
            "inbox": found,
            "form": form,
            "any_bridging": found.has_bridging,
            "min_voters": queries.BRIDGING_MIN_VOTERS,
            "show_done": request.GET.get("vue") == "faits",
            "filters": filters.urlencode(),
        },
    )


def _since_last_time_response(
    neighbourhood: Neighbourhood, workshop: Workshop | None, name: str
) -> HttpResponse:
    response = HttpResponse(
        since_last_time_pdf(neighbourhood, workshop), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="depuis-la-derniere-fois-{name}.pdf"'
    return response


@require_GET
def since_last_time(request: HttpRequest, slug: str) -> HttpResponse:
    """The sheet for the neighbourhood's next workshop (for the neighbourhood when none is
    planned), from the list of requests."""
    try:
        neighbourhood = visible_neighbourhoods(request.user).get(slug=slug)
    except Neighbourhood.DoesNotExist:
        raise Http404 from None
    return _since_last_time_response(
        neighbourhood, next_workshop_in(request.user, neighbourhood), slug
    )


@require_GET
def since_last_time_for(request: HttpRequest, pk: int) -> HttpResponse:
    """The sheet printed for one workshop, from its page: a workshop one may see, in a
    neighbourhood one may see (the requests of a hidden one are hidden too)."""
    try:
        workshop = visible_workshops(request.user).get(pk=pk, neighbourhood__isnull=False)
        neighbourhood = visible_neighbourhoods(request.user).get(workshops=workshop)
    except (Workshop.DoesNotExist, Neighbourhood.DoesNotExist):
        raise Http404 from None
    return _since_last_time_response(neighbourhood, workshop, f"{neighbourhood.slug}-{pk}")


@public_page(query=("start", "end"))
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """How each official and department answers, as rates over a period (this year unless
    the reader chooses another). The same for every reader: the figures are kept until the
    next change (ADR 0083), for the staff too."""
    form = PeriodForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    since = chosen.get("start") or today.replace(month=1, day=1)
    until = max(chosen.get("end") or today, since)
    rows = kept_value(
        "accountability", lambda: queries.accountability(since, until), since, until, today
    )
    chart = bar_chart(
        _("Requests decided on time, by official or department (%)"),
        _("Decided on time (%)"),
        [(row.name, row.decided_on_time.percent or 0) for row in rows if row.decided_on_time.whole],
        scale=100,
    )
    return render_page(
        request,
        "official_requests/figures.html",
        {"rows": rows, "chart": chart, "form": form, "since": since, "until": until},
    )


@require_POST
@limit_anonymous_writes("follow")
def follow_by_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a request without an account; the same answer whatever address is typed."""
    found = _load(request, pk)
    if found.status == Status.DRAFTED or found.merged_into_id is not None:
        raise Http404
    form = ContactFollowForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, pk, contact_form=form, status=400)
    actions.follow_by_contact(
        request=found,
        language=(get_language() or settings.LANGUAGE_CODE)[:2],
        **form.cleaned_data["contact"],
    )
    messages.success(
        request,
        _(
            "Thank you. If this address or number is right, you will get a message to "
            "confirm. Until then, we send you nothing else."
        ),
    )
    return redirect("official_requests:detail", pk=pk)


@require_http_methods(["GET", "POST"])
def followed(request: HttpRequest, token: str) -> HttpResponse:
    """The private page of someone following a request without an account: confirm, or stop.
    Opening it confirms nothing (mail scanners open links); a button does."""
    follower = holding(ContactFollower.objects.select_related("link", "request"), token).first()
    if follower is None:
        return link_gone(request)
    if request.method == "POST":
        following = request.POST.get("step") != "stop"
        actions.confirm_contact_follow(follower=follower, following=following)
        if not following:
            messages.success(request, _("Done: you receive no more news of this request."))
            return redirect("official_requests:detail", pk=follower.request_id)
        messages.success(request, _("Confirmed: you will receive the news of this request."))
        return redirect("official_requests:followed", token=token)
    # A private page (its `token`): never cached, never logged whole (ADR 0044).
    return render_page(
        request, "official_requests/followed.html", {"follower": follower, "item": follower.request}
    )


@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    found = _load(request, pk)
    require(is_signed_in(request.user) and found.status != Status.DRAFTED)
    actions.follow(by=request.user, request=found, following=not request.POST.get("stop"))
    return redirect("official_requests:detail", pk=pk)


def _year(data: Any) -> int:
    """The year asked for (`annee`), or the current one for anything missing or out of range."""
    form = YearForm(data)
    chosen = form.cleaned_data.get("annee") if form.is_valid() else None
    return chosen or timezone.localdate().year


def _calendar_of(year: int) -> str:
    return f"{reverse('official_requests:closed_days')}?{urlencode({'annee': year})}"


def _day_named(closed: ClosedDay) -> dict[str, str]:
    """The day and its name as the reader's messages say them."""
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "day": date_format(closed.day, "l j F Y"),
        "name": name_in(closed.day, closed.name, language),
    }


@require_http_methods(["GET", "POST"])
def closed_days(request: HttpRequest) -> HttpResponse:
    """The service keeps the calendar of closed days that deadlines skip, one year at a time
    (legal holidays and usual closures preset once per year)."""
    require(is_staff_member(request.user))
    year = _year(request.POST if request.method == "POST" else request.GET)
    form = ClosedDayForm()
    if request.method == "POST":
        if request.POST.get("step") == "remove":
            found = ClosedDay.objects.filter(pk=_posted_id(request, "closed_day")).first()
            if found is None:  # a second click, or a day another coordinator removed
                messages.info(request, _("This day is not closed any more."))
                return redirect(_calendar_of(year))
            named = _day_named(found)
            actions.remove_closed_day(by=request.user, closed_day=found)
            messages.success(
                request,
                _(
                    "The city works on %(day)s (%(name)s): deadlines of requests sent from now "
                    "on count that day."
                )
                % named,
            )
            return redirect(_calendar_of(found.day.year))
        form = ClosedDayForm(request.POST)
        if form.is_valid():
            year = form.cleaned_data["day"].year  # a refused day shows among its year's
            try:
                added = actions.add_closed_day(by=request.user, **form.cleaned_data)
            except actions.RequestError as error:
                form.add_error("day", str(error))
            else:
                # A weekend day is kept (the calendar is the city's), but changes no deadline.
                message = (
                    _(
                        "Closed on %(day)s: %(name)s. It is a weekend day, which deadlines skip "
                        "anyway."
                    )
                    if added.day.weekday() >= 5
                    else _(
                        "Closed on %(day)s: %(name)s. Deadlines of requests sent from now on "
                        "skip that day."
                    )
                )
                messages.success(request, message % _day_named(added))
                return redirect(_calendar_of(added.day.year))
    actions.ensure_calendar([year])
    language = get_language() or settings.LANGUAGE_CODE
    return render_page(
        request,
        "official_requests/closed_days.html",
        {
            "year": year,
            "days": queries.closed_days_of(year, language),
            "form": form,
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < LAST_YEAR else None,
        },
    )


@require_http_methods(["GET", "POST"])
def answer_templates(request: HttpRequest) -> HttpResponse:
    """The ready answers officials start from, by kind, and a form to add one."""
    require(is_staff_member(request.user))
    form = AnswerTemplateForm()
    if request.method == "POST":
        form = AnswerTemplateForm(request.POST)
        if form.is_valid():
            try:
                added = actions.save_answer_template(
                    by=request.user, template=AnswerTemplate(**form.cleaned_data)
                )
            except actions.RequestError as error:
                form.add_error("title", str(error))
            else:
                messages.success(
                    request,
                    _("Template “%(title)s” added: officials find it when they answer.")
                    % {"title": added.title},
                )
                return redirect("official_requests:answer_templates")
    return render_page(
        request,
        "official_requests/answer_templates.html",
        {"groups": queries.answer_templates_by_kind(), "form": form},
    )


@require_http_methods(["GET", "POST"])
def answer_template(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one ready answer, or delete it after a confirmation (no JavaScript needed)."""
    require(is_staff_member(request.user))
    step = request.POST.get("step", "save")
    found = AnswerTemplate.objects.filter(pk=pk).first()
    if found is None:
        if request.method == "POST" and step == "delete_confirmed":  # a second click
            messages.info(request, _("This template was deleted already."))
            return redirect("official_requests:answer_templates")
        raise Http404
    form = AnswerTemplateForm(
        initial={"title": found.title, "kind": found.kind, "text": found.text}
    )
    confirming = False
    if request.method == "POST":
        if step == "delete":
            confirming = True
        elif step == "delete_confirmed":
            actions.delete_answer_template(by=request.user, template=found)
            messages.success(
                request,
                _("Template “%(title)s” deleted; the answers written from it stay as published.")
                % {"title": found.title},
            )
            return redirect("official_requests:answer_templates")
        elif step == "save":
            form = AnswerTemplateForm(request.POST)
            if form.is_valid():
                try:
                    saved = actions.save_answer_template(
                        by=request.user, template=AnswerTemplate(pk=found.pk, **form.cleaned_data)
                    )
                except actions.RequestError as error:
                    form.add_error("title", str(error))
                else:
                    messages.success(
                        request, _("Template “%(title)s” saved.") % {"title": saved.title}
                    )
                    return redirect("official_requests:answer_templates")
        else:
            return HttpResponseBadRequest(_("Unknown step."))
    return render_page(
        request,
        "official_requests/answer_template.html",
        {"answer_template": found, "form": form, "confirming": confirming},
    )
