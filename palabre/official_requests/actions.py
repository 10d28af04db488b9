"""Writes on requests to officials: draft, send, acknowledge, answer, follow up.

The life cycle is a table of allowed moves; a move outside it is refused with the reason. Every
move is timestamped in a public Event. Deadlines are dates computed at sending, over the closed
days of the city's calendar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from palabre.accounts.models import RequestNews, Role, User
from palabre.accounts.permissions import is_signed_in, is_staff_member
from palabre.contributions.actions import tell_authors
from palabre.contributions.models import Contribution, Theme
from palabre.contributions.permissions import can_transcribe
from palabre.core.concurrency import update_if_version
from palabre.core.images import clean_image
from palabre.core.translations import kept_translations
from palabre.links.actions import create_link, may_send_now, revoke
from palabre.links.actions import url_of as link_url
from palabre.links.models import AccessLink, Purpose
from palabre.neighbourhoods.models import Neighbourhood
from palabre.official_requests import calendar
from palabre.official_requests.models import (
    TRANSLATED_FIELDS,
    AnswerDraft,
    AnswerKind,
    AnswerTemplate,
    CabinetMember,
    ClosedDay,
    ContactFollower,
    Department,
    Event,
    EventKind,
    Follower,
    Notice,
    Nudge,
    PresetYear,
    Progress,
    ReceivedVia,
    Reply,
    Request,
    Status,
    active_language,
)
from palabre.official_requests.permissions import (
    can_answer,
    can_ask_support,
    can_delegate_to_an_official,
    can_draft,
    can_prepare,
    can_redirect,
    is_addressee,
    takes_replies,
)
from palabre.official_requests.queries import attachable_statements
from palabre.outbox.actions import queue_mail, queue_sms
from palabre.workshops.models import Workshop

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from palabre.conversations.models import Statement
    from palabre.initiatives.models import Initiative

# Allowed moves of the life cycle (answering again is how an answer is revised).
MOVES: dict[str, frozenset[str]] = {
    Status.DRAFTED: frozenset({Status.SENT}),
    Status.SENT: frozenset({Status.ACKNOWLEDGED, Status.ANSWERED}),
    Status.ACKNOWLEDGED: frozenset({Status.ANSWERED}),
    Status.ANSWERED: frozenset({Status.ANSWERED, Status.IN_PROGRESS, Status.DONE}),
    Status.IN_PROGRESS: frozenset({Status.DONE}),
    Status.DONE: frozenset(),
}


# The statuses in which a deadline can still be waited for.
WAITING = frozenset({Status.SENT, Status.ACKNOWLEDGED, Status.ANSWERED, Status.IN_PROGRESS})


class RequestError(Exception):
    """A change to a request that cannot be made, with the reason for a person."""


def closed_days() -> set[date]:
    """The days the administration is closed, from the city's calendar."""
    return set(ClosedDay.objects.values_list("day", flat=True))


