"""The election model: projects with integer costs, a budget and grouped ballots.

Money is held as integers. When a file has decimal costs, every amount is multiplied by
`money_scale` (a power of ten) so that the counting stays in integers; rules are invariant to
this scaling, and amounts are divided back only for display.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from itertools import accumulate, chain, repeat
from typing import TYPE_CHECKING, NamedTuple

from palabre.pb.errors import PbError

if TYPE_CHECKING:
    from palabre.pb.vectorised import BallotRows, TableArrays

# The records below are NamedTuples rather than dataclasses: they are built once per distinct
# ballot (100,000 times for a large election), compared and hashed in C, and importing
# `dataclasses` (which imports `inspect`) is a noticeable part of a command's start-up (ADR 0015).


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


class Project(NamedTuple):
    """A project put to the vote; `cost` is in scaled money units (see `Election.money_scale`)."""

    id: str
    cost: int
    name: str = ""
    categories: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()


class Ballot(NamedTuple):
    """One ballot: project indices (in ranking order for ordinal ballots) and optional points."""

    projects: tuple[int, ...]
    points: tuple[int, ...] | None = None


class BallotGroup(NamedTuple):
    """Identical ballots counted once, with the number of voters who cast them as weight."""

    ballot: Ballot
    weight: int


class VoterRecord(NamedTuple):
    """One voter as read from a file, kept so that the file can be written back."""

    voter_id: str
    ballot: Ballot
    fields: tuple[tuple[str, str], ...] = ()


class BallotTable(NamedTuple):
    """The distinct counted ballots as flat lists: what counting reads, without a per-ballot object.

    Ballot i names the next `lengths[i]` entries of `projects` (and of `points`, for points
    ballots) and was cast by `weights[i]` voters. Same ballots and order as `Election.groups`.
    """

    projects: list[int]
    lengths: list[int]
    points: list[int] | None
    weights: list[int]

    def slices(self) -> Iterator[slice]:
        """Return each ballot's slice of `projects` (and `points`)."""
        ends = list(accumulate(self.lengths))
        return map(slice, [0, *ends[:-1]], ends)


