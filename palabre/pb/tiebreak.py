"""Tie-breaking orders between projects that a rule cannot otherwise separate."""

from __future__ import annotations

from enum import StrEnum

from palabre.pb.model import Election


class TieBreak(StrEnum):
    """How tied projects are ordered: the first in the order wins the tie."""

    #: Cheaper first, then the one named on more ballots, then the smaller id as a string.
    COST_VOTES_ID = "cost-votes-id"
    #: The smaller id as a string (pabutools' default).
    LEXICOGRAPHIC = "lexicographic"


TieKey = tuple[int, int, str]


def tie_keys(election: Election, rule: TieBreak) -> list[TieKey]:
    """Return, per project index, a key whose ascending order is the tie-breaking order."""
    if rule is TieBreak.LEXICOGRAPHIC:
        return [(0, 0, p.id) for p in election.projects]
    supporters = election.supporters()
    return [(p.cost, -supporters[i], p.id) for i, p in enumerate(election.projects)]