def ensure_calendar(years: Iterable[int]) -> None:
    """Preset the legal holidays and the usual local closures of each year, once per year
    (one read when every year is preset already)."""
    wanted = set(years)
    for year in sorted(
        wanted - set(PresetYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    ):
        # The year's marker, not its closed days, says whether it was preset: a closure the city
        # entered first must not hide the legal holidays, and one it removed later stays removed.
        try:
            with transaction.atomic():
                PresetYear.objects.create(year=year)
        except IntegrityError:
            continue
        ClosedDay.objects.bulk_create(
            [ClosedDay(day=d, name=n) for d, n in calendar.usual_closures(year).items()],
            ignore_conflicts=True,  # a day the city entered already keeps its name
        )


# The calendar of closed days and the ready answers: the service's reference data. A change to
# the calendar counts for the requests sent from then on: those already sent keep the dates their
# addressee was given (in the email that sent the request) and their reminders already queued.


def add_closed_day(*, by: Any, day: date, name: str) -> ClosedDay:
    """Close the administration on `day`: deadlines of requests sent from now on skip it; a day
    closed already is refused (the unique day decides between two submits)."""
    if not is_staff_member(by):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise RequestError(_("Give the closed day its name."))
    # Preset its year first (kept even when the day is refused: the page then shows the day
    # closed already): a legal holiday is found closed, not added a second time.
    ensure_calendar([day.year])
    try:
        with transaction.atomic():
            return ClosedDay.objects.create(day=day, name=name)
    except IntegrityError:
        raise RequestError(_("This day is closed already: it is in the calendar below.")) from None


@transaction.atomic
def remove_closed_day(*, by: Any, closed_day: ClosedDay) -> None:
    """The city works on `closed_day` after all: deadlines count it again (removing it twice
    changes nothing)."""
    if not is_staff_member(by):
        raise PermissionDenied
    ClosedDay.objects.filter(pk=closed_day.pk).delete()


@transaction.atomic
def save_answer_template(*, by: Any, template: AnswerTemplate) -> AnswerTemplate:
    """Add or change a ready answer officials start from; titles are unique (case aside)."""
    if not is_staff_member(by):
        raise PermissionDenied
    if template.kind not in AnswerKind.values:
        raise RequestError(_("Choose the kind of answer."))
    template.title, template.text = template.title.strip(), template.text.strip()
    if not template.title or not template.text:
        raise RequestError(_("Give the template a title and a text."))
    fields = {"title": template.title, "kind": template.kind, "text": template.text}
    try:
        with transaction.atomic():
            if template.pk is None:
                template.save()
            elif not AnswerTemplate.objects.filter(pk=template.pk).update(**fields):
                raise RequestError(
                    _("Someone deleted this template meanwhile: add it again from the list.")
                )
    except IntegrityError:
        raise RequestError(
            _("Another template already has this title: choose a different one.")
        ) from None
    return template


@transaction.atomic
def delete_answer_template(*, by: Any, template: AnswerTemplate) -> None:
    """Delete a ready answer (the answers written from it stay as published)."""
    if not is_staff_member(by):
        raise PermissionDenied
    AnswerTemplate.objects.filter(pk=template.pk).delete()


def _move(
    request: Request,
    target: Status,
    *,
    by: Any,
    note: str = "",
    version: int | None = None,
    **fields: Any,
) -> None:
    """Change the status if the life cycle allows it from the current one (re-read in SQL);
    with a `version`, only if the answer is still at that version (checked in the UPDATE)."""
    current = Request.objects.filter(pk=request.pk).values_list("status", flat=True).get()
    if target not in MOVES[current]:
        raise RequestError(
            _("A request that is “%(current)s” cannot become “%(target)s”.")
            % {"current": Status(current).label, "target": Status(target).label}
        )
    unchanged = Request.objects.filter(status=current)
    if version is not None:
        if not update_if_version(unchanged, request.pk, version, status=target, **fields):
            raise RequestError(
                _("Someone else changed this answer meanwhile: read their version before yours.")
            )
        request.version = version + 1
    elif not unchanged.filter(pk=request.pk).update(status=target, **fields):
        raise RequestError(_("Someone changed this request meanwhile; reload it."))
    request.status = target
    for name, value in fields.items():
        setattr(request, name, value)
    Event.objects.create(
        request=request,
        status=target,
        note=note,
        by=by,
        # Sent: who has it from now on (the figures count how long each holder kept it).
        official=fields.get("official"),
        department=fields.get("department"),
    )


@transaction.atomic
def draft_request(
    *,
    by: Any,
    neighbourhood: Neighbourhood,
    title: str,
    asked: str,
    why: str = "",
    contributions: Iterable[Contribution] = (),
    themes: Iterable[Theme] = (),
    workshop: Workshop | None = None,
    residents_present: int | None = None,
    initiative: Initiative | None = None,
    statements: Iterable[Statement] = (),
) -> Request:
    """Draft a request from contributions, statements of opinion conversations and/or a
    workshop decision (the service), or the support a citizen action needs (its leads too)."""
    if not (can_draft(by) or can_ask_support(by, initiative)):
        raise PermissionDenied
    statements = list(statements)
    wanted = {statement.pk for statement in statements}
    if wanted and attachable_statements(by).filter(pk__in=wanted).count() != len(wanted):
        raise RequestError(_("Choose statements open to votes in conversations you can see."))
    if initiative is not None and initiative.neighbourhood_id != neighbourhood.pk:
        raise RequestError(_("This citizen action takes place in another neighbourhood."))
    contributions = list(contributions)
    if any(c.neighbourhood_id != neighbourhood.pk for c in contributions):
        raise RequestError(_("Every contribution must come from this neighbourhood."))
    if workshop is not None and workshop.neighbourhood_id != neighbourhood.pk:
        raise RequestError(_("This workshop took place in another neighbourhood."))
    if not title.strip() or not asked.strip():
        raise RequestError(_("Say what is asked, with a title."))
    request = Request.objects.create(
        neighbourhood=neighbourhood,
        title=title.strip(),
        asked=asked.strip(),
        why=why.strip(),
        workshop=workshop,
        residents_present=residents_present,
        initiative=initiative,
        created_by=by,
    )
    request.contributions.set(contributions)
    request.statements.set(statements)
    request.themes.set(set(themes) | {t for c in contributions for t in c.themes.all()})
    Event.objects.create(request=request, status=Status.DRAFTED, by=by)
    return request


def set_request_texts(
    *, by: Any, request: Request, language: str, translations: dict[str, dict[str, Any]]
) -> Request:
    """Save the language the service wrote the request in and its translations of the title,
    what is asked and why (the service). An empty translation shows the original."""
    if not can_draft(by):
        raise PermissionDenied
    if language not in dict(settings.LANGUAGES):
        raise RequestError(_("Choose one of the site's languages."))
    request.language = language
    request.translations = kept_translations(
        translations, original=language, fields=TRANSLATED_FIELDS
    )
    request.save(update_fields=["language", "translations"])
    return request


@transaction.atomic
def send_request(
    *,
    by: Any,
    request: Request,
    official: User | None = None,
    department: Department | None = None,
) -> Request:
    """Address the request and send it; the deadlines start from today."""
    if not can_draft(by):
        if not can_ask_support(by, request.initiative):
            raise PermissionDenied
        if official is not None or department is None:
            raise RequestError(_("A citizen action asks a city department for its support."))
    if official is None and department is None:
        raise RequestError(_("Choose the official or the department it is addressed to."))
    if official is not None and official.role != Role.OFFICIAL:
        raise RequestError(_("Only an elected official can be addressed."))
    now = timezone.now()
    today = timezone.localdate(now)
    ensure_calendar([today.year, today.year + 1])  # a deadline may fall next year
    closed = closed_days()
    _move(
        request,
        Status.SENT,
        by=by,
        official=official,
        department=department,
        sent_at=now,
        acknowledge_by=calendar.add_working_days(
            today, settings.REQUEST_ACKNOWLEDGE_WORKING_DAYS, closed
        ),
        answer_by=calendar.add_calendar_days(today, settings.REQUEST_ANSWER_DAYS, closed),
    )
    schedule_notices(request, closed)
    _tell_addressee(request)
    return request


def _page_url(request: Request) -> str:
    """The request's public page, as an email gives it."""
    return f"{settings.SITE_URL}{reverse('official_requests:detail', args=[request.pk])}"


def _deadline_body(request: Request, *, template: str, step: str, due: date) -> str:
    """The text of a reminder or an escalation about `step`, due on `due` (in the active
    language)."""
    return render_to_string(
        f"official_requests/email/{template}.txt",
        {
            "request": request,
            "step": Notice.Step(step).label,
            "due": due,
            "url": _page_url(request),
        },
    )


def _tell_addressee(request: Request) -> None:
    """Email the new request to its addressee, the coordinators in copy (through the outbox)."""
    copy = list(
        User.objects.filter(role=Role.COORDINATOR, is_active=True).values_list("email", flat=True)
    )

    def write() -> tuple[str, str]:
        body = render_to_string(
            "official_requests/email/sent.txt", {"request": request, "url": _page_url(request)}
        )
        return _("A request from residents: %(title)s") % {"title": request.local_title}, body

    _write_to_addressees(request, write, kind="request sent", cc=copy, news=True)


def _require_addressee(by: Any, request: Request) -> None:
    if not can_answer(by, request):
        raise PermissionDenied


@transaction.atomic
def acknowledge(*, by: Any, request: Request) -> Request:
    """The addressee (or the official's cabinet) says the request was received and will be
    answered."""
    if not can_prepare(by, request):
        raise PermissionDenied
    _move(request, Status.ACKNOWLEDGED, by=by, acknowledged_at=timezone.now())
    return request


ANSWERABLE = (Status.SENT, Status.ACKNOWLEDGED, Status.ANSWERED)


@transaction.atomic
def draft_answer(
    *,
    by: Any,
    request: Request,
    kind: AnswerKind | str,
    text: str,
    planned_for: date | None = None,
    what_changed: str = "",
) -> AnswerDraft:
    """A cabinet collaborator prepares the answer for the official to approve (a new draft
    replaces the previous one); the official is told, in their language."""
    if not can_prepare(by, request) or request.official is None:
        raise PermissionDenied
    if request.status not in ANSWERABLE:
        raise RequestError(_("The work has started: the answer can no longer change."))
    if kind not in AnswerKind.values:
        raise RequestError(_("Choose the kind of answer."))
    if not text.strip():
        raise RequestError(_("Write the answer residents will read."))
    if kind == AnswerKind.PLANNED and planned_for is None:
        raise RequestError(_("Give the date it is planned for."))
    draft, _created = AnswerDraft.objects.update_or_create(
        request=request,
        defaults={
            "kind": kind,
            "text": text.strip(),
            "planned_for": planned_for if kind == AnswerKind.PLANNED else None,
            "what_changed": what_changed.strip(),
            "written_by": by,
            "written_at": timezone.now(),
        },
    )
    Event.objects.create(
        request=request,
        kind=EventKind.NOTE,
        is_public=False,
        by=by,
        note=_("Answer prepared for approval."),
    )
    _write_to(
        request.official,
        template="official_requests/email/draft.txt",
        context={"request": request, "draft": draft, "url": _page_url(request)},
        subject=lambda: _("An answer to approve: %(title)s") % {"title": request.local_title},
        kind="request draft",
    )
    return draft


def _write_to(
    person: User, *, template: str, context: dict[str, Any], subject: Callable[[], str], kind: str
) -> None:
    """Queue an email to one person, written in their language (`subject()` too)."""
    language = person.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string(template, context)
        title = subject()
    queue_mail(to=[person.email], subject=title, body=body, kind=kind, language=language)


@transaction.atomic
def approve_draft(*, by: Any, request: Request, version: int) -> Request:
    """The official publishes the answer their cabinet prepared, as it is: from the official,
    written by the collaborator (the public page says so)."""
    if not is_addressee(by, request) or request.status == Status.DRAFTED:
        raise PermissionDenied
    draft = AnswerDraft.objects.select_for_update().filter(request=request).first()
    if draft is None:
        raise RequestError(_("There is no prepared answer any more: reload the page."))
    _publish_answer(
        by=draft.written_by or by,
        request=request,
        kind=draft.kind,
        text=draft.text,
        version=version,
        planned_for=draft.planned_for,
        what_changed=draft.what_changed,
    )
    return request


@transaction.atomic
def answer(
    *,
    by: Any,
    request: Request,
    kind: AnswerKind | str,
    text: str,
    version: int,
    planned_for: date | None = None,
    what_changed: str = "",
) -> Request:
    """Answer (or revise the answer) in writing; a stale `version` is a conflict, not an
    overwrite. Planned answers need a date; refusals need reasons; a revision says what
    changed, for the residents who read the first answer."""
    _require_addressee(by, request)
    return _publish_answer(
        by=by,
        request=request,
        kind=kind,
        text=text,
        version=version,
        planned_for=planned_for,
        what_changed=what_changed,
    )


@transaction.atomic
def record_answer(
    *,
    by: Any,
    request: Request,
    kind: AnswerKind | str,
    text: str,
    version: int,
    received_via: ReceivedVia | str,
    planned_for: date | None = None,
    document: UploadedFile[bytes] | None = None,
) -> Request:
    """The service records an answer the addressee gave outside Palabre (email, letter, phone,
    meeting), so that no request stays stuck: it remains the addressee's answer, marked as
    received that way and recorded by the service, with a scan or photo if there is one."""
    if not can_draft(by):
        raise PermissionDenied
    if received_via not in ReceivedVia.values:
        raise RequestError(_("Say how the answer was received."))
    stored = clean_image(document) if document is not None else None
    _publish_answer(
        by=by,
        request=request,
        kind=kind,
        text=text,
        version=version,
        planned_for=planned_for,
        answer_received_via=received_via,
    )
    if stored is not None:
        request.answer_document.save(f"answer-{request.pk}.png", stored, save=False)
        Request.objects.filter(pk=request.pk).update(answer_document=request.answer_document.name)
    return request


def _publish_answer(
    *,
    by: Any,
    request: Request,
    kind: AnswerKind | str,
    text: str,
    version: int,
    planned_for: date | None,
    answer_received_via: str = "",
    what_changed: str = "",
) -> Request:
    if kind not in AnswerKind.values:
        raise RequestError(_("Choose the kind of answer."))
    text = text.strip()
    if not text:
        raise RequestError(_("Write the answer residents will read."))
    if kind == AnswerKind.PLANNED and planned_for is None:
        raise RequestError(_("Give the date it is planned for."))
    conflict = _("Someone else changed this answer meanwhile: read their version before yours.")
    if version != request.version:  # said first: the UPDATE below refuses it anyway
        raise RequestError(conflict)
    revising = request.answered_at is not None
    what_changed = what_changed.strip()
    if revising and not answer_received_via and not what_changed:
        raise RequestError(_("Say in a few words what changed: residents read the first answer."))
    # The version is a condition of the UPDATE: of two revisions from the same version, the
    # database keeps the first and refuses the second (a read before the write would let both in).
    _move(
        request,
        Status.ANSWERED,
        by=by,
        note=_("Answer revised: %(what)s") % {"what": what_changed} + f"\n\n{text}"
        if revising and what_changed
        else text,
        version=version,
        answer_kind=kind,
        answer_text=text,
        answer_language=active_language(),
        planned_for=planned_for if kind == AnswerKind.PLANNED else None,
        answered_at=timezone.now(),
        answer_received_via=answer_received_via,
        # Credited to whoever has the request now, written by `by` (issue 15, item 2).
        answer_from_official=request.official,
        answer_from_department=request.department,
        answered_by=by,
    )
    AnswerDraft.objects.filter(request=request).delete()  # answered: nothing left to approve
    _tell_residents(request, change=what_changed if revising else "")
    return request


@transaction.atomic
def move_planned_date(
    *, by: Any, request: Request, planned_for: date, reason: str, version: int
) -> Request:
    """A planned answer's date moves (delayed, or sooner): the new date and why are public, and
    the followers and the authors of what was said are told. A stale `version` is a conflict."""
    if not (can_answer(by, request) or can_draft(by)):
        raise PermissionDenied
    if request.answer_kind != AnswerKind.PLANNED or request.status not in (
        Status.ANSWERED,
        Status.IN_PROGRESS,
    ):
        raise RequestError(_("Only the date of a planned answer, not done yet, can move."))
    reason = reason.strip()
    if not reason:
        raise RequestError(_("Say why the date moves: residents read it."))
    if planned_for == request.planned_for:
        raise RequestError(_("This is already the planned date."))
    before = request.planned_for
    if not update_if_version(
        Request.objects.filter(status=request.status), request.pk, version, planned_for=planned_for
    ):
        raise RequestError(
            _("Someone else changed this answer meanwhile: read their version before yours.")
        )
    request.version, request.planned_for = version + 1, planned_for
    Event.objects.create(
        request=request,
        kind=EventKind.NOTE,
        by=by,
        note=_("Planned date moved from %(before)s to %(after)s: %(reason)s")
        % {
            "before": date_format(before, "DATE_FORMAT") if before else "—",
            "after": date_format(planned_for, "DATE_FORMAT"),
            "reason": reason,
        },
    )
    _tell_residents(request, change=reason, moved_from=before)
    return request


def _tell_residents(request: Request, template: str = "", **news: Any) -> None:
    """Tell the authors of what the request rests on and its followers: an answer, what
    changed in it, a planned date that moved, a progress update (`template` for the last)."""
    tell_authors(
        request.contributions.select_related("author", "neighbourhood"),
        template or "official_requests/email/answered.txt",
        request=request,
        **news,
    )
    _tell_followers(request, template or "official_requests/email/followed.txt", **news)


def _tell_followers(request: Request, template: str, **news: Any) -> None:
    """Email the people who follow the request, in their language (through the outbox);
    `news`: what changed (`change`), the planned date before (`moved_from`), an update."""
    url = _page_url(request)
    for follower in request.followers.select_related("user"):
        person = follower.user
        with translation.override(person.preferred_language):
            body = render_to_string(template, {"request": request, "url": url, **news})
            subject = _news_subject(request, news)
        queue_mail(
            to=[person.email],
            subject=subject,
            body=body,
            kind="request answer",
            language=person.preferred_language,
        )
    # People without an account who confirmed: the same email with a link to stop, or a text.
    answered = not {"question", "update"} & news.keys() and request.answer_kind
    for contact in request.contacts.filter(confirmed_at__isnull=False).select_related("link"):
        with translation.override(contact.language):
            subject = _news_subject(request, news)
            # A text message carries what the answer is, in the reader's words ("accepted"),
            # not the answer itself, which is written in the service's language.
            gist = f" · {request.get_answer_kind_display()}" if answered else ""
            _tell_contact(
                contact,
                subject=subject,
                template=template,
                context={
                    "request": request,
                    "url": url,
                    "stop_url": link_url(contact.link),
                    **news,
                },
                text=f"Palabre · {subject}{gist} {url}",
                kind="request answer",
            )


def _tell_contact(
    contact: ContactFollower,
    *,
    subject: str,
    template: str,
    context: dict[str, Any],
    text: str,
    kind: str,
) -> None:
    """Write to someone following without an account, in the active language: the email
    `template` by email, or `text` by SMS."""
    if contact.email:
        body = render_to_string(template, context)
        queue_mail(
            to=[contact.email], subject=subject, body=body, kind=kind, language=contact.language
        )
    else:
        queue_sms(to=contact.phone, text=text, kind=kind)


def _news_subject(request: Request, news: dict[str, Any]) -> str:
    """The subject of a follower's email about `news` of `request`, in the active language."""
    if "question" in news:
        subject = _("A question to the neighbourhood: %(title)s")
    elif "update" in news:
        subject = _("News: %(title)s")
    else:
        subject = _("Answer: %(title)s")
    return subject % {"title": request.local_title}


def follow(*, by: Any, request: Request, following: bool) -> None:
    """Follow (or stop following) a sent request; following twice changes nothing."""
    if not is_signed_in(by) or request.status == Status.DRAFTED:
        raise PermissionDenied
    if not following:
        Follower.objects.filter(request=request, user=by).delete()
        return
    try:
        with transaction.atomic():
            Follower.objects.create(request=request, user=by)
    except IntegrityError:
        pass  # already following


def _ask_to_follow(
    request: Request, language: str, contact: dict[str, str]
) -> ContactFollower | None:
    """A new contact follower of `request`, or the one asked already and not yet confirmed;
    None when that address follows it already (the unique constraints decide)."""
    try:
        with transaction.atomic():
            link = create_link(purpose=Purpose.REQUEST, language=language, **contact)
            return ContactFollower.objects.create(
                request=request, language=language, link=link, **contact
            )
    except IntegrityError:
        found = ContactFollower.objects.select_related("link")
        return found.filter(request=request, confirmed_at=None, **contact).first()


def follow_by_contact(*, request: Request, email: str = "", phone: str = "", language: str) -> None:
    """Someone without an account asks for the news of `request` by email or text message: a
    message to that address asks them to confirm (nothing else is sent before). The answer is
    the same whoever types what: an address already following, or asked again within minutes,
    gets nothing more (a stranger cannot flood someone's inbox)."""
    if request.status == Status.DRAFTED or request.merged_into_id is not None:
        raise PermissionDenied
    contact = {"email": email.strip().lower()} if email.strip() else {"phone": phone}
    follower = _ask_to_follow(request, language, contact)
    if follower is None or not may_send_now(follower.link):
        return
    url = link_url(follower.link)
    with translation.override(follower.language):
        _tell_contact(
            follower,
            subject=_("Confirm: news of “%(title)s”") % {"title": request.local_title},
            template="official_requests/email/confirm_follow.txt",
            context={"request": request, "url": url},
            text=_("Palabre: to get the news of “%(title)s” by text message, confirm here: %(url)s")
            % {"title": request.local_title, "url": url},
            kind="request follow confirmation",
        )


# The news of a request ends with it: contact followers are forgotten this long after it is done
# or merged into another (data minimisation; ADR 0063).
CONTACTS_KEPT_AFTER_DONE = timedelta(days=90)


def forget_contact_followers(*, now: datetime | None = None) -> int:
    """Delete the email addresses and numbers following requests done (or merged) long enough
    ago, and close their private links; return how many were forgotten."""
    before = (now or timezone.now()) - CONTACTS_KEPT_AFTER_DONE
    over = ContactFollower.objects.filter(
        Q(request__done_at__lte=before)
        | Q(request__merged_into__isnull=False, request__created_at__lte=before)
    )
    links = list(over.values_list("link_id", flat=True))
    forgotten, _ = over.delete()
    AccessLink.objects.filter(pk__in=links, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return forgotten


def confirm_contact_follow(*, follower: ContactFollower, following: bool) -> None:
    """Confirm following by email or text message, or stop (the private link then closes)."""
    if following:
        ContactFollower.objects.filter(pk=follower.pk, confirmed_at=None).update(
            confirmed_at=timezone.now()
        )
        return
    ContactFollower.objects.filter(pk=follower.pk).delete()
    revoke(link=follower.link)


@transaction.atomic
def start_work(*, by: Any, request: Request, note: str = "") -> Request:
    """The work answered for has started."""
    _require_addressee(by, request)
    _move(request, Status.IN_PROGRESS, by=by, note=note.strip())
    return request


@transaction.atomic
def mark_done(*, by: Any, request: Request, note: str = "") -> Request:
    """What was asked is done."""
    _require_addressee(by, request)
    _move(request, Status.DONE, by=by, note=note.strip(), done_at=timezone.now())
    return request


@transaction.atomic
def post_update(
    *,
    by: Any,
    request: Request,
    note: str,
    progress: Progress | str = Progress.NEWS,
    photo: UploadedFile[bytes] | None = None,
) -> Event:
    """A public progress update on an answered request (news, the work started, it is done),
    with a photo if there is one; the followers and the authors of what was said are told."""
    if not (can_answer(by, request) or can_draft(by)):
        raise PermissionDenied
    if request.status not in (Status.ANSWERED, Status.IN_PROGRESS):
        raise RequestError(_("Updates are posted once the request is answered, until it is done."))
    if progress not in Progress.values:
        raise RequestError(_("Say what the update is about."))
    note = note.strip()
    if progress == Progress.NEWS and not note and photo is None:
        raise RequestError(_("Write the news, or add a photo."))
    stored = clean_image(photo) if photo is not None else None
    if progress == Progress.STARTED:
        _move(request, Status.IN_PROGRESS, by=by)
    elif progress == Progress.DONE:
        _move(request, Status.DONE, by=by, done_at=timezone.now())
    update = Event.objects.create(request=request, kind=EventKind.UPDATE, note=note, by=by)
    if stored is not None:
        update.photo.save(f"update-{request.pk}-{update.pk}.png", stored, save=False)
        Event.objects.filter(pk=update.pk).update(photo=update.photo.name)
    _tell_residents(
        request,
        template="official_requests/email/update.txt",
        update=note,
        progress=Progress(progress).label,
    )
    return update


@transaction.atomic
def add_department_member(*, by: Any, department: Department, email: str) -> User:
    """Let the account using `email` answer for `department` (its requests reach their inbox),
    and tell them; adding someone twice changes nothing."""
    if not can_draft(by):
        raise PermissionDenied
    member = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if member is None:
        raise RequestError(
            _(
                "No account uses this address. An administrator creates it first (back-office, "
                "accounts); then add the person here."
            )
        )
    # The through table's unique pair decides: of two adds at once, one tells the person.
    _row, created = Department.members.through.objects.get_or_create(
        department_id=department.pk, user_id=member.pk
    )
    if not created:
        return member
    _write_to(
        member,
        template="official_requests/email/department_member.txt",
        context={
            "member": member,
            "department": department,
            "inbox_url": f"{settings.SITE_URL}{reverse('official_requests:portal')}",
        },
        subject=lambda: (
            _("You answer for %(department)s in Palabre") % {"department": department.name}
        ),
        kind="department member",
    )
    return member


def remove_department_member(*, by: Any, department: Department, member: User) -> None:
    """Stop `member` answering for `department` (their past answers stay theirs)."""
    if not can_draft(by):
        raise PermissionDenied
    department.members.remove(member)


# Cabinets: who prepares the answers of each official (ADR 0062) --------------------------------

# The roles an account may have before joining a cabinet: a resident's account becomes a
# collaborator's; the service's, a facilitator's or an official's keep their role.
JOINS_A_CABINET = (Role.RESIDENT, Role.CABINET)


@transaction.atomic
def add_cabinet_member(*, by: Any, official: User, email: str) -> CabinetMember:
    """The account using `email` works in `official`'s cabinet from now on (and is told);
    adding them twice changes nothing."""
    if not can_draft(by):
        raise PermissionDenied
    if official.role != Role.OFFICIAL:
        raise RequestError(_("Only an elected official has a cabinet."))
    person = User.objects.select_for_update().filter(email__iexact=email.strip(), is_active=True)
    collaborator = person.first()
    if collaborator is None:
        raise RequestError(
            _(
                "No account uses this address. An administrator creates it first (back-office, "
                "accounts); then add the person here."
            )
        )
    if collaborator.role not in JOINS_A_CABINET:
        raise RequestError(
            _("This account already has the role “%(role)s”: it cannot join a cabinet.")
            % {"role": collaborator.get_role_display()}
        )
    try:
        with transaction.atomic():
            membership = CabinetMember.objects.create(official=official, collaborator=collaborator)
    except IntegrityError:  # one cabinet per collaborator: the constraint decides
        membership = CabinetMember.objects.select_related("official").get(collaborator=collaborator)
        if membership.official_id != official.pk:
            raise RequestError(
                _("%(name)s already works in the cabinet of %(official)s.")
                % {"name": collaborator.display_name, "official": membership.official}
            ) from None
        return membership
    User.objects.filter(pk=collaborator.pk).update(role=Role.CABINET)
    _write_to(
        collaborator,
        template="official_requests/email/cabinet_member.txt",
        context={
            "official": official,
            "inbox_url": f"{settings.SITE_URL}{reverse('official_requests:portal')}",
        },
        subject=lambda: (
            _("You work in the cabinet of %(official)s in Palabre") % {"official": official}
        ),
        kind="cabinet member",
    )
    return membership


@transaction.atomic
def remove_cabinet_member(*, by: Any, membership: CabinetMember) -> None:
    """The collaborator leaves the cabinet: their account becomes a resident's again (what
    they prepared and published stays theirs)."""
    if not can_draft(by):
        raise PermissionDenied
    CabinetMember.objects.filter(pk=membership.pk).delete()
    User.objects.filter(pk=membership.collaborator_id, role=Role.CABINET).update(role=Role.RESIDENT)


def allow_publishing(*, by: Any, membership: CabinetMember, allowed: bool) -> None:
    """The official lets a collaborator publish answers in their name, or stops it."""
    if getattr(by, "pk", None) != membership.official_id:
        raise PermissionDenied
    CabinetMember.objects.filter(pk=membership.pk).update(may_publish=allowed)


@transaction.atomic
def redirect_request(
    *,
    by: Any,
    request: Request,
    official: User | None = None,
    department: Department | None = None,
    note: str = "",
    new_deadlines: bool = False,
) -> Request:
    """Send a request on to another official or department (the service redirects; its
    addressee delegates to a department, or to an official only when the city allows it). The
    history keeps who had it; the deadlines stay, unless the service gives new ones from today
    (`new_deadlines`: the residents read them in the timeline)."""
    if not can_redirect(by, request):
        raise PermissionDenied
    if official is not None and not can_delegate_to_an_official(by, request):
        raise PermissionDenied
    if new_deadlines and not can_draft(by):
        raise PermissionDenied
    if new_deadlines and request.answered_at is not None:
        raise RequestError(_("This request has its answer: its deadlines no longer change."))
    if request.status in (Status.DRAFTED, Status.DONE):
        raise RequestError(_("Only a request that was sent and is not done can be redirected."))
    if (official is None) == (department is None):
        raise RequestError(_("Choose one official or one department."))
    if official is not None and official.role != Role.OFFICIAL:
        raise RequestError(_("Only an elected official can be addressed."))
    before = str(request.official or request.department)
    # Only if the request is still where the permission was checked: the same addressee, still
    # open (a page opened before someone else redirected or closed it changes nothing).
    addressee: dict[str, int | None] = {
        "official": request.official_id,
        "department": request.department_id,
    }
    moved = (
        Request.objects.filter(pk=request.pk, **addressee)
        .exclude(status__in=(Status.DRAFTED, Status.DONE))
        .update(official=official, department=department)
    )
    if not moved:
        raise RequestError(_("Someone changed this request meanwhile; reload it."))
    request.official, request.department = official, department
    Event.objects.create(
        request=request,
        kind=EventKind.REDIRECTED,
        note=_("From %(before)s to %(after)s.")
        % {"before": before, "after": official or department}
        + (f" {note.strip()}" if note.strip() else ""),
        by=by,
        official=official,
        department=department,
    )
    if new_deadlines:
        _give_new_deadlines(request, by=by)
    _tell_new_addressee(
        request, by=by, before=before, note=note.strip(), new_deadlines=new_deadlines
    )
    return request


def _give_new_deadlines(request: Request, *, by: Any) -> None:
    """Deadlines counted again from today for the steps still to take, as when it was sent;
    their reminders start over (the jobs queued for the old dates send nothing)."""
    today = timezone.localdate()
    ensure_calendar([today.year, today.year + 1])
    closed = closed_days()
    acknowledged = request.acknowledged_at is not None
    fields: dict[str, date] = {
        "answer_by": calendar.add_calendar_days(today, settings.REQUEST_ANSWER_DAYS, closed)
    }
    if not acknowledged:
        fields["acknowledge_by"] = calendar.add_working_days(
            today, settings.REQUEST_ACKNOWLEDGE_WORKING_DAYS, closed
        )
    Request.objects.filter(pk=request.pk).update(**fields)
    for name, value in fields.items():
        setattr(request, name, value)
    steps = [Notice.Step.ANSWER] if acknowledged else [Notice.Step.ANSWER, Notice.Step.ACKNOWLEDGE]
    Notice.objects.filter(request=request, step__in=steps).delete()
    schedule_notices(request, closed)
    Event.objects.create(
        request=request,
        kind=EventKind.NOTE,
        by=by,
        note=(
            _("New deadlines from the service: answer by %(answer)s.")
            if acknowledged
            else _("New deadlines from the service: acknowledge by %(ack)s, answer by %(answer)s.")
        )
        % {
            "ack": date_format(fields.get("acknowledge_by", today), "DATE_FORMAT"),
            "answer": date_format(fields["answer_by"], "DATE_FORMAT"),
        },
    )


def _tell_new_addressee(
    request: Request, *, by: Any, before: str, note: str, new_deadlines: bool = False
) -> None:
    """Email a redirected request to whoever has it now, each in their language, with the
    deadlines it keeps; the reminders and escalations already queued follow it (they write to
    the addressee of the moment). A department nobody answers for yet is told nothing: its
    request waits in the service's list."""

    def write() -> tuple[str, str]:
        body = render_to_string(
            "official_requests/email/redirected.txt",
            {
                "request": request,
                "by": by,
                "before": before,
                "note": note,
                "new_deadlines": new_deadlines,
                "url": _page_url(request),
            },
        )
        return _("A request passed on to you: %(title)s") % {"title": request.local_title}, body

    _write_to_addressees(request, write, kind="request redirected", news=True)


def _lock_pair(keep: Request, duplicate: Request) -> list[Request]:
    """Both requests as they are now, locked in the order of their keys: two merges of the
    same pair in opposite directions wait for each other instead of making a cycle (SQLite
    has one writer at a time anyway)."""
    pair = Request.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])
    return list(pair.order_by("pk"))


