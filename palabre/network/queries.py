"""Reads of the network pages: what this city shares, the cities it follows, their items in the
reader's language, and the figures side by side."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from palabre.core.translations import page_language
from palabre.evaluation import figures as evaluation_figures
from palabre.initiatives.models import Playbook
from palabre.network import signing
from palabre.network.models import (
    CONTENT_LANGUAGES,
    FollowedCity,
    Format,
    ImportedPlaybook,
    OpenEvent,
)
from palabre.network.reading import problem_message
from palabre.workshops.models import PUBLIC_STATUSES, EventKind, Status, Workshop

LANGUAGE_NAMES = dict(CONTENT_LANGUAGES)


def followed_cities() -> QuerySet[FollowedCity]:
    """Every city this city follows, by name."""
    return FollowedCity.objects.order_by("name", "pk")


def own_playbooks() -> QuerySet[Playbook]:
    """This city's playbooks (not the imported ones), each with its share if shared."""
    return (
        Playbook.objects.filter(network_origin__isnull=True)
        .select_related("network_share")
        .order_by("title")
    )


def imported_playbooks() -> QuerySet[ImportedPlaybook]:
    """Playbooks made from other cities', with where they came from."""
    return ImportedPlaybook.objects.select_related("playbook").order_by("source_city", "pk")


def formats() -> QuerySet[Format]:
    """Every workshop format, this city's first."""
    return Format.objects.order_by("source_city", "title", "pk")


def workshops_without_format() -> QuerySet[Workshop]:
    """The latest held workshops that could become a format."""
    return Workshop.objects.filter(
        status__in=[Status.HELD, Status.REPORTED], network_format__isnull=True
    ).order_by("-starts_at", "-pk")[:20]


def events_to_open() -> QuerySet[Workshop]:
    """This city's coming round tables and symposiums, each with its opening if open."""
    return (
        Workshop.objects.filter(
            kind__in=[EventKind.ROUND_TABLE, EventKind.SYMPOSIUM],
            status__in=PUBLIC_STATUSES,
            starts_at__gte=timezone.now(),
        )
        .exclude(status=Status.CANCELLED)
        .select_related("network_opening")
        .order_by("starts_at", "pk")
    )


# --- another city's items, in the reader's language ------------------------------------


@dataclass(frozen=True)
class Shown:
    """Texts in one language, and whether that is the reader's."""

    texts: dict[str, Any]
    language: str

    @property
    def language_name(self) -> str:
        return LANGUAGE_NAMES.get(self.language, self.language)

    @property
    def in_page_language(self) -> bool:
        return self.language == page_language()


def in_reader_language(texts: dict[str, dict[str, Any]], original: str) -> Shown:
    """The texts in the page's language where given, else in the original language."""
    language = page_language()
    chosen = language if texts.get(language, {}).get("title") else original
    if chosen not in texts:
        chosen = next(iter(texts))
    return Shown(texts[chosen], chosen)


@dataclass(frozen=True)
class CityItem:
    key: str
    shown: Shown
    data: dict[str, Any]
    imported: Any = None  # the local row made from it, if any

    @property
    def starts_at(self) -> datetime | None:
        value = self.data.get("starts_at")
        return datetime.fromisoformat(value) if value else None

    @property
    def ends_at(self) -> datetime | None:
        value = self.data.get("ends_at")
        return datetime.fromisoformat(value) if value else None

    @property
    def sessions(self) -> list[dict[str, Any]]:
        return [
            {
                "shown": in_reader_language(session["texts"], self.data["language"]),
                "starts_at": datetime.fromisoformat(session["starts_at"]),
                "ends_at": datetime.fromisoformat(session["ends_at"]),
                "speakers": [
                    SpeakerShown(
                        speaker["name"],
                        speaker.get("affiliation", ""),
                        speaker.get("city", ""),
                        self.sites.get(speaker.get("city", "").casefold(), ""),
                    )
                    for speaker in session["speakers"]
                ],
            }
            for session in self.data.get("sessions", [])
        ]

    # The sites of the cities this city follows, by name folded (speakers from them link there).
    sites: dict[str, str] = field(default_factory=dict)

    @property
    def kind_name(self) -> str:
        kind = self.data.get("kind", "")
        return str(EventKind(kind).label) if kind in EventKind.values else ""

    @property
    def register_url(self) -> str:
        """Where to register on the organising city's site (its event page in older feeds)."""
        return str(self.data.get("register_url") or self.data.get("url") or "")


@dataclass(frozen=True)
class SpeakerShown:
    """A speaker of another city's event, with the site of the city they come from when this
    city follows it."""

    name: str
    affiliation: str
    city: str
    site: str = ""


@dataclass
class CityPage:
    city: FollowedCity
    playbooks: list[CityItem] = field(default_factory=list)
    formats: list[CityItem] = field(default_factory=list)
    events: list[CityItem] = field(default_factory=list)


