"""Writes on citizen actions: playbooks in and out, initiatives from a playbook, "I'm in"."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from palabre.accounts.permissions import is_signed_in
from palabre.contributions.models import Contribution
from palabre.initiatives import playbooks
from palabre.initiatives.models import (
    Event,
    Initiative,
    Playbook,
    PlaybookBudgetLine,
    PlaybookStep,
    Status,
    Task,
    Volunteer,
)
from palabre.initiatives.permissions import can_edit_playbooks, can_start_initiative, can_steer
from palabre.neighbourhoods.models import Neighbourhood

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


@transaction.atomic
def import_playbook(*, by: Any, text: str) -> Playbook:
    """Create (or replace, by title) a playbook from a file; a bad file changes nothing."""
    if not can_edit_playbooks(by):
        raise PermissionDenied
    data = playbooks.parse(text)  # PlaybookError names the line and the reason
    playbook, _created = Playbook.objects.update_or_create(
        title=data.title, defaults={"kind": data.kind, "description": data.description}
    )
    playbook.steps.all().delete()
    playbook.budget.all().delete()
    PlaybookStep.objects.bulk_create(
        PlaybookStep(
            playbook=playbook,
            position=position,
            title=step.title,
            days_before=step.days_before,
            permit=step.permit,
            department=step.department,
            description=step.description,
        )
        for position, step in enumerate(data.steps)
    )
    PlaybookBudgetLine.objects.bulk_create(
        PlaybookBudgetLine(
            playbook=playbook, position=position, label=line.label, amount=line.amount
        )
        for position, line in enumerate(data.budget)
    )
    return playbook


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
    initiative = Initiative.objects.create(
        neighbourhood=neighbourhood,
        kind=playbook.kind,
        title=title.strip(),
        description=playbook.description,
        playbook=playbook,
        starts_on=starts_on,
        created_by=by,
    )
    initiative.contributions.set(contributions)
    initiative.leads.set(leads)
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


@dataclass(frozen=True)
class SignedUp:
    volunteer: Volunteer
    created: bool


def sign_up(*, by: Any, initiative: Initiative, name: str = "", email: str = "") -> SignedUp:
    """ "I'm in", with or without an account; signing up twice returns the first sign-up."""
    if initiative.status in (Status.DONE, Status.ABANDONED):
        raise InitiativeError(_("This initiative no longer takes volunteers."))
    account = by if is_signed_in(by) else None
    name = (account.display_name if account else name).strip()
    email = (account.email if account else email).strip().lower()
    if not name:
        raise InitiativeError(_("Give a first name so that the leads know who you are."))
    try:
        with transaction.atomic():
            made = Volunteer.objects.create(
                initiative=initiative,
                user=account,
                name=name,
                email=email,
                token=secrets.token_urlsafe(32),
            )
    except IntegrityError:
        existing = Volunteer.objects.filter(initiative=initiative)
        found = (
            existing.filter(user=account).first()
            if account
            else existing.filter(email=email).first()
        )
        if found is None:
            raise
        return SignedUp(found, created=False)
    return SignedUp(made, created=True)


def take_task(*, volunteer: Volunteer, task: Task) -> Task:
    """A volunteer picks a task of their initiative (their own sign-up is the permission)."""
    if task.initiative_id != volunteer.initiative_id:
        raise PermissionDenied
    updated = Task.objects.filter(pk=task.pk, owner__isnull=True).update(owner=volunteer)
    if not updated and not Task.objects.filter(pk=task.pk, owner=volunteer).exists():
        raise InitiativeError(_("Someone already took this task."))
    task.owner = volunteer
    return task
