"""Synthesis of what residents said: groups of similar contributions, what sets groups apart.

    items = [Item(key=c.pk, text=c.text, group=c.neighbourhood) for c in contributions]
    cluster(items)             # [Cluster(keys, terms, representative), ...] largest first
    distinctive_terms(items)   # [Distinctive(group, size, ((word, score), ...)), ...] by group
    representative(items, 3)   # keys of the 3 most central contributions (quotes for a theme)

Pure and deterministic: no Django, no randomness, and the result depends on the items only, not on
their order (they are processed sorted by key; keys must be unique).

**Vectors.** Each contribution is a bag of Snowball French stems of its content words
(:func:`palabre.themes.text.content_stems`: accents, case, elisions and stop words handled).
Weights are TF-IDF with sublinear term frequency (1 + ln tf) and smoothed IDF computed over the
given items, rows L2-normalised, so that the dot product of two rows is their cosine similarity.
A contribution without a content word has a zero vector and joins no group.

**Clustering.** Exact greedy average-linkage agglomeration with a cosine threshold: the two groups
whose *mean pairwise cosine* is highest are merged, until no pair reaches ``threshold``. Two
facts make it fast without an n x n matrix: the mean pairwise cosine of groups A and B is
``sum(A) . sum(B) / (|A| |B|)`` (rows are unit vectors), so each group keeps only its summed
vector; and that mean after a merge is a weighted mean of the means before, so two groups can
reach the threshold only if two of their contributions do. The candidate pairs are therefore the
pairs of contributions with cosine >= threshold, found by a sparse product in row blocks; they
are consumed best first, and pairs of groups are re-evaluated lazily (a stale key is an upper
bound). Contributions with identical vectors start as one group. Safety bound: a contribution
with more than 64 close ones keeps only its 64 closest (this changes nothing on the shipped data
or the benchmark, and bounds time and memory when thousands of contributions repeat one text).
See docs/decisions/0033-synthesis-engine.md for the measured quality and speed.

**Distinctive terms.** Weighted log-odds ratio with an informative Dirichlet prior (Monroe,
Colaresi & Quinn 2008), one group against all the others, counting each stem once per
contribution; the score is the z-score of the log-odds difference.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray
from scipy import sparse  # type: ignore[import-untyped]

from palabre.themes.text import content_stems, words

# Mean pairwise cosine above which two groups of contributions are merged. Chosen on the shipped
# labelled data (train + test, 1,155 texts; docs/decisions/0033-synthesis-engine.md).
DEFAULT_THRESHOLD = 0.2
# Quotes whose cosine with an already chosen quote reaches this are (near) repetitions: they are
# skipped in favour of the next central contribution while there is one.
_REPEAT_COSINE = 0.9
_BLOCK_ROWS = 256  # rows of the sparse similarity product computed at once
# Candidate pairs: a contribution with more close ones keeps those at least as close as this
# many-th one (bounds time and memory when thousands of contributions repeat one text).
_NEIGHBOURS = 64


@dataclass(frozen=True)
class Item:
    """One contribution: a unique key (e.g. its id), its text and an optional group label."""

    key: int
    text: str
    group: str = ""


@dataclass(frozen=True)
class Cluster:
    """Similar contributions.

    ``keys``: the members, most central first (ties by key). ``terms``: up to 4 words naming the
    group, each the most frequent spelling residents used for a stem ("poubelles", not "poubel").
    ``representative``: up to 3 central members to quote, skipping near-repetitions.
    """

    keys: tuple[int, ...]
    terms: tuple[str, ...]
    representative: tuple[int, ...]


@dataclass(frozen=True)
class Distinctive:
    """The words that set one group apart from the others, best first, with their z-scores."""

    group: str
    size: int  # number of contributions in the group
    terms: tuple[tuple[str, float], ...]


# --------------------------------------------------------------------------------------- vectors


@lru_cache(maxsize=131072)
def _stem_of(word: str) -> str | None:
    """Stem of one word from :func:`words`, or None for a stop word (cached per process)."""
    found = content_stems(word)
    return found[0] if found else None


@lru_cache(maxsize=32768)
def _analyse(text: str) -> tuple[tuple[str, str], ...]:
    """(stem, word as written) for each content word of `text`, in order (cached per process:
    a page usually asks for clusters, distinctive terms and quotes of the same texts)."""
    return tuple((found, word) for word in words(text) if (found := _stem_of(word)) is not None)


def _spelling(counts: Counter[str]) -> str:
    """The most frequent spelling; ties go to the shorter, then alphabetically first word."""
    return min(counts.items(), key=lambda wc: (-wc[1], len(wc[0]), wc[0]))[0]


@dataclass(frozen=True)
class _Corpus:
    keys: tuple[int, ...]  # sorted
    groups: tuple[str, ...]
    words: tuple[tuple[tuple[str, str], ...], ...]  # (stem, word) of each text, see _analyse
    terms: tuple[str, ...]  # column -> stem
    matrix: sparse.csr_matrix  # TF-IDF rows, L2-normalised (zero rows for empty texts)


def _sorted_items(items: Sequence[Item]) -> list[Item]:
    ordered = sorted(items, key=lambda item: item.key)
    for before, after in pairwise(ordered):
        if before.key == after.key:
            raise ValueError(f"duplicate key {before.key}")
    return ordered


def _corpus(items: Sequence[Item]) -> _Corpus:
    ordered = _sorted_items(items)
    analysed = tuple(_analyse(item.text) for item in ordered)
    vocabulary: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    values: list[float] = []
    for pairs in analysed:
        for term, count in Counter(s for s, _ in pairs).items():
            indices.append(vocabulary.setdefault(term, len(vocabulary)))
            values.append(1.0 + math.log(count))
        indptr.append(len(indices))
    n = len(ordered)
    matrix = sparse.csr_matrix(
        (np.asarray(values), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(n, len(vocabulary)),
    )
    matrix.sort_indices()  # so that texts with the same stems get bitwise identical rows
    df = np.bincount(matrix.indices, minlength=len(vocabulary))
    matrix.data *= (np.log((1.0 + n) / (1.0 + df)) + 1.0)[matrix.indices]
    norms = np.sqrt(
        np.bincount(
            np.repeat(np.arange(n), np.diff(matrix.indptr)), weights=matrix.data**2, minlength=n
        )
    )
    norms[norms == 0.0] = 1.0
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr))
    return _Corpus(
        keys=tuple(item.key for item in ordered),
        groups=tuple(item.group for item in ordered),
        words=analysed,
        terms=tuple(vocabulary),
        matrix=matrix,
    )


# ------------------------------------------------------------------------------------ clustering


def _close_pairs(
    matrix: sparse.csr_matrix, threshold: float, neighbours: int
) -> tuple[list[float], list[int], list[int]]:
    """Pairs i < j of rows with cosine >= threshold, as 3 lists (-cosine, i, j), sorted.

    A row with more than `neighbours` such rows keeps only its `neighbours` most similar ones;
    the pair stays if either row keeps it.
    """
    transposed = matrix.T.tocsr()
    n = matrix.shape[0]
    found_pairs: list[NDArray[np.int64]] = [np.zeros(0, dtype=np.int64)]
    found_cosines: list[NDArray[np.float64]] = [np.zeros(0)]
    for start in range(0, n, _BLOCK_ROWS):
        block = matrix[start : start + _BLOCK_ROWS] @ transposed
        np.multiply(block.data, block.data >= threshold, out=block.data)
        block.eliminate_zeros()
        # A row with more close rows keeps its `neighbours` closest other rows: its own entry
        # (cosine 1) and `neighbours` others, ties broken by a deterministic selection.
        counts = np.diff(block.indptr)
        heavy = np.flatnonzero(counts > neighbours + 1)
        if len(heavy):
            starts, sizes = block.indptr[heavy], counts[heavy]
            entry_row = np.repeat(np.arange(len(heavy)), sizes)
            position = np.arange(len(entry_row)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
            entry = starts[entry_row] + position
            padded = np.full((len(heavy), int(sizes.max())), -1.0)
            padded[entry_row, position] = block.data[entry]
            top = np.argpartition(-padded, neighbours, axis=1)[:, : neighbours + 1]
            kept = np.ones(len(block.data), dtype=np.bool_)
            kept[entry] = False
            kept[(starts[:, None] + top).ravel()] = True
            np.multiply(block.data, kept, out=block.data)
            block.eliminate_zeros()
        block = block.tocoo()
        rows = block.row.astype(np.int64) + start
        cols = block.col.astype(np.int64)
        other = rows != cols
        rows, cols = np.minimum(rows[other], cols[other]), np.maximum(rows[other], cols[other])
        found_pairs.append(rows * n + cols)
        found_cosines.append(block.data[other])
    pairs, at = np.unique(np.concatenate(found_pairs), return_index=True)
    cosine = np.concatenate(found_cosines)[at]
    first, second = pairs // n, pairs % n
    order = np.lexsort((second, first, -cosine))
    return (-cosine[order]).tolist(), first[order].tolist(), second[order].tolist()


def _agglomerate(matrix: sparse.csr_matrix, threshold: float) -> list[list[int]]:
    """Greedy average linkage down to `threshold`; groups of row indices (singletons included).

    Rows with the same vector (same stems, the same number of times) start as one group: their
    cosine is 1, so they would be merged first anyway. Zero rows stay alone.
    """
    by_vector: dict[tuple[bytes, bytes], list[int]] = {}
    alone: list[list[int]] = []
    for i in range(matrix.shape[0]):
        span = slice(matrix.indptr[i], matrix.indptr[i + 1])
        if span.start == span.stop:
            alone.append([i])
        else:
            vector = (matrix.indices[span].tobytes(), matrix.data[span].tobytes())
            by_vector.setdefault(vector, []).append(i)
    members = list(by_vector.values())
    unique = matrix[[group[0] for group in members]]
    n = len(members)
    parent = list(range(n))
    version = [0] * n
    sums: list[dict[int, float]] = []
    for u, group in enumerate(members):
        span = slice(unique.indptr[u], unique.indptr[u + 1])
        weights = (unique.data[span] * len(group)).tolist()
        sums.append(dict(zip(unique.indices[span].tolist(), weights, strict=True)))

    def find(i: int) -> int:
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def mean_cosine(a: int, b: int) -> float:
        small, large = (sums[a], sums[b]) if len(sums[a]) <= len(sums[b]) else (sums[b], sums[a])
        dot = sum([small[t] * large[t] for t in small.keys() & large.keys()])
        return dot / (len(members[a]) * len(members[b]))

    # Candidates come from two streams merged by key: the close pairs of rows (sorted once), and
    # a heap of re-evaluated pairs of groups. An entry (-mean cosine, a, b, version a, version b)
    # is exact while both groups are unchanged; otherwise its key is an upper bound of the
    # current mean cosine of the groups that now contain a and b (a merged mean is a weighted
    # mean of the means of the merged parts), so an exact entry on top is the best pair.
    keys, firsts, seconds = _close_pairs(unique, threshold, _NEIGHBOURS)
    heap: list[tuple[float, int, int, int, int]] = []
    evaluated: dict[tuple[int, int], tuple[int, int]] = {}  # versions at last evaluation
    next_pair, pair_count = 0, len(keys)
    while True:
        if heap and (next_pair == pair_count or heap[0][0] <= keys[next_pair]):
            _, i, j, vi, vj = heapq.heappop(heap)
        elif next_pair < pair_count:
            i, j, vi, vj = firsts[next_pair], seconds[next_pair], 0, 0
            next_pair += 1
        else:
            break
        a, b = find(i), find(j)
        if a == b:
            continue
        if (a, b, vi, vj) != (i, j, version[i], version[j]):
            a, b = min(a, b), max(a, b)
            state = (version[a], version[b])
            if evaluated.get((a, b)) == state:  # another stale entry of a pair just evaluated
                continue
            evaluated[a, b] = state
            value = mean_cosine(a, b)
            if value < threshold:
                continue
            heap_top = heap[0][0] if heap else 0.0
            pair_top = keys[next_pair] if next_pair < pair_count else 0.0
            if -value > min(heap_top, pair_top):  # an upper bound is higher: decide later
                heapq.heappush(heap, (-value, a, b, *state))
                continue
            # else exact and at least as high as every upper bound: the best pair, merged now
        if len(members[a]) < len(members[b]) or (len(members[a]) == len(members[b]) and a > b):
            a, b = b, a  # merge the smaller group into the larger one
        parent[b] = a
        members[a].extend(members[b])
        members[b] = []
        total, extra = sums[a], sums[b]
        if len(total) < len(extra):
            total, extra = extra, total
        for t, w in extra.items():
            total[t] = total.get(t, 0.0) + w
        sums[a], sums[b] = total, {}
        version[a] += 1
    return [sorted(group) for group in members if group] + alone


def _central(matrix: sparse.csr_matrix, rows: Sequence[int]) -> list[int]:
    """Positions in `rows` by cosine with the rows' summed vector, highest first (ties: first)."""
    scores = matrix @ np.asarray(matrix.sum(axis=0)).ravel()
    return sorted(range(len(rows)), key=lambda i: (-scores[i], rows[i]))