@transaction.atomic
def merge_requests(*, by: Any, keep: Request, duplicate: Request) -> Request:
    """Merge a duplicate into `keep`: every contribution, statement, theme and follower moves
    over; the duplicate stays, marked as merged, with both timelines saying so."""
    if not can_draft(by):
        raise PermissionDenied
    if keep.pk == duplicate.pk:
        raise RequestError(_("Choose two different requests that were not merged already."))
    if any(row.merged_into_id for row in _lock_pair(keep, duplicate)):
        raise RequestError(_("Choose two different requests that were not merged already."))
    if keep.neighbourhood_id != duplicate.neighbourhood_id:
        raise RequestError(_("Only requests of the same neighbourhood can be merged."))
    keep.contributions.add(*duplicate.contributions.all())
    keep.statements.add(*duplicate.statements.all())
    keep.themes.add(*duplicate.themes.all())
    already = set(keep.followers.values_list("user_id", flat=True))
    duplicate.followers.exclude(user_id__in=already).update(request=keep)
    # People following without an account too; one who follows both stays on the duplicate,
    # told nothing more, and is forgotten with it (forget_contact_followers).
    duplicate.contacts.exclude(email__in=keep.contacts.exclude(email="").values("email")).exclude(
        phone__in=keep.contacts.exclude(phone="").values("phone")
    ).update(request=keep)
    # The duplicate's deadlines end here: `keep` carries the promise, and a merged request
    # neither reminds, escalates nor shows as overdue. Conditional as well, so no path that
    # skipped the locks can merge a request twice.
    merged = Request.objects.filter(pk=duplicate.pk, merged_into=None).update(
        merged_into=keep, acknowledge_by=None, answer_by=None
    )
    if not merged:
        raise RequestError(_("Someone changed this request meanwhile; reload it."))
    duplicate.merged_into = keep
    duplicate.acknowledge_by = duplicate.answer_by = None
    note = _("“%(duplicate)s” merged into “%(keep)s”.") % {
        "duplicate": duplicate.title,
        "keep": keep.title,
    }
    for item in (keep, duplicate):
        Event.objects.create(request=item, kind=EventKind.MERGED, note=note, by=by)
    return keep


