"""Read a Pol.is CSV export (comments.csv with votes.csv, or participants-votes.csv)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from palabre.opinion_map.model import OpinionMapError, Votes

COMMENTS = "comments.csv"
VOTES = "votes.csv"
PARTICIPANTS_VOTES = "participants-votes.csv"
# Descriptive columns of participants-votes.csv; every other column is a statement id.
_PARTICIPANT_COLUMNS = frozenset(
    ("participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
)
_VOTE_VALUES = {"1": 1, "-1": -1, "0": 0}


class ExportError(OpinionMapError):
    """A Pol.is export that cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Statement:
    """A Pol.is comment: its id, text, moderation state (-1 out, 0 pending, 1 in) and time.

    ``written`` is the comment's ``timestamp`` (when it was written), None when blank.
    """

    id: int
    text: str
    moderated: int
    written: int | None = None


@dataclass(frozen=True, eq=False)
class Conversation:
    """Everything the engine needs from an export."""

    statements: dict[int, Statement]
    votes: Votes
    source: str

    @property
    def moderated_out(self) -> frozenset[int]:
        """Return the ids of the statements a moderator rejected."""
        return frozenset(s.id for s in self.statements.values() if s.moderated == -1)

    @property
    def statement_times(self) -> dict[int, int] | None:
        """Return when each statement was written, or None if comments.csv does not say.

        Both export formats carry these times (participants-votes.csv has no vote times),
        so an analysis ordered by them is the same from either format.
        """
        if any(s.written is None for s in self.statements.values()):
            return None
        return {s.id: s.written for s in self.statements.values() if s.written is not None}


def read_export(directory: Path) -> Conversation:
    """Read comments.csv and votes.csv (or participants-votes.csv) from a directory."""
    if not directory.is_dir():
        raise ExportError(f"{directory} is not a directory")
    comments_path = directory / COMMENTS
    votes_path = directory / VOTES
    wide_path = directory / PARTICIPANTS_VOTES
    if not comments_path.is_file() or not (votes_path.is_file() or wide_path.is_file()):
        raise ExportError(
            f"no Pol.is export in {directory}: expected {COMMENTS} with {VOTES} "
            f"(or {PARTICIPANTS_VOTES})"
        )
    statements = read_comments(comments_path)
    if votes_path.is_file():
        votes, source = read_votes(votes_path), VOTES
    else:
        votes, source = read_participants_votes(wide_path), PARTICIPANTS_VOTES
    if len(votes) == 0:
        raise ExportError(f"{directory / source} holds no votes: the export is empty")
    unknown = np.setdiff1d(votes.statements, np.array(sorted(statements), dtype=np.int64))
    if unknown.size:
        raise ExportError(
            f"{directory / source}: votes for statement(s) missing from {COMMENTS}: "
            + ", ".join(str(int(s)) for s in unknown[:10])
        )
    return Conversation(statements, votes, source)


def read_comments(path: Path) -> dict[int, Statement]:
    """Read comments.csv into statements keyed by id."""
    statements: dict[int, Statement] = {}
    for line, row in _rows(path, ("comment-id", "moderated")):
        statement = _integer(row["comment-id"], path, line, "comment-id")
        if statement in statements:
            raise ExportError(f"{path}, line {line}: comment-id {statement} appears twice")
        moderated = _integer(row["moderated"], path, line, "moderated")
        if moderated not in (-1, 0, 1):
            raise ExportError(f"{path}, line {line}: moderated must be -1, 0 or 1")
        stamp = (row.get("timestamp") or "").strip()
        written = _integer(stamp, path, line, "timestamp") if stamp else None
        statements[statement] = Statement(
            statement, row.get("comment-body") or "", moderated, written
        )
    return statements


def read_votes(path: Path) -> Votes:
    """Read votes.csv, one row per vote (a participant may change their mind later)."""
    participants: list[int] = []
    statements: list[int] = []
    values: list[int] = []
    times: list[int] = []
    for line, row in _rows(path, ("timestamp", "comment-id", "voter-id", "vote")):
        times.append(_integer(row["timestamp"], path, line, "timestamp"))
        statements.append(_integer(row["comment-id"], path, line, "comment-id"))
        participants.append(_integer(row["voter-id"], path, line, "voter-id"))
        values.append(_vote(row["vote"], path, line))
    return _columns(participants, statements, values, times)


def read_participants_votes(path: Path) -> Votes:
    """Read participants-votes.csv, one row per participant holding their latest votes."""
    participants: list[int] = []
    statements: list[int] = []
    values: list[int] = []
    with _open(path) as handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip() for name in next(reader, [])]
            if "participant" not in header:
                raise ExportError(f"{path}: missing column participant")
            who = header.index("participant")
            columns = [
                (index, _integer(name, path, 1, "statement column"))
                for index, name in enumerate(header)
                if name not in _PARTICIPANT_COLUMNS
            ]
            for row in reader:
                if not row:
                    continue
                line = reader.line_num
                participant = _integer(
                    row[who] if who < len(row) else "", path, line, "participant"
                )
                for index, statement in columns:
                    cell = row[index].strip() if index < len(row) else ""
                    if cell:
                        participants.append(participant)
                        statements.append(statement)
                        values.append(_vote(cell, path, line))
        except UnicodeDecodeError as error:
            raise ExportError(f"{path}: not UTF-8 text") from error
        except csv.Error as error:
            raise ExportError(f"{path}, line {reader.line_num}: {error}") from error
    return _columns(participants, statements, values, [0] * len(values))


def _columns(
    participants: list[int], statements: list[int], values: list[int], times: list[int]
) -> Votes:
    return Votes(
        np.array(participants, dtype=np.int64),
        np.array(statements, dtype=np.int64),
        np.array(values, dtype=np.int64),
        np.array(times, dtype=np.int64),
    )


def _open(path: Path) -> TextIO:
    try:
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise ExportError(f"{path}: cannot be read ({error.strerror})") from error


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) pairs after checking the header names the required columns."""
    with _open(path) as handle:
        reader = csv.DictReader(handle)
        try:
            header = [name.strip() for name in reader.fieldnames or []]
            missing = [name for name in required if name not in header]
            if missing:
                raise ExportError(f"{path}: missing column(s) {', '.join(missing)}")
            reader.fieldnames = header
            for row in reader:
                yield reader.line_num, row
        except UnicodeDecodeError as error:
            raise ExportError(f"{path}: not UTF-8 text") from error
        except csv.Error as error:
            raise ExportError(f"{path}, line {reader.line_num}: {error}") from error


def _integer(text: str | None, path: Path, line: int, column: str) -> int:
    value = (text or "").strip()
    try:
        return int(value)
    except ValueError:
        raise ExportError(
            f"{path}, line {line}: {column} must be a whole number, not {value!r}"
        ) from None


def _vote(text: str | None, path: Path, line: int) -> int:
    value = (text or "").strip()
    if value not in _VOTE_VALUES:
        raise ExportError(
            f"{path}, line {line}: unknown vote value {value!r} "
            "(expected 1 agree, -1 disagree or 0 pass)"
        )
    return _VOTE_VALUES[value]
