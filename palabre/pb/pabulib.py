"""Read and write pabulib files (https://pabulib.org/format).

The reader accepts what real files contain: a UTF-8 byte-order mark, CRLF or LF line ends, quoted
fields, decimal commas in amounts, `None` cells and project ids containing `/`. Anything it cannot
count raises PbFormatError with the line number and what was expected.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from palabre.pb.errors import PbFormatError
from palabre.pb.model import Ballot, Election, Project, VoterRecord, VoteType, group_ballots

SECTIONS = ("meta", "projects", "votes")
PROJECT_MODEL_COLUMNS = ("project_id", "cost")
VOTE_MODEL_COLUMNS = ("voter_id", "vote", "points")


def read_pabulib(path: str | Path) -> Election:
    """Read a pabulib file into an election."""
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as error:
        raise PbFormatError(None, f"cannot read the file: {error.strerror}", str(path)) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PbFormatError(line, "expected UTF-8 text", str(path)) from error
    return parse_pabulib(text, str(path))


def _is_none(cell: str) -> bool:
    return cell.strip().lower() in ("", "none")


class _Rows:
    """CSV rows with the physical line number each one ends on, skipping blank lines."""

    def __init__(self, text: str, path: str | None) -> None:
        self._reader = csv.reader(
            io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"
        )
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

    def push_back(self, row: list[str]) -> None:
        self._pending = row

    def error(self, message: str, line: int | None = None) -> PbFormatError:
        return PbFormatError(self.line if line is None else line, message, self.path)


def _section_name(row: list[str]) -> str | None:
    name = row[0].strip().lower()
    return name if len(row) == 1 or all(not c.strip() for c in row[1:]) else None


def _read_section(rows: _Rows, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Read one section whose title row was just consumed: its header and its data rows."""
    title_line = rows.line
    try:
        header = [cell.strip() for cell in next(rows)]
    except StopIteration:
        raise rows.error(
            f"truncated {name.upper()} section: expected a header row after line {title_line}"
        ) from None
    if _section_name(header) in SECTIONS:
        raise rows.error(f"truncated {name.upper()} section: expected a header row, found a title")
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
    return header, body


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


def parse_pabulib(text: str, path: str | None = None) -> Election:
    """Parse the text of a pabulib file into an election."""
    rows = _Rows(text, path)
    sections: dict[str, tuple[int, list[str], list[tuple[int, list[str]]]]] = {}
    for row in rows:
        name = _section_name(row)
        if name not in SECTIONS:
            expected = "META, PROJECTS or VOTES" if sections else "META"
            raise rows.error(f"expected a section title ({expected}), found {';'.join(row)!r}")
        assert name is not None
        if name in sections:
            raise rows.error(f"the {name.upper()} section appears twice")
        title_line = rows.line
        header, body = _read_section(rows, name)
        sections[name] = (title_line, header, body)
    for name in SECTIONS:
        if name not in sections:
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
    voters: list[VoterRecord] = []
    voter_lines: dict[str, int] = {}
    cache: dict[tuple[str, str], Ballot] = {}
    extra_cols = [i for i, name in enumerate(vote_header) if name not in VOTE_MODEL_COLUMNS]
    for line, row in vote_rows:
        voter_id = row[voter_col].strip()
        if voter_id in voter_lines:
            raise rows.error(
                f"duplicated voter id {voter_id!r} (first seen on line {voter_lines[voter_id]})",
                line,
            )
        voter_lines[voter_id] = line
        raw_vote = (row[vote_col], row[points_col] if points_col is not None else "")
        ballot = cache.get(raw_vote)
        if ballot is None:
            ballot = _ballot(row, vote_col, points_col, vote_type, index, rows, line)
            cache[raw_vote] = ballot
        fields = tuple((vote_header[i], row[i]) for i in extra_cols)
        voters.append(VoterRecord(voter_id, ballot, fields))
    if not voters:
        raise rows.error(
            "expected at least one ballot in the VOTES section (zero voters)", votes_line
        )
    _check_count(meta, "num_votes", len(voters), rows, meta_rows, "VOTES", votes_line)

    def counted(ballot: Ballot) -> Ballot:
        if ballot.points is None and vote_type is not VoteType.ORDINAL:
            return Ballot(tuple(sorted(ballot.projects)))
        return ballot

    return Election(
        projects=tuple(projects),
        budget=budget,
        vote_type=vote_type,
        groups=group_ballots((counted(v.ballot), 1) for v in voters),
        money_scale=scale,
        meta=meta,
        project_fields=tuple(project_fields),
        project_columns=tuple(project_header),
        vote_columns=tuple(vote_header),
        voters=tuple(voters),
    )


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


def _ballot(
    row: list[str],
    vote_col: int,
    points_col: int | None,
    vote_type: VoteType,
    index: dict[str, int],
    rows: _Rows,
    line: int,
) -> Ballot:
    cell = row[vote_col]
    names = [] if _is_none(cell) else cell.split(",")
    try:
        chosen = [index[name] for name in names]
    except KeyError:
        chosen = []
        for name in (n.strip() for n in names):
            if name not in index:
                raise rows.error(
                    f"vote for unknown project {name!r}: expected one of the PROJECTS ids", line
                ) from None
            chosen.append(index[name])
    if len(set(chosen)) != len(chosen):
        twice = next(n for n in names if names.count(n) > 1)
        raise rows.error(f"project {twice.strip()!r} appears twice in this ballot", line)
    if vote_type is VoteType.CHOOSE_ONE and len(chosen) > 1:
        raise rows.error(f"a choose-1 ballot names {len(chosen)} projects", line)
    if points_col is None:
        return Ballot(tuple(chosen))
    point_cells = [] if _is_none(row[points_col]) else row[points_col].split(",")
    if len(point_cells) != len(chosen):
        raise rows.error(
            f"expected {len(chosen)} points (one per project voted for), found {len(point_cells)}",
            line,
        )
    points: list[int] = []
    for text in point_cells:
        try:
            value = int(text.strip())
        except ValueError:
            raise rows.error(
                f"expected a whole number of points, found {text.strip()!r}", line
            ) from None
        if vote_type is VoteType.CUMULATIVE and value < 0:
            raise rows.error(f"expected non-negative points, found {value}", line)
        points.append(value)
    return Ballot(tuple(chosen), tuple(points))


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
