"""Put participants and statements in an order decided by content alone (decision 0069).

Every floating-point sum of the engine runs in this order and every exact tie of a ranking is
settled by it, so renaming ids (in any order) or shuffling the votes gives exactly the same
result, bit for bit.

Statements come first in order of writing when the caller knows it (Pol.is numbers them so,
and red-dwarf's choice of each group's "best agree" statement scans them in that order), else
in order of their earliest vote; moderation comes next. The rest comes from colour refinement
(Weisfeiler-Leman): a participant is told apart by the multiset of (statement colour, vote)
pairs it cast, a statement by the multiset of (participant colour, vote) pairs it received,
round after round until nothing more splits. Items still tied are then either exact
duplicates (the same votes on the same statements from the same people: interchangeable, so
their order changes nothing) or mirror images that the votes cannot tell apart. Mirror images
are split by each participant's earliest vote (superseded votes included); if even those
times are symmetric, the group of duplicates holding the smallest id is set apart and
refinement resumes: the one place where an id still matters.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from palabre.opinion_map.model import IntArray

Words = NDArray[np.uint64]
# Votes hashed at a time by colour refinement.
_SLICE = 1 << 20


def canonical_order(
    rows: IntArray,
    columns: IntArray,
    values: IntArray,
    statement_keys: Sequence[IntArray],
    participant_times: IntArray,
) -> tuple[IntArray, IntArray]:
    """Return the participant indices and the statement indices in canonical order.

    ``rows``, ``columns`` and ``values`` are the counted votes (one per participant and
    statement); ``statement_keys`` order the statements before their votes do, first key
    first; ``participant_times`` (earliest votes) only split mirror images. Indices must
    follow the ids, so that the last-resort choice among symmetric items (and the order of
    exact duplicates) follows the ids, never the input order.
    """
    people = np.zeros(len(participant_times), dtype=np.int64)
    topics = _dense_rank(*statement_keys)
    duplicates: tuple[IntArray, IntArray] | None = None
    times_used = False
    while True:
        people, topics = _refine(people, topics, rows, columns, values)
        if not (_tied(people).any() or _tied(topics).any()):
            break
        if duplicates is None:
            # Exact duplicates always share a colour, so those tied now are all there are.
            duplicates = (
                _duplicates(people, rows, columns, values, len(topics)),
                _duplicates(topics, columns, rows, values, len(people)),
            )
        mixed_people = _first_mixed_class(people, duplicates[0])
        mixed_topics = _first_mixed_class(topics, duplicates[1])
        if mixed_people is None and mixed_topics is None:
            break
        if not times_used:
            times_used = True
            people = _dense_rank(people, participant_times)
        elif mixed_people is not None:
            people = _set_apart(people, duplicates[0], mixed_people)
        elif mixed_topics is not None:
            topics = _set_apart(topics, duplicates[1], mixed_topics)
    # Stable sorts: exact duplicates keep the id order, which changes nothing in the result.
    participant_order: IntArray = np.argsort(people, kind="stable").astype(np.int64)
    statement_order: IntArray = np.argsort(topics, kind="stable").astype(np.int64)
    return participant_order, statement_order


def _refine(
    people: IntArray, topics: IntArray, rows: IntArray, columns: IntArray, values: IntArray
) -> tuple[IntArray, IntArray]:
    """Split colours by the neighbours' colours until neither side splits any further."""
    while True:
        before = (_class_count(people), _class_count(topics))
        people = _split(people, rows, columns, topics, values)
        topics = _split(topics, columns, rows, people, values)
        if (_class_count(people), _class_count(topics)) == before:
            return people, topics


