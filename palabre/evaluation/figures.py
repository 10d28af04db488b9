"""The evaluation's figures: one computation behind the dashboard, its CSV, the council's yearly
report and the figures shared with the network of cities, so that they can never disagree.

A scope is a cycle or a calendar year, in one neighbourhood or in the whole city. Each figure
says how it is computed (`Row.how`); counts of people under MIN_GROUP are never shared outside
the service (`shareable`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from palabre.budgets.models import Envelope
from palabre.contributions.models import Contribution, Theme
from palabre.contributions.models import Status as ContributionStatus
from palabre.core.charts import BarChart, bar_chart
from palabre.core.suppression import THRESHOLD as MIN_GROUP
from palabre.inclusion.models import Population
from palabre.initiatives.models import Expense, Initiative
from palabre.initiatives.models import Status as InitiativeStatus
from palabre.neighbourhoods.models import Neighbourhood
from palabre.official_requests import queries as request_queries
from palabre.workshops import queries as workshop_queries
from palabre.workshops.models import Cycle


@dataclass(frozen=True)
class Scope:
    """What the figures cover: a cycle or a calendar year, in one neighbourhood or all."""

    start: date
    end: date
    cycle: Cycle | None = None
    neighbourhood: Neighbourhood | None = None

    @property
    def label(self) -> str:
        period = self.cycle.name if self.cycle else str(self.start.year)
        if self.neighbourhood is None:
            return period
        return f"{period} · {self.neighbourhood.name}"


def year_scope(year: int, neighbourhood: Neighbourhood | None = None) -> Scope:
    return Scope(date(year, 1, 1), date(year, 12, 31), neighbourhood=neighbourhood)


def cycle_scope(cycle: Cycle, neighbourhood: Neighbourhood | None = None) -> Scope:
    return Scope(cycle.starts_on, cycle.ends_on, cycle=cycle, neighbourhood=neighbourhood)


def previous(scope: Scope) -> Scope | None:
    """The scope to compare with: the cycle before this one, or the year before."""
    if scope.cycle is None:
        return year_scope(scope.start.year - 1, scope.neighbourhood)
    earlier = (
        Cycle.objects.filter(starts_on__lt=scope.cycle.starts_on).order_by("-starts_on").first()
    )
    return cycle_scope(earlier, scope.neighbourhood) if earlier else None


@dataclass(frozen=True)
class Turnout:
    """A participatory-budget envelope: people who voted, against its neighbourhood's residents
    of every age in the latest population figures typed in (None when there are none, or for
    an envelope of the whole city)."""

    envelope: str
    people: int
    residents: int | None

    @property
    def percent(self) -> float | None:
        if not self.residents:
            return None
        return round(100 * self.people / self.residents, 1)


@dataclass(frozen=True)
class Figures:
    scope: Scope
    workshops_held: int
    attendance: workshop_queries.Attendance
    channels: list[tuple[str, int]]  # how the people present heard of the workshops
    contributions: int
    themes: list[tuple[str, int]]  # contributions per theme (one may have several themes)
    requests: request_queries.Totals
    actions_done: int
    budget_requested: Decimal
    budget_granted: Decimal
    budget_spent: Decimal
    turnout: list[Turnout]  # participatory budgets whose vote closed in the period

    @property
    def voters(self) -> int:
        return sum(each.people for each in self.turnout)

    @property
    def votes(self) -> list[tuple[str, int]]:
        return [(each.envelope, each.people) for each in self.turnout]


def _themes(contributions: Any) -> list[tuple[str, int]]:
    counted = (
        Theme.objects.annotate(
            said=Count("contributions", filter=Q(contributions__in=contributions))
        )
        .filter(said__gt=0)
        .order_by("-said", "position", "name")
    )
    rows = [(theme.name, theme.said) for theme in counted]
    unthemed = contributions.filter(themes__isnull=True).count()
    if unthemed:
        rows.append((_("No theme yet"), unthemed))
    return rows


def _turnout(envelopes: list[Envelope], year: int) -> list[Turnout]:
    places = {envelope.neighbourhood_id for envelope in envelopes if envelope.neighbourhood_id}
    residents: dict[int, int] = {}
    for figures in Population.objects.filter(neighbourhood__in=places, year__lte=year).order_by(
        "-year"
    ):
        residents.setdefault(figures.neighbourhood_id, figures.total)
    return [
        Turnout(
            str(envelope),
            envelope.people,  # type: ignore[attr-defined]
            residents.get(envelope.neighbourhood_id) if envelope.neighbourhood_id else None,
        )
        for envelope in envelopes
    ]


def _money(queryset: Any, field: str) -> Decimal:
    """A sum in euros and cents (SQLite adds decimals as floats: rounded back to cents)."""
    total = queryset.aggregate(total=Sum(field))["total"] or 0
    return Decimal(total).quantize(Decimal("0.01"))


def compute(scope: Scope) -> Figures:
    """Every figure of `scope`; a fixed number of queries whatever the amount of data."""
    area = {"neighbourhood": scope.neighbourhood} if scope.neighbourhood else {}
    found = workshop_queries.figures(
        cycle=scope.cycle,
        neighbourhood=scope.neighbourhood,
        start=None if scope.cycle else scope.start,
        end=None if scope.cycle else scope.end,
    )
    period = (scope.start, scope.end)
    said = Contribution.objects.filter(created_at__date__range=period, **area).exclude(
        status=ContributionStatus.HIDDEN
    )
    # An action belongs to the period of its date, or of its creation when it has none.
    dated = Q(starts_on__range=period) | Q(starts_on__isnull=True, created_at__date__range=period)
    actions = Initiative.objects.filter(dated, **area)
    envelopes = (
        Envelope.objects.filter(
            process__closed_at__isnull=False, process__vote_closes_at__date__range=period, **area
        )
        .select_related("process", "neighbourhood")
        .annotate(people=Count("ballots"))
        .order_by("process__vote_closes_at", "pk")
    )
    return Figures(
        scope=scope,
        workshops_held=len(found.workshops),
        attendance=found.overall,
        channels=found.channels,
        contributions=said.count(),
        themes=_themes(said),
        requests=request_queries.totals(scope.start, scope.end, neighbourhood=scope.neighbourhood),
        actions_done=actions.filter(status=InitiativeStatus.DONE).count(),
        budget_requested=_money(actions, "budget_requested"),
        budget_granted=_money(actions, "budget_granted"),
        budget_spent=_money(
            Expense.objects.filter(
                spent_on__range=period,
                **({"initiative__neighbourhood": scope.neighbourhood} if area else {}),
            ),
            "amount",
        ),
        turnout=_turnout(list(envelopes), scope.end.year),
    )


@dataclass(frozen=True)
class Measure:
    """One key figure: its stable name, label, how it is computed and how it is read."""

    key: str
    label: Any
    how: Any
    read: Callable[[Figures], int | Decimal | None]
    people: bool = False  # a count of people: suppressed under MIN_GROUP outside the service
    money: bool = False


def _on_time(figures: Figures) -> int | None:
    return figures.requests.decided_on_time.percent


MEASURES = (
    Measure(
        "workshops_held",
        gettext_lazy("Workshops held"),
        gettext_lazy("Workshops and city-wide events that took place (not cancelled)."),
        lambda f: f.workshops_held,
    ),
    Measure(
        "people_present",
        gettext_lazy("People present"),
        gettext_lazy(
            "Registered people marked as arrived and people who came without registering; a "
            "person who came to three workshops counts three times."
        ),
        lambda f: f.attendance.present,
        people=True,
    ),
    Measure(
        "first_timers",
        gettext_lazy("First time at a workshop"),
        gettext_lazy("Said so at the door or on the sign-in sheet, and not recognised."),
        lambda f: f.attendance.first_timers,
        people=True,
    ),
    Measure(
        "returning",
        gettext_lazy("Came before"),
        gettext_lazy(
            "Recognised from an earlier workshop by account or email, or said so; the others "
            "were not asked."
        ),
        lambda f: f.attendance.returning,
        people=True,
    ),
    Measure(
        "contributions",
        gettext_lazy("Contributions"),
        gettext_lazy(
            "What residents said, at a workshop, online or on paper, in the period; hidden "
            "contributions are not counted."
        ),
        lambda f: f.contributions,
    ),
    Measure(
        "requests_sent",
        gettext_lazy("Requests sent to officials"),
        gettext_lazy("Requests sent in the period; a merged duplicate counts once."),
        lambda f: f.requests.sent,
    ),
    Measure(
        "requests_answered",
        gettext_lazy("Requests answered"),
        gettext_lazy(
            "Of the requests sent in the period, those with a decision (accepted, planned, "
            "refused or not their responsibility); “under study” is not a decision."
        ),
        lambda f: f.requests.decided,
    ),
    Measure(
        "requests_on_time_percent",
        gettext_lazy("Answered on time (%)"),
        gettext_lazy(
            "Of the requests whose answer was due or came, the share decided by the date "
            "announced to residents."
        ),
        _on_time,
    ),
    Measure(
        "requests_done",
        gettext_lazy("Requests done"),
        gettext_lazy("Of the requests sent in the period, those whose work was carried out."),
        lambda f: f.requests.done,
    ),
    Measure(
        "actions_done",
        gettext_lazy("Citizen actions carried out"),
        gettext_lazy("Actions dated in the period (or created in it, when undated) now done."),
        lambda f: f.actions_done,
    ),
    Measure(
        "budget_requested",
        gettext_lazy("Budget requested by citizen actions"),
        gettext_lazy("Sum asked by the actions dated in the period, whatever became of them."),
        lambda f: f.budget_requested,
        money=True,
    ),
    Measure(
        "budget_granted",
        gettext_lazy("Budget granted"),
        gettext_lazy("Sum the city granted to those same actions."),
        lambda f: f.budget_granted,
        money=True,
    ),
    Measure(
        "budget_spent",
        gettext_lazy("Budget spent"),
        gettext_lazy("Expenses with a receipt, dated in the period."),
        lambda f: f.budget_spent,
        money=True,
    ),
    Measure(
        "budget_voters",
        gettext_lazy("People who voted in a participatory budget"),
        gettext_lazy(
            "Ballots of the participatory budgets whose vote closed in the period: one per "
            "person and envelope, online and on paper."
        ),
        lambda f: f.voters,
        people=True,
    ),
)


@dataclass(frozen=True)
class Row:
    key: str
    label: Any
    how: Any
    value: int | Decimal | None
    previous: int | Decimal | None
    money: bool

    @property
    def change(self) -> int | Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def table(figures: Figures, earlier: Figures | None = None) -> list[Row]:
    """The key figures, each with the one of the earlier scope to compare with."""
    return [
        Row(
            key=measure.key,
            label=measure.label,
            how=measure.how,
            value=measure.read(figures),
            previous=measure.read(earlier) if earlier else None,
            money=measure.money,
        )
        for measure in MEASURES
    ]


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any  # a lazy translation: str() in the language wanted
    value: int | None  # None: fewer than MIN_GROUP people, or not known
    people: bool  # a count of people (None then means "fewer than MIN_GROUP")

    @property
    def suppressed(self) -> bool:
        return self.people and self.value is None


def shareable(year: int) -> list[Figure]:
    """The city's figures of one calendar year as they may leave the service (the network of
    cities): counts of people under MIN_GROUP suppressed, amounts in whole euros."""
    figures = compute(year_scope(year))
    shared = []
    for measure in MEASURES:
        value = measure.read(figures)
        if value is not None:
            value = round(value)
            if measure.people and value < MIN_GROUP:
                value = None
        shared.append(Figure(measure.key, measure.label, value, measure.people))
    return shared


def cell(value: int | Decimal | None) -> str:
    """A figure as a spreadsheet cell: empty when not known, amounts with their cents."""
    if value is None:
        return ""
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def _euros(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1)))


def charts(found: Figures) -> list[BarChart]:
    """The dashboard's charts (and the yearly report's), each drawn with its table."""
    attendance = found.attendance
    requests = found.requests
    listed = [
        bar_chart(
            _("Who came"),
            _("People"),
            [
                (_("First time"), attendance.first_timers),
                (_("Came before"), attendance.returning),
                (_("Not asked"), attendance.not_known),
            ],
        ),
        bar_chart(_("How people heard of the workshops"), _("People present"), found.channels),
        bar_chart(_("What residents talked about"), _("Contributions"), found.themes),
        bar_chart(
            _("Requests to officials"),
            _("Requests"),
            [
                (_("Sent"), requests.sent),
                (_("Answered"), requests.decided),
                (_("Answered on time"), requests.decided_on_time.part),
                (_("Done"), requests.done),
            ],
        ),
        bar_chart(
            _("Money of the citizen actions (€)"),
            _("Euros"),
            [
                (_("Requested"), _euros(found.budget_requested)),
                (_("Granted"), _euros(found.budget_granted)),
                (_("Spent"), _euros(found.budget_spent)),
            ],
        ),
        bar_chart(_("Participatory budgets: people who voted"), _("People"), found.votes),
    ]
    return [chart for chart in listed if chart.total]
