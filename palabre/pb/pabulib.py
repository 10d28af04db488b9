"""Read and write pabulib files (https://pabulib.org/format).

The reader accepts what real files contain: a UTF-8 byte-order mark, CRLF or LF line ends, quoted
fields, decimal commas in amounts, `None` cells and project ids containing `/`. Anything it cannot
count raises PbFormatError with the line number and what was expected.
"""

from __future__ import annotations

import csv
import io
import operator
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from itertools import accumulate, islice, repeat
from typing import TYPE_CHECKING, NamedTuple

from palabre.pb.errors import PbFormatError
from palabre.pb.model import (
    Ballot,
    BallotTable,
    Election,
    Project,
    VoterRecord,
    VoteType,
    ballot_groups,
    make_ballots,
)

SECTIONS = ("meta", "projects", "votes")
PROJECT_MODEL_COLUMNS = ("project_id", "cost")
VOTE_MODEL_COLUMNS = ("voter_id", "vote", "points")
# The numpy reader (ADR 0067) costs about the same per ballot whether ballots repeat or not;
# the pure-Python bulk reader parses each *distinct* ballot once. So numpy reads a plain VOTES
# section only when, in its first rows (SAMPLE_ROWS, SAMPLE_BYTES at most), more than
# DISTINCT_SHARE of the ballots are different, and, unless numpy is loaded already (or the
# caller says it will be), only from VECTORISE_BYTES on (half as much with points, which cost
# the pure-Python reader and greedy's totals about twice as much): from there the numpy reader
# saves more than numpy's import costs.
VECTORISE_BYTES = 2_000_000
SAMPLE_BYTES = 65_536
SAMPLE_ROWS = 2_000
DISTINCT_SHARE = 0.5

if TYPE_CHECKING:
    from palabre.pb.vectorised import BallotRows


def read_pabulib(path: str | os.PathLike[str], *, vectorise: bool | None = None) -> Election:
    """Read a pabulib file into an election.

    `vectorise` (see `parse_pabulib`): True when the caller will load numpy anyway (MES).
    """
    try:
        with open(path, "rb") as handle:  # not pathlib: its import is ~10 ms of a command
            data = handle.read()
    except OSError as error:
        raise PbFormatError(None, f"cannot read the file: {error.strerror}", str(path)) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PbFormatError(line, "expected UTF-8 text", str(path)) from error
    return parse_pabulib(text, str(path), vectorise=vectorise)


def _is_none(cell: str) -> bool:
    return cell.strip().lower() in ("", "none")


class _Rows:
    """CSV rows with the physical line number each one ends on, skipping blank lines."""

    def __init__(self, text: str, path: str | None) -> None:
        self._text = text.removeprefix("\ufeff")
        self._offset = 0
        self._reader = csv.reader(self._lines(), delimiter=";")
        self.path = path
        self.line = 0
        self._pending: list[str] | None = None

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        if self._pending is not None:
            row, self._pending = self._pending, None
            return row
        try:
            for row in self._reader:
                self.line = self._reader.line_num
                if row and not (len(row) == 1 and not row[0].strip()):
                    return row
        except csv.Error as error:
            raise self.error(f"malformed CSV ({error})") from error
        raise StopIteration

    def _lines(self) -> Iterator[str]:
        """Yield the physical lines with their ends (LF, CRLF or CR, as `newline=""` reads)."""
        text, end = self._text, len(self._text)
        start = 0
        lf = cr = -1
        while start < end:
            if lf < start:
                lf = text.find("\n", start)
                lf = end if lf < 0 else lf
            if cr < start:
                cr = text.find("\r", start)
                cr = end if cr < 0 else cr
            stop = min(end, (cr + 2 if cr + 1 == lf else cr + 1) if cr < lf else lf + 1)
            self._offset = stop
            yield text[start:stop]
            start = stop

    def push_back(self, row: list[str]) -> None:
        self._pending = row

    def rest(self) -> str:
        """Return the text after the last row read (the reader reads one line per row)."""
        assert self._pending is None
        return self._text[self._offset :]

    def error(self, message: str, line: int | None = None) -> PbFormatError:
        return PbFormatError(self.line if line is None else line, message, self.path)


