"""Offline theme suggestion for residents' contributions (no Django, no download at run time).

    model = train(texts, themes)
    model.suggest("Les poubelles débordent rue Haute", k=3)  # [Suggestion(theme, score), ...]
    same = ThemeModel.from_bytes(model.to_bytes())

See docs/themes.md for the method and its measured accuracy.
"""

from __future__ import annotations

from functools import lru_cache

from palabre.themes.evaluation import (
    Evaluation,
    ThemeScore,
    cross_validate,
    evaluate,
    train_and_evaluate,
)
from palabre.themes.labelled import LabelledSet, builtin, parse_labelled, read_labelled
from palabre.themes.model import DEFAULT_C, Suggestion, ThemeModel, ThemesError, train

__all__ = [
    "DEFAULT_C",
    "Evaluation",
    "LabelledSet",
    "Suggestion",
    "ThemeModel",
    "ThemeScore",
    "ThemesError",
    "builtin",
    "builtin_model",
    "cross_validate",
    "evaluate",
    "parse_labelled",
    "read_labelled",
    "train",
    "train_and_evaluate",
]


@lru_cache(maxsize=1)
def builtin_model() -> ThemeModel:
    """The platform's starting model, trained on the shipped `data/train.csv` (cached)."""
    data = builtin("train")
    return train(data.texts, data.themes)