@transaction.atomic
def ask_neighbourhood(*, by: Any, request: Request, question: str) -> Event:
    """The addressee asks the neighbourhood a question; it is public and goes on the next
    workshop's printout."""
    if not can_answer(by, request):
        raise PermissionDenied
    if not question.strip():
        raise RequestError(_("Write the question."))
    if not takes_replies(request):
        raise RequestError(_("This request is done: a question would get no replies."))
    asked = Event.objects.create(
        request=request, kind=EventKind.QUESTION, note=question.strip(), by=by
    )
    _tell_residents(
        request,
        template="official_requests/email/question.txt",
        question=asked.note,
        reply_url=settings.SITE_URL
        + reverse("official_requests:reply", args=[request.pk, asked.pk]),
    )
    return asked


def _question_taking_replies(question: Event) -> None:
    if question.kind != EventKind.QUESTION or not question.is_public:
        raise PermissionDenied
    if not takes_replies(question.request):
        raise RequestError(_("This request is done: its questions take no more replies."))


def reply_to_question(
    *, by: Any, question: Event, text: str, key: str, language: str, follow_it: bool = False
) -> bool:
    """A resident replies online, with or without an account; shown without a name. The same
    form sent twice keeps one reply (False the second time). Signed in, they may follow the
    request at the same time."""
    _question_taking_replies(question)
    text = text.strip()
    if not text:
        raise RequestError(_("Write your reply before sending it."))
    author = by if is_signed_in(by) else None
    try:
        with transaction.atomic():
            Reply.objects.create(
                question=question, text=text, language=language, author=author, key=key
            )
    except IntegrityError:
        if not Reply.objects.filter(key=key, question=question).exists():
            raise RequestError(_("This form was already used: reload the page.")) from None
        return False
    if author is not None and follow_it:
        follow(by=author, request=question.request, following=True)
    return True


