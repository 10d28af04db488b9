"""What a ballot gives a project: the utilities MES shares money by, the scores greedy ranks by.

Pure Python: greedy counts never import numpy (its import is most of a small count's time),
except to read the numpy reader's arrays when a large file was read that way (ADR 0067).
"""

from __future__ import annotations

from enum import StrEnum
from itertools import chain, repeat

from palabre.pb.model import Ballot, Election, VoteType


class Utility(StrEnum):
    """How much a ballot gives a project.

    `cost` (the project's cost if approved: pabutools' Cost_Sat), `votes` (1 if the ballot names
    it), `points` (cumulative points: Additive_Cardinal_Sat), `borda` (ballot length - position
    - 1: Additive_Borda_Sat) and `positional` (max_length - position: the 3/2/1 scores cities
    use for rankings of three).
    """

    COST = "cost"
    VOTES = "votes"
    POINTS = "points"
    BORDA = "borda"
    POSITIONAL = "positional"


def default_mes_utility(vote_type: VoteType) -> Utility:
    """Return the utility pabutools' MES uses for this ballot type."""
    if vote_type.has_points:
        return Utility.POINTS
    if vote_type is VoteType.ORDINAL:
        return Utility.BORDA
    return Utility.COST


def positional_length(election: Election) -> int:
    """Return the number of points the first rank gets in positional scoring."""
    declared = election.meta.get("max_length", "")
    longest = max(election.table.lengths, default=0)
    return int(declared) if declared.isdigit() else longest


def ballot_utilities(
    election: Election, ballot: Ballot, utility: Utility, length: int = 0
) -> list[tuple[int, int]]:
    """Return the (project index, value) pairs a ballot gives, values > 0 only."""
    projects = election.projects
    pairs: list[tuple[int, int]]
    if utility is Utility.COST:
        pairs = [(i, projects[i].cost) for i in ballot.projects]
    elif utility is Utility.VOTES:
        pairs = [(i, 1) for i in ballot.projects]
    elif utility is Utility.POINTS:
        if ballot.points is None:
            raise ValueError("points utility needs cumulative or scoring ballots")
        pairs = list(zip(ballot.projects, ballot.points, strict=True))
    elif utility is Utility.BORDA:
        size = len(ballot.projects)
        pairs = [(i, size - pos - 1) for pos, i in enumerate(ballot.projects)]
    else:
        pairs = [(i, length - pos) for pos, i in enumerate(ballot.projects)]
    return [(i, value) for i, value in pairs if value > 0]


def group_utilities(election: Election, utility: Utility) -> list[list[tuple[int, int]]]:
    """Return, for each ballot group, the (project index, value) pairs with value > 0."""
    length = positional_length(election) if utility is Utility.POSITIONAL else 0
    return [ballot_utilities(election, g.ballot, utility, length) for g in election.groups]


def total_scores(election: Election, utility: Utility) -> list[int]:
    """Return each project's total score: the weighted sum of what ballots give it."""
    if utility is Utility.COST or utility is Utility.VOTES:
        # A project's supporters counted once per election, mostly in C (`Election.supporters`).
        supporters = election.supporters()
        if utility is Utility.VOTES:
            return supporters
        return [count * p.cost for count, p in zip(supporters, election.projects, strict=True)]
    # The numpy reader's ballots (ADR 0067; numpy is loaded already): every voter's, if not
    # merged yet (no need to merge them for a sum), else the merged ones.
    ballots = election.rows if election.rows is not None else election.arrays
    if utility is Utility.POINTS and ballots is not None and ballots.points is not None:
        from palabre.pb.vectorised import point_totals

        exact = point_totals(ballots, len(election.projects))
        if exact is not None:
            return exact
    totals = [0] * len(election.projects)
    table = election.table
    if utility is Utility.POINTS:
        if table.points is None:
            raise ValueError("points utility needs cumulative or scoring ballots")
        weights = chain.from_iterable(map(repeat, table.weights, table.lengths))
        for index, value, weight in zip(table.projects, table.points, weights, strict=True):
            if value > 0:  # as `ballot_utilities`: scoring ballots may give negative points
                totals[index] += weight * value
        return totals
    for group, pairs in zip(election.groups, group_utilities(election, utility), strict=True):
        for index, value in pairs:
            totals[index] += group.weight * value
    return totals
