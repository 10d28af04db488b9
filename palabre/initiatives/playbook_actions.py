"""Writes on playbooks from the coordinators' pages: one code path for the form and for files."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from palabre.initiatives import playbooks
from palabre.initiatives.models import Playbook, PlaybookBudgetLine, PlaybookStep
from palabre.initiatives.permissions import can_edit_playbooks


class PlaybookSaveError(Exception):
    """A playbook that cannot be saved, with the reason for a person."""


class TitleTaken(PlaybookSaveError):
    """Another playbook already has this title (titles are unique)."""


@transaction.atomic
def save_playbook(*, by: Any, playbook: Playbook | None, data: playbooks.PlaybookData) -> Playbook:
    """Create (`playbook` None) or replace a playbook's fields, steps and budget lines."""
    if not can_edit_playbooks(by):
        raise PermissionDenied
    fields = {"kind": data.kind, "title": data.title, "description": data.description}
    try:
        # The unique title is the database's to decide: a savepoint keeps the outer
        # transaction usable when it refuses.
        with transaction.atomic():
            if playbook is None:
                saved = Playbook.objects.create(**fields)
            elif Playbook.objects.filter(pk=playbook.pk).update(**fields):
                saved = Playbook(pk=playbook.pk, **fields)
            else:
                raise PlaybookSaveError(_("This playbook was deleted meanwhile."))
    except IntegrityError:
        raise TitleTaken(
            _("Another playbook is already called “%(title)s”; choose another title.")
            % {"title": data.title}
        ) from None
    _replace_rows(saved, data)
    return saved


def _replace_rows(playbook: Playbook, data: playbooks.PlaybookData) -> None:
    PlaybookStep.objects.filter(playbook=playbook).delete()
    PlaybookBudgetLine.objects.filter(playbook=playbook).delete()
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
