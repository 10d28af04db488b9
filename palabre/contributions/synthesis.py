"""The synthesis of what residents said, for a workshop, a neighbourhood or a cycle.

Reads published contributions only (their `public_text`, masked personal data excluded) and
hands the text analysis to the pure engine `palabre.themes.synthesis`: groups of similar
contributions, representative quotes, words that set one group apart from the others. The
engine's answers are remembered by the texts they were computed from (palabre.core.caching):
reloading a page does not analyse the same texts again, and any change is a fresh analysis.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from palabre.contributions.models import Contribution, Source, Status, Theme
from palabre.core.caching import remembered
from palabre.core.charts import BarChart, bar_chart
from palabre.themes import synthesis as engine

QUOTES_PER_THEME = 2
GROUPS_SHOWN = 8


@dataclass(frozen=True)
class ThemeRow:
    name: str
    count: int
    percent: int  # of the contributions, rounded (a contribution may have several themes)
    me_too: int
    quotes: list[Contribution]


@dataclass(frozen=True)
class Group:
    size: int
    terms: tuple[str, ...]
    quotes: list[Contribution]


@dataclass(frozen=True)
class Contrast:
    label: str
    size: int
    terms: list[str]


@dataclass
class Synthesis:
    total: int
    sources: list[tuple[str, int]]
    themes: list[ThemeRow]
    without_theme: int
    groups: list[Group]
    contrasts: list[Contrast] = field(default_factory=list)
    chart: BarChart | None = None


def published(queryset: QuerySet[Contribution]) -> list[Contribution]:
    """Load published contributions with what the synthesis shows, in two queries."""
    return list(
        queryset.filter(status=Status.PUBLISHED)
        .select_related("neighbourhood", "workshop")
        .annotate(me_too_count=Count("me_too", distinct=True))
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position", "name")))
        .order_by("pk")
    )


def _items(
    contributions: list[Contribution], group: Callable[[Contribution], str] | None = None
) -> list[engine.Item]:
    return [
        engine.Item(key=c.pk, text=c.public_text, group=group(c) if group else "")
        for c in contributions
    ]


def _representative(items: list[engine.Item], k: int) -> list[int]:
    return remembered("representative", (k, *items), lambda: engine.representative(items, k))


def _cluster(items: list[engine.Item]) -> list[engine.Cluster]:
    return remembered("cluster", tuple(items), lambda: engine.cluster(items))


def _distinctive_terms(items: list[engine.Item]) -> list[engine.Distinctive]:
    return remembered("distinctive", tuple(items), lambda: engine.distinctive_terms(items))


def synthesise(
    contributions: list[Contribution],
    *,
    contrast_by: Callable[[Contribution], str] | None = None,
    groups: bool = True,
) -> Synthesis:
    """Themes ranked with quotes, groups of similar contributions, and (optionally) contrasts
    between the groups `contrast_by` names (workshops of a cycle, neighbourhoods)."""
    by_pk = {c.pk: c for c in contributions}
    members: dict[str, list[Contribution]] = defaultdict(list)
    without_theme = 0
    for contribution in contributions:
        themes = list(contribution.themes.all())
        without_theme += not themes
        for theme in themes:
            members[theme.name].append(contribution)
    total = len(contributions)
    ranked = sorted(members.items(), key=lambda pair: (-len(pair[1]), pair[0]))
    rows = [
        ThemeRow(
            name=name,
            count=len(group),
            percent=round(100 * len(group) / total),
            me_too=sum(c.me_too_count for c in group),  # type: ignore[attr-defined]
            quotes=[by_pk[key] for key in _representative(_items(group), QUOTES_PER_THEME)],
        )
        for name, group in ranked
    ]
    clusters = _cluster(_items(contributions))[:GROUPS_SHOWN] if groups else []
    similar = [
        Group(
            size=len(found.keys),
            terms=found.terms,
            quotes=[by_pk[key] for key in found.representative[:2]],
        )
        for found in clusters
    ]
    counts: dict[str, int] = defaultdict(int)
    for contribution in contributions:
        counts[contribution.get_source_display()] += 1
    sources = [
        (str(label), counts[str(label)]) for _, label in Source.choices if counts[str(label)]
    ]
    contrasts = []
    if contrast_by is not None:
        contrasts = [
            Contrast(label=found.group, size=found.size, terms=[word for word, _ in found.terms])
            for found in _distinctive_terms(_items(contributions, contrast_by))
        ]
    chart = bar_chart(
        _("Themes, by number of contributions"),
        _("Contributions"),
        [(row.name, row.count) for row in rows],
    )
    return Synthesis(total, sources, rows, without_theme, similar, contrasts, chart)


def distinguishing(
    everywhere: list[Contribution], label: str, group: Callable[[Contribution], str]
) -> Contrast | None:
    """What sets the group named `label` apart from all the others (e.g. one neighbourhood)."""
    for found in _distinctive_terms(_items(everywhere, group)):
        if found.group == label:
            return Contrast(label=label, size=found.size, terms=[word for word, _ in found.terms])
    return None