def _section_name(row: list[str]) -> str | None:
    name = row[0].strip().lower()
    return name if len(row) == 1 or all(not c.strip() for c in row[1:]) else None


def _read_header(rows: _Rows, name: str) -> list[str]:
    """Read the header row of a section whose title row was just consumed."""
    title_line = rows.line
    try:
        header = [cell.strip() for cell in next(rows)]
    except StopIteration:
        raise rows.error(
            f"truncated {name.upper()} section: expected a header row after line {title_line}"
        ) from None
    if _section_name(header) in SECTIONS:
        raise rows.error(f"truncated {name.upper()} section: expected a header row, found a title")
    return header


def _read_body(rows: _Rows, header: list[str]) -> list[tuple[int, list[str]]]:
    """Read the data rows of a section, up to the next section title."""
    body: list[tuple[int, list[str]]] = []
    for row in rows:
        if _section_name(row) in SECTIONS:
            rows.push_back(row)
            break
        if len(row) != len(header):
            raise rows.error(
                f"expected {len(header)} fields ({';'.join(header)}), found {len(row)}"
                + (" (truncated line?)" if len(row) < len(header) else "")
            )
        body.append((rows.line, row))
    return body


def _amount(text: str, rows: _Rows, line: int, what: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise rows.error(f"expected a number for {what}, found {text!r}", line) from None
    if not value.is_finite():
        raise rows.error(f"expected a finite number for {what}, found {text!r}", line)
    if value < 0:
        raise rows.error(f"expected a non-negative {what}, found {text.strip()}", line)
    return value


def _column(header: list[str], name: str, rows: _Rows, section: str, line: int) -> int:
    if name not in header:
        raise rows.error(
            f"the {section} header must have a {name!r} column, found: {';'.join(header)}", line
        )
    return header.index(name)


def parse_pabulib(text: str, path: str | None = None, *, vectorise: bool | None = None) -> Election:
    """Parse the text of a pabulib file into an election.

    The VOTES section, which holds almost all of a file, is read in bulk when it is plain
    (ASCII, no quotes, no spaces, every row with the header's field count): split once, identical
    ballots counted by their text, no object per voter. Anything else, including every error, is
    read row by row so that messages name the first bad line (see docs/decisions/0014-*.md).

    A plain section of mostly different ballots is read with numpy (same election, ADR 0067)
    when `vectorise` is True (numpy is or will be loaded), or, when it is None, if numpy is
    loaded already or the section is large (see VECTORISE_BYTES); never when it is False.
    """
    try:
        return _parse(text, path, bulk=True, vectorise=vectorise)
    except (_NotBulk, PbFormatError):
        return _parse(text, path, bulk=False)


class _NotBulk(Exception):
    """The VOTES section is not plain enough to be read in bulk."""


def _parse(text: str, path: str | None, *, bulk: bool, vectorise: bool | None = False) -> Election:
    rows = _Rows(text, path)
    sections: dict[str, tuple[int, list[str], list[tuple[int, list[str]]]]] = {}
    bulk_votes: str | None = None
    for row in rows:
        name = _section_name(row)
        if name not in SECTIONS:
            expected = "META, PROJECTS or VOTES" if sections else "META"
            raise rows.error(f"expected a section title ({expected}), found {';'.join(row)!r}")
        assert name is not None
        if name in sections:
            raise rows.error(f"the {name.upper()} section appears twice")
        title_line = rows.line
        header = _read_header(rows, name)
        if bulk and name == "votes":
            sections[name] = (title_line, header, [])
            bulk_votes = rows.rest()
            break
        sections[name] = (title_line, header, _read_body(rows, header))
    for name in SECTIONS:
        if name not in sections:
            if bulk_votes is not None:
                raise _NotBulk  # the row-by-row reader says where
            raise rows.error(f"truncated file: expected a {name.upper()} section", rows.line + 1)

    # META
    meta_line, _, meta_rows = sections["meta"]
    meta: dict[str, str] = {}
    for _, row in meta_rows:
        meta[row[0].strip()] = row[1].strip() if len(row) > 1 else ""
    for key in ("budget", "vote_type"):
        if key not in meta:
            raise rows.error(f"the META section must give {key!r}", meta_line)
    try:
        vote_type = VoteType(meta["vote_type"].strip().lower())
    except ValueError:
        known = ", ".join(v.value for v in VoteType)
        line = next(ln for ln, r in meta_rows if r[0].strip() == "vote_type")
        raise rows.error(
            f"expected vote_type to be one of {known}, found {meta['vote_type']!r}", line
        ) from None
    budget_line = next(ln for ln, r in meta_rows if r[0].strip() == "budget")
    budget_value = _amount(meta["budget"], rows, budget_line, "budget")

    # PROJECTS
    projects_line, project_header, project_rows = sections["projects"]
    id_col = _column(project_header, "project_id", rows, "PROJECTS", projects_line + 1)
    cost_col = _column(project_header, "cost", rows, "PROJECTS", projects_line + 1)
    raw_costs: list[Decimal] = []
    seen: dict[str, int] = {}
    project_fields: list[tuple[tuple[str, str], ...]] = []
    for line, row in project_rows:
        project_id = row[id_col].strip()
        if _is_none(project_id):
            raise rows.error("expected a project_id, found an empty cell", line)
        if project_id in seen:
            raise rows.error(
                f"duplicated project id {project_id!r} (first seen on line {seen[project_id]})",
                line,
            )
        seen[project_id] = line
        if _is_none(row[cost_col]):
            raise rows.error(f"expected a cost for project {project_id!r}", line)
        raw_costs.append(_amount(row[cost_col], rows, line, f"cost of project {project_id!r}"))
        project_fields.append(tuple(zip(project_header, row, strict=True)))
    if not project_rows:
        raise rows.error("expected at least one project in the PROJECTS section", projects_line)

    exponent = max(0, *(-a.normalize().as_tuple().exponent for a in [budget_value, *raw_costs]))  # type: ignore[operator]
    scale = 10**exponent
    budget = int(budget_value * scale)
    projects: list[Project] = []
    for fields, cost in zip(project_fields, raw_costs, strict=True):
        cells = {k: v for k, v in fields if not _is_none(v)}
        projects.append(
            Project(
                id=cells["project_id"].strip(),
                cost=int(cost * scale),
                name=cells.get("name", "").strip(),
                categories=_split(cells.get("category", cells.get("categories", ""))),
                targets=_split(cells.get("target", cells.get("targets", ""))),
            )
        )
    if budget < min(p.cost for p in projects):
        raise rows.error(
            f"the budget ({meta['budget']}) is below the cost of every project "
            f"(the cheapest costs {min(raw_costs)}): nothing can be funded",
            budget_line,
        )
    _check_count(meta, "num_projects", len(projects), rows, meta_rows, "PROJECTS", projects_line)

    # VOTES
    votes_line, vote_header, vote_rows = sections["votes"]
    voter_col = _column(vote_header, "voter_id", rows, "VOTES", votes_line + 1)
    vote_col = _column(vote_header, "vote", rows, "VOTES", votes_line + 1)
    points_col = (
        _column(vote_header, "points", rows, "VOTES", votes_line + 1)
        if vote_type.has_points
        else None
    )
    index = {p.id: i for i, p in enumerate(projects)}
    columns = _VoteColumns(vote_header, voter_col, vote_col, points_col, vote_type, index)
    if bulk_votes is not None:
        num_voters, weights, loader = _bulk_votes(bulk_votes, columns, vectorise)
    else:
        num_voters, weights, loader = _row_votes(vote_rows, columns, rows)
    if not num_voters:
        raise rows.error(
            "expected at least one ballot in the VOTES section (zero voters)", votes_line
        )
    _check_count(meta, "num_votes", num_voters, rows, meta_rows, "VOTES", votes_line)
    return Election(
        projects=tuple(projects),
        budget=budget,
        vote_type=vote_type,
        groups=ballot_groups(weights.items()) if isinstance(weights, dict) else None,
        table=weights if isinstance(weights, BallotTable) else None,
        rows=None if isinstance(weights, dict | BallotTable) else weights,
        money_scale=scale,
        meta=meta,
        project_fields=tuple(project_fields),
        project_columns=tuple(project_header),
        vote_columns=tuple(vote_header),
        voter_loader=loader,
    )


class _BadBallot(Exception):
    """A ballot that cannot be counted (the caller adds the line)."""


class _VoteColumns(NamedTuple):
    header: list[str]
    voter: int
    vote: int
    points: int | None
    vote_type: VoteType
    ids: dict[str, int]  # project id -> index

    def ballot(self, vote: str, points: str | None) -> Ballot:
        """Return the ballot as written in the file (project indices in the file's order)."""
        names = [] if _is_none(vote) else vote.split(",")
        try:
            chosen = [self.ids[name] for name in names]
        except KeyError:
            chosen = []
            for name in (n.strip() for n in names):
                if name not in self.ids:
                    raise _BadBallot(
                        f"vote for unknown project {name!r}: expected one of the PROJECTS ids"
                    ) from None
                chosen.append(self.ids[name])
        if len(set(chosen)) != len(chosen):
            twice = next(n for n in names if names.count(n) > 1)
            raise _BadBallot(f"project {twice.strip()!r} appears twice in this ballot")
        if self.vote_type is VoteType.CHOOSE_ONE and len(chosen) > 1:
            raise _BadBallot(f"a choose-1 ballot names {len(chosen)} projects")
        if points is None:
            return Ballot(tuple(chosen))
        point_cells = [] if _is_none(points) else points.split(",")
        if len(point_cells) != len(chosen):
            raise _BadBallot(
                f"expected {len(chosen)} points (one per project voted for), "
                f"found {len(point_cells)}"
            )
        values: list[int] = []
        for cell in point_cells:
            try:
                value = int(cell.strip())
            except ValueError:
                raise _BadBallot(
                    f"expected a whole number of points, found {cell.strip()!r}"
                ) from None
            if self.vote_type is VoteType.CUMULATIVE and value < 0:
                raise _BadBallot(f"expected non-negative points, found {value}")
            values.append(value)
        return Ballot(tuple(chosen), tuple(values))

    def counted(self, ballot: Ballot) -> Ballot:
        """Return the ballot as counted: approval and points ballots are sets, rankings not."""
        if ballot.points is not None:
            pairs = sorted(zip(ballot.projects, ballot.points, strict=True))
            return Ballot(tuple(p for p, _ in pairs), tuple(v for _, v in pairs))
        if self.vote_type is VoteType.ORDINAL:
            return ballot
        return Ballot(tuple(sorted(ballot.projects)))

    def extra(self) -> list[int]:
        """Return the indices of the columns kept only to write the file back."""
        return [i for i, name in enumerate(self.header) if name not in VOTE_MODEL_COLUMNS]


VoterLoader = Callable[[], tuple[VoterRecord, ...]]


def _row_votes(
    vote_rows: list[tuple[int, list[str]]], columns: _VoteColumns, rows: _Rows
) -> tuple[int, dict[Ballot, int], VoterLoader]:
    """Read the VOTES rows one by one, checking each (the reference reader)."""
    voters: list[VoterRecord] = []
    voter_lines: dict[str, int] = {}
    cache: dict[tuple[str, str | None], Ballot] = {}
    weights: dict[Ballot, int] = {}
    extra_cols = columns.extra()
    header = columns.header
    for line, row in vote_rows:
        voter_id = row[columns.voter].strip()
        if voter_id in voter_lines:
            raise rows.error(
                f"duplicated voter id {voter_id!r} (first seen on line {voter_lines[voter_id]})",
                line,
            )
        voter_lines[voter_id] = line
        raw_vote = (row[columns.vote], row[columns.points] if columns.points is not None else None)
        ballot = cache.get(raw_vote)
        if ballot is None:
            try:
                ballot = columns.ballot(*raw_vote)
            except _BadBallot as error:
                raise rows.error(str(error), line) from None
            cache[raw_vote] = ballot
        counted = columns.counted(ballot)
        weights[counted] = weights.get(counted, 0) + 1
        voters.append(VoterRecord(voter_id, ballot, tuple((header[i], row[i]) for i in extra_cols)))
    records = tuple(voters)
    return len(records), weights, lambda: records


# Bytes a plain VOTES section may hold between its cells: the separators and ASCII whitespace
# (which must then be absent, as `str.strip` would remove it from a voter id).
_STRUCTURE = b";\n \t\x0b\x0c\r\x1c\x1d\x1e\x1f"
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in _STRUCTURE)
_TITLES = (b"meta", b"projects", b"votes")
_LEADING_ZERO = re.compile(rb",0[0-9]")


