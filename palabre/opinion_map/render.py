"""Outputs for people: an accessible SVG opinion map and tables of statements."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import numpy as np

from palabre.opinion_map.labels import Language, group_name, label
from palabre.opinion_map.model import OpinionMap, StatementStats

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
GROUP_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
UNGROUPED_COLOUR = "#8C8C8C"
WIDTH, HEIGHT, MARGIN, LEGEND = 640, 480, 24, 150


def _group_label(group: int, language: Language) -> str:
    return label("group", language, name=group_name(group))


def map_description(result: OpinionMap, language: Language) -> str:
    """Describe the map in words, for screen readers and for people who cannot see it."""
    lines = [
        label(
            "map_summary",
            language,
            participants=len(result.participants),
            grouped=len(result.labels),
            groups=result.group_count,
        )
    ]
    for group in range(result.group_count):
        lines.append(
            label(
                "map_group_line",
                language,
                group=_group_label(group, language),
                count=len(result.group_members(group)),
            )
        )
    lines.append(label("map_explanation", language))
    return " ".join(lines)


def svg_map(result: OpinionMap, language: Language, *, id_prefix: str = "opinion-map") -> str:
    """Draw participants as points coloured by group, with a title, description and legend."""
    prefix = escape(id_prefix)
    title = escape(label("map_title", language))
    description = escape(map_description(result, language))
    plot_width = WIDTH - LEGEND - 2 * MARGIN
    plot_height = HEIGHT - 2 * MARGIN
    coordinates = result.coordinates
    low = coordinates.min(axis=0) if len(coordinates) else np.zeros(2)
    span = np.maximum(coordinates.max(axis=0) - low, 1e-9) if len(coordinates) else np.ones(2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{title}</title>',
        f'<desc id="{prefix}-desc">{description}</desc>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        '<g class="participants" aria-hidden="true">',
    ]
    groups = np.array([result.labels.get(p, -1) for p in result.participants], dtype=np.int64)
    for (x, y), group in zip(coordinates, groups.tolist(), strict=True):
        px = MARGIN + (x - low[0]) / span[0] * plot_width
        # SVG's y axis points down; flip it so the map reads like a usual chart.
        py = MARGIN + plot_height - (y - low[1]) / span[1] * plot_height
        if group < 0:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2" fill="{UNGROUPED_COLOUR}"/>')
        else:
            colour = GROUP_COLOURS[group % len(GROUP_COLOURS)]
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}" '
                f'fill-opacity="0.75" stroke="#1a1a1a" stroke-width="0.5"/>'
            )
    parts.append("</g>")
    parts.append(
        '<g class="legend" font-family="sans-serif" font-size="13" fill="#1a1a1a" '
        'aria-hidden="true">'
    )
    legend_x = WIDTH - LEGEND
    for group in range(result.group_count):
        y = MARGIN + 22 * group + 8
        members = len(result.group_members(group))
        colour = GROUP_COLOURS[group % len(GROUP_COLOURS)]
        text = escape(f"{_group_label(group, language)} ({members})")
        parts.append(f'<circle cx="{legend_x + 6}" cy="{y}" r="5" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 16}" y="{y + 4}">{text}</text>')
        # Letters at the group centres let the map be read without relying on colour.
        if members:
            cx, cy = coordinates[groups == group].mean(axis=0)
            lx = MARGIN + (cx - low[0]) / span[0] * plot_width
            ly = MARGIN + plot_height - (cy - low[1]) / span[1] * plot_height
            parts.append(
                f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="20" font-weight="bold" '
                f'stroke="#ffffff" stroke-width="3" paint-order="stroke">'
                f"{escape(group_name(group))}</text>"
            )
    ungrouped = len(result.participants) - len(result.labels)
    if ungrouped:
        y = MARGIN + 22 * result.group_count + 8
        text = escape(f"{label('not_grouped', language)} ({ungrouped})")
        reason = escape(label("not_grouped_reason", language, count=result.parameters.min_votes))
        parts.append(f'<circle cx="{legend_x + 6}" cy="{y}" r="3" fill="{UNGROUPED_COLOUR}"/>')
        parts.append(f'<text x="{legend_x + 16}" y="{y + 4}">{text}</text>')
        parts.append(f'<text x="{legend_x + 16}" y="{y + 20}" font-size="11">{reason}</text>')
    parts.append("</g></svg>")
    return "\n".join(parts) + "\n"


def tables(result: OpinionMap, language: Language) -> list[tuple[str, tuple[StatementStats, ...]]]:
    """Return the captioned statement lists shown to people: consensus, then each group's."""
    sections = [
        (label("consensus_agree", language), result.consensus_agree),
        (label("consensus_disagree", language), result.consensus_disagree),
    ]
    for group in range(result.group_count):
        caption = label("representative", language, group=_group_label(group, language))
        sections.append((caption, result.repness.get(group, ())))
    return sections


def _share(stats: StatementStats) -> str:
    return f"{round(100 * stats.n_success / stats.n_trials)} %" if stats.n_trials else "-"


def text_report(result: OpinionMap, texts: Mapping[int, str], language: Language) -> str:
    """Render the groups, consensus and representative statements as plain-text tables."""
    lines = [label("map_title", language), "=" * len(label("map_title", language))]
    lines.append(map_description(result, language))
    lines.append(label("silhouette", language, value=f"{result.silhouette:.3f}"))
    header = (
        f"{'#':>6}  {label('reaction', language):<13}{label('share', language):>6}  "
        f"{label('votes', language):>9}  {label('statement', language)}"
    )
    for caption, rows in tables(result, language):
        lines += ["", caption, "-" * len(caption)]
        if not rows:
            lines.append(label("none", language))
            continue
        lines.append(header)
        for stats in rows:
            text = " ".join(texts.get(stats.statement, "").split())
            if len(text) > 70:
                text = text[:69] + "…"
            lines.append(
                f"{stats.statement:>6}  {label(stats.direction, language):<13}"
                f"{_share(stats):>6}  {f'{stats.n_success}/{stats.n_trials}':>9}  {text}"
            )
    return "\n".join(lines) + "\n"


def html_tables(result: OpinionMap, texts: Mapping[int, str], language: Language) -> str:
    """Render the consensus and each group's statements as captioned, escaped HTML tables."""
    head = "".join(
        f'<th scope="col">{escape(label(key, language))}</th>'
        for key in ("statement", "reaction", "share", "votes")
    )
    parts = []
    for caption, rows in tables(result, language):
        parts.append(f"<table>\n<caption>{escape(caption)}</caption>")
        parts.append(f"<thead><tr>{head}</tr></thead>\n<tbody>")
        if not rows:
            parts.append(f'<tr><td colspan="4">{escape(label("none", language))}</td></tr>')
        for stats in rows:
            text = escape(texts.get(stats.statement, str(stats.statement)))
            parts.append(
                f"<tr><td>{text}</td><td>{escape(label(stats.direction, language))}</td>"
                f"<td>{_share(stats)}</td><td>{stats.n_success}/{stats.n_trials}</td></tr>"
            )
        parts.append("</tbody>\n</table>")
    return "\n".join(parts) + "\n"


def html_page(result: OpinionMap, texts: Mapping[int, str], language: Language) -> str:
    """Render a standalone HTML page with the map, its text description and the tables."""
    title = escape(label("map_title", language))
    return (
        f'<!doctype html>\n<html lang="{language}">\n<head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n<figure>\n"
        f"{svg_map(result, language)}<figcaption>{escape(map_description(result, language))}"
        f"</figcaption>\n</figure>\n{html_tables(result, texts, language)}</body>\n</html>\n"
    )