def city_page(city: FollowedCity) -> CityPage:
    """A followed city's playbooks, formats and events from its last verified feed, each
    with what was imported from it; two queries."""
    items = city.feed.get("items", {})
    playbooks_in = {
        imported.source_key: imported
        for imported in ImportedPlaybook.objects.filter(
            source_feed_url=city.feed_url
        ).select_related("playbook")
    }
    formats_in = {f.source_key: f for f in Format.objects.filter(source_feed_url=city.feed_url)}
    page = CityPage(city)
    sites = city_sites()
    for item in items.get("playbooks", []):
        shown = Shown({"title": item["title"]}, item["language"])
        page.playbooks.append(CityItem(item["key"], shown, item, playbooks_in.get(item["key"])))
    for item in items.get("formats", []):
        shown = in_reader_language(item["texts"], item["language"])
        page.formats.append(CityItem(item["key"], shown, item, formats_in.get(item["key"])))
    for item in items.get("events", []):
        shown = in_reader_language(item["texts"], item["language"])
        page.events.append(CityItem(item["key"], shown, item, sites=sites))
    return page


# --- events across cities (issue 20, item 6) ----------------------------------------------


def city_sites() -> dict[str, str]:
    """The site of each followed city, by its name folded: a speaker "from Liège" links there."""
    return {
        name.casefold(): site
        for name, site in FollowedCity.objects.order_by("name", "pk").values_list("name", "site")
    }


def home_cities(workshop: Workshop) -> list[str] | None:
    """The followed cities a person registering for `workshop` may say they live in, when it
    is open to other cities (this city's name left out); None when the question is not asked
    (any other workshop)."""
    if (
        workshop.kind == EventKind.WORKSHOP
        or not OpenEvent.objects.filter(workshop=workshop).exists()
    ):
        return None
    here = settings.CITY_NAME.casefold()
    names = FollowedCity.objects.order_by("name", "pk").values_list("name", flat=True)
    return [name for name in names if name.casefold() != here]


@dataclass(frozen=True)
class EventElsewhere:
    """An event another city opened to the network, as its last verified feed gives it."""

    city: str
    site: str
    item: CityItem


def _coming(item: dict[str, Any], now: datetime) -> bool:
    ends = item.get("ends_at") or item.get("starts_at")
    return ends is None or datetime.fromisoformat(ends) >= now


def events_elsewhere() -> list[EventElsewhere]:
    """The coming events the followed cities opened to the network, soonest first, in the
    reader's language where given; one query (only the feeds' events are read)."""
    now = timezone.now()
    rows = list(
        FollowedCity.objects.order_by("name", "pk").values_list(
            "name", "site", "feed__items__events"
        )
    )
    sites = {name.casefold(): site for name, site, _events in rows}
    found = []
    for name, site, events in rows:
        for item in events if isinstance(events, list) else []:
            if _coming(item, now):
                shown = in_reader_language(item["texts"], item["language"])
                found.append(
                    EventElsewhere(name, site, CityItem(item["key"], shown, item, sites=sites))
                )
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(found, key=lambda event: (event.item.starts_at or far, event.city))


@dataclass(frozen=True)
class CityStatus:
    city: FollowedCity
    fingerprint: str
    problem: str
    counts: dict[str, int]


def city_statuses(cities: list[FollowedCity]) -> list[CityStatus]:
    """Each followed city with its key's fingerprint and its last problem in words."""
    return [
        CityStatus(
            city,
            signing.fingerprint(city.public_key),
            problem_message(city.problem),
            {
                kind: len(city.feed.get("items", {}).get(kind, []))
                for kind in ("playbooks", "formats", "events")
            },
        )
        for city in cities
    ]


# --- figures side by side -----------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: int | None
    suppressed: bool = False
    missing: bool = False  # the city does not give this figure for this year


@dataclass(frozen=True)
class ComparisonRow:
    key: str
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class Comparison:
    year: int
    years: list[int]
    columns: list[str]
    rows: list[ComparisonRow]


def comparison_years(cities: list[FollowedCity]) -> list[int]:
    """The years the table can show: this one, the previous one and those the feeds give."""
    this_year = timezone.localdate().year
    years = {this_year, this_year - 1}
    for city in cities:
        years.update(int(year) for year in city.feed.get("items", {}).get("figures", {}))
    return sorted((year for year in years if year <= this_year + 1), reverse=True)[:10]


def comparison(year: int, cities: list[FollowedCity], *, here: str) -> Comparison:
    """The yearly figures of this city and of each followed city, one row per figure."""
    language = page_language()
    own = evaluation_figures.shareable(year)
    labels: dict[str, str] = {figure.key: str(figure.label) for figure in own}
    values: list[dict[str, Cell]] = [
        {figure.key: Cell(figure.value, figure.suppressed) for figure in own}
    ]
    for city in cities:
        given = city.feed.get("items", {}).get("figures", {}).get(str(year), [])
        cells = {}
        for figure in given:
            cells[figure["key"]] = Cell(figure["value"], figure.get("suppressed", False))
            if figure["key"] not in labels:
                names = figure["labels"]
                labels[figure["key"]] = (
                    names.get(language) or names.get("en") or next(iter(names.values()), "")
                )
        values.append(cells)
    rows = [
        ComparisonRow(key, label, [cells.get(key, Cell(None, missing=True)) for cells in values])
        for key, label in labels.items()
    ]
    return Comparison(
        year=year,
        years=comparison_years(cities),
        columns=[here, *(city.name for city in cities)],
        rows=rows,
    )