def type_paper_replies(
    *,
    by: Any,
    question: Event,
    replies: list[str],
    key: str,
    language: str,
    workshop: Workshop | None = None,
) -> int:
    """A facilitator types in the replies written on paper (at `workshop`, or received
    otherwise); returns how many were saved (0 when this form was saved already)."""
    if not can_transcribe(by):
        raise PermissionDenied
    _question_taking_replies(question)
    texts = [text.strip() for text in replies if text.strip()]
    if not texts:
        raise RequestError(_("Type at least one reply."))
    if workshop is not None and workshop.neighbourhood_id != question.request.neighbourhood_id:
        raise RequestError(_("Choose a workshop of this neighbourhood."))
    try:
        with transaction.atomic():
            Reply.objects.bulk_create(
                Reply(
                    question=question,
                    text=text,
                    language=language,
                    on_paper=True,
                    workshop=workshop,
                    typed_by=by,
                    key=key,
                    position=position,
                )
                for position, text in enumerate(texts)
            )
    except IntegrityError:
        if not Reply.objects.filter(key=key, question=question).exists():
            raise RequestError(_("This form was already used: reload the page.")) from None
        return 0
    return len(texts)


def hide_reply(*, by: Any, reply: Reply) -> bool:
    """The service takes a reply down (a name, an insult); False when it was down already."""
    if not can_draft(by):
        raise PermissionDenied
    return bool(Reply.objects.filter(pk=reply.pk, hidden_at=None).update(hidden_at=timezone.now()))