def _canonical_numbers(joined: bytes) -> bool:
    """Return whether comma-separated whole numbers (as `int` read them) are written canonically.

    `int` also reads "01", "+1", "1_0" and "-0": two cells written so would be one ballot.
    """
    if b"+" in joined or b"_" in joined or b"-0" in joined:
        return False
    return _LEADING_ZERO.search(b"," + joined) is None


def _bulk_votes(
    text: str, columns: _VoteColumns, vectorise: bool | None = False
) -> tuple[int, BallotRows | BallotTable | dict[Ballot, int], VoterLoader]:
    """Read a plain VOTES section in bulk, or raise _NotBulk (then it is read row by row)."""
    if not text.isascii() or '"' in text or "\x00" in text:
        raise _NotBulk
    data = text.encode("ascii")
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
        if b"\r" in data:
            raise _NotBulk
    data = data.rstrip(b"\n")
    width = len(columns.header)
    skeleton = data.translate(None, _NOT_STRUCTURE)
    count = skeleton.count(b"\n") + 1
    if not data or skeleton != (b";" * (width - 1) + b"\n") * (count - 1) + b";" * (width - 1):
        raise _NotBulk  # blank lines, spaces or a row with the wrong number of fields
    # A row that reads as a section title has an empty last cell (every row has `width` >= 2
    # cells), which plain VOTES sections rarely have: look for titles only then.
    if b";\n" in data or data.endswith(b";"):
        probe = b"\n" + data.lower() + b"\n"
        if any(b"\n%s%s\n" % (title, b";" * (width - 1)) in probe for title in _TITLES):
            raise _NotBulk  # a section title after VOTES
        del probe

    def load() -> tuple[VoterRecord, ...]:
        extra_cols = columns.extra()
        header = columns.header
        file_ballots: dict[tuple[str, str | None], Ballot] = {}
        voters = []
        for line in data.decode("ascii").split("\n"):
            row = line.split(";")
            cell = (row[columns.vote], row[columns.points] if columns.points is not None else None)
            ballot = file_ballots.get(cell)
            if ballot is None:
                ballot = file_ballots[cell] = columns.ballot(*cell)
            voters.append(
                VoterRecord(
                    row[columns.voter], ballot, tuple((header[i], row[i]) for i in extra_cols)
                )
            )
        return tuple(voters)

    large = len(data) * (2 if columns.points is not None else 1) >= VECTORISE_BYTES
    if (vectorise or (vectorise is None and (large or "numpy" in sys.modules))) and (
        _mostly_distinct(data, columns)
    ):
        from palabre.pb.vectorised import ballot_rows

        rows = ballot_rows(
            data,
            count,
            width,
            (columns.voter, columns.vote, columns.points),
            columns.ids,
            ordered=columns.vote_type is VoteType.ORDINAL,
            single=columns.vote_type is VoteType.CHOOSE_ONE,
        )
        if rows is not None:
            return count, rows, load
    cells = data.replace(b"\n", b";").split(b";")
    if len(set(cells[columns.voter :: width])) != count:
        raise _NotBulk  # a duplicated voter id
    votes = cells[columns.vote :: width]
    raw: Counter[bytes] | Counter[tuple[bytes, bytes]]
    if columns.points is None:
        raw = Counter(votes)
    else:
        raw = Counter(zip(votes, cells[columns.points :: width], strict=True))
    del cells, votes
    try:
        weights = _bulk_ballots(raw, columns)
    except _BadBallot:
        raise _NotBulk from None

    return count, weights, load


