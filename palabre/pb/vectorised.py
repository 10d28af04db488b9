"""Plain VOTES sections read with numpy: every ballot of a large file in a few array operations.

The pure-Python bulk reader (ADR 0014, 0015) still does a few Python-level operations per
*token* (split, dictionary lookup, `int`), about 2.5 µs per voter on files where almost every
ballot is distinct: 0.25 s for 100,000 cumulative ballots. Here the same section is cut into
tokens by byte positions, project ids are matched as packed 64-bit words, points are parsed
digit by digit, and identical ballots are merged by a 64-bit hash whose groups are then
*verified* element by element (a collision is never trusted). See docs/decisions/0067-*.md.

`ballot_rows` returns every voter's ballot, and `group` merges them into exactly the table the
pure-Python reader would build (same ballots, each sorted by project unless it is a ranking, same
weights and order of first appearance). `ballot_rows` returns None whenever the section is not
of the common form (an unknown or empty id, points that are not canonical non-negative digits,
a project named twice, a duplicated voter id, ...): the caller then reads it the pure-Python
way, which also gives every message. Nothing here raises for bad input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:  # numpy.typing is ~1 ms of import, for annotations only
    from collections.abc import Mapping

    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]
    Words = npt.NDArray[np.uint64]

SEMICOLON, NEWLINE, COMMA, ZERO = 59, 10, 44, 48
MAX_DIGITS = 15  # points below 10**15: exact in int64 and in float64 sums (see point_totals)
MAX_VOTER_ID = 64  # bytes; longer voter ids are checked the pure-Python way
PADDING = 16  # zero bytes after the section: reads of up to 15 bytes past a token's start
EXACT_FLOAT = 2**53  # integer sums below this are exact in float64
# Odd 64-bit constants for the ballot hash and for long ids (any would do: all are verified).
_GOLDEN, _MIX1, _MIX2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
# _MASKS[n]: the first n bytes of a big-endian word.
_MASKS = np.array([(2**64 - 1) ^ (2 ** (64 - 8 * n) - 1) for n in range(9)], dtype=np.uint64)

# Every array below is a fresh allocation, and in a command that runs once fresh memory costs
# page faults (about as much as the arithmetic): the code works in place where it can.


class TableArrays(NamedTuple):
    """`BallotTable` as numpy arrays (int64): what the counting reads when numpy is loaded."""

    projects: Ints
    lengths: Ints
    points: Ints | None
    weights: Ints


class BallotRows(NamedTuple):
    """Every voter's ballot as counted (a set in increasing project order, or a ranking), in
    file order and not merged yet: enough for greedy's sums; `group` merges them for MES."""

    projects: Ints
    lengths: Ints
    points: Ints | None
    first: Ints  # where each ballot starts in `projects`


class _Tokens(NamedTuple):
    starts: Ints  # byte offset of each token
    sizes: Ints  # byte length of each token
    per_row: Ints  # tokens in each row's cell
    first: Ints  # index of each row's first token