def add_note(*, by: Any, request: Request, note: str, public: bool) -> Event:
    """A note on the request's timeline; private notes stay with the service and addressee."""
    if not (can_draft(by) or can_prepare(by, request)):
        raise PermissionDenied
    if not note.strip():
        raise RequestError(_("Write the note."))
    return Event.objects.create(
        request=request, kind=EventKind.NOTE, note=note.strip(), is_public=public, by=by
    )


# Deadlines: reminders before, escalation after -------------------------------------------------

NOTICE_HOUR = time(9, 0)  # notices leave at 9:00, Brussels time, on working days


def _at_nine(day: date) -> datetime:
    return datetime.combine(day, NOTICE_HOUR, tzinfo=ZoneInfo(settings.TIME_ZONE))


def notice_times(request: Request, closed: set[date]) -> list[tuple[str, str, datetime, date]]:
    """(step, kind, when, due) of every notice of a sent request."""
    times = []
    before = settings.REQUEST_REMINDER_WORKING_DAYS_BEFORE
    for step, due in (
        (Notice.Step.ACKNOWLEDGE, request.acknowledge_by),
        (Notice.Step.ANSWER, request.answer_by),
    ):
        if due is None:
            continue
        reminder = calendar.subtract_working_days(due, before, closed)
        escalation = next(calendar.working_days_after(due, closed))
        times.append((str(step), str(Notice.Kind.REMINDER), _at_nine(reminder), due))
        times.append((str(step), str(Notice.Kind.ESCALATION), _at_nine(escalation), due))
    return times


