"""Train a theme model on labelled French texts and suggest themes for new ones.

Training uses scikit-learn: TF-IDF over the features of :mod:`palabre.themes.text` (sublinear
term frequency, smoothed IDF, L2 norm) and a multinomial logistic regression. The fitted
vectoriser and classifier are then reduced to plain arrays (terms, IDF weights, coefficients,
intercepts): suggesting is a sparse dot product and a softmax in NumPy, the same code for a model
just trained and for one loaded from bytes, so a save/load round trip gives identical suggestions
and loading needs neither scikit-learn nor pickle.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from palabre.themes.text import features

FORMAT = "palabre-themes/1"
# Inverse regularisation strength of the logistic regression, chosen by 5-fold cross-validation on
# the shipped training set only (docs/decisions/0030-theme-suggestion-model.md).
DEFAULT_C = 10.0


class ThemesError(Exception):
    """Unusable input for the theme engine; the message is meant for the person who gave it."""


class Suggestion(NamedTuple):
    """A suggested theme and its probability under the model (scores of all themes sum to 1)."""

    theme: str
    score: float


@dataclass(frozen=True, eq=False)
class ThemeModel:
    """A trained theme model: immutable, cheap to query, serialisable with :meth:`to_bytes`."""

    themes: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: NDArray[np.float64]  # (n_features,)
    weights: NDArray[np.float64]  # (n_features, n_themes)
    intercept: NDArray[np.float64]  # (n_themes,)
    n_train: int
    c: float

    def probabilities(self, texts: Iterable[str]) -> NDArray[np.float64]:
        """Return an (n_texts, n_themes) array of theme probabilities, columns in `themes` order."""
        rows = [self._probabilities(text) for text in texts]
        if not rows:
            return np.zeros((0, len(self.themes)))
        return np.vstack(rows)

    def suggest(self, text: str, k: int = 3) -> list[Suggestion]:
        """Return the k most probable themes for `text`, best first (ties: theme order)."""
        if k < 1:
            raise ValueError("k must be at least 1")
        return _top(self.themes, self._probabilities(text), k)

    def suggest_many(self, texts: Iterable[str], k: int = 3) -> list[list[Suggestion]]:
        """Return :meth:`suggest` for each text."""
        return [self.suggest(text, k) for text in texts]

    def _probabilities(self, text: str) -> NDArray[np.float64]:
        counts = Counter(i for f in features(text) if (i := self.vocabulary.get(f)) is not None)
        logits = self.intercept.copy()
        if counts:
            index = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
            values = tf * self.idf[index]
            values /= math.sqrt(float(values @ values))
            logits += values @ self.weights[index]
        logits -= logits.max()
        exp = np.exp(logits)
        result: NDArray[np.float64] = exp / exp.sum()
        return result

    def to_bytes(self) -> bytes:
        """Serialise to a compressed NumPy .npz archive (no pickle; see :meth:`from_bytes`)."""
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        meta = {"format": FORMAT, "themes": list(self.themes), "n_train": self.n_train, "c": self.c}
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
            terms=np.frombuffer("\n".join(terms).encode(), dtype=np.uint8),
            idf=self.idf,
            weights=self.weights,
            intercept=self.intercept,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> ThemeModel:
        """Load a model written by :meth:`to_bytes`; raise ThemesError for anything else."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as archive:
                meta = json.loads(archive["meta"].tobytes().decode())
                terms_blob = archive["terms"].tobytes().decode()
                idf = np.asarray(archive["idf"], dtype=np.float64)
                weights = np.asarray(archive["weights"], dtype=np.float64)
                intercept = np.asarray(archive["intercept"], dtype=np.float64)
            if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                raise ThemesError("not a Palabre theme model (unknown format)")
            themes = tuple(str(t) for t in meta["themes"])
            terms = terms_blob.split("\n") if terms_blob else []
            n_train, c = int(meta["n_train"]), float(meta["c"])
        except ThemesError:
            raise
        except (OSError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
            raise ThemesError(f"not a Palabre theme model ({error})") from error
        shapes_ok = (
            len(themes) >= 2
            and idf.shape == (len(terms),)
            and weights.shape == (len(terms), len(themes))
            and intercept.shape == (len(themes),)
            and len(set(terms)) == len(terms)
        )
        if not shapes_ok:
            raise ThemesError("not a Palabre theme model (inconsistent arrays)")
        vocabulary = {term: i for i, term in enumerate(terms)}
        return cls(themes, vocabulary, idf, weights, intercept, n_train, c)


def _top(themes: Sequence[str], probabilities: NDArray[np.float64], k: int) -> list[Suggestion]:
    order = sorted(range(len(themes)), key=lambda i: (-probabilities[i], i))[:k]
    return [Suggestion(themes[i], float(probabilities[i])) for i in order]


def train(texts: Sequence[str], themes: Sequence[str], *, c: float = DEFAULT_C) -> ThemeModel:
    """Train the platform's theme model on labelled texts; the same input gives the same model.

    Raise ThemesError when the input cannot train a model: lengths differ, fewer than two
    themes, or no text has a usable word.
    """
    if len(texts) != len(themes):
        raise ThemesError(f"{len(texts)} texts but {len(themes)} themes")
    labels = sorted(set(themes))
    if len(labels) < 2:
        raise ThemesError(f"training needs at least two different themes (found {len(labels)})")
    # Imported here: loading a saved model and suggesting need NumPy only.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, dtype=np.float64)
    try:
        matrix = vectorizer.fit_transform(list(texts))
    except ValueError as error:  # "empty vocabulary"
        raise ThemesError("no training text contains a usable word") from error
    classifier = LogisticRegression(C=c, solver="newton-cg", max_iter=1000)
    # Several BLAS threads fighting over a small problem make the fit several times slower.
    with threadpool_limits(limits=1):
        classifier.fit(matrix, np.asarray(themes, dtype=object))
    classes = tuple(str(t) for t in classifier.classes_)
    coef = np.asarray(classifier.coef_, dtype=np.float64)
    intercept = np.asarray(classifier.intercept_, dtype=np.float64)
    if len(classes) == 2:  # binary: one logit z for classes[1]; softmax(-z/2, z/2) = sigmoid(z)
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    vocabulary = {str(term): int(i) for term, i in vectorizer.vocabulary_.items()}
    return ThemeModel(
        themes=classes,
        vocabulary=vocabulary,
        idf=np.asarray(vectorizer.idf_, dtype=np.float64),
        weights=np.ascontiguousarray(coef.T),
        intercept=intercept,
        n_train=len(texts),
        c=c,
    )
