"""Writes on citizen actions: playbooks in and out, initiatives from a playbook, "I'm in",
tasks and their reminders, needs and the city's support, budget, photos and the report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from palabre.accounts.permissions import is_signed_in
from palabre.contributions.models import Contribution
from palabre.contributions.models import Status as ContributionStatus
from palabre.core.images import clean_image
from palabre.initiatives import playbooks
from palabre.initiatives.models import (
    CITY_NEEDS,
    Event,
    Expense,
    Initiative,
    InitiativePhoto,
    Need,
    Playbook,
    Status,
    Task,
    TaskNotice,
    Volunteer,
)
from palabre.initiatives.permissions import (
    can_edit_playbooks,
    can_grant,
    can_start_initiative,
    can_steer,
)
from palabre.initiatives.playbook_actions import save_playbook
from palabre.links import actions as links
from palabre.links.models import Purpose
from palabre.neighbourhoods.models import Neighbourhood
from palabre.official_requests import actions as request_actions
from palabre.official_requests.models import Department, Request
from palabre.outbox.actions import queue_mail

# Allowed moves; an abandoned initiative keeps its whole history (and can be taken up again).
MOVES: dict[str, frozenset[str]] = {
    Status.IDEA: frozenset({Status.PREPARATION, Status.PAUSED, Status.ABANDONED}),
    Status.PREPARATION: frozenset({Status.HAPPENING, Status.PAUSED, Status.ABANDONED}),
    Status.HAPPENING: frozenset({Status.DONE, Status.PAUSED, Status.ABANDONED}),
    Status.PAUSED: frozenset({Status.IDEA, Status.PREPARATION, Status.ABANDONED}),
    Status.ABANDONED: frozenset({Status.IDEA}),
    Status.DONE: frozenset(),
}


class InitiativeError(Exception):
    """A change that cannot be made, with the reason for a person."""


def playbook_data(playbook: Playbook) -> playbooks.PlaybookData:
    return playbooks.PlaybookData(
        kind=playbook.kind,
        title=playbook.title,
        description=playbook.description,
        steps=tuple(
            playbooks.Step(s.title, s.days_before, s.permit, s.department, s.description)
            for s in playbook.steps.all()
        ),
        budget=tuple(playbooks.BudgetLine(b.label, b.amount) for b in playbook.budget.all()),
    )


def export_playbook(playbook: Playbook) -> str:
    """The playbook as a shareable TOML file."""
    return playbooks.dump(playbook_data(playbook))


def import_playbook(*, by: Any, text: str) -> Playbook:
    """Create (or replace, by title) a playbook from a file; a bad file changes nothing."""
    if not can_edit_playbooks(by):
        raise PermissionDenied
    data = playbooks.parse(text)  # PlaybookError names the line and the reason
    existing = Playbook.objects.filter(title=data.title).first()
    return save_playbook(by=by, playbook=existing, data=data)


@transaction.atomic
def start_initiative(
    *,
    by: Any,
    neighbourhood: Neighbourhood,
    playbook: Playbook,
    title: str,
    starts_on: date | None = None,
    contributions: Iterable[Contribution] = (),
    leads: Iterable[Any] = (),
) -> Initiative:
    """Turn an idea into an initiative from a playbook: its steps become dated tasks."""
    if not can_start_initiative(by):
        raise PermissionDenied
    contributions = list(contributions)
    if any(c.neighbourhood_id != neighbourhood.pk for c in contributions):
        raise InitiativeError(_("Every contribution must come from this neighbourhood."))
    if not title.strip():
        raise InitiativeError(_("Give the initiative a title."))
    # Said at one workshop: the initiative remembers where it was proposed.
    workshops = {c.workshop_id for c in contributions}
    initiative = Initiative.objects.create(
        neighbourhood=neighbourhood,
        kind=playbook.kind,
        title=title.strip(),
        description=playbook.description,
        playbook=playbook,
        starts_on=starts_on,
        workshop_id=workshops.pop() if len(workshops) == 1 else None,
        created_by=by,
    )
    initiative.contributions.set(contributions)
    initiative.leads.set(leads)
    planned = sum((line.amount for line in playbook.budget.all()), Decimal(0))
    if planned:
        Initiative.objects.filter(pk=initiative.pk).update(budget_requested=planned)
        initiative.budget_requested = planned
    Task.objects.bulk_create(
        Task(
            initiative=initiative,
            title=step.title,
            due_on=starts_on - timedelta(days=step.days_before) if starts_on else None,
            permit=step.permit,
            department=step.department,
        )
        for step in playbook.steps.all()
    )
    Event.objects.create(initiative=initiative, status=Status.IDEA, by=by)
    return initiative


@transaction.atomic
def move(*, by: Any, initiative: Initiative, target: Status | str, reason: str = "") -> None:
    """Change the status along the allowed moves; pausing or abandoning needs a reason."""
    if not can_steer(by, initiative):
        raise PermissionDenied
    current = Initiative.objects.values_list("status", flat=True).get(pk=initiative.pk)
    if target not in MOVES[current]:
        raise InitiativeError(
            _("An initiative that is “%(current)s” cannot become “%(target)s”.")
            % {"current": Status(current).label, "target": Status(target).label}
        )
    if target in (Status.PAUSED, Status.ABANDONED) and not reason.strip():
        raise InitiativeError(_("Say why, for the people who took part."))
    if not Initiative.objects.filter(pk=initiative.pk, status=current).update(status=target):
        raise InitiativeError(_("Someone changed this initiative meanwhile; reload it."))
    initiative.status = target
    Event.objects.create(initiative=initiative, status=target, reason=reason.strip(), by=by)


@transaction.atomic
def edit_details(
    *, by: Any, initiative: Initiative, title: str, description: str, starts_on: date | None
) -> None:
    """Change the title, description or date; a new date moves the open tasks' due dates by
    as many days (their reminders follow)."""
    if not can_steer(by, initiative):
        raise PermissionDenied
    if not title.strip():
        raise InitiativeError(_("Give the initiative a title."))
    before = initiative.starts_on
    Initiative.objects.filter(pk=initiative.pk).update(
        title=title.strip(), description=description.strip(), starts_on=starts_on
    )
    initiative.title, initiative.description = title.strip(), description.strip()
    initiative.starts_on = starts_on
    if before is None or starts_on is None or before == starts_on:
        return
    open_tasks = initiative.tasks.filter(done_at__isnull=True, due_on__isnull=False)
    open_tasks.update(due_on=models.F("due_on") + (starts_on - before))
    for task in open_tasks.filter(owner__isnull=False):
        schedule_reminder(task)


@dataclass(frozen=True)
class SignedUp:
    """What became of "I'm in": `mine` says whether its sender may open the volunteer's page."""

    volunteer: Volunteer
    created: bool
    # False when the address typed had already signed up: their link went to that address.
    mine: bool = True