def schedule_notices(request: Request, closed: set[date]) -> None:
    """Queue the reminders and escalations of a request just sent (after the commit)."""
    from palabre.official_requests.tasks import check_deadline

    for step, kind, when, due in notice_times(request, closed):
        transaction.on_commit(
            partial(
                check_deadline.using(run_after=when).enqueue,
                request_id=request.pk,
                step=step,
                kind=kind,
                due=due.isoformat(),
            )
        )


def _step_done(request: Request, step: str) -> bool:
    if step == Notice.Step.ACKNOWLEDGE:
        return request.acknowledged_at is not None or request.answered_at is not None
    return request.answered_at is not None


def _addressees(request: Request, *, news: bool = False) -> list[tuple[str, list[str]]]:
    """Whoever answers the request, grouped by the language each reads: the official and the
    collaborators of their cabinet (ADR 0062); a department's shared address (in the city's
    language), else each of its members in their own language. For `news` of a request
    reaching them, those who chose the Monday digest are left out (they read it there, ADR
    0060); a shared address has nobody to choose."""
    city = settings.LANGUAGE_CODE
    if request.official is not None:
        cabinet = CabinetMember.objects.filter(official=request.official).select_related(
            "collaborator"
        )
        people = [request.official, *(member.collaborator for member in cabinet)]
    elif request.department is not None:
        if request.department.email:
            return [(city, [request.department.email])]
        people = list(request.department.members.all())
    else:
        return []
    groups: dict[str, list[str]] = {}
    for person in people:
        if person.email and not (news and person.request_news == RequestNews.WEEKLY):
            groups.setdefault(person.preferred_language or city, []).append(person.email)
    return sorted(groups.items())


