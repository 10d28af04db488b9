"""The "who we reach" charts: the layout of palabre.core.charts, with the groups too small to
show drawn as "fewer than 5" instead of a number, and the age bands paired with the
population."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from palabre.core import charts
from palabre.inclusion.queries import AgeComparison, Question

ROOM = charts.WIDTH - charts.LABEL_WIDTH - charts.VALUE_WIDTH - 50


@dataclass(frozen=True)
class Row:
    label: str
    y: int
    width: int
    value: str  # "12 %" or "fewer than 5"
    text_y: int
    value_x: int
    # The population's bar (age bands only).
    population_y: int = 0
    population_width: int = 0
    population_value: str = ""
    population_text_y: int = 0
    population_value_x: int = 0


@dataclass(frozen=True)
class Chart:
    title: str
    rows: tuple[Row, ...]
    height: int
    paired: bool = False
    width: int = charts.WIDTH
    label_width: int = charts.LABEL_WIDTH
    bar_height: int = charts.BAR_HEIGHT


def _width(share: int | None) -> int:
    return max(1, round(ROOM * share / 100)) if share else 0


def fewer_than() -> str:
    return _("fewer than %(count)d") % {"count": 5}


def question_chart(question: Question) -> Chart:
    """One bar per choice: its share of the answers."""
    layout = charts.bar_chart(
        question.title, "%", [(f.label, f.share or 0) for f in question.figures], scale=100
    )
    rows = tuple(
        Row(
            label=bar.label,
            y=bar.y,
            width=_width(figure.share),
            value=fewer_than() if figure.suppressed else f"{figure.share}\u00a0%",
            text_y=bar.text_y,
            value_x=charts.LABEL_WIDTH + _width(figure.share) + 6,
        )
        for bar, figure in zip(layout.bars, question.figures, strict=True)
    )
    return Chart(title=question.title, rows=rows, height=layout.height)


def age_chart(ages: tuple[AgeComparison, ...]) -> Chart:
    """Two bars per age band: its share of the answers that gave an age, and of the
    population."""
    step = 2 * charts.BAR_HEIGHT + 14
    rows = []
    for index, band in enumerate(ages):
        y = index * step + 4
        below = y + charts.BAR_HEIGHT + 2
        rows.append(
            Row(
                label=band.label,
                y=y,
                width=_width(band.answers_share),
                value=(
                    fewer_than()
                    if band.answers_share is None
                    else _("answers: %(share)d %%") % {"share": band.answers_share}
                ),
                text_y=y + charts.BAR_HEIGHT // 2 + 5,
                value_x=charts.LABEL_WIDTH + _width(band.answers_share) + 6,
                population_y=below,
                population_width=_width(band.population_share),
                population_value=_("population: %(share)d %%") % {"share": band.population_share},
                population_text_y=below + charts.BAR_HEIGHT // 2 + 5,
                population_value_x=charts.LABEL_WIDTH + _width(band.population_share) + 6,
            )
        )
    return Chart(
        title=_("Age: share of the answers and of the population, in %"),
        rows=tuple(rows),
        height=max(step * len(rows) + 4, charts.ROW_HEIGHT),
        paired=True,
    )