def _already(*, initiative: Initiative, key: str, email: str, account: Any) -> SignedUp:
    """The sign-up a repeated form found, shown only to whoever sent it the first time."""
    existing = Volunteer.objects.select_related("link").filter(initiative=initiative)
    same = existing.filter(key=key).first() if key else None
    if same is not None:
        return SignedUp(same, created=False)
    if account is not None:
        found = existing.filter(user=account).first()
        if found is not None:
            return SignedUp(found, created=False)
    found = existing.filter(email=email).first() if email else None
    if found is None:
        raise InitiativeError(_("This form was already used: reload the page."))
    links.send_again(link=found.link, about=initiative.title)
    return SignedUp(found, created=False, mine=False)


def sign_up(
    *,
    by: Any,
    initiative: Initiative,
    name: str = "",
    email: str = "",
    language: str = "",
    key: str = "",
) -> SignedUp:
    """ "I'm in", with or without an account; the same form twice (`key`) signs up once.

    An address that already signed up gets its link by email, never on the screen of whoever
    typed it.
    """
    if initiative.status in (Status.DONE, Status.ABANDONED):
        raise InitiativeError(_("This initiative no longer takes volunteers."))
    account = by if is_signed_in(by) else None
    name = (account.display_name if account else name).strip()
    email = (account.email if account else email).strip().lower()
    if not name:
        raise InitiativeError(_("Write your first name so that the organisers know who you are."))
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    try:
        with transaction.atomic():
            made = Volunteer.objects.create(
                initiative=initiative,
                user=account,
                name=name,
                email=email,
                key=key or None,
                link=links.create_link(purpose=Purpose.VOLUNTEER, email=email, language=language),
                language=language,
            )
    except IntegrityError:
        return _already(initiative=initiative, key=key, email=email, account=account)
    return SignedUp(made, created=True)