def _addressee_emails(request: Request) -> list[str]:
    return [email for _language, emails in _addressees(request) for email in emails]


def _write_to_addressees(
    request: Request,
    write: Callable[[], tuple[str, str]],
    *,
    kind: str,
    cc: Iterable[str] = (),
    news: bool = False,
) -> None:
    """Queue one email per language of the addressees, `write()` giving (subject, body) in the
    active language; the copies go with the first one only (none when nobody is written to).
    `news`: the request reaches them, so the Monday digest's readers are left out."""
    copies = list(cc)
    for language, emails in _addressees(request, news=news):
        with translation.override(language):
            subject, body = write()
        queue_mail(to=emails, cc=copies, subject=subject, body=body, kind=kind, language=language)
        copies = []


def remind_now(*, by: Any, request: Request) -> bool:
    """The service reminds the addressee of a waiting request now (the Monday page's "remind"):
    the same email as the automatic reminder, for the step still due. At most once per request,
    step and day (the constraint decides between two clicks); False when already done today."""
    if not can_draft(by):
        raise PermissionDenied
    request = Request.objects.select_related("official", "department", "neighbourhood").get(
        pk=request.pk
    )
    if request.merged_into_id is not None or request.status not in WAITING:
        raise RequestError(_("This request waits for nobody: there is no one to remind."))
    step = (
        Notice.Step.ANSWER
        if _step_done(request, Notice.Step.ACKNOWLEDGE)
        else Notice.Step.ACKNOWLEDGE
    )
    due = request.acknowledge_by if step == Notice.Step.ACKNOWLEDGE else request.answer_by
    recipients = _addressee_emails(request)
    if due is None or not recipients:
        raise RequestError(_("Nobody can be written to for this request: check who answers it."))

    def write() -> tuple[str, str]:
        body = _deadline_body(request, template="reminder", step=step, due=due)
        return _("Reminder from the service: %(title)s") % {"title": request.local_title}, body

    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            Nudge.objects.create(request=request, step=step, by=by)
            Event.objects.create(
                request=request,
                kind=EventKind.NOTE,
                is_public=False,
                by=by,
                note=_("Reminded by the service: %(step)s due on %(date)s.")
                % {"step": Notice.Step(step).label, "date": date_format(due, "DATE_FORMAT")},
            )
            _write_to_addressees(request, write, kind="request nudge")
    except IntegrityError:
        return False
    return True


def deliver_notice(*, request_id: int, step: str, kind: str, queued_for: str = "") -> str:
    """Send one reminder or escalation if its step is still waiting; never twice. A job queued
    for a deadline the service has moved since sends nothing (the new one has its own job)."""
    request = (
        Request.objects.select_related("official", "department", "neighbourhood")
        .filter(pk=request_id)
        .first()
    )
    if request is None or _step_done(request, step):
        return "nothing to do"
    if request.merged_into_id is not None or request.status not in WAITING:
        return "no longer relevant"  # a merged duplicate's request carries its deadlines
    due = request.acknowledge_by if step == Notice.Step.ACKNOWLEDGE else request.answer_by
    if due is None:
        return "nothing to do"
    if queued_for and queued_for != due.isoformat():
        return "moved"
    escalating = kind == Notice.Kind.ESCALATION
    template = "escalation" if escalating else "reminder"

    def write() -> tuple[str, str]:
        body = _deadline_body(request, template=template, step=step, due=due)
        subject = (_("Overdue: %(title)s") if escalating else _("Due on %(date)s: %(title)s")) % {
            "title": request.local_title,
            "date": date_format(due, "DATE_FORMAT"),
        }
        return subject, body

    try:
        # Recorded and queued together: a second job finds the record and writes nothing; the
        # outbox sends the email and tries again if the mail server fails.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            Notice.objects.create(request=request, step=step, kind=kind)
            Event.objects.create(
                request=request,
                kind=EventKind.NOTE,
                is_public=False,
                note=(
                    _("Deadline passed (%(date)s): the coordinator is told.")
                    if escalating
                    else _("Reminder sent: due on %(date)s.")
                )
                % {"date": date_format(due, "DATE_FORMAT")},
            )
            if escalating:  # the coordinators, in the city's language
                coordinators = User.objects.filter(role=Role.COORDINATOR, is_active=True)
                with translation.override(settings.LANGUAGE_CODE):
                    subject, body = write()
                queue_mail(
                    to=coordinators.values_list("email", flat=True),
                    subject=subject,
                    body=body,
                    kind=f"request {kind}",
                    language=settings.LANGUAGE_CODE,
                )
            else:  # whoever has the request now, each in their language
                _write_to_addressees(request, write, kind=f"request {kind}")
    except IntegrityError:
        return "already sent"
    return "queued"
