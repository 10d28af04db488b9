"""The election model: projects with integer costs, a budget and grouped ballots.

Money is held as integers. When a file has decimal costs, every amount is multiplied by
`money_scale` (a power of ten) so that the counting stays in integers; rules are invariant to
this scaling, and amounts are divided back only for display.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from functools import cached_property

from palabre.pb.errors import PbError


class VoteType(StrEnum):
    """The ballot formats the engine counts."""

    APPROVAL = "approval"
    CHOOSE_ONE = "choose-1"
    CUMULATIVE = "cumulative"
    SCORING = "scoring"
    ORDINAL = "ordinal"

    @property
    def has_points(self) -> bool:
        """Return whether ballots of this type carry points."""
        return self in (VoteType.CUMULATIVE, VoteType.SCORING)


@dataclass(frozen=True, slots=True)
class Project:
    """A project put to the vote; `cost` is in scaled money units (see `Election.money_scale`)."""

    id: str
    cost: int
    name: str = ""
    categories: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Ballot:
    """One ballot: project indices (in ranking order for ordinal ballots) and optional points."""

    projects: tuple[int, ...]
    points: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class BallotGroup:
    """Identical ballots counted once, with the number of voters who cast them as weight."""

    ballot: Ballot
    weight: int


@dataclass(frozen=True, slots=True)
class VoterRecord:
    """One voter as read from a file, kept so that the file can be written back."""

    voter_id: str
    ballot: Ballot
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Election:
    """A participatory-budgeting election ready to be counted."""

    projects: tuple[Project, ...]
    budget: int
    vote_type: VoteType
    groups: tuple[BallotGroup, ...]
    money_scale: int = 1
    meta: Mapping[str, str] = field(default_factory=dict)
    project_fields: tuple[tuple[tuple[str, str], ...], ...] = ()
    project_columns: tuple[str, ...] = ()
    vote_columns: tuple[str, ...] = ()
    voter_loader: Callable[[], tuple[VoterRecord, ...]] | None = field(
        default=None, repr=False, compare=False
    )

    @cached_property
    def voters(self) -> tuple[VoterRecord, ...]:
        """Return the voters as read from the file (built on first use, for writing it back)."""
        return self.voter_loader() if self.voter_loader is not None else ()

    @property
    def num_voters(self) -> int:
        """Return the number of voters (the sum of the ballot weights)."""
        return sum(group.weight for group in self.groups)

    def index_of(self, project_id: str) -> int:
        """Return the index of the project with this id, or raise PbError."""
        for index, project in enumerate(self.projects):
            if project.id == project_id:
                return index
        known = ", ".join(p.id for p in self.projects)
        raise PbError(f"unknown project {project_id!r}; the projects are: {known}")

    def money(self, amount: int | Fraction) -> Fraction:
        """Return a scaled amount in the file's currency unit."""
        return Fraction(amount) / self.money_scale

    def supporters(self) -> list[int]:
        """Return, per project, the number of voters whose ballot names it."""
        counts = [0] * len(self.projects)
        for group in self.groups:
            for index in group.ballot.projects:
                counts[index] += group.weight
        return counts


def group_ballots(ballots: Iterable[tuple[Ballot, int]]) -> tuple[BallotGroup, ...]:
    """Merge identical ballots, keeping the order of first appearance."""
    weights: Counter[Ballot] = Counter()
    for ballot, weight in ballots:
        weights[ballot if ballot.points is None else _canonical(ballot)] += weight
    return tuple(BallotGroup(ballot, weight) for ballot, weight in weights.items() if weight)


def _canonical(ballot: Ballot) -> Ballot:
    # Approval and points ballots are sets: sort them so that the order voters clicked in does
    # not split groups. Ordinal ballots keep their order (it is the ranking).
    if ballot.points is None:
        return ballot
    pairs = sorted(zip(ballot.projects, ballot.points, strict=True))
    return Ballot(tuple(p for p, _ in pairs), tuple(s for _, s in pairs))


def make_election(
    projects: Sequence[Project],
    budget: int,
    vote_type: VoteType | str,
    ballots: Iterable[Ballot | tuple[Ballot, int]],
    *,
    money_scale: int = 1,
) -> Election:
    """Build an election from projects and ballots (optionally weighted), checking them."""
    kind = VoteType(vote_type)
    ids = [p.id for p in projects]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise PbError(f"duplicated project ids: {', '.join(duplicates)}")
    if any(p.cost < 0 for p in projects):
        raise PbError("project costs must not be negative")
    weighted: list[tuple[Ballot, int]] = []
    for item in ballots:
        ballot, weight = item if isinstance(item, tuple) else (item, 1)
        if weight < 0:
            raise PbError("ballot weights must not be negative")
        if any(not 0 <= i < len(projects) for i in ballot.projects):
            raise PbError("a ballot names a project index that does not exist")
        if len(set(ballot.projects)) != len(ballot.projects):
            raise PbError("a ballot names the same project twice")
        if kind.has_points != (ballot.points is not None):
            raise PbError(f"{kind} ballots {'need' if kind.has_points else 'take no'} points")
        if kind is VoteType.APPROVAL or kind is VoteType.CHOOSE_ONE:
            ballot = Ballot(tuple(sorted(ballot.projects)))
        weighted.append((ballot, weight))
    return Election(
        projects=tuple(projects),
        budget=budget,
        vote_type=kind,
        groups=group_ballots(weighted),
        money_scale=money_scale,
    )