# Tasks -----------------------------------------------------------------------------------


def _own(volunteer: Volunteer, task: Task) -> None:
    """A volunteer acts on tasks of the initiative they signed up for (the private link)."""
    if task.initiative_id != volunteer.initiative_id:
        raise PermissionDenied


def take_task(*, volunteer: Volunteer, task: Task) -> Task:
    """A volunteer picks a free task of their initiative; taking it twice is harmless."""
    _own(volunteer, task)
    updated = Task.objects.filter(pk=task.pk, owner__isnull=True).update(owner=volunteer)
    if not updated and not Task.objects.filter(pk=task.pk, owner=volunteer).exists():
        raise InitiativeError(_("Someone already took this task."))
    task.owner = volunteer
    schedule_reminder(task)
    return task


def release_task(*, volunteer: Volunteer, task: Task) -> None:
    """A volunteer gives back a task of theirs that is not done."""
    _own(volunteer, task)
    Task.objects.filter(pk=task.pk, owner=volunteer, done_at__isnull=True).update(owner=None)


def finish_task(*, volunteer: Volunteer, task: Task) -> None:
    """A volunteer marks a task of theirs done (and only theirs)."""
    _own(volunteer, task)
    if task.owner_id != volunteer.pk:
        raise PermissionDenied
    Task.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=timezone.now())


def add_task(*, by: Any, initiative: Initiative, title: str, due_on: date | None) -> Task:
    """A lead (or the service) adds a task to the initiative."""
    if not can_steer(by, initiative):
        raise PermissionDenied
    if not title.strip():
        raise InitiativeError(_("Say what the task is."))
    return Task.objects.create(initiative=initiative, title=title.strip(), due_on=due_on)


@transaction.atomic
def update_task(
    *,
    by: Any,
    task: Task,
    owner: Volunteer | None,
    due_on: date | None,
    done: bool,
) -> Task:
    """A lead gives a task to a volunteer, moves its date or marks it done (or not)."""
    if not can_steer(by, task.initiative):
        raise PermissionDenied
    if owner is not None and owner.initiative_id != task.initiative_id:
        raise InitiativeError(_("This person has not signed up for this action."))
    task.owner = owner
    task.due_on = due_on
    if done != (task.done_at is not None):
        task.done_at = timezone.now() if done else None
    task.save(update_fields=["owner", "due_on", "done_at"])
    schedule_reminder(task)
    return task


def reminder_time(task: Task) -> datetime | None:
    """When the owner of `task` is reminded: at 9:00, the set number of days before it is due."""
    if task.due_on is None:
        return None
    day = task.due_on - timedelta(days=settings.TASK_REMINDER_DAYS_BEFORE)
    return datetime.combine(day, time(9), tzinfo=ZoneInfo(settings.TIME_ZONE))


def schedule_reminder(task: Task) -> None:
    """Queue the owner's reminder (after the commit); delivery checks it is still due."""
    from palabre.initiatives.tasks import remind_task_owner

    when = reminder_time(task)
    if task.owner_id is None or task.done_at is not None or when is None:
        return
    if when < timezone.now():
        return
    transaction.on_commit(
        partial(
            remind_task_owner.using(run_after=when).enqueue,
            task_id=task.pk,
            due_on=task.due_on.isoformat() if task.due_on else "",
        )
    )


