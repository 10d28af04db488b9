"""Turn a stream of votes into the participant x statement matrix Pol.is works on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from palabre.opinion_map.model import FloatArray, IntArray, OpinionMapError, Votes


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Latest vote of each participant on each statement; NaN where they did not vote.

    ``first_times`` holds the time of each participant's earliest vote (superseded ones
    included): an order-free last resort to orient an exactly symmetric map.
    """

    participants: IntArray
    statements: IntArray
    values: FloatArray
    first_times: IntArray

    def vote_counts(self) -> IntArray:
        """Return how many statements each participant voted on (passes included)."""
        counts: IntArray = np.count_nonzero(~np.isnan(self.values), axis=1).astype(np.int64)
        return counts


def build_matrix(votes: Votes) -> VoteMatrix:
    """Keep each participant's latest vote per statement and lay the votes out as a matrix."""
    if len(votes) == 0:
        raise OpinionMapError("the conversation has no votes")
    # Rows and columns sorted by id: any input order then gives the very same matrix,
    # so every later floating-point operation runs in the same order too.
    participants, rows = _index(votes.participants)
    statements, columns = _index(votes.statements)
    cell = rows.astype(np.int64) * len(statements) + columns
    kept = _latest(cell, votes.times, votes.values)
    values = np.full((len(participants), len(statements)), np.nan)
    values[rows[kept], columns[kept]] = votes.values[kept]
    first_times = np.full(len(participants), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_times, rows, votes.times.astype(np.int64))
    return VoteMatrix(
        participants.astype(np.int64), statements.astype(np.int64), values, first_times
    )


def _latest(cell: IntArray, times: IntArray, values: IntArray) -> IntArray:
    """Return the index of the vote kept for each cell: the latest, then the highest value."""
    order = np.argsort(cell, kind="stable")
    sorted_cells = cell[order]
    repeated = sorted_cells[1:] == sorted_cells[:-1]
    if not repeated.any():
        return order
    # Only cells voted on more than once need the (slower) sort by time; a same-time
    # conflict is settled by the vote value rather than by input order.
    in_repeat = np.zeros(len(order), dtype=bool)
    in_repeat[1:] |= repeated
    in_repeat[:-1] |= repeated
    multiple = order[in_repeat]
    ranked = multiple[np.lexsort((values[multiple], times[multiple], cell[multiple]))]
    is_last = np.ones(len(ranked), dtype=bool)
    is_last[:-1] = cell[ranked][1:] != cell[ranked][:-1]
    kept: IntArray = np.concatenate([order[~in_repeat], ranked[is_last]])
    return kept


def _index(ids: IntArray) -> tuple[IntArray, IntArray]:
    """Return the sorted distinct ids and each id's position among them."""
    low, high = int(ids.min()), int(ids.max())
    if high - low > 4 * len(ids) + 1024:
        values, inverse = np.unique(ids, return_inverse=True)
        return values.astype(np.int64), inverse.astype(np.int64)
    # Dense id ranges (the usual case) avoid np.unique's sort: a lookup table is O(n).
    offsets = ids - low
    present = np.zeros(high - low + 1, dtype=bool)
    present[offsets] = True
    position = np.cumsum(present, dtype=np.int64) - 1
    distinct: IntArray = np.flatnonzero(present).astype(np.int64) + low
    return distinct, position[offsets]
