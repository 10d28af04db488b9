"""Accessible SVG charts drawn by templates from plain numbers (no JavaScript, no inline style).

A chart is always shown with its data table (templates/components/bar_chart.html): the SVG is
one image with a text alternative, the table carries the exact figures for screen readers and
for anyone who prefers numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 190
VALUE_WIDTH = 60
ROW_HEIGHT = 30
BAR_HEIGHT = 20


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int  # top of the row
    width: int  # bar length in SVG units (at least 1 for a non-zero value)

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart: one row per label, longest bar = largest value."""

    title: str
    value_label: str
    bars: tuple[Bar, ...]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(ROW_HEIGHT * len(self.bars), ROW_HEIGHT)

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)


def bar_chart(
    title: str, value_label: str, rows: Sequence[tuple[str, int]], *, scale: int | None = None
) -> BarChart:
    """Lay out `rows` (label, value) as bars in the given order; the full width is `scale`
    (100 for percentages) or else the largest value."""
    longest = scale or max((value for _, value in rows), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = tuple(
        Bar(
            label=label,
            value=value,
            y=index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2,
            width=max(1, round(room * value / longest)) if value and longest else 0,
        )
        for index, (label, value) in enumerate(rows)
    )
    return BarChart(title=title, value_label=value_label, bars=bars)
