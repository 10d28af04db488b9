"""The opinion map of a conversation: its votes read from the database and handed to the
engine (`palabre.opinion_map`), with the same output as `palabre opinions analyze --json`.

Ids on the map are those people saw: an imported statement or participant keeps its number in
the Pol.is export; the others are numbered by their row, after the largest imported number.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from palabre.conversations.models import Conversation, Moderation, Participant, Statement, Vote
from palabre.opinion_map import Parameters, Votes, analyze

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # the engine's clock counts from here
# Bumped whenever the map's computation changes, so that every stored map is made again.
_VERSION = "1"


@dataclass(frozen=True, eq=False)
class MapInput:
    """Everything the map is computed from, and a digest of it."""

    votes: Votes
    statements: tuple[int, ...]
    moderated_out: frozenset[int]
    statement_times: dict[int, int]
    parameters: Parameters
    digest: str

    @property
    def vote_count(self) -> int:
        return len(self.votes)


def clock(moment: datetime) -> int:
    """A moment as the engine's integer clock (microseconds since 1970, in UTC)."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def map_ids(rows: list[tuple[int, int | None]]) -> dict[int, int]:
    """Row id -> id on the map: the export's number, else the row id after the largest one."""
    imported = [external for _pk, external in rows if external is not None]
    after = max(imported) + 1 if imported else 0
    return {pk: external if external is not None else after + pk for pk, external in rows}


def map_input(conversation: Conversation, parameters: Parameters | None = None) -> MapInput:
    """Read the conversation's statements and votes (one query each, and one for who voted).

    By default a participant is placed on the map once they voted on 7 statements (Pol.is'
    rule), or on every open statement when a workshop's conversation has fewer."""
    statement_rows = list(
        Statement.objects.filter(conversation=conversation)
        .order_by("pk")
        .values_list("pk", "external_id", "moderation", "written_at")
    )
    if parameters is None:
        votable = sum(1 for row in statement_rows if row[2] == Moderation.ACCEPTED)
        parameters = Parameters(min_votes=max(1, min(Parameters().min_votes, votable)))
    statement_id = map_ids([(pk, external) for pk, external, _m, _w in statement_rows])
    participant_id = map_ids(
        list(
            Participant.objects.filter(conversation=conversation)
            .order_by("pk")
            .values_list("pk", "external_id")
        )
    )
    rows = list(
        Vote.objects.filter(statement__conversation=conversation)
        .order_by("participant_id", "statement_id")
        .values_list("participant_id", "statement_id", "value", "voted_at")
    )
    votes = Votes(
        np.array([participant_id[row[0]] for row in rows], dtype=np.int64),
        np.array([statement_id[row[1]] for row in rows], dtype=np.int64),
        np.array([row[2] for row in rows], dtype=np.int64),
        np.array([clock(row[3]) for row in rows], dtype=np.int64),
    )
    statements = tuple(sorted(statement_id.values()))
    moderated_out = frozenset(
        statement_id[pk]
        for pk, _e, moderation, _w in statement_rows
        if moderation == Moderation.REJECTED
    )
    times = {statement_id[pk]: clock(written) for pk, _e, _m, written in statement_rows}
    digest = hashlib.sha256(repr((_VERSION, parameters)).encode())
    digest.update(repr((statements, sorted(moderated_out), sorted(times.items()))).encode())
    for column in (votes.participants, votes.statements, votes.values, votes.times):
        digest.update(np.ascontiguousarray(column, dtype=np.int64).tobytes())
    return MapInput(
        votes=votes,
        statements=statements,
        moderated_out=moderated_out,
        statement_times=times,
        parameters=parameters,
        digest=digest.hexdigest(),
    )


def compute_map(conversation: Conversation, *, inputs: MapInput | None = None) -> dict[str, Any]:
    """Return the conversation's opinion map as `palabre opinions analyze --json` prints it;
    `OpinionMapError` when there are too few votes to make one."""
    inputs = inputs or map_input(conversation)
    result = analyze(
        inputs.votes,
        inputs.moderated_out,
        inputs.parameters,
        statements=inputs.statements,
        statement_times=inputs.statement_times,
    )
    data: dict[str, Any] = result.to_json()
    return data
