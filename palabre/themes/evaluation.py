"""Measuring theme suggestion: top-1 / top-3 accuracy on held-out texts and by cross-validation.

A test text counts as a top-k hit when its labelled theme is among the k themes the model
suggests first (ties in probability go to the theme that sorts first). A test theme the model was
not trained on can never be suggested, so its texts count as misses; they stay in `n`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from palabre.themes.labelled import LabelledSet
from palabre.themes.model import DEFAULT_C, Suggestion, ThemeModel, ThemesError, train


@dataclass(frozen=True)
class ThemeScore:
    """How the test texts of one theme fared."""

    n: int
    hits1: int
    hits3: int


@dataclass(frozen=True)
class Evaluation:
    """Top-1 and top-3 accuracy over `n` test texts, with details per theme."""

    n: int
    hits1: int
    hits3: int
    train_n: int
    themes: tuple[str, ...]
    unknown: dict[str, int] = field(default_factory=dict)
    per_theme: dict[str, ThemeScore] = field(default_factory=dict)
    confusions: tuple[tuple[str, str, int], ...] = ()
    folds: int | None = None

    @property
    def top1(self) -> float:
        return self.hits1 / self.n if self.n else 0.0

    @property
    def top3(self) -> float:
        return self.hits3 / self.n if self.n else 0.0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; accuracies are fractions in [0, 1] rounded to 4 decimals."""
        data: dict[str, Any] = {
            "n": self.n,
            "top1": round(self.top1, 4),
            "top3": round(self.top3, 4),
            "hits1": self.hits1,
            "hits3": self.hits3,
            "train_n": self.train_n,
            "themes": list(self.themes),
            "unknown_themes": dict(self.unknown),
            "per_theme": {
                theme: {"n": s.n, "top1": round(s.hits1 / s.n, 4), "top3": round(s.hits3 / s.n, 4)}
                for theme, s in self.per_theme.items()
            },
            "confusions": [
                {"theme": true, "suggested": suggested, "count": count}
                for true, suggested, count in self.confusions
            ],
        }
        if self.folds is not None:
            data["folds"] = self.folds
        return data


def _measure(
    suggestions: Sequence[Sequence[Suggestion]],
    truths: Sequence[str],
    known: Sequence[str],
    train_n: int,
    folds: int | None = None,
) -> Evaluation:
    hits1 = hits3 = 0
    per_theme: dict[str, list[int]] = {}
    confusions: Counter[tuple[str, str]] = Counter()
    for ranked, truth in zip(suggestions, truths, strict=True):
        names = [s.theme for s in ranked[:3]]
        in1, in3 = names[:1] == [truth], truth in names
        hits1 += in1
        hits3 += in3
        counts = per_theme.setdefault(truth, [0, 0, 0])
        counts[0] += 1
        counts[1] += in1
        counts[2] += in3
        if not in1:
            confusions[truth, names[0]] += 1
    known_set = set(known)
    return Evaluation(
        n=len(truths),
        hits1=hits1,
        hits3=hits3,
        train_n=train_n,
        themes=tuple(known),
        unknown=dict(sorted(Counter(t for t in truths if t not in known_set).items())),
        per_theme={t: ThemeScore(*per_theme[t]) for t in sorted(per_theme)},
        confusions=tuple(
            (true, suggested, count)
            for (true, suggested), count in sorted(
                confusions.items(), key=lambda item: (-item[1], item[0])
            )
        ),
        folds=folds,
    )


def evaluate(model: ThemeModel, test: LabelledSet) -> Evaluation:
    """Suggest themes for the texts of `test` and compare with their labels."""
    if not len(test):
        raise ThemesError("the test set has no labelled text")
    return _measure(model.suggest_many(test.texts, k=3), test.themes, model.themes, model.n_train)


def train_and_evaluate(
    training: LabelledSet, test: LabelledSet, c: float = DEFAULT_C
) -> Evaluation:
    """Train the platform's model on `training`, then :func:`evaluate` it on `test`."""
    return evaluate(train(training.texts, training.themes, c=c), test)


def fold_of(themes: Sequence[str], folds: int, seed: int = 0) -> list[int]:
    """Stratified fold numbers: each theme's rows shuffled (seeded) and dealt round-robin."""
    rng = np.random.default_rng(seed)
    assignment = [0] * len(themes)
    start = 0
    for theme in sorted(set(themes)):
        rows = [i for i, t in enumerate(themes) if t == theme]
        for j, row in enumerate(rng.permutation(rows)):
            assignment[int(row)] = (start + j) % folds
        start = (start + len(rows)) % folds  # keep fold sizes within one of each other
    return assignment


def cross_validate(
    data: LabelledSet, folds: int = 5, seed: int = 0, c: float = DEFAULT_C
) -> Evaluation:
    """Stratified k-fold cross-validation: every text is suggested by a model not trained on it.

    Hits are pooled over the folds (so top-1 is the share of all texts whose first suggestion
    was right); `train_n` is the mean number of training texts per fold.
    """
    if folds < 2:
        raise ThemesError("cross-validation needs at least 2 folds")
    if len(data) < folds:
        raise ThemesError(f"{len(data)} labelled texts cannot be split into {folds} folds")
    assignment = fold_of(data.themes, folds, seed)
    suggestions: list[list[Suggestion]] = [[] for _ in data.texts]
    train_sizes = []
    for fold in range(folds):
        inside = [i for i, f in enumerate(assignment) if f != fold]
        outside = [i for i, f in enumerate(assignment) if f == fold]
        model = train([data.texts[i] for i in inside], [data.themes[i] for i in inside], c=c)
        train_sizes.append(len(inside))
        ranked_fold = model.suggest_many([data.texts[i] for i in outside])
        for i, ranked in zip(outside, ranked_fold, strict=True):
            suggestions[i] = ranked
    known = sorted(set(data.themes))
    return _measure(suggestions, data.themes, known, round(sum(train_sizes) / folds), folds)
