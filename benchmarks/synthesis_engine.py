"""Time the synthesis engine (clusters, distinctive terms, quotes) on 1,000 to 10,000 texts.

Run: .venv/bin/python benchmarks/synthesis_engine.py
Texts are the shipped labelled sentences joined in random same-theme pairs, as in
benchmarks/themes_speed.py, spread over 8 neighbourhood labels; a new set for each size. Also
prints the theme purity of the clusters on the shipped texts themselves and times a worst case
(thousands of signed copies of a few texts). Times include reading the words of the texts (the
first call on a text; the following calls on the same texts reuse them). Prints Markdown;
nothing here is a test.
"""

from __future__ import annotations

import random
import resource
import time
from collections import Counter

from palabre.themes import builtin
from palabre.themes.synthesis import (
    DEFAULT_THRESHOLD,
    Item,
    cluster,
    distinctive_terms,
    representative,
)

NEIGHBOURHOODS = 8


def corpus(size: int, seed: int = 0) -> tuple[list[Item], dict[int, str]]:
    """`size` new texts (two same-theme sentences each) and the theme of each key."""
    data = builtin("train") + builtin("test")
    by_theme: dict[str, list[str]] = {}
    for text, theme in zip(data.texts, data.themes, strict=True):
        by_theme.setdefault(theme, []).append(text)
    rng = random.Random(seed)
    items: list[Item] = []
    themes: dict[int, str] = {}
    for key in range(size):
        theme = rng.choice(sorted(by_theme))
        text = " ".join(rng.sample(by_theme[theme], 2))
        items.append(Item(key, text, f"quartier {rng.randrange(NEIGHBOURHOODS) + 1}"))
        themes[key] = theme
    return items, themes


def purity(items: list[Item], themes: dict[int, str], threshold: float) -> str:
    found = cluster(items, threshold=threshold)
    clustered = sum(len(c.keys) for c in found)
    majority = sum(Counter(themes[k] for k in c.keys).most_common(1)[0][1] for c in found)
    return (
        f"| {threshold:.2f} | {len(found)} | {clustered:,} ({clustered / len(items):.0%}) "
        f"| {max((len(c.keys) for c in found), default=0)} | {majority / max(clustered, 1):.3f} |"
    )


def main() -> None:
    data = builtin("train") + builtin("test")
    shipped = [Item(i, t) for i, t in enumerate(data.texts)]
    shipped_themes = dict(enumerate(data.themes))
    print(f"Purity on the shipped texts (train + test, n = {len(shipped):,}):\n")
    print("| threshold | clusters (≥ 2) | texts in a cluster | largest | purity |")
    print("|---|---|---|---|---|")
    for threshold in (0.15, DEFAULT_THRESHOLD, 0.25, 0.3):
        print(purity(shipped, shipped_themes, threshold))

    print("\nSpeed (texts = two shipped sentences of one theme, 8 neighbourhoods):\n")
    print("| texts | cluster | distinctive terms | representative | total | clusters | purity |")
    print("|---|---|---|---|---|---|---|")
    for size in (1_000, 3_000, 10_000):
        items, themes = corpus(size, seed=size)
        start = time.perf_counter()
        found = cluster(items)
        clustered = time.perf_counter() - start
        start = time.perf_counter()
        distinctive_terms(items)
        distinct = time.perf_counter() - start
        start = time.perf_counter()
        representative(items)
        central = time.perf_counter() - start
        in_clusters = sum(len(c.keys) for c in found)
        majority = sum(Counter(themes[k] for k in c.keys).most_common(1)[0][1] for c in found)
        print(
            f"| {size:,} | {clustered:.2f} s | {distinct:.2f} s | {central:.2f} s "
            f"| {clustered + distinct + central:.2f} s | {len(found):,} "
            f"| {majority / max(in_clusters, 1):.3f} |"
        )
    # Worst case met so far: a campaign where thousands of people send one of a few texts, each
    # signed (every text has a unique word, so no two vectors are identical).
    rng = random.Random(0)
    templates = rng.sample(list(data.texts), 5)
    campaign = [
        Item(
            key, f"{rng.choice(templates)} Signé {rng.choice('ABCDEFGHIJ')}. {rng.randrange(10**4)}"
        )
        for key in range(10_000)
    ]
    start = time.perf_counter()
    found = cluster(campaign)
    print(
        f"\nCampaign (10,000 texts: 5 shipped sentences, each signed): cluster "
        f"{time.perf_counter() - start:.2f} s, {len(found):,} clusters"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak resident memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
