"""Reads: the workshop a questionnaire belongs to, what has been keyed, and who the workshops
reach (`reach`), with small groups suppressed inside the query itself (ADR 0074).

`reach` is the public entry point of this app for the evaluation dashboard and the yearly
report: keep its signature and the fields of `Reach` stable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from palabre.core.suppression import THRESHOLD as MIN_GROUP
from palabre.inclusion.models import (
    AgeBand,
    Answer,
    Entry,
    Heard,
    Language,
    Population,
    Residence,
)
from palabre.neighbourhoods.models import Neighbourhood
from palabre.workshops.models import Cycle, Workshop
from palabre.workshops.queries import visible_workshops

# An age band is "missed" when its share of the answers is this many points (or more) under
# its share of the population.
MISSED_POINTS = 5
NOT_SAID = ""


def questionnaire_workshop(user: Any, pk: int) -> Workshop:
    """Return the workshop `pk` as `user` may see it (404 when hidden or unknown)."""
    found = visible_workshops(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def paper_count(workshop: Workshop) -> int:
    """How many paper questionnaires were keyed for `workshop`."""
    return Answer.objects.filter(workshop=workshop, entry=Entry.PAPER).count()


def is_saved(key: str) -> bool:
    """Whether an answer was already stored under this form's key."""
    return Answer.objects.filter(key=key).exists()


def populations() -> QuerySet[Population]:
    """Every neighbourhood's population figures, neighbourhood by neighbourhood, newest first."""
    return Population.objects.select_related("neighbourhood")


def published_neighbourhoods() -> list[Neighbourhood]:
    """The neighbourhoods a resident may say they live in (the published ones, in order)."""
    return list(Neighbourhood.objects.filter(is_published=True).order_by("position", "name"))