def deliver_reminder(*, task_id: int, due_on: str) -> str:
    """Remind the owner of a task still to do, in their language; never twice per due date."""
    task = (
        Task.objects.select_related("owner__link", "initiative__neighbourhood")
        .filter(pk=task_id)
        .first()
    )
    if task is None or task.done_at is not None or task.owner is None:
        return "nothing to do"
    if task.due_on is None or task.due_on.isoformat() != due_on or not task.owner.email:
        return "nothing to do"
    volunteer = task.owner
    with translation.override(volunteer.language):
        body = render_to_string(
            "initiatives/email/reminder.txt",
            {"task": task, "volunteer": volunteer, "url": links.url_of(volunteer.link)},
        )
        subject = _("Reminder: %(task)s") % {"task": task.title}
    try:
        # The record and the email are written together: a second job finds the record and
        # writes nothing; the outbox sends the email and tries again if the server fails.
        with transaction.atomic():
            TaskNotice.objects.create(task=task, due_on=task.due_on)
            queue_mail(
                to=[volunteer.email],
                subject=subject,
                body=body,
                kind="task reminder",
                language=volunteer.language,
            )
    except IntegrityError:
        return "already sent"
    return "queued"


# Leads and volunteers ------------------------------------------------------------------------


def make_lead(*, by: Any, volunteer: Volunteer) -> None:
    """Make a volunteer with an account one of the initiative's leads."""
    if not can_steer(by, volunteer.initiative):
        raise PermissionDenied
    if volunteer.user_id is None:
        raise InitiativeError(_("Only someone with an account can lead an action."))
    volunteer.initiative.leads.add(volunteer.user_id)


# Needs and the city's support ----------------------------------------------------------------


def add_need(*, by: Any, initiative: Initiative, kind: str, description: str) -> Need:
    if not can_steer(by, initiative):
        raise PermissionDenied
    if not description.strip():
        raise InitiativeError(_("Say what is needed."))
    return Need.objects.create(initiative=initiative, kind=kind, description=description.strip())


def mark_need_met(*, by: Any, need: Need) -> None:
    if not can_steer(by, need.initiative):
        raise PermissionDenied
    Need.objects.filter(pk=need.pk, met_at__isnull=True).update(met_at=timezone.now())


class _AlreadyAsked(Exception):
    pass


def ask_city(
    *,
    by: Any,
    initiative: Initiative,
    department: Department,
    asked: str,
    item: Task | Need,
) -> Request:
    """Send a permit task or a need to a city department as a request: the requests' follow-up
    (deadlines, reminders, answers, public tracker) carries it. Asking twice finds the first."""
    if not can_steer(by, initiative):
        raise PermissionDenied
    if item.initiative_id != initiative.pk:
        raise PermissionDenied
    if isinstance(item, Task) and not item.permit:
        raise InitiativeError(_("Only a permit or a service is asked of the city."))
    if isinstance(item, Need) and item.kind not in CITY_NEEDS:
        raise InitiativeError(_("Only a permit or a service is asked of the city."))
    if item.request_id is not None:
        return Request.objects.get(pk=item.request_id)
    if not asked.strip():
        raise InitiativeError(_("Say what is asked of the city."))
    title = item.title if isinstance(item, Task) else item.description
    if initiative.starts_on:
        why = _("For the citizen action “%(title)s” on %(date)s, run by residents.") % {
            "title": initiative.title,
            "date": date_format(initiative.starts_on, "DATE_FORMAT"),
        }
    else:
        why = _("For the citizen action “%(title)s”, run by residents.") % {
            "title": initiative.title
        }
    model: type[models.Model] = type(item)
    try:
        with transaction.atomic():
            request = request_actions.draft_request(
                by=by,
                neighbourhood=initiative.neighbourhood,
                title=f"{title} — {initiative.title}",
                asked=asked,
                why=why,
                contributions=initiative.contributions.filter(status=ContributionStatus.PUBLISHED),
                initiative=initiative,
            )
            request_actions.send_request(by=by, request=request, department=department)
            linked = model._default_manager.filter(pk=item.pk, request__isnull=True).update(
                request=request
            )
            if not linked:
                raise _AlreadyAsked
    except _AlreadyAsked:
        return Request.objects.get(**{str(model._meta.model_name): item.pk})
    item.request = request
    return request