class _Section:
    """Byte positions of the tokens and cells of a plain VOTES section (`count` rows of
    `width` cells)."""

    def __init__(self, data: bytes, count: int, width: int) -> None:
        # Zero bytes after the end, so that reading a few bytes past any token stays inside.
        self.padded = np.frombuffer(data + bytes(PADDING), dtype=np.uint8)
        self.size = size = len(data)
        self.count = count
        self.width = width
        # bounds: -1, every separator's offset in file order, then the end. Token j (the text
        # cut at every `;`, line end and `,`) runs from bounds[j] + 1 to bounds[j + 1].
        raw = self.padded[:size]
        ends = np.empty(size + 2, dtype=bool)
        ends[0] = ends[-1] = True
        inside = ends[1:-1]
        np.equal(raw, SEMICOLON, out=inside)
        byte_is = np.equal(raw, NEWLINE)
        inside |= byte_is
        inside |= np.equal(raw, COMMA, out=byte_is)
        del byte_is
        self.bounds = bounds = np.flatnonzero(ends)
        bounds -= 1
        del ends
        # The caller checked the skeleton: exactly width - 1 `;` per row, rows joined by a line
        # end, so cell i (row i // width, column i % width) ends at the i-th `;` or line end.
        cell_ends = np.flatnonzero(self.padded[bounds[1:-1]] != COMMA)
        # Cell i holds tokens cell_first[i] .. cell_last[i] (several when it has commas).
        self.cell_last = np.append(cell_ends, len(bounds) - 2)
        cell_ends += 1
        self.cell_first = np.concatenate(([0], cell_ends))
        self.iota = np.arange(0, dtype=np.int64)  # 0, 1, ...: grown when needed, then shared

    def cells(self, column: int) -> tuple[Ints, Ints]:
        """Return the start and size of every row's cell in `column`."""
        starts = self.bounds[self.cell_first[column :: self.width]] + 1
        sizes = self.bounds[self.cell_last[column :: self.width] + 1]
        sizes -= starts
        return starts, sizes

    def tokens(self, column: int) -> _Tokens:
        """Return the comma-separated tokens of every row's cell in `column`, in file order."""
        first_token = self.cell_first[column :: self.width]
        per_row = self.cell_last[column :: self.width] - first_token
        per_row += 1
        first = np.cumsum(per_row)
        first -= per_row
        # The tokens of each row's cell are a run of the section's tokens: gather the runs.
        total = int(first[-1] + per_row[-1])
        chosen = np.repeat(first_token - first, per_row)
        chosen += self.arange(total)
        starts = self.bounds[chosen]
        starts += 1
        sizes = np.take(self.bounds[1:], chosen)
        sizes -= starts
        return _Tokens(starts, sizes, per_row, first)

    def arange(self, n: int) -> Ints:
        """Return 0, 1, ..., n - 1 (a view of one shared array)."""
        if len(self.iota) < n:
            self.iota = np.arange(n, dtype=np.int64)
        return self.iota[:n]

    def words(self, starts: Ints, sizes: Ints, width: int) -> list[Words]:
        """Return the bytes of each token packed into `ceil(width / 8)` big-endian words.

        Tokens are zero-padded; no token holds a NUL byte (the caller checked), so two tokens
        have the same words exactly when they have the same bytes. Each word is one gather from
        a view whose element i is the 8 bytes from offset i, then a mask of the token's bytes.
        """
        end = self.size
        windows = np.ndarray((end + 1,), dtype=">u8", buffer=self.padded, strides=(1,))
        words: list[Words] = []
        for word_index in range((width + 7) // 8):
            offset = 8 * word_index
            at = starts if not offset else np.minimum(starts + offset, end)
            word = windows[at]
            word.byteswap(inplace=True)  # the same value, in this machine's byte order
            value = word.view(np.uint64)
            kept = sizes - offset if offset else sizes.copy()
            np.clip(kept, 0, 8, out=kept)
            value &= _MASKS[kept]
            words.append(value)
        return words


def _id_words(ids: Mapping[str, int], width: int) -> tuple[list[Words], Ints]:
    """Return the packed words of the ASCII project ids (as `_Section.words`) and their indices."""
    names = [(name.encode(), index) for name, index in ids.items() if name.isascii()]
    padded = [name.ljust(8 * ((width + 7) // 8), b"\0") for name, _ in names]
    words = [
        np.array([int.from_bytes(p[8 * w : 8 * w + 8], "big") for p in padded], dtype=np.uint64)
        for w in range((width + 7) // 8)
    ]
    return words, np.array([index for _, index in names], dtype=np.int64)


def _combine(words: list[Words]) -> Words:
    """Return one 64-bit key per token: the word itself, or a mix of several words."""
    if len(words) == 1:
        return words[0]
    key = words[0].copy()
    for word in words[1:]:
        key *= np.uint64(_MIX1)
        key ^= word
    return key


def _project_indices(section: _Section, tokens: _Tokens, ids: Mapping[str, int]) -> Ints | None:
    """Return the project index of every token, or None if some token is not a project id."""
    longest = max((len(name) for name in ids if name.isascii()), default=0)
    if not len(tokens.sizes) or int(tokens.sizes.min()) < 1 or int(tokens.sizes.max()) > longest:
        return None
    id_words, indices = _id_words(ids, longest)
    id_keys = _combine(id_words)
    order = np.argsort(id_keys)
    sorted_keys = id_keys[order]
    if len(sorted_keys) > 1 and bool((sorted_keys[1:] == sorted_keys[:-1]).any()):
        return None  # two long ids with one key: leave it to the pure-Python reader
    token_words = section.words(tokens.starts, tokens.sizes, longest)
    at = np.searchsorted(sorted_keys, _combine(token_words))
    np.minimum(at, len(order) - 1, out=at)
    for token_word, id_word in zip(token_words, id_words, strict=True):
        if not np.array_equal(id_word[order][at], token_word):
            return None  # an unknown id
    return indices[order][at]


def _points(section: _Section, tokens: _Tokens) -> Ints | None:
    """Return every token as a whole number, or None unless all are canonical digit strings."""
    sizes = tokens.sizes
    if not len(sizes) or int(sizes.min()) < 1 or int(sizes.max()) > MAX_DIGITS:
        return None
    values = np.zeros(len(sizes), dtype=np.int64)
    at = tokens.starts.copy()
    for offset in range(int(sizes.max())):
        if offset:
            at += 1  # MAX_DIGITS < PADDING: never past the padding
        digit = section.padded[at]
        digit -= ZERO  # uint8: bytes below "0" wrap to 208 and more
        present = sizes > offset
        if bool(np.any(digit > 9, where=present)):
            return None  # a sign, a letter, a decimal point...
        if offset == 0 and bool(np.any(digit == 0, where=sizes > 1)):
            return None  # "01": `int` reads it, but as the same number as "1"
        np.multiply(values, 10, out=values, where=present)
        np.add(values, digit, out=values, where=present)
    return values


def _distinct(section: _Section, column: int) -> bool:
    """Return whether the cells of `column` are all different (False when unsure)."""
    starts, sizes = section.cells(column)
    longest = int(sizes.max()) if len(sizes) else 0
    if longest > MAX_VOTER_ID:
        return False
    words = section.words(starts, sizes, max(longest, 1))
    if len(words) == 1:
        keys = np.sort(words[0])
        return not bool((keys[1:] == keys[:-1]).any())
    order = np.lexsort(words[::-1])
    same = np.ones(len(order) - 1, dtype=bool)
    for word in words:
        ranked = word[order]
        same &= ranked[1:] == ranked[:-1]
    return not bool(same.any())


def ballot_rows(
    data: bytes,
    count: int,
    width: int,
    columns: tuple[int, int, int | None],
    ids: Mapping[str, int],
    ordered: bool,
    single: bool,
) -> BallotRows | None:
    """Return every voter's counted ballot in a plain VOTES section, or None (see the module).

    `data` is the section without its header (ASCII, LF line ends, no quote, NUL or whitespace,
    `count` rows of `width` cells, no trailing line end); `columns` are the voter, vote and
    points columns; `ids` maps project ids to indices. With `ordered` (rankings) a ballot keeps
    its order and only repeats are refused; otherwise each ballot is a set, counted in
    increasing project order. `single` (choose-1) refuses ballots naming several projects.
    Identical ballots are merged later, by `group`, if something needs them merged.
    """
    voter, vote, points_column = columns
    section = _Section(data, count, width)
    if not _distinct(section, voter):
        return None
    tokens = section.tokens(vote)
    per_row, first = tokens.per_row, tokens.first
    if single and int(per_row.max()) > 1:
        return None
    chosen = _project_indices(section, tokens, ids)
    del tokens  # their byte offsets: not needed any more
    if chosen is None:
        return None
    values: Ints | None = None
    if points_column is not None:
        point_tokens = section.tokens(points_column)
        if not np.array_equal(point_tokens.per_row, per_row):
            return None  # not one point per project
        values = _points(section, point_tokens)
        del point_tokens
        if values is None:
            return None
    if not ordered:
        steps = np.diff(chosen)
        steps[first[1:] - 1] = 1  # from one ballot to the next: any order
        if len(steps) and int(steps.min()) <= 0:
            # Some ballot lists its projects out of index order: sort each ballot (they are
            # sets), as the pure-Python reader does; `group` then merges equal ones.
            sorted_ballots = _sort_ballots(section, chosen, values, per_row, len(ids))
            if sorted_ballots is None:
                return None  # a project named twice in a ballot
            chosen, values = sorted_ballots
        del steps
    else:
        rows = np.repeat(np.arange(count, dtype=np.int64), per_row)
        pairs = np.sort(rows * (len(ids) + 1) + chosen)
        if bool((pairs[1:] == pairs[:-1]).any()):
            return None  # a project ranked twice
    return BallotRows(chosen, per_row, values, first)


def _sort_ballots(
    section: _Section, chosen: Ints, values: Ints | None, per_row: Ints, n_projects: int
) -> tuple[Ints, Ints | None] | None:
    """Return each ballot's projects (and points) in increasing project order, or None when a
    ballot names a project twice."""
    key = np.repeat(section.arange(len(per_row)), per_row)
    key *= n_projects
    key += chosen  # row-major: sorting the keys sorts within each ballot, ballots stay put
    if values is None:
        key.sort()
        moved = None
    else:
        moved = np.argsort(key, kind="stable")
        key = key[moved]
    steps = np.diff(key)
    if len(steps) and int(steps.min()) <= 0:
        return None
    del steps
    if moved is None:
        key %= n_projects
        return key, None
    assert values is not None
    return chosen[moved], values[moved]


def _keys(n: int, start: int = 0) -> Words:
    """Return n well-mixed 64-bit keys (splitmix64 of start + 1 .. start + n).

    Projects, positions and lengths take keys from different ranges: with the same keys, a
    project's key times a position's key would be symmetric (project 0 at position 4 and
    project 4 at position 0 would weigh the same).
    """
    x = np.arange(start + 1, start + n + 1, dtype=np.uint64)
    x *= np.uint64(_GOLDEN)
    x ^= np.uint64(_MIX2)
    x ^= x >> np.uint64(30)
    x *= np.uint64(_MIX1)
    x ^= x >> np.uint64(27)
    x *= np.uint64(_MIX2)
    x ^= x >> np.uint64(31)
    return x


def group(rows: BallotRows, n_projects: int, ordered: bool) -> TableArrays:
    """Return the distinct ballots of `rows` with their weights, in order of first appearance.

    Merged by hash (`_merge`), every group verified; if a hash collision makes that refuse,
    merged again exactly, in Python (slow, and never seen).
    """
    return _merge(rows, n_projects, ordered) or _merge_exactly(rows)


def _merge(rows: BallotRows, n_projects: int, ordered: bool) -> TableArrays | None:
    """Merge identical ballots by hash, or return None if some hash group is not one ballot.

    A ballot's hash is the sum of its entries' keys: a project's key, times an odd factor from
    its points, times a key of its position for rankings (other ballots are sets: their projects
    are in increasing order). Equal hashes are only a guess: every ballot is then compared,
    entry by entry, with the first ballot of its group.
    """
    chosen, per_row, values, first = rows
    mixed = _keys(n_projects)[chosen]
    if values is not None:
        factor = values.astype(np.uint64)
        factor <<= np.uint64(1)
        factor |= np.uint64(1)
        mixed *= factor
        del factor
    longest = int(per_row.max())
    if ordered:
        position = np.repeat(first, per_row)
        np.subtract(np.arange(len(chosen)), position, out=position)
        factor = _keys(longest, start=n_projects)[position]
        factor |= np.uint64(1)
        mixed *= factor
        del position, factor
    hashes = np.add.reduceat(mixed, first)
    hashes ^= _keys(longest + 1, start=n_projects + longest)[per_row]
    del mixed
    _, first_row, group_of, weights = np.unique(
        hashes, return_index=True, return_inverse=True, return_counts=True
    )
    count = len(per_row)
    if len(weights) == count:  # every ballot different: nothing to merge, nothing to verify
        return TableArrays(chosen, per_row, values, np.ones(count, dtype=np.int64))
    # Groups in order of first appearance, without sorting: mark each group's first row.
    is_first = np.zeros(count, dtype=bool)
    is_first[first_row] = True
    representative = np.flatnonzero(is_first)  # each group's first row, in file order
    rank = np.cumsum(is_first)[first_row] - 1  # hash group -> its place in file order
    # Verify: every ballot equals its group's first ballot, element by element.
    row_representative = representative[rank[group_of.reshape(-1)]]
    if not np.array_equal(per_row[row_representative], per_row):
        return None
    same_token = np.repeat(first[row_representative] - first, per_row)
    same_token += np.arange(len(chosen))
    if not np.array_equal(chosen[same_token], chosen):
        return None
    if values is not None and not np.array_equal(values[same_token], values):
        return None
    del same_token
    counts = np.empty(len(weights), dtype=np.int64)
    counts[rank] = weights
    return _kept(rows, representative, counts)


def _kept(rows: BallotRows, representative: Ints, weights: Ints) -> TableArrays:
    """Return the ballots of the rows `representative`, with these weights."""
    chosen, per_row, values, first = rows
    lengths = per_row[representative]
    starts = np.cumsum(lengths)
    starts -= lengths
    kept = np.repeat(first[representative] - starts, lengths)
    kept += np.arange(len(kept))
    return TableArrays(chosen[kept], lengths, values[kept] if values is not None else None, weights)


def _merge_exactly(rows: BallotRows) -> TableArrays:
    """Merge identical ballots with a dictionary of tuples (the pure-Python reader's way)."""
    ends = (rows.first + rows.lengths).tolist()
    projects = rows.projects.tolist()
    points = rows.points.tolist() if rows.points is not None else None
    seen: dict[tuple[tuple[int, ...], tuple[int, ...]], int] = {}
    weights: list[int] = []
    representative: list[int] = []
    for row, (start, end) in enumerate(zip(rows.first.tolist(), ends, strict=True)):
        ballot = (
            tuple(projects[start:end]),
            tuple(points[start:end]) if points is not None else (),
        )
        at = seen.setdefault(ballot, len(weights))
        if at == len(weights):
            weights.append(0)
            representative.append(row)
        weights[at] += 1
    return _kept(rows, np.array(representative, dtype=np.int64), np.array(weights, dtype=np.int64))


def supporters(ballots: TableArrays | BallotRows, n_projects: int) -> list[int]:
    """Return, per project, the number of voters whose ballot names it.

    For merged ballots the float64 sums of `bincount` are exact: they are integers below 2**53
    (at most one unit per voter and project named, far fewer than a file's bytes).
    """
    if isinstance(ballots, BallotRows):  # one voter per ballot
        return [int(c) for c in np.bincount(ballots.projects, minlength=n_projects).tolist()]
    per_entry = np.repeat(ballots.weights, ballots.lengths)
    counts = np.bincount(ballots.projects, weights=per_entry, minlength=n_projects)
    return [int(c) for c in counts.tolist()]


def point_totals(ballots: TableArrays | BallotRows, n_projects: int) -> list[int] | None:
    """Return each project's weighted sum of positive points, or None if it might be inexact."""
    assert ballots.points is not None
    positive = np.maximum(ballots.points, 0)
    if isinstance(ballots, BallotRows):  # one voter per ballot
        voters, weighted = len(ballots.lengths), positive.astype(np.float64)
    else:
        voters = int(ballots.weights.sum())
        weighted = np.repeat(ballots.weights, ballots.lengths).astype(np.float64)
        weighted *= positive
    if int(positive.max(initial=0)) * voters >= EXACT_FLOAT:
        return None  # float sums might round: the caller adds Python integers
    totals = np.bincount(ballots.projects, weights=weighted, minlength=n_projects)
    return [int(t) for t in totals.tolist()]