def _mostly_distinct(data: bytes, columns: _VoteColumns) -> bool:
    """Return whether more than DISTINCT_SHARE of the ballots in the first rows differ."""
    lines = data[:SAMPLE_BYTES].split(b"\n", SAMPLE_ROWS)
    if len(lines) > 1 and (len(lines) > SAMPLE_ROWS or len(data) > SAMPLE_BYTES):
        lines.pop()  # the rest, or a row maybe cut short
    vote, points = columns.vote, columns.points
    cells = [line.split(b";") for line in lines]
    ballots = {(row[vote], row[points] if points is not None else b"") for row in cells}
    return len(ballots) > DISTINCT_SHARE * len(lines)


def _bulk_ballots(
    raw: Counter[bytes] | Counter[tuple[bytes, bytes]], columns: _VoteColumns
) -> BallotTable | dict[Ballot, int]:
    """Return the counted ballots and their weights from the distinct raw cells (file order).

    Raises _BadBallot for a ballot that cannot be counted (the caller then reads the file row
    by row, for the message).
    """
    try:
        return _common_ballots(raw, columns)
    except (KeyError, ValueError):  # a `None` cell, an unknown id, points that are not numbers
        pass
    weights: dict[Ballot, int] = {}
    for key, weight in raw.items():
        vote, points = key if isinstance(key, tuple) else (key, None)
        ballot = columns.ballot(vote.decode(), points.decode() if points is not None else None)
        counted = columns.counted(ballot)
        weights[counted] = weights.get(counted, 0) + weight
    return weights


