"""Turn a stream of votes into the participant x statement matrix Pol.is works on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from palabre.opinion_map.canonical import canonical_order
from palabre.opinion_map.model import FloatArray, IntArray, OpinionMapError, Votes


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Latest vote of each participant on each statement; NaN where they did not vote.

    Rows and columns are in canonical order (``canonical.py``), decided by the votes and never
    by the ids: ``participants`` and ``statements`` give the id of each row and column.
    """

    participants: IntArray
    statements: IntArray
    values: FloatArray
    excluded: NDArray[np.bool_]

    def vote_counts(self) -> IntArray:
        """Return how many statements each participant voted on (passes included)."""
        counts: IntArray = np.count_nonzero(~np.isnan(self.values), axis=1).astype(np.int64)
        return counts


def build_matrix(
    votes: Votes,
    moderated_out: Iterable[int] = (),
    statement_times: Mapping[int, int] | None = None,
) -> VoteMatrix:
    """Keep each participant's latest vote per statement and lay the votes out as a matrix.

    ``statement_times`` (when each statement was written) must cover every statement voted on.
    """
    if len(votes) == 0:
        raise OpinionMapError("the conversation has no votes")
    participants, rows = _index(votes.participants)
    statements, columns = _index(votes.statements)
    cell = rows.astype(np.int64) * len(statements) + columns
    kept = _latest(cell, votes.times, votes.values)
    del cell
    excluded = np.isin(statements, np.fromiter(moderated_out, dtype=np.int64))
    written = np.zeros(len(statements), dtype=np.int64)
    if statement_times is not None:
        written = np.array([statement_times[int(s)] for s in statements], dtype=np.int64)
    first_votes = _earliest(columns, votes.times, len(statements))
    participant_times = _earliest(rows, votes.times, len(participants))
    kept_rows, kept_columns, kept_values = rows[kept], columns[kept], votes.values[kept]
    del rows, columns, kept  # ten million votes: 240 MB less at the peak
    # Rows and columns in an order decided by content alone: statements in order of writing
    # (else of their first vote), then moderation, then the votes themselves; the participants'
    # earliest vote times (superseded votes included) only split mirror images. Any input
    # order and any renaming of ids give the very same matrix and floating-point operations.
    participant_order, statement_order = canonical_order(
        kept_rows,
        kept_columns,
        kept_values,
        (written, first_votes, excluded.astype(np.int64)),
        participant_times,
    )
    row_of = np.empty(len(participants), dtype=np.int64)
    row_of[participant_order] = np.arange(len(participants))
    column_of = np.empty(len(statements), dtype=np.int64)
    column_of[statement_order] = np.arange(len(statements))
    # In place (every index is in range, so "clip" never clips): no extra copies.
    np.take(row_of, kept_rows, out=kept_rows, mode="clip")
    np.take(column_of, kept_columns, out=kept_columns, mode="clip")
    values = np.full((len(participants), len(statements)), np.nan)
    values[kept_rows, kept_columns] = kept_values
    return VoteMatrix(
        participants[participant_order].astype(np.int64),
        statements[statement_order].astype(np.int64),
        values,
        excluded[statement_order],
    )


def _earliest(positions: IntArray, times: IntArray, count: int) -> IntArray:
    """Return the time of the earliest vote at each position."""
    earliest = np.full(count, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(earliest, positions, times.astype(np.int64))
    return earliest


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
