"""The shipped labelled set: its shape, no leakage between train and test, held-out accuracy."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest

from palabre.themes import LabelledSet, builtin, train_and_evaluate
from palabre.themes.text import fold

# A test text written independently shares topic words with training texts but not their wording:
# on the shipped files the highest word TF-IDF cosine is 0.68 (a different-theme pair sharing
# "une fois par an"), while a light paraphrase of a training text scores above 0.75.
MAX_TEST_TRAIN_COSINE = 0.7


@pytest.fixture(scope="module")
def train_set() -> LabelledSet:
    return builtin("train")


@pytest.fixture(scope="module")
def test_set() -> LabelledSet:
    return builtin("test")


def _normalised(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


def test_the_shipped_sets_have_enough_rows_over_the_same_ten_to_twelve_themes(
    train_set: LabelledSet, test_set: LabelledSet
) -> None:
    assert 600 <= len(train_set) <= 900
    assert len(test_set) >= 250
    assert (train_set.skipped, test_set.skipped) == (0, 0)
    assert set(train_set.themes) == set(test_set.themes)
    assert 10 <= len(set(train_set.themes)) <= 12
    assert min(Counter(test_set.themes).values()) >= 20
    assert min(Counter(train_set.themes).values()) >= 50


def test_no_text_appears_twice_even_after_normalising_case_accents_and_punctuation(
    train_set: LabelledSet, test_set: LabelledSet
) -> None:
    train_keys = [_normalised(t) for t in train_set.texts]
    test_keys = [_normalised(t) for t in test_set.texts]
    assert len(set(train_keys)) == len(train_keys)
    assert len(set(test_keys)) == len(test_keys)
    assert not set(train_keys) & set(test_keys)


def test_no_test_text_is_a_near_duplicate_of_a_training_text(
    train_set: LabelledSet, test_set: LabelledSet
) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(strip_accents="unicode").fit(train_set.texts + test_set.texts)
    similarity = (
        vectorizer.transform(test_set.texts) @ vectorizer.transform(train_set.texts).T
    ).toarray()
    worst = np.unravel_index(int(similarity.argmax()), similarity.shape)
    assert similarity.max() < MAX_TEST_TRAIN_COSINE, (
        test_set.texts[worst[0]],
        train_set.texts[worst[1]],
    )


def test_held_out_accuracy_on_the_shipped_test_set_meets_the_issues_bar(
    train_set: LabelledSet, test_set: LabelledSet
) -> None:
    # Measured: top-1 0.780 (209/268), top-3 0.948 (254/268); docs/themes.md. The issue asks for
    # well above 75 % top-1: 0.75 leaves 8 texts of slack for harmless numeric changes (another
    # scikit-learn or BLAS) and fails on any real regression. Training is deterministic.
    result = train_and_evaluate(train_set, test_set)
    assert result.n == len(test_set)
    assert result.top1 >= 0.75
    assert result.top3 >= 0.92
    assert result.unknown == {}