def _quotes(matrix: sparse.csr_matrix, ordered: Sequence[int], k: int) -> list[int]:
    """The first k of `ordered` (positions in `matrix`), skipping a near-repetition of one
    already chosen (cosine >= _REPEAT_COSINE) while other candidates remain; rows without a
    word come after the repetitions."""
    head = list(ordered[: 8 * k])
    gram = (matrix[head] @ matrix[head].T).toarray()
    chosen: list[int] = []
    repeated: list[int] = []
    empty: list[int] = []
    for at in range(len(head)):
        if len(chosen) == k:
            break
        if gram[at, at] == 0.0:
            empty.append(at)
        elif chosen and gram[at, chosen].max() >= _REPEAT_COSINE:
            repeated.append(at)
        else:
            chosen.append(at)
    chosen.extend((repeated + empty)[: k - len(chosen)])
    return [head[at] for at in chosen]


def _naming_terms(corpus: _Corpus, rows: Sequence[int], sub: sparse.csr_matrix) -> tuple[str, ...]:
    """Two to four words naming a group of rows: the heaviest stems of its summed vector.

    A stem must occur in at least two members (in a group of two or more); the third and fourth
    must weigh at least a third of the first, so that weak words do not stand next to strong
    ones. Fewer words when fewer stems qualify. Each stem is shown in the spelling the group's
    members used most.
    """
    weight = np.asarray(sub.sum(axis=0)).ravel()
    present = np.bincount(sub.indices, minlength=sub.shape[1])
    eligible = np.flatnonzero((present >= min(2, len(rows))) & (weight > 0))
    order = sorted(eligible.tolist(), key=lambda c: (-weight[c], corpus.terms[c]))
    order = order[:2] + [c for c in order[2:4] if weight[c] >= weight[order[0]] / 3]
    kept = [corpus.terms[c] for c in order]
    spellings: dict[str, Counter[str]] = {stem_: Counter() for stem_ in kept}
    for row in rows:
        for stem_, word in corpus.words[row]:
            if stem_ in spellings:
                spellings[stem_][word] += 1
    return tuple(_spelling(spellings[stem_]) for stem_ in kept)


