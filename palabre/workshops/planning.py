"""The planning checks of a cycle: gaps, clashes and missing partners or venues.

Pure functions over already-loaded workshops, so the planning page makes a fixed number of
queries whatever the size of the cycle.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from palabre.neighbourhoods.models import Neighbourhood
from palabre.workshops.models import EventKind, Status, Workshop


@dataclass(frozen=True)
class Clash:
    first: Workshop
    second: Workshop
    venue: bool
    facilitators: tuple[str, ...]


@dataclass
class PlanningReport:
    months: list[date]
    rows: list[tuple[Neighbourhood, list[list[Workshop]]]]
    city_wide: list[Workshop]
    gaps: list[tuple[Neighbourhood, int]] = field(default_factory=list)
    clashes: list[Clash] = field(default_factory=list)
    without_partner: list[Workshop] = field(default_factory=list)
    without_venue: list[Workshop] = field(default_factory=list)
    without_facilitator: list[Workshop] = field(default_factory=list)
    # Workshops the month grid cannot show: no date yet, or a date outside the cycle.
    undated: list[Workshop] = field(default_factory=list)
    # Workshops on a legal holiday or a day the city is closed, with the day's name.
    on_closed_days: list[tuple[Workshop, str]] = field(default_factory=list)

    @property
    def problem_count(self) -> int:
        return (
            len(self.gaps)
            + len(self.clashes)
            + len(self.without_partner)
            + len(self.without_venue)
            + len(self.without_facilitator)
            + len(self.undated)
            + len(self.on_closed_days)
        )


def _months(start: date, end: date) -> list[date]:
    months = []
    current = start.replace(day=1)
    while current <= end:
        months.append(current)
        current = current.replace(
            year=current.year + current.month // 12, month=current.month % 12 + 1
        )
    return months


def _overlap(a: Workshop, b: Workshop) -> bool:
    if not (a.starts_at and a.ends_at and b.starts_at and b.ends_at):
        return False
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def find_clashes(workshops: Iterable[Workshop]) -> list[Clash]:
    """Return the pairs of workshops that share a venue or a facilitator at the same time."""
    active = [w for w in workshops if w.status != Status.CANCELLED]
    clashes = []
    for a, b in itertools.combinations(active, 2):
        if not _overlap(a, b):
            continue
        same_venue = a.venue_id is not None and a.venue_id == b.venue_id
        people_a = {p.pk: str(p) for p in a.facilitators.all()}
        shared = tuple(
            sorted(
                name
                for pk, name in people_a.items()
                if any(p.pk == pk for p in b.facilitators.all())
            )
        )
        if same_venue or shared:
            clashes.append(Clash(a, b, same_venue, shared))
    return clashes


def build_report(
    *,
    starts_on: date,
    ends_on: date,
    planned_per_neighbourhood: int,
    neighbourhoods: Sequence[Neighbourhood],
    workshops: Sequence[Workshop],
    closed_days: Mapping[date, str] | None = None,
) -> PlanningReport:
    """Lay the workshops of a cycle out by neighbourhood and month, and flag problems."""
    months = _months(starts_on, ends_on)
    index = {month: i for i, month in enumerate(months)}
    rows = []
    placed: set[int] = set()
    for neighbourhood in neighbourhoods:
        cells: list[list[Workshop]] = [[] for _ in months]
        for workshop in workshops:
            if workshop.neighbourhood_id == neighbourhood.pk and workshop.starts_at:
                month = timezone.localdate(workshop.starts_at).replace(day=1)
                if month in index:
                    cells[index[month]].append(workshop)
                    placed.add(workshop.pk)
        rows.append((neighbourhood, cells))
    active = [w for w in workshops if w.status != Status.CANCELLED]
    city_wide = [w for w in workshops if w.kind != EventKind.WORKSHOP]
    counts = Counter(w.neighbourhood_id for w in active if w.kind == EventKind.WORKSHOP)
    return PlanningReport(
        months=months,
        rows=rows,
        city_wide=city_wide,
        gaps=[
            (n, counts[n.pk]) for n in neighbourhoods if counts[n.pk] < planned_per_neighbourhood
        ],
        clashes=find_clashes(active),
        without_partner=[
            w for w in active if w.kind == EventKind.WORKSHOP and not w.partners.all()
        ],
        without_venue=[w for w in active if w.venue_id is None],
        without_facilitator=[w for w in active if not w.facilitators.all()],
        undated=[w for w in active if w.kind == EventKind.WORKSHOP and w.pk not in placed],
        on_closed_days=[
            (w, (closed_days or {})[timezone.localdate(w.starts_at)])
            for w in active
            if w.starts_at and timezone.localdate(w.starts_at) in (closed_days or {})
        ],
    )
