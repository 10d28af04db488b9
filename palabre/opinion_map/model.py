"""Input and output types of the opinion-mapping engine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
Direction = Literal["agree", "disagree"]


class OpinionMapError(ValueError):
    """Input the engine cannot analyse; the message is meant for the person who supplied it."""


class InvalidVotes(OpinionMapError):
    """Votes that are malformed (unknown value, unknown statement, mismatched columns)."""


class NotEnoughParticipants(OpinionMapError):
    """Too few participants (or too few distinct positions) to form the requested groups."""


class Vote(IntEnum):
    """A participant's reaction to a statement, coded as in Pol.is exports."""

    DISAGREE = -1
    PASS = 0
    AGREE = 1


class VoteRecord(NamedTuple):
    """One vote: who, on what, which reaction and when (any monotonic integer clock)."""

    participant: int
    statement: int
    value: int
    time: int = 0


def _as_int_array(values: Any, name: str) -> IntArray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise InvalidVotes(f"{name} must be a one-dimensional sequence")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise InvalidVotes(f"{name} must be whole numbers")
    return array.astype(np.int64, copy=False)


@dataclass(frozen=True, eq=False)
class Votes:
    """Votes stored column-wise so that millions of them stay cheap."""

    participants: IntArray
    statements: IntArray
    values: IntArray
    times: IntArray

    def __post_init__(self) -> None:
        columns = {
            "participants": self.participants,
            "statements": self.statements,
            "values": self.values,
            "times": self.times,
        }
        for name, column in columns.items():
            object.__setattr__(self, name, _as_int_array(column, name))
        lengths = {len(column) for column in columns.values()}
        if len(lengths) != 1:
            raise InvalidVotes("participants, statements, values and times differ in length")
        unknown = np.setdiff1d(self.values, np.array([-1, 0, 1], dtype=np.int64))
        if unknown.size:
            raise InvalidVotes(
                f"unknown vote value {int(unknown[0])}: expected 1 (agree), -1 (disagree) "
                "or 0 (pass)"
            )

    @classmethod
    def from_records(cls, records: Iterable[VoteRecord | tuple[int, int, int, int]]) -> Votes:
        """Build columnar votes from (participant, statement, value, time) records."""
        rows = list(records)
        if not rows:
            empty = np.empty(0, dtype=np.int64)
            return cls(empty, empty, empty, empty)
        try:
            table = np.array(rows, dtype=np.int64).reshape(len(rows), 4)
        except (TypeError, ValueError, OverflowError) as error:
            raise InvalidVotes(f"votes must be four whole numbers each: {error}") from error
        return cls(table[:, 0], table[:, 1], table[:, 2], table[:, 3])

    def __len__(self) -> int:
        return len(self.values)


@dataclass(frozen=True)
class Parameters:
    """Tunable settings; the defaults are Pol.is' (and red-dwarf 0.4.0's)."""

    min_votes: int = 7
    min_groups: int = 2
    max_groups: int = 5
    pick_max: int = 5
    confidence: float = 0.9
    max_iterations: int = 300
    tolerance: float = 1e-4
    # Off by default to stay faithful to Pol.is; on, a second start may escape a poor optimum.
    extra_start: bool = False

    def __post_init__(self) -> None:
        if self.min_votes < 1:
            raise OpinionMapError("min_votes must be at least 1")
        if not 2 <= self.min_groups <= self.max_groups:
            raise OpinionMapError("groups must satisfy 2 <= min_groups <= max_groups")
        if self.pick_max < 1:
            raise OpinionMapError("pick_max must be at least 1")
        if not 0.5 <= self.confidence < 1:
            raise OpinionMapError("confidence must be in [0.5, 1)")
        if self.max_iterations < 1 or self.tolerance < 0:
            raise OpinionMapError("max_iterations must be positive and tolerance non-negative")


@dataclass(frozen=True)
class StatementStats:
    """Pol.is statistics of one statement, for one group or for everyone."""

    statement: int
    direction: Direction
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float | None = None
    repness_test: float | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the statistics as a JSON-ready dictionary."""
        data: dict[str, Any] = {
            "statement": self.statement,
            "direction": self.direction,
            "n_success": self.n_success,
            "n_trials": self.n_trials,
            "p_success": self.p_success,
            "p_test": self.p_test,
        }
        if self.repness is not None:
            data["repness"] = self.repness
            data["repness_test"] = self.repness_test
        return data


@dataclass(frozen=True)
class GroupAwareConsensus:
    """Product over groups of each group's (smoothed) probability to agree or disagree."""

    agree: float
    disagree: float


@dataclass(frozen=True, eq=False)
class OpinionMap:
    """The analysis of one conversation."""

    participants: tuple[int, ...]
    coordinates: FloatArray
    labels: Mapping[int, int]
    group_count: int
    silhouette: float
    statements: tuple[int, ...]
    moderated_out: frozenset[int]
    group_aware_consensus: Mapping[int, GroupAwareConsensus]
    consensus_agree: tuple[StatementStats, ...]
    consensus_disagree: tuple[StatementStats, ...]
    repness: Mapping[int, tuple[StatementStats, ...]]
    parameters: Parameters = field(default_factory=Parameters)

    def group_members(self, group: int) -> tuple[int, ...]:
        """Return the ids of the participants placed in a group, ascending."""
        return tuple(sorted(p for p, g in self.labels.items() if g == group))

    def to_json(self, *, details: bool = False) -> dict[str, Any]:
        """Return the result as a JSON-ready dictionary (ids as strings where they are keys)."""
        data: dict[str, Any] = {
            "group_count": self.group_count,
            "silhouette": self.silhouette,
            "labels": {str(p): g for p, g in sorted(self.labels.items())},
            "consensus": {
                "agree": [s.statement for s in self.consensus_agree],
                "disagree": [s.statement for s in self.consensus_disagree],
            },
            "repness": {
                str(g): [s.statement for s in stats] for g, stats in sorted(self.repness.items())
            },
        }
        if details:
            data["coordinates"] = {
                str(p): [float(x), float(y)]
                for p, (x, y) in zip(self.participants, self.coordinates, strict=True)
            }
            data["consensus_stats"] = {
                "agree": [s.to_json() for s in self.consensus_agree],
                "disagree": [s.to_json() for s in self.consensus_disagree],
            }
            data["repness_stats"] = {
                str(g): [s.to_json() for s in stats] for g, stats in sorted(self.repness.items())
            }
            data["group_aware_consensus"] = {
                str(s): {"agree": c.agree, "disagree": c.disagree}
                for s, c in sorted(self.group_aware_consensus.items())
            }
        return data
