"""Time training and suggesting themes on 1,000 to 10,000 contributions.

Run: .venv/bin/python benchmarks/themes_speed.py
Texts are the shipped labelled sentences joined in random same-theme pairs (so every text is new
and about twice as long as a typical contribution). Prints Markdown; nothing here is a test.
"""

from __future__ import annotations

import random
import time

from palabre.themes import ThemeModel, builtin, train


def corpus(size: int, seed: int = 0) -> tuple[list[str], list[str]]:
    data = builtin("train") + builtin("test")
    by_theme: dict[str, list[str]] = {}
    for text, theme in zip(data.texts, data.themes, strict=True):
        by_theme.setdefault(theme, []).append(text)
    rng = random.Random(seed)
    themes = [rng.choice(sorted(by_theme)) for _ in range(size)]
    texts = [" ".join(rng.sample(by_theme[theme], 2)) for theme in themes]
    return texts, themes


def main() -> None:
    start = time.perf_counter()
    import sklearn.linear_model  # noqa: F401  (one-off import cost, paid by the first training)

    print(f"scikit-learn import: {time.perf_counter() - start:.2f} s\n")
    print("| texts | train | suggest all (top 3) | per text | model bytes | load |")
    print("|---|---|---|---|---|---|")
    for size in (1_000, 3_000, 10_000):
        texts, themes = corpus(size)
        start = time.perf_counter()
        model = train(texts, themes)
        trained = time.perf_counter() - start
        fresh, _ = corpus(size, seed=1)
        start = time.perf_counter()
        model.suggest_many(fresh, k=3)
        suggested = time.perf_counter() - start
        blob = model.to_bytes()
        start = time.perf_counter()
        ThemeModel.from_bytes(blob)
        loaded = time.perf_counter() - start
        print(
            f"| {size:,} | {trained:.2f} s | {suggested:.2f} s | {suggested / size * 1000:.2f} ms"
            f" | {len(blob) / 1e6:.1f} MB | {loaded:.2f} s |"
        )


if __name__ == "__main__":
    main()
