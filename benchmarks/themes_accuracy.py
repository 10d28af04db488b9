"""Accuracy of theme suggestion: held-out test, cross-validation, learning curve, ablations.

Run: .venv/bin/python benchmarks/themes_accuracy.py [--ablations]
Prints Markdown; the figures of docs/themes.md and docs/decisions/0030 come from here. The
ablations use 5-fold cross-validation on train.csv only: test.csv never chose a setting.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable

import numpy as np

from palabre.themes import LabelledSet, builtin, cross_validate, train_and_evaluate
from palabre.themes.evaluation import fold_of
from palabre.themes.text import features, fold


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion."""
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def held_out(train: LabelledSet, test: LabelledSet) -> None:
    start = time.perf_counter()
    result = train_and_evaluate(train, test)
    low1, high1 = wilson(result.hits1, result.n)
    low3, high3 = wilson(result.hits3, result.n)
    print("## Held-out test (train.csv -> test.csv)\n")
    print(f"n = {result.n}, trained on {result.train_n} ({time.perf_counter() - start:.1f} s)\n")
    print("| measure | value | 95 % interval |\n|---|---|---|")
    print(f"| top-1 | {result.top1:.3f} ({result.hits1}/{result.n}) | {low1:.3f}-{high1:.3f} |")
    print(f"| top-3 | {result.top3:.3f} ({result.hits3}/{result.n}) | {low3:.3f}-{high3:.3f} |\n")
    print("| theme | n | top-1 | top-3 |\n|---|---|---|---|")
    for theme, score in result.per_theme.items():
        print(
            f"| {theme} | {score.n} | {score.hits1 / score.n:.2f} | {score.hits3 / score.n:.2f} |"
        )
    print("\nMost frequent first-suggestion errors:", end=" ")
    print(", ".join(f"{t} -> {s} ({c})" for t, s, c in result.confusions[:6]), "\n")


def crossval(data: LabelledSet, label: str, seeds: range) -> None:
    results = [cross_validate(data, folds=5, seed=seed) for seed in seeds]
    top1 = [r.top1 for r in results]
    top3 = [r.top3 for r in results]
    print(
        f"## 5-fold cross-validation on {label} (n = {len(data)}, seeds {seeds.start}-"
        f"{seeds.stop - 1})\n"
    )
    print("| measure | mean | min | max |\n|---|---|---|---|")
    print(f"| top-1 | {statistics.mean(top1):.3f} | {min(top1):.3f} | {max(top1):.3f} |")
    print(f"| top-3 | {statistics.mean(top3):.3f} | {min(top3):.3f} | {max(top3):.3f} |\n")
    pairs: dict[tuple[str, str], int] = {}
    for result in results:
        for true, suggested, count in result.confusions:
            key = (min(true, suggested), max(true, suggested))
            pairs[key] = pairs.get(key, 0) + count
    worst = sorted(pairs.items(), key=lambda item: -item[1])[:6]
    print("Most confused pairs (both directions, per seed):", end=" ")
    print(", ".join(f"{a} / {b} ({c / len(results):.0f})" for (a, b), c in worst), "\n")


def learning_curve(train: LabelledSet, test: LabelledSet) -> None:
    print("## Learning curve (first N rows of a stratified shuffle of train.csv -> test.csv)\n")
    print("| training texts | top-1 | top-3 |\n|---|---|---|")
    order = np.argsort(np.array(fold_of(train.themes, 10, seed=0)), kind="stable")
    for share in (0.25, 0.5, 0.75, 1.0):
        keep = sorted(int(i) for i in order[: int(len(train) * share)])
        part = LabelledSet(
            tuple(train.texts[i] for i in keep), tuple(train.themes[i] for i in keep)
        )
        result = train_and_evaluate(part, test)
        print(f"| {len(part)} | {result.top1:.3f} | {result.top3:.3f} |")
    print()


def ablations(train: LabelledSet) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import ComplementNB
    from sklearn.svm import LinearSVC
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    analyzers: dict[str, Callable[[str], list[str]]] = {
        "whitespace tokens (no elision, stop words, stems)": lambda t: fold(t).split(),
        "stems": lambda t: [f for f in features(t) if f.startswith("w:")],
        "stems + bigrams": lambda t: [f for f in features(t) if not f.startswith("c:")],
        "char 3-5-grams": lambda t: [f for f in features(t) if f.startswith("c:")],
        "stems + bigrams + char 3-5 (shipped)": features,
    }
    models: dict[str, Callable[[], object]] = {
        "logistic C=1": lambda: LogisticRegression(C=1, solver="newton-cg", max_iter=1000),
        "logistic C=10 (shipped)": lambda: LogisticRegression(
            C=10, solver="newton-cg", max_iter=1000
        ),
        "logistic C=100": lambda: LogisticRegression(C=100, solver="newton-cg", max_iter=1000),
        "linear SVM C=0.3": lambda: LinearSVC(C=0.3, random_state=0),
        "complement NB a=0.3": lambda: ComplementNB(alpha=0.3),
    }
    labels = np.array(train.themes, dtype=object)
    print("## Ablations (5-fold cross-validation on train.csv only, seeds 0-2)\n")
    print("| features | model | top-1 | top-3 |\n|---|---|---|---|")
    for feature_name, analyzer in analyzers.items():
        for model_name, make in models.items():
            if model_name != "logistic C=10 (shipped)" and "shipped" not in feature_name:
                continue  # one axis at a time around the shipped setting
            hits1 = hits3 = total = 0
            for seed in range(3):
                folds = np.array(fold_of(train.themes, 5, seed))
                for k in range(5):
                    inside, outside = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
                    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True)
                    a = vectorizer.fit_transform([train.texts[i] for i in inside])
                    b = vectorizer.transform([train.texts[i] for i in outside])
                    model = make()
                    with threadpool_limits(limits=1):
                        model.fit(a, labels[inside])  # type: ignore[attr-defined]
                    if hasattr(model, "decision_function"):
                        scores = model.decision_function(b)
                    else:
                        scores = model.predict_log_proba(b)  # type: ignore[attr-defined]
                    ranked = model.classes_[np.argsort(-scores, axis=1)]  # type: ignore[attr-defined]
                    truth = labels[outside]
                    hits1 += int((ranked[:, 0] == truth).sum())
                    hits3 += int((ranked[:, :3] == truth[:, None]).any(axis=1).sum())
                    total += len(outside)
            print(f"| {feature_name} | {model_name} | {hits1 / total:.3f} | {hits3 / total:.3f} |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ablations", action="store_true", help="also compare design choices")
    args = parser.parse_args()
    train, test = builtin("train"), builtin("test")
    held_out(train, test)
    crossval(train + test, "train.csv + test.csv", range(5))
    crossval(train, "train.csv alone", range(5))
    learning_curve(train, test)
    if args.ablations:
        ablations(train)


if __name__ == "__main__":
    main()
