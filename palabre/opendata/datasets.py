"""The datasets Palabre publishes: what each is called and about, where its rows come from, how
they become records, and its CSV columns. The page, the API, the CSV files and the DCAT
catalogue all read this one list."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Max, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palabre.core.spreadsheets import safe_cell
from palabre.opendata import queries, records
from palabre.opendata.records import Record

# Themes of the EU vocabulary (http://publications.europa.eu/resource/authority/data-theme).
SOCIETY = "SOCI"
GOVERNMENT = "GOVE"
# Neighbourhood short names, as in the site's addresses.
SLUG_PATTERN = r"^[-a-z0-9_]+$"


@dataclass(frozen=True)
class Dataset:
    """One dataset: its name and description (translated), keywords, EU themes, its rows, and
    how they are published."""

    id: str
    title: Promise
    description: Promise
    keywords: tuple[Promise, ...]
    themes: tuple[str, ...]
    rows: Callable[..., QuerySet[Any]]
    build: Callable[[Sequence[Any]], list[Record]]
    columns: tuple[str, ...]
    lines: Callable[[Record], Iterable[list[Any]]]
    modified: Callable[[], datetime | None]
    by_neighbourhood: bool = True

    def records(self, rows: Sequence[Any]) -> list[Record]:
        """The published records of these rows (a fixed number of queries)."""
        return self.build(rows)


# Records -----------------------------------------------------------------------------------


def _workshops(rows: Sequence[Any]) -> list[Record]:
    counts = queries.attendance(list(rows))
    return [records.workshop(item, counts.get(item.pk)) for item in rows]


def _opinion_maps(rows: Sequence[Any]) -> list[Record]:
    tables = queries.map_tables(list(rows))
    return [records.opinion_map(item, tables[item.pk]) for item in rows]


def _each(build: Callable[[Any], Record]) -> Callable[[Sequence[Any]], list[Record]]:
    return lambda rows: [build(item) for item in rows]


# CSV lines ---------------------------------------------------------------------------------


def cell(value: Any) -> Any:
    """A value as a CSV cell: empty for null, true/false, ISO dates, texts never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return safe_cell("; ".join(str(part) for part in value))
    if isinstance(value, str):
        return safe_cell(value)
    return value


def _flat(columns: tuple[str, ...]) -> Callable[[Record], Iterator[list[Any]]]:
    def lines(record: Record) -> Iterator[list[Any]]:
        yield [cell(record[name]) for name in columns]

    return lines


WORKSHOP_COLUMNS = (
    "id",
    "url",
    "title",
    "theme",
    "language",
    "kind",
    "status",
    "cycle",
    "neighbourhood",
    "neighbourhood_name",
    "venue",
    "starts_at",
    "ends_at",
    "present",
    "present_suppressed",
)
REQUEST_COLUMNS = (
    "id",
    "url",
    "title",
    "asked",
    "why",
    "language",
    "neighbourhood",
    "neighbourhood_name",
    "themes",
    "status",
    "addressed_to",
    "addressee_kind",
    "sent_at",
    "acknowledge_by",
    "acknowledged_at",
    "answer_by",
    "answered_at",
    "answer_kind",
    "answer_text",
    "answer_language",
    "planned_for",
    "done_at",
    "workshop",
    "residents_present",
    "residents_present_suppressed",
)
CITIZEN_ACTION_COLUMNS = (
    "id",
    "url",
    "kind",
    "title",
    "description",
    "status",
    "neighbourhood",
    "neighbourhood_name",
    "starts_on",
    "budget_requested",
    "budget_granted",
    "report",
    "reported_at",
    "volunteers",
)
ENVELOPE_COLUMNS = (
    "url",
    "process",
    "process_title",
    "neighbourhood",
    "neighbourhood_name",
    "amount",
    "spent",
    "rule",
    "voters",
    "published_at",
)
PROJECT_COLUMNS = ("title", "summary", "cost", "votes", "funded")
BUDGET_COLUMNS = (
    "envelope",
    *ENVELOPE_COLUMNS,
    "project",
    *(f"project_{name}" if name in ("title", "summary") else name for name in PROJECT_COLUMNS),
)


def _budget_lines(record: Record) -> Iterator[list[Any]]:
    envelope = [cell(record["id"]), *(cell(record[name]) for name in ENVELOPE_COLUMNS)]
    for project in record["projects"]:
        yield [*envelope, project["id"], *(cell(project[name]) for name in PROJECT_COLUMNS)]