def _common_ballots(
    raw: Counter[bytes] | Counter[tuple[bytes, bytes]], columns: _VoteColumns
) -> BallotTable | dict[Ballot, int]:
    """Read cells that list known project ids (and whole points) in a few whole-list calls.

    Every id of every distinct cell is looked up in one `map`, and ballots are cut from that
    list by their lengths. When each ballot lists its projects in index order (and its points
    in canonical digits), distinct cells are distinct ballots already as counted: the result is
    a `BallotTable`, with no object per ballot. Raises KeyError or ValueError when some cell is
    not of this common form, _BadBallot when a ballot cannot be counted.
    """
    index = {name.encode(): i for name, i in columns.ids.items()}
    if columns.points is None:
        votes: list[bytes] = list(raw)  # type: ignore[arg-type]
        points: list[bytes] = []
    else:
        pairs: list[tuple[bytes, bytes]] = list(raw)  # type: ignore[arg-type]
        votes = [vote for vote, _ in pairs]
        points = [point for _, point in pairs]
    chosen = list(map(index.__getitem__, b",".join(votes).split(b",")))
    lengths = list(map((1).__add__, map(bytes.count, votes, repeat(b","))))
    if columns.vote_type is VoteType.CHOOSE_ONE and len(chosen) != len(votes):
        raise _BadBallot("a choose-1 ballot names several projects")
    values: list[int] | None = None
    canonical = True
    if points:
        joined = b",".join(points)
        values = list(map(int, joined.split(b",")))
        if list(map((1).__add__, map(bytes.count, points, repeat(b",")))) != lengths:
            raise _BadBallot("a ballot whose points are not one per project")
        if columns.vote_type is VoteType.CUMULATIVE and min(values) < 0:
            raise _BadBallot("negative points")
        canonical = _canonical_numbers(joined)
    table = BallotTable(chosen, lengths, values, list(raw.values()))
    if columns.vote_type is VoteType.ORDINAL:
        if sum(map(len, map(set, map(chosen.__getitem__, table.slices())))) != len(chosen):
            raise _BadBallot("a project ranked twice in a ballot")
        return table
    if canonical and _increasing(chosen, lengths):
        return table
    # Some ballot lists its projects out of order: sort each, and add up equal ballots.
    ids = iter(chosen)
    ballots: list[Ballot]
    if values is None:
        ballots = make_ballots(tuple(sorted(islice(ids, n))) for n in lengths)
    else:
        scores = iter(values)
        ballots = [
            columns.counted(Ballot(tuple(islice(ids, n)), tuple(islice(scores, n))))
            for n in lengths
        ]
    if sum(map(len, map(set, (b.projects for b in ballots)))) != len(chosen):
        raise _BadBallot("a project named twice in a ballot")
    weights: dict[Ballot, int] = {}
    for ballot, weight in zip(ballots, raw.values(), strict=True):
        weights[ballot] = weights.get(ballot, 0) + weight
    return weights