class Election:
    """A participatory-budgeting election ready to be counted (treat it as immutable).

    The ballots are given either as `groups`, as a `table` (the fast reader's form), as
    `arrays` or as `rows` (the numpy reader's forms, ADR 0067: `rows` are every voter's ballot,
    not merged yet); the others are built when first asked for. `rows` and `arrays` stay None
    unless the reader gave them: counting code uses them when they are there (numpy is then
    loaded already) and the lists of `table` otherwise.
    """

    def __init__(
        self,
        projects: tuple[Project, ...],
        budget: int,
        vote_type: VoteType,
        groups: tuple[BallotGroup, ...] | None = None,
        money_scale: int = 1,
        meta: Mapping[str, str] | None = None,
        project_fields: tuple[tuple[tuple[str, str], ...], ...] = (),
        project_columns: tuple[str, ...] = (),
        vote_columns: tuple[str, ...] = (),
        voter_loader: Callable[[], tuple[VoterRecord, ...]] | None = None,
        *,
        table: BallotTable | None = None,
        arrays: TableArrays | None = None,
        rows: BallotRows | None = None,
    ) -> None:
        self.projects = projects
        self.budget = budget
        self.vote_type = vote_type
        self.money_scale = money_scale
        self.meta: Mapping[str, str] = {} if meta is None else meta
        self.project_fields = project_fields
        self.project_columns = project_columns
        self.vote_columns = vote_columns
        self.voter_loader = voter_loader
        self.rows = rows
        if groups is not None:
            vars(self)["groups"] = groups
        elif table is not None:
            vars(self)["table"] = table
        elif arrays is not None:
            vars(self)["arrays"] = arrays
        elif rows is None:
            raise ValueError("an election needs its ballots: groups, a table, arrays or rows")

    def __repr__(self) -> str:
        return (
            f"Election({len(self.projects)} projects, budget {self.budget}, {self.vote_type}, "
            f"{len(self.table.weights)} distinct ballots)"
        )

    @cached_property
    def groups(self) -> tuple[BallotGroup, ...]:
        """Return the distinct ballots with their weights, in order of first appearance."""
        table = self.table
        projects = map(tuple, map(table.projects.__getitem__, table.slices()))
        points = None
        if table.points is not None:
            points = map(tuple, map(table.points.__getitem__, table.slices()))
        return ballot_groups(zip(make_ballots(projects, points), table.weights, strict=True))

    @cached_property
    def table(self) -> BallotTable:
        """Return the ballots as flat lists (see `BallotTable`)."""
        arrays = self.arrays
        if arrays is not None:
            return BallotTable(
                arrays.projects.tolist(),
                arrays.lengths.tolist(),
                arrays.points.tolist() if arrays.points is not None else None,
                arrays.weights.tolist(),
            )
        ballots = [g.ballot for g in self.groups]
        points = None
        if self.vote_type.has_points:
            points = list(chain.from_iterable(b.points or () for b in ballots))
        return BallotTable(
            list(chain.from_iterable(b.projects for b in ballots)),
            [len(b.projects) for b in ballots],
            points,
            [g.weight for g in self.groups],
        )

    @cached_property
    def arrays(self) -> TableArrays | None:
        """Return the distinct ballots as numpy arrays if the numpy reader read them, else None.

        Merged from `rows` when first asked for (MES asks; greedy's sums read the rows).
        """
        if self.rows is None:
            return None
        from palabre.pb.vectorised import group

        return group(self.rows, len(self.projects), self.vote_type is VoteType.ORDINAL)

    @cached_property
    def voters(self) -> tuple[VoterRecord, ...]:
        """Return the voters as read from the file (built on first use, for writing it back)."""
        return self.voter_loader() if self.voter_loader is not None else ()

    @cached_property
    def num_voters(self) -> int:
        """Return the number of voters (the sum of the ballot weights)."""
        if self.rows is not None:
            return len(self.rows.lengths)
        arrays = self.arrays
        if arrays is not None:
            return int(arrays.weights.sum())
        return sum(self.table.weights)

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
        return list(self._supporters)

    @cached_property
    def _supporters(self) -> tuple[int, ...]:
        ballots = self.rows if self.rows is not None else self.arrays
        if ballots is not None:
            from palabre.pb.vectorised import supporters

            return tuple(supporters(ballots, len(self.projects)))
        # Every ballot counted once in C, then ballots cast by several voters topped up.
        table = self.table
        counts = [0] * len(self.projects)
        for index, count in Counter(table.projects).items():
            counts[index] = count
        if table.weights.count(1) != len(table.weights):
            for weight, where in zip(table.weights, table.slices(), strict=True):
                if weight != 1:
                    for index in table.projects[where]:
                        counts[index] += weight - 1
        return tuple(counts)


def ballot_groups(pairs: Iterable[tuple[Ballot, int]]) -> tuple[BallotGroup, ...]:
    """Return the groups of (ballot, weight) pairs, in their order.

    `tuple.__new__` fills each NamedTuple from its pair directly; the generated
    `BallotGroup.__new__` is Python code, twice as slow for 100,000 groups.
    """
    groups = map(tuple.__new__, repeat(BallotGroup), pairs)
    return tuple(groups)


def make_ballots(
    projects: Iterable[tuple[int, ...]], points: Iterable[tuple[int, ...]] | None = None
) -> list[Ballot]:
    """Return ballots from project tuples and, for points ballots, point tuples (see above)."""
    if points is None:
        pairs: Iterable[tuple[tuple[int, ...], tuple[int, ...] | None]] = zip(
            projects, repeat(None)
        )
    else:
        pairs = zip(projects, points, strict=True)
    return list(map(tuple.__new__, repeat(Ballot), pairs))


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
        ballot, weight = (item, 1) if isinstance(item, Ballot) else item
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