# Money, photos and the report ----------------------------------------------------------------


def set_budget(
    *,
    by: Any,
    initiative: Initiative,
    requested: Decimal | None,
    granted: Decimal | None,
) -> None:
    """The leads say what they ask for; only the service records what the city granted."""
    if not can_steer(by, initiative):
        raise PermissionDenied
    fields: dict[str, Decimal | None] = {"budget_requested": requested}
    if can_grant(by):
        fields["budget_granted"] = granted
    elif granted != initiative.budget_granted:
        raise PermissionDenied
    Initiative.objects.filter(pk=initiative.pk).update(**fields)
    for name, value in fields.items():
        setattr(initiative, name, value)


def add_expense(
    *,
    by: Any,
    initiative: Initiative,
    label: str,
    amount: Decimal,
    spent_on: date,
    receipt: UploadedFile[bytes],
    key: str,
) -> Expense:
    """Record money spent with its receipt (re-encoded without metadata); a doubled submit
    returns the first record."""
    if not can_steer(by, initiative):
        raise PermissionDenied
    existing = Expense.objects.filter(submission_key=key, initiative=initiative).first()
    if existing is not None:
        return existing
    clean = clean_image(receipt)  # ValidationError with the reason for a person
    try:
        with transaction.atomic():
            return Expense.objects.create(
                initiative=initiative,
                label=label.strip(),
                amount=amount,
                spent_on=spent_on,
                receipt=clean,
                by=by,
                submission_key=key,
            )
    except IntegrityError:  # the same form sent twice at once, or its key used elsewhere
        return _first_submit(Expense.objects.filter(submission_key=key, initiative=initiative))


def add_photo(
    *,
    by: Any,
    initiative: Initiative,
    image: UploadedFile[bytes],
    description: str,
    shows_people: bool,
    consent: str,
    key: str,
) -> InitiativePhoto:
    """Add a photo to the action's story; recognisable people need their consent recorded."""
    if not can_steer(by, initiative):
        raise PermissionDenied
    if shows_people and not consent.strip():
        raise InitiativeError(
            _("Say how the people who can be recognised gave their consent, or do not publish it.")
        )
    existing = InitiativePhoto.objects.filter(submission_key=key, initiative=initiative).first()
    if existing is not None:
        return existing
    clean = clean_image(image)
    try:
        with transaction.atomic():
            return InitiativePhoto.objects.create(
                initiative=initiative,
                image=clean,
                description=description.strip(),
                shows_people=shows_people,
                consent=consent.strip() if shows_people else "",
                by=by,
                submission_key=key,
            )
    except IntegrityError:  # the same form sent twice at once, or its key used elsewhere
        photos = InitiativePhoto.objects.filter(submission_key=key, initiative=initiative)
        return _first_submit(photos)


def _first_submit[M: models.Model](found: QuerySet[M]) -> M:
    """The record the same form made first; a key sent on another action's page finds none
    (the key is unique across actions): reloading the page gives a fresh one."""
    first = found.first()
    if first is None:
        raise InitiativeError(_("This form was already used: reload the page."))
    return first


def publish_report(*, by: Any, initiative: Initiative, text: str) -> None:
    """The short public report, once the action has happened."""
    if not can_steer(by, initiative):
        raise PermissionDenied
    if initiative.status not in (Status.HAPPENING, Status.DONE):
        raise InitiativeError(_("The report is written once the action has happened."))
    if not text.strip():
        raise InitiativeError(_("Write a few lines for the neighbourhood."))
    Initiative.objects.filter(pk=initiative.pk).update(
        report=text.strip(), reported_at=timezone.now()
    )