def _split(
    colours: IntArray, own: IntArray, other: IntArray, other_colours: IntArray, values: IntArray
) -> IntArray:
    """Refine tied colours by the multiset of (colour of the other side, vote) of each item."""
    tied = _tied(colours)
    if not tied.any():
        return colours
    # One scattered word per (colour, vote) pair, votes coded 1, 2, 3 (disagree, pass, agree).
    # Their sum hashes a multiset whatever the order of its elements (64 bits: two different
    # multisets collide with probability about 2^-64).
    words = _mix(np.arange(4 * _class_count(other_colours), dtype=np.uint64))
    signature = np.zeros(len(colours), dtype=np.uint64)
    everyone = bool(tied.all())
    # In slices: a few megabytes at a time, even for ten million votes.
    for start in range(0, len(own), _SLICE):
        part = slice(start, start + _SLICE)
        owners, others, votes = own[part], other[part], values[part]
        if not everyone:
            keep = tied[owners]
            owners, others, votes = owners[keep], others[keep], votes[keep]
        np.add.at(signature, owners, words[4 * other_colours[others] + votes + 2])
    return _dense_rank(colours, signature)


def _duplicates(
    colours: IntArray, own: IntArray, other: IntArray, values: IntArray, other_count: int
) -> IntArray:
    """Number the tied items so that equal numbers mean exactly the same votes."""
    tied = _tied(colours)
    items = np.flatnonzero(tied)
    duplicate = np.full(len(colours), -1, dtype=np.int64)
    if items.size == 0:
        return duplicate
    position = np.full(len(colours), -1, dtype=np.int64)
    position[items] = np.arange(items.size)
    cells = np.flatnonzero(tied[own])
    block = np.zeros((items.size, other_count), dtype=np.int8)
    block[position[own[cells]], other[cells]] = values[cells] + 2
    # Each row as one opaque byte string: equal strings, equal votes.
    rows = block.view(np.dtype((np.void, max(other_count, 1)))).reshape(-1)
    _, inverse = np.unique(rows, return_inverse=True)
    duplicate[items] = inverse.reshape(-1)
    return duplicate


def _first_mixed_class(colours: IntArray, duplicate: IntArray) -> int | None:
    """Return the first colour shared by items that do not vote exactly alike, if any."""
    tied = np.flatnonzero(_tied(colours))
    if tied.size == 0:
        return None
    lowest = np.full(_class_count(colours), np.iinfo(np.int64).max, dtype=np.int64)
    highest = np.full(_class_count(colours), -1, dtype=np.int64)
    np.minimum.at(lowest, colours[tied], duplicate[tied])
    np.maximum.at(highest, colours[tied], duplicate[tied])
    mixed = np.flatnonzero((highest >= 0) & (lowest != highest))
    return int(mixed[0]) if mixed.size else None


def _set_apart(colours: IntArray, duplicate: IntArray, colour: int) -> IntArray:
    """Give its own colour to the group of duplicates holding the class's smallest id.

    Only reached when nothing in the votes or their times tells the items of the class
    apart: symmetric conversations (a renaming of ids maps them onto themselves, so the
    choice changes the result only by that symmetry) or patterns that colour refinement
    cannot separate.
    """
    members = np.flatnonzero(colours == colour)
    chosen = (colours == colour) & (duplicate == duplicate[members[0]])
    return _dense_rank(colours, (~chosen).astype(np.int64))


def _tied(colours: IntArray) -> NDArray[np.bool_]:
    tied: NDArray[np.bool_] = np.bincount(colours)[colours] > 1
    return tied


def _class_count(colours: IntArray) -> int:
    return int(colours.max()) + 1 if colours.size else 0


def _dense_rank(*keys: NDArray[np.int64] | Words) -> IntArray:
    """Rank items by their keys, first key first; items with equal keys share a rank."""
    order = np.lexsort(keys[::-1])
    boundary = np.zeros(len(order), dtype=bool)
    if len(order):
        boundary[0] = True
    for key in keys:
        ordered = key[order]
        boundary[1:] |= ordered[1:] != ordered[:-1]
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.cumsum(boundary) - 1
    return rank


def _mix(words: Words) -> Words:
    """Scatter 64-bit words (splitmix64's finaliser, a bijection)."""
    words = words ^ (words >> np.uint64(30))
    words *= np.uint64(0xBF58476D1CE4E5B9)
    words ^= words >> np.uint64(27)
    words *= np.uint64(0x94D049BB133111EB)
    words ^= words >> np.uint64(31)
    return words
