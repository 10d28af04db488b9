"""The theme model through its public API: suggestions, determinism, save/load, bad input."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pytest

from palabre.themes import (
    DEFAULT_C,
    Suggestion,
    ThemeModel,
    ThemesError,
    builtin,
    builtin_model,
    train,
)
from palabre.themes.text import features, fold, words

SAMPLES = [
    "Les poubelles débordent et il y a des dépôts clandestins rue Haute.",
    "Le bus TEC ne passe plus le dimanche, on est coincés.",
    "Ma grand-mère est seule toute la journée, personne ne vient la voir.",
    "",
    "!!!",
    "zzz qwerty",
]


@pytest.fixture(scope="module")
def model() -> ThemeModel:
    return builtin_model()


def test_suggestions_are_the_k_most_probable_themes_best_first(model: ThemeModel) -> None:
    for text in SAMPLES:
        everything = model.suggest(text, k=len(model.themes))
        assert sorted(s.theme for s in everything) == sorted(model.themes)
        assert sum(s.score for s in everything) == pytest.approx(1.0)
        assert [s.score for s in everything] == sorted((s.score for s in everything), reverse=True)
        assert model.suggest(text, k=3) == everything[:3]
        assert all(isinstance(s, Suggestion) and 0.0 <= s.score <= 1.0 for s in everything)


def test_asking_for_more_themes_than_known_returns_them_all_and_k_below_one_is_refused(
    model: ThemeModel,
) -> None:
    assert len(model.suggest("une fresque sur le mur", k=50)) == len(model.themes)
    with pytest.raises(ValueError, match="at least 1"):
        model.suggest("une fresque", k=0)


def test_probabilities_have_one_row_per_text_in_theme_order(model: ThemeModel) -> None:
    matrix = model.probabilities(SAMPLES)
    assert matrix.shape == (len(SAMPLES), len(model.themes))
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0)
    best = [model.themes[int(i)] for i in matrix.argmax(axis=1)]
    assert best == [model.suggest(text, k=1)[0].theme for text in SAMPLES]
    assert model.probabilities([]).shape == (0, len(model.themes))


def test_clear_complaints_get_the_obvious_theme_first(model: ThemeModel) -> None:
    assert model.suggest(SAMPLES[0])[0].theme == "propreté"
    assert model.suggest(SAMPLES[1])[0].theme == "mobilité"
    assert model.suggest(SAMPLES[2])[0].theme == "aînés"


def test_training_twice_on_the_same_texts_gives_the_same_model() -> None:
    data = builtin("train")
    first = train(data.texts, data.themes)
    second = train(data.texts, data.themes)
    assert first.themes == second.themes
    assert first.vocabulary == second.vocabulary
    np.testing.assert_array_equal(first.weights, second.weights)
    np.testing.assert_array_equal(first.probabilities(SAMPLES), second.probabilities(SAMPLES))


def test_a_saved_and_loaded_model_gives_identical_suggestions(model: ThemeModel) -> None:
    data = model.to_bytes()
    loaded = ThemeModel.from_bytes(data)
    texts = [*SAMPLES, *builtin("test").texts[:50]]
    assert loaded.themes == model.themes
    assert (loaded.n_train, loaded.c) == (model.n_train, DEFAULT_C)
    np.testing.assert_array_equal(loaded.probabilities(texts), model.probabilities(texts))
    assert [loaded.suggest(t) for t in texts] == [model.suggest(t) for t in texts]
    assert len(data) < 2_000_000


def test_the_numpy_suggestions_match_scikit_learns_own_probabilities(model: ThemeModel) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    data = builtin("train")
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True)
    classifier = LogisticRegression(C=DEFAULT_C, solver="newton-cg", max_iter=1000)
    with threadpool_limits(limits=1):
        classifier.fit(vectorizer.fit_transform(data.texts), list(data.themes))
    texts = builtin("test").texts[:40]
    expected = classifier.predict_proba(vectorizer.transform(texts))
    assert tuple(classifier.classes_) == model.themes
    np.testing.assert_allclose(model.probabilities(texts), expected, atol=1e-6)


def test_a_two_theme_model_gives_probabilities_like_scikit_learns_binary_case() -> None:
    texts = [
        "les poubelles débordent",
        "dépôts clandestins partout",
        "le bus est en retard",
        "pas de bus le dimanche",
        "des sacs poubelles éventrés",
        "arrêt de bus sans abri",
    ]
    themes = ["propreté", "propreté", "mobilité", "mobilité", "propreté", "mobilité"]
    model = train(texts, themes)
    assert model.themes == ("mobilité", "propreté")
    assert model.suggest("un bus toutes les heures")[0].theme == "mobilité"
    assert model.suggest("les poubelles du parc")[0].theme == "propreté"
    assert sum(s.score for s in model.suggest("rien à voir", k=2)) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("texts", "themes", "message"),
    [
        (["a", "b"], ["x"], "2 texts but 1 themes"),
        (["les poubelles", "le bus"], ["propreté", "propreté"], "at least two different themes"),
        (["!!!", "..."], ["propreté", "mobilité"], "no training text contains a usable word"),
    ],
)
def test_training_on_unusable_input_raises_a_clear_error(
    texts: list[str], themes: list[str], message: str
) -> None:
    with pytest.raises(ThemesError, match=message):
        train(texts, themes)


def _npz(**arrays: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a model at all",
        _npz(meta=np.frombuffer(b'{"format": "other"}', dtype=np.uint8)),
        _npz(meta=np.array([{"format": "palabre-themes/1"}], dtype=object)),  # pickled object
    ],
    ids=["empty", "text", "other-format", "pickled-object"],
)
def test_loading_bytes_that_are_not_a_model_raises_a_clear_error(data: bytes) -> None:
    with pytest.raises(ThemesError, match="not a Palabre theme model"):
        ThemeModel.from_bytes(data)


def test_loading_a_model_with_inconsistent_arrays_is_refused(model: ThemeModel) -> None:
    archive = dict(np.load(io.BytesIO(model.to_bytes()), allow_pickle=False))
    archive["weights"] = archive["weights"][:-1]
    with pytest.raises(ThemesError, match="inconsistent arrays"):
        ThemeModel.from_bytes(_npz(**archive))


def test_accents_elision_and_case_do_not_change_the_words_the_model_sees() -> None:
    assert fold("Aînés, ÉCHEVIN, cœur") == "aines, echevin, coeur"
    assert words("L'échevin qu'on a vu jusqu'à l'école") == [
        "échevin",
        "on",
        "a",
        "vu",
        "à",
        "école",
    ]
    assert features("l'école") == features("L\u2019ÉCOLE")
    shared = set(features("poubelles")) & set(features("poubels"))
    assert len(shared) >= 6  # a spelling mistake keeps most character n-grams


def test_the_engine_imports_neither_django_nor_scikit_learn_until_training() -> None:
    probe = (
        "import sys, palabre.themes, palabre.themes.cli;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'sklearn', 'scipy'}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