OPINION_COLUMNS = (
    "conversation",
    "slug",
    "title",
    "url",
    "computed_at",
    "statement",
    "statement_text",
    "group",
    "group_size",
    "agree",
    "disagree",
    "passed",
)


def _opinion_lines(record: Record) -> Iterator[list[Any]]:
    conversation = [cell(record[name]) for name in ("id", "slug", "title", "url", "computed_at")]
    sizes = {group["group"]: group["size"] for group in record["groups"]}
    sizes["all"] = record["participants"]
    for statement in record["statements"]:
        for votes in statement["votes"]:
            yield [
                *conversation,
                statement["id"],
                cell(statement["text"]),
                votes["group"],
                cell(sizes.get(votes["group"])),
                cell(votes["agree"]),
                cell(votes["disagree"]),
                cell(votes["passed"]),
            ]


# When each dataset last changed (dct:modified) ------------------------------------------------


def _latest(queryset: QuerySet[Any], *fields: str) -> datetime | None:
    """The latest of these date-time fields over the queryset (one query)."""
    found = queryset.order_by().aggregate(**{f"latest_{n}": Max(f) for n, f in enumerate(fields)})
    stamps = [stamp for stamp in found.values() if stamp is not None]
    return max(stamps, default=None)


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        id="workshops",
        title=_("Neighbourhood workshops and city-wide events"),
        description=_(
            "Every announced, held or cancelled workshop, round table and symposium: title, "
            "neighbourhood, venue, dates, status and, once held, the number of people present."
        ),
        keywords=(_("participation"), _("workshops"), _("neighbourhoods")),
        themes=(SOCIETY, GOVERNMENT),
        rows=queries.workshops,
        build=_workshops,
        columns=WORKSHOP_COLUMNS,
        lines=_flat(WORKSHOP_COLUMNS),
        modified=lambda: _latest(queries.workshops(), "created_at", "held_at"),
    ),
    Dataset(
        id="requests",
        title=_("Requests to officials and their answers"),
        description=_(
            "What residents asked the city's elected officials and departments, to whom it was "
            "sent, the deadlines, the answer and its date."
        ),
        keywords=(_("participation"), _("requests"), _("answers"), _("accountability")),
        themes=(GOVERNMENT,),
        rows=queries.requests,
        build=_each(records.public_request),
        columns=REQUEST_COLUMNS,
        lines=_flat(REQUEST_COLUMNS),
        modified=lambda: _latest(
            queries.requests(), "sent_at", "acknowledged_at", "answered_at", "done_at"
        ),
    ),
    Dataset(
        id="citizen-actions",
        title=_("Citizen actions"),
        description=_(
            "Actions residents carry out in their neighbourhood, under way or done: what, "
            "where, when, the budget asked and granted, the number of volunteers and the report."
        ),
        keywords=(_("participation"), _("citizen actions"), _("neighbourhoods")),
        themes=(SOCIETY,),
        rows=queries.citizen_actions,
        build=_each(records.citizen_action),
        columns=CITIZEN_ACTION_COLUMNS,
        lines=_flat(CITIZEN_ACTION_COLUMNS),
        modified=lambda: _latest(queries.citizen_actions(), "created_at", "reported_at"),
    ),
    Dataset(
        id="budget-results",
        title=_("Participatory budget results"),
        description=_(
            "For each envelope of a participatory budget whose results are published: the "
            "projects, their cost, their votes and whether they are funded."
        ),
        keywords=(_("participatory budget"), _("vote"), _("results")),
        themes=(GOVERNMENT,),
        rows=lambda neighbourhood=None: queries.budget_results(),
        build=_each(records.budget_result),
        columns=BUDGET_COLUMNS,
        lines=_budget_lines,
        modified=lambda: _latest(queries.budget_results(), "process__published_at"),
        by_neighbourhood=False,
    ),
    Dataset(
        id="opinion-maps",
        title=_("Opinion maps"),
        description=_(
            "For each public opinion conversation with a map: its statements, the opinion "
            "groups and how each group voted on each statement."
        ),
        keywords=(_("participation"), _("opinions"), _("deliberation")),
        themes=(SOCIETY, GOVERNMENT),
        rows=lambda neighbourhood=None: queries.opinion_maps(),
        build=_opinion_maps,
        columns=OPINION_COLUMNS,
        lines=_opinion_lines,
        modified=lambda: _latest(queries.opinion_maps(), "opinion_map__computed_at"),
        by_neighbourhood=False,
    ),
)
BY_ID = {dataset.id: dataset for dataset in DATASETS}
