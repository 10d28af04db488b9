"""Writes on contributions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from palabre.contributions.models import MAX_LENGTH, Contribution, Source, Theme
from palabre.contributions.permissions import can_capture
from palabre.workshops.models import Workshop


class ContributionError(Exception):
    """A contribution that cannot be saved, with the reason for a person."""


@dataclass(frozen=True)
class Captured:
    contribution: Contribution
    created: bool


def capture(
    *,
    by: Any,
    workshop: Workshop,
    question: int,
    text: str,
    key: str,
    author_name: str = "",
    table_label: str = "",
    themes: Iterable[Theme] = (),
) -> Captured:
    """Save what was said under one guiding question, at once; the same key saves it once."""
    if by is not None and not can_capture(by, workshop):
        raise PermissionDenied
    if workshop.neighbourhood_id is None:
        raise ContributionError(_("This event belongs to no neighbourhood."))
    if not 0 <= question < len(workshop.guiding_questions):
        raise ContributionError(_("This question is not in the workshop's guide."))
    text = text.strip()
    if not text:
        raise ContributionError(_("Write what was said."))
    if len(text) > MAX_LENGTH:
        raise ContributionError(
            _("This text has %(length)d characters; the limit is %(max)d. Split it in two.")
            % {"length": len(text), "max": MAX_LENGTH}
        )
    try:
        with transaction.atomic():
            contribution = Contribution.objects.create(
                neighbourhood_id=workshop.neighbourhood_id,
                workshop=workshop,
                question=workshop.guiding_questions[question],
                source=Source.WORKSHOP,
                text=text,
                author_name=author_name.strip(),
                table_label=table_label.strip(),
                submission_key=key,
                captured_by=by,
            )
            contribution.themes.set(themes)
    except IntegrityError:
        # The same entry arrived twice (double tap, or a retry after a dropped connection).
        existing = Contribution.objects.filter(submission_key=key, workshop=workshop).first()
        if existing is None:
            raise
        return Captured(existing, created=False)
    return Captured(contribution, created=True)


def ensure_default_themes() -> None:
    """Create the starting taxonomy where it is missing (a fresh or emptied database)."""
    from palabre.contributions.taxonomy import DEFAULT_THEMES

    for position, (slug, name) in enumerate(DEFAULT_THEMES):
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
