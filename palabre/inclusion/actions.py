"""Writes: an answer given on a phone, a paper sheet keyed, a neighbourhood's population."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from palabre.inclusion.models import (
    AGE_FIELDS,
    NATIONALITY_FIELDS,
    AgeBand,
    Answer,
    Entry,
    Heard,
    Language,
    Population,
    Residence,
)
from palabre.inclusion.permissions import can_key_paper, can_see_reach, is_open, opens_at
from palabre.neighbourhoods.models import Neighbourhood
from palabre.workshops.models import Status, Workshop

# The most phone answers one workshop takes: twice its capacity, and at least this many (a
# script sending answers from many addresses cannot drown a workshop's figures).
FEWEST_PHONE_ANSWERS_CAP = 60


class InclusionError(Exception):
    """An answer or figures refused, with the reason to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Said:
    """What one questionnaire says. Every field may be left out ("" / None / empty)."""

    age_band: str = ""
    first_time: bool | None = None
    languages: tuple[str, ...] = ()
    residence: str = ""
    neighbourhood: Neighbourhood | None = None
    heard: str = ""

    @property
    def is_blank(self) -> bool:
        return not (
            self.age_band
            or self.first_time is not None
            or self.languages
            or self.residence
            or self.heard
        )


@dataclass(frozen=True)
class Saved:
    """What saving did: stored now, already stored under this key, or blank (nothing kept)."""

    created: bool
    blank: bool = False


def phone_cap(workshop: Workshop) -> int:
    """The most phone answers `workshop` takes."""
    return max(FEWEST_PHONE_ANSWERS_CAP, 2 * workshop.capacity)


def _checked(said: Said) -> Said:
    if said.age_band not in ("", *AgeBand.values):
        raise InclusionError(_("Choose an age band from the list."))
    if said.heard not in ("", *Heard.values):
        raise InclusionError(_("Choose how you heard of the workshop from the list."))
    if said.residence not in ("", *Residence.values):
        raise InclusionError(_("Choose where you live from the list."))
    if (said.residence == Residence.NEIGHBOURHOOD) != (said.neighbourhood is not None):
        raise InclusionError(_("Choose where you live from the list."))
    if said.neighbourhood is not None and not said.neighbourhood.is_published:
        raise InclusionError(_("Choose where you live from the list."))
    unknown = set(said.languages) - set(Language.values)
    if unknown:
        raise InclusionError(_("Choose the languages from the list."))
    # Stored in the list's order: the order ticked would say nothing more, but keep it plain.
    ordered = tuple(code for code in Language.values if code in said.languages)
    return Said(
        age_band=said.age_band,
        first_time=said.first_time,
        languages=ordered,
        residence=said.residence,
        neighbourhood=said.neighbourhood,
        heard=said.heard,
    )


def _store(*, workshop: Workshop, said: Said, entry: str, key: str) -> Saved:
    try:
        with transaction.atomic():
            Answer.objects.create(
                workshop=workshop,
                age_band=said.age_band,
                first_time=said.first_time,
                languages=list(said.languages),
                residence=said.residence,
                neighbourhood=said.neighbourhood,
                heard=said.heard,
                entry=entry,
                key=key,
            )
    except IntegrityError:
        if Answer.objects.filter(key=key).exists():
            return Saved(created=False)
        raise
    return Saved(created=True)


def answer(*, workshop: Workshop, said: Said, key: str, now: datetime | None = None) -> Saved:
    """Store a resident's questionnaire sent from a phone (anyone, no account, nothing about
    who sent it). The same form sent twice is stored once; a blank one is not stored."""
    if not is_open(workshop, now):
        raise InclusionError(_("This questionnaire is closed."))
    said = _checked(said)
    if Answer.objects.filter(key=key).exists():
        return Saved(created=False)
    if said.is_blank:
        return Saved(created=False, blank=True)
    with transaction.atomic():
        taken = Answer.objects.filter(workshop=workshop, entry=Entry.PHONE).count()
        if taken >= phone_cap(workshop):
            raise InclusionError(
                _(
                    "This questionnaire has already received as many answers as the room has "
                    "places. Thank you all the same: tell the facilitator if something is wrong."
                )
            )
        return _store(workshop=workshop, said=said, entry=Entry.PHONE, key=key)


def key_paper(*, by: Any, workshop: Workshop, said: Said, key: str) -> Saved:
    """Store one paper questionnaire keyed by the workshop's facilitator or the service. The
    same screen sent twice stores one sheet; a sheet with nothing ticked is not stored."""
    if not can_key_paper(by, workshop):
        raise PermissionDenied
    start = opens_at(workshop)
    if workshop.status not in (Status.ANNOUNCED, Status.HELD, Status.REPORTED) or (
        start is None or timezone.now() < start
    ):
        raise InclusionError(
            _("Paper questionnaires are keyed once the workshop has begun (not before).")
        )
    said = _checked(said)
    if Answer.objects.filter(key=key).exists():
        return Saved(created=False)
    if said.is_blank:
        raise InclusionError(
            _("Nothing is ticked on this sheet: a blank sheet is not kept. Take the next one.")
        )
    return _store(workshop=workshop, said=said, entry=Entry.PAPER, key=key)


def save_population(
    *,
    by: Any,
    neighbourhood: Neighbourhood,
    year: int,
    by_age: dict[str, int],
    by_nationality: dict[str, int] | None,
    source: str,
) -> Population:
    """Type in (or correct) a neighbourhood's population of one year: one row per
    neighbourhood and year, so saving the same figures twice changes nothing."""
    if not can_see_reach(by):
        raise PermissionDenied
    if set(by_age) != set(AgeBand.values) or any(value < 0 for value in by_age.values()):
        raise InclusionError(_("Give the number of people of every age band (0 or more)."))
    nationalities = by_nationality or {}
    if nationalities and (
        set(nationalities) != set(NATIONALITY_FIELDS)
        or any(value < 0 for value in nationalities.values())
    ):
        raise InclusionError(_("Give the three nationality groups, or none."))
    values: dict[str, Any] = {AGE_FIELDS[AgeBand(band)]: count for band, count in by_age.items()}
    values |= {name: nationalities.get(name) for name in NATIONALITY_FIELDS}
    values["source"] = source.strip()
    with transaction.atomic():
        found, _created = Population.objects.update_or_create(
            neighbourhood=neighbourhood, year=year, defaults=values
        )
    return found