def _increasing(chosen: list[int], lengths: list[int]) -> bool:
    """Return whether each ballot's run of `chosen` (cut by `lengths`) strictly increases."""
    increases: list[bool] = list(map(operator.lt, chosen, islice(chosen, 1, None)))
    # Pairs across two ballots (the last of one, the first of the next) do not count.
    across = [end - 1 for end in accumulate(lengths)][:-1]
    return increases.count(False) == len(across) - sum(map(increases.__getitem__, across))


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(",") if part.strip())


def _check_count(
    meta: dict[str, str],
    key: str,
    found: int,
    rows: _Rows,
    meta_rows: list[tuple[int, list[str]]],
    section: str,
    section_line: int,
) -> None:
    declared = meta.get(key, "").strip()
    if declared.isdigit() and int(declared) != found:
        line = next(ln for ln, r in meta_rows if r[0].strip() == key)
        raise rows.error(
            f"META says {key}={declared} but the {section} section (line {section_line}) "
            f"has {found} rows: truncated section?",
            line,
        )


def _format_money(amount: int, scale: int) -> str:
    if scale == 1:
        return str(amount)
    text = str(Decimal(amount) / Decimal(scale))
    return text


def write_pabulib(election: Election) -> str:
    """Return the election as pabulib text (the reader reads it back to an equal election)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    projects = election.projects
    meta = dict(election.meta)
    meta["vote_type"] = election.vote_type.value
    meta["budget"] = _format_money(election.budget, election.money_scale)
    meta["num_projects"] = str(len(projects))
    meta["num_votes"] = str(election.num_voters)
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, value])

    columns = list(election.project_columns) or ["project_id", "cost", "name"]
    writer.writerow(["PROJECTS"])
    writer.writerow(columns)
    for i, project in enumerate(projects):
        raw = dict(election.project_fields[i]) if election.project_fields else {}
        raw["project_id"] = project.id
        raw["cost"] = _format_money(project.cost, election.money_scale)
        raw.setdefault("name", project.name)
        writer.writerow([raw.get(column, "") for column in columns])

    voters = election.voters or tuple(
        VoterRecord(str(n), group.ballot)
        for n, group in enumerate((g for g in election.groups for _ in range(g.weight)), start=1)
    )
    vote_columns = list(election.vote_columns) or (
        ["voter_id", "vote", "points"] if election.vote_type.has_points else ["voter_id", "vote"]
    )
    writer.writerow(["VOTES"])
    writer.writerow(vote_columns)
    for voter in voters:
        cells = dict(voter.fields)
        cells["voter_id"] = voter.voter_id
        cells["vote"] = ",".join(projects[i].id for i in voter.ballot.projects)
        if voter.ballot.points is not None:
            cells["points"] = ",".join(str(p) for p in voter.ballot.points)
        writer.writerow([cells.get(column, "") for column in vote_columns])
    return out.getvalue()