def cluster(
    items: Sequence[Item], *, threshold: float = DEFAULT_THRESHOLD, min_size: int = 2
) -> list[Cluster]:
    """Group similar contributions; largest group first (ties: smallest key first).

    Two groups merge while the mean cosine similarity between their members reaches
    `threshold` (0 < threshold <= 1; lower gives fewer, broader and less pure groups). Groups
    with fewer than `min_size` members are left out: with the default 2, a contribution like no
    other is not returned (``min_size=1`` returns it as a singleton). Contributions without a
    content word (empty, only stop words) never join a group. Raise ValueError for duplicate
    keys or a parameter out of range.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    if min_size < 1:
        raise ValueError("min_size must be at least 1")
    corpus = _corpus(items)
    result: list[Cluster] = []
    for rows in _agglomerate(corpus.matrix, threshold):
        if len(rows) < min_size:
            continue
        sub = corpus.matrix[rows]
        ordered = _central(sub, rows)
        result.append(
            Cluster(
                keys=tuple(corpus.keys[rows[at]] for at in ordered),
                terms=_naming_terms(corpus, rows, sub),
                representative=tuple(corpus.keys[rows[at]] for at in _quotes(sub, ordered, 3)),
            )
        )
    result.sort(key=lambda c: (-len(c.keys), min(c.keys)))
    return result


def representative(items: Sequence[Item], k: int = 3) -> list[int]:
    """Keys of the k most central contributions of `items` (e.g. quotes for a theme).

    Central = highest cosine with the sum of all the items' vectors (IDF over these items);
    a near-repetition of an already chosen contribution is skipped while others remain.
    Contributions without a content word come last; ties go to the smaller key. Raise
    ValueError for duplicate keys or k < 1.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    corpus = _corpus(items)
    if not corpus.keys:
        return []
    rows = range(len(corpus.keys))
    return [corpus.keys[at] for at in _quotes(corpus.matrix, _central(corpus.matrix, rows), k)]