# Who we reach ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One choice of one question.

    `value`: the stored code ("" for "not said"); `label`: its words in the active language;
    `count`: the answers that chose it, or None when fewer than MIN_GROUP (or hidden so that a
    small group cannot be found by subtraction); `share`: `count` as a whole percentage of all
    the answers of the period (None when `count` is None)."""

    value: str
    label: str
    count: int | None
    share: int | None

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Question:
    """The figures of one question. `multiple`: one answer may tick several choices (the
    languages), so the shares add up to more than 100."""

    name: str
    title: str
    figures: tuple[Figure, ...]
    multiple: bool = False


@dataclass(frozen=True)
class AgeComparison:
    """One age band, answers against the population.

    `answers`: the answers in the band (None when suppressed); `answers_share`: their whole
    percentage of the answers that gave an age (None when suppressed); `population` and
    `population_share`: the people of the band in the population figures and their percentage;
    `gap`: answers_share - population_share in points (None when suppressed); `shortfall`:
    how many points the band is under-represented at least (0 when it is not), computed for a
    suppressed band as if it had MIN_GROUP - 1 answers."""

    value: str
    label: str
    answers: int | None
    answers_share: int | None
    population: int
    population_share: int
    gap: int | None
    shortfall: int


@dataclass(frozen=True)
class Reach:
    """Who the workshops of a period reached, small groups suppressed.

    - `start`, `end`: the period (workshops that started on those days, both included);
      `neighbourhood`: the neighbourhood of the workshops counted, or None for all; `cycle`:
      the cycle, or None for all.
    - `workshops`: how many workshops have at least one answer.
    - `total`: how many answers, or None when fewer than MIN_GROUP (then every figure is
      suppressed too).
    - `questions`: the figures of each question in the questionnaire's order: "age_band",
      "first_time", "residence", "heard", "languages", then "entry" (phone or paper).
    - `ages`: the age bands against the population (empty without population figures, or when
      fewer than MIN_GROUP answers gave an age); `population_total`, `population_years`,
      `population_sources`, `population_places`: what the population figures are (the
      neighbourhood's, or the sum of the neighbourhoods where the workshops were held, each
      from the latest year not after `end`).
    - `missed`: the labels of the age bands under-represented by MISSED_POINTS or more, the
      most missed first (at most three).
    """

    start: date
    end: date
    neighbourhood: Neighbourhood | None
    cycle: Cycle | None
    workshops: int
    total: int | None
    questions: tuple[Question, ...]
    ages: tuple[AgeComparison, ...]
    population_total: int
    population_years: tuple[int, ...]
    population_sources: tuple[str, ...]
    population_places: tuple[str, ...]
    missed: tuple[str, ...]

    @property
    def min_group(self) -> int:
        return MIN_GROUP

    def question(self, name: str) -> Question:
        """The figures of the question called `name`."""
        return next(question for question in self.questions if question.name == name)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def suppress(counts: Sequence[int], total: int, *, complementary: bool = True) -> list[int | None]:
    """The counts as they may be shown: None for a group smaller than MIN_GROUP, everything
    None when the total is; with `complementary` (choices that add up to the total), when a
    single group is hidden the smallest shown one is hidden too, so that no hidden group is the
    total minus the others."""
    if total < MIN_GROUP:
        return [None] * len(counts)
    shown: list[int | None] = [count if count >= MIN_GROUP else None for count in counts]
    hidden = [index for index, count in enumerate(shown) if count is None]
    if complementary and len(hidden) == 1:
        visible = [index for index, count in enumerate(shown) if count is not None]
        if visible:
            shown[min(visible, key=lambda index: (counts[index], index))] = None
    return shown


def _question(
    name: str,
    title: str,
    choices: Sequence[tuple[str, Any]],
    counts: Counter[str],
    total: int,
    *,
    multiple: bool = False,
) -> Question:
    raw = [counts.get(value, 0) for value, _label in choices]
    shown = suppress(raw, total, complementary=not multiple)
    figures = tuple(
        Figure(
            value=value,
            label=label,
            count=count,
            share=None if count is None else _percent(count, total),
        )
        for (value, label), count in zip(choices, shown, strict=True)
    )
    return Question(name=name, title=title, figures=figures, multiple=multiple)


def _not_said() -> tuple[str, str]:
    return (NOT_SAID, pgettext("questionnaire", "Not said"))


def _answers(
    start: date, end: date, neighbourhood: Neighbourhood | None, cycle: Cycle | None
) -> QuerySet[Answer]:
    answers = Answer.objects.filter(workshop__starts_at__date__range=(start, end))
    if neighbourhood is not None:
        answers = answers.filter(workshop__neighbourhood=neighbourhood)
    if cycle is not None:
        answers = answers.filter(workshop__cycle=cycle)
    return answers


def _population(
    end: date, neighbourhood: Neighbourhood | None, places: set[int]
) -> list[Population]:
    wanted = {neighbourhood.pk} if neighbourhood is not None else places
    rows = Population.objects.filter(
        neighbourhood_id__in=wanted, year__lte=end.year
    ).select_related("neighbourhood")
    latest: dict[int, Population] = {}
    for row in rows:
        kept = latest.get(row.neighbourhood_id)
        if kept is None or row.year > kept.year:
            latest[row.neighbourhood_id] = row
    return sorted(
        latest.values(), key=lambda row: (row.neighbourhood.position, row.neighbourhood.name)
    )


def _ages(question: Question, said: int, rows: list[Population]) -> tuple[AgeComparison, ...]:
    if not rows or said < MIN_GROUP:
        return ()
    people = {band: sum(row.by_age()[band] for row in rows) for band in AgeBand.values}
    everyone = sum(people.values())
    if not everyone:
        return ()
    compared = []
    for figure in question.figures:
        if figure.value == NOT_SAID:
            continue
        population_share = _percent(people[figure.value], everyone)
        share = None if figure.count is None else _percent(figure.count, said)
        at_most = share if share is not None else _percent(MIN_GROUP - 1, said)
        compared.append(
            AgeComparison(
                value=figure.value,
                label=str(figure.label),
                answers=figure.count,
                answers_share=share,
                population=people[figure.value],
                population_share=population_share,
                gap=None if share is None else share - population_share,
                shortfall=max(0, population_share - at_most),
            )
        )
    return tuple(compared)


def reach(
    *,
    start: date,
    end: date,
    neighbourhood: Neighbourhood | None = None,
    cycle: Cycle | None = None,
) -> Reach:
    """Count the questionnaires of the workshops held from `start` to `end` (of one
    neighbourhood, of one cycle), suppressing every group smaller than MIN_GROUP."""
    rows = list(
        _answers(start, end, neighbourhood, cycle).values_list(
            "age_band",
            "first_time",
            "languages",
            "residence",
            "neighbourhood_id",
            "heard",
            "entry",
            "workshop_id",
            "workshop__neighbourhood_id",
        )
    )
    total = len(rows)
    ages: Counter[str] = Counter(row[0] for row in rows)
    firsts: Counter[str] = Counter(
        NOT_SAID if row[1] is None else ("yes" if row[1] else "no") for row in rows
    )
    languages: Counter[str] = Counter()
    for row in rows:
        languages.update(row[2] or [NOT_SAID])
    places: Counter[str] = Counter(
        f"n{row[4]}" if row[3] == Residence.NEIGHBOURHOOD else row[3] for row in rows
    )
    heard: Counter[str] = Counter(row[5] for row in rows)
    entries: Counter[str] = Counter(row[6] for row in rows)
    held_in = {row[8] for row in rows if row[8] is not None}

    named = [
        (f"n{place.pk}", place.name)
        for place in Neighbourhood.objects.filter(is_published=True).order_by("position", "name")
    ]
    age_question = _question("age_band", _("Age"), [*AgeBand.choices, _not_said()], ages, total)
    questions = (
        age_question,
        _question(
            "first_time",
            _("First workshop"),
            [("yes", _("Yes, the first one")), ("no", _("No, I came before")), _not_said()],
            firsts,
            total,
        ),
        _question(
            "residence",
            _("Where they live"),
            [
                *named,
                (Residence.CITY.value, str(Residence.CITY.label)),
                (Residence.OUTSIDE.value, str(Residence.OUTSIDE.label)),
                _not_said(),
            ],
            places,
            total,
        ),
        _question("heard", _("How they heard of it"), [*Heard.choices, _not_said()], heard, total),
        _question(
            "languages",
            _("Languages spoken at home"),
            [*Language.choices, _not_said()],
            languages,
            total,
            multiple=True,
        ),
        _question("entry", _("Answered"), list(Entry.choices), entries, total),
    )
    population = _population(end, neighbourhood, held_in)
    said = total - ages.get(NOT_SAID, 0)
    compared = _ages(age_question, said, population) if total >= MIN_GROUP else ()
    missed = sorted((c for c in compared if c.shortfall >= MISSED_POINTS), key=_most_missed)
    return Reach(
        start=start,
        end=end,
        neighbourhood=neighbourhood,
        cycle=cycle,
        workshops=len({row[7] for row in rows}),
        total=total if total >= MIN_GROUP else None,
        questions=tuple(_labelled(question) for question in questions),
        ages=compared,
        population_total=sum(row.total for row in population),
        population_years=tuple(sorted({row.year for row in population})),
        population_sources=tuple(dict.fromkeys(row.source for row in population if row.source)),
        population_places=tuple(row.neighbourhood.name for row in population),
        missed=tuple(comparison.label for comparison in missed[:3]),
    )


def _most_missed(comparison: AgeComparison) -> tuple[int, str]:
    return (-comparison.shortfall, comparison.value)


def _labelled(question: Question) -> Question:
    # Labels as plain strings of the active language: the evaluation app may keep them.
    return Question(
        name=question.name,
        title=str(question.title),
        figures=tuple(
            Figure(value=f.value, label=str(f.label), count=f.count, share=f.share)
            for f in question.figures
        ),
        multiple=question.multiple,
    )
