"""What a rule returns: the winners in selection order, their total cost and explanations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

Fact = int | str | Fraction | bool | tuple[str, ...] | None


@dataclass(frozen=True)
class Explanation:
    """Why one project was or was not funded, as data (see `palabre.pb.explain` for text).

    `reason` is a stable code (for example `mes_selected`, `mes_unaffordable`,
    `greedy_skipped`); `facts` holds the figures behind it, amounts in scaled money units.
    """

    project_id: str
    funded: bool
    reason: str
    facts: Mapping[str, Fact] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    """The outcome of a rule on an election."""

    rule: str
    winners: tuple[str, ...]
    total_cost: int
    explanations: Mapping[str, Explanation] = field(default_factory=dict)
    details: Mapping[str, Fact] = field(default_factory=dict)