# --------------------------------------------------------------------------- distinctive terms


def distinctive_terms(
    items: Sequence[Item],
    *,
    per_group: int = 8,
    min_count: int = 3,
    min_score: float = 1.96,
    prior: float = 1.0,
) -> list[Distinctive]:
    """What sets each group (``Item.group``) apart from all the other items; groups by name.

    Weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
    "Fightin' words", eq. 16 and 19): the count of a stem is the number of contributions using
    it (a resident repeating a word counts once); the prior of a stem is `prior` times its count
    over all the items. A term is kept when at least `min_count` contributions of the group use
    it and its z-score reaches `min_score` (1.96: the 5 % level); at most `per_group` terms,
    best first (ties alphabetically), each in the spelling the group used most. A group with
    nothing significant gets no terms; with a single group there is nothing to compare. Raise
    ValueError for duplicate keys or a parameter out of range.
    """
    if per_group < 1 or min_count < 1 or prior <= 0.0:
        raise ValueError("per_group and min_count must be at least 1 and prior positive")
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    spellings: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    sizes: Counter[str] = Counter()
    for item in _sorted_items(items):
        sizes[item.group] += 1
        pairs = _analyse(item.text)
        counts[item.group].update({stem_ for stem_, _ in pairs})
        for stem_, word in pairs:
            spellings[item.group][stem_][word] += 1
    total: Counter[str] = Counter()
    for group_counts in counts.values():
        total.update(group_counts)
    all_n = total.total()
    alpha_all = prior * all_n
    result: list[Distinctive] = []
    for group in sorted(sizes):
        group_counts = counts[group]
        group_n = group_counts.total()
        rest_n = all_n - group_n
        scored: list[tuple[str, float]] = []
        for stem_, y_group in group_counts.items() if len(sizes) > 1 else ():
            if y_group < min_count:
                continue
            y_rest = total[stem_] - y_group
            alpha = prior * total[stem_]
            delta = math.log((y_group + alpha) / (group_n + alpha_all - y_group - alpha))
            delta -= math.log((y_rest + alpha) / (rest_n + alpha_all - y_rest - alpha))
            z = delta / math.sqrt(1.0 / (y_group + alpha) + 1.0 / (y_rest + alpha))
            if z >= min_score:
                scored.append((_spelling(spellings[group][stem_]), z))
        scored.sort(key=lambda ws: (-ws[1], ws[0]))
        result.append(Distinctive(group, sizes[group], tuple(scored[:per_group])))
    return result
