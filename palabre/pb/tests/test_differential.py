"""Differential tests: random small elections counted by this engine and by pabutools 1.2.3.

Costs and ballots are drawn from small sets so that equal costs and equal vote counts, and so
ties, are frequent.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pabutools.election import (
    Additive_Borda_Sat,
    Additive_Cardinal_Sat,
    Cost_Sat,
)
from pabutools.election.pabulib import parse_pabulib_from_string
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule, lexico_tie_breaking

from palabre.pb import MesOptions, TieBreak, add1_options, equal_shares, greedy, parse_pabulib
from palabre.pb.greedy import pabutools_greedy_options

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


@st.composite
def elections(draw: st.DrawFn, vote_type: str) -> str:
    """Draw a small election as pabulib text."""
    count = draw(st.integers(2, 6))
    ids = [str(i) for i in range(1, count + 1)]
    costs = draw(st.lists(st.sampled_from([10, 20, 30, 40]), min_size=count, max_size=count))
    budget = draw(st.integers(max(costs), sum(costs) + 10))
    voters = draw(st.integers(1, 7))
    lines = ["META", "key;value", f"budget;{budget}", f"vote_type;{vote_type}"]
    lines += ["PROJECTS", "project_id;cost"] + [f"{i};{c}" for i, c in zip(ids, costs, strict=True)]
    lines += ["VOTES", "voter_id;vote;points" if vote_type == "cumulative" else "voter_id;vote"]
    for voter in range(voters):
        chosen = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=count, unique=True))
        if vote_type == "approval":
            chosen = sorted(chosen)
        row = f"{voter};{','.join(chosen)}"
        if vote_type == "cumulative":
            points = draw(st.lists(st.integers(1, 3), min_size=len(chosen), max_size=len(chosen)))
            row += ";" + ",".join(map(str, points))
        lines.append(row)
    return "\n".join(lines) + "\n"


SAT = {"approval": Cost_Sat, "cumulative": Additive_Cardinal_Sat, "ordinal": Additive_Borda_Sat}


def _support(profile: Any, project: Any) -> int:
    return sum(profile.multiplicity(ballot) for ballot in profile if project in ballot)


COST_VOTES_ID = TieBreakingRule(
    lambda inst, prof, proj: (proj.cost, -_support(prof, proj), str(proj.name))
)


def _pabutools(text: str, vote_type: str, rule: str, lexicographic: bool) -> list[str]:
    instance, profile = parse_pabulib_from_string(text)
    tie = lexico_tie_breaking if lexicographic else COST_VOTES_ID
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(
            instance, profile, sat_class=SAT[vote_type], tie_breaking=tie
        )
    else:
        outcome = method_of_equal_shares(
            instance,
            profile.as_multiprofile(),
            sat_class=SAT[vote_type],
            tie_breaking=tie,
            voter_budget_increment=1 if rule == "mes-add1" else None,
        )
    return [str(p.name) for p in outcome]


def _ours(text: str, rule: str, lexicographic: bool) -> list[str]:
    election = parse_pabulib(text)
    tie = TieBreak.LEXICOGRAPHIC if lexicographic else TieBreak.COST_VOTES_ID
    if rule == "greedy":
        return list(greedy(election, pabutools_greedy_options(election, tie)).winners)
    options = add1_options(tie) if rule == "mes-add1" else MesOptions(tie_break=tie)
    return list(equal_shares(election, options).winners)


def _agree(text: str, vote_type: str, lexicographic: bool) -> None:
    for rule in ("greedy", "mes", "mes-add1"):
        expected = _pabutools(text, vote_type, rule, lexicographic)
        assert _ours(text, rule, lexicographic) == expected, (rule, text)


@SETTINGS
@given(elections("approval"), st.booleans())
def test_approval_outcomes_equal_pabutools_in_order(text: str, lexicographic: bool) -> None:
    _agree(text, "approval", lexicographic)


@SETTINGS
@given(elections("cumulative"), st.booleans())
def test_cumulative_outcomes_equal_pabutools_in_order(text: str, lexicographic: bool) -> None:
    _agree(text, "cumulative", lexicographic)


@SETTINGS
@given(elections("ordinal"), st.booleans())
def test_ordinal_outcomes_equal_pabutools_in_order(text: str, lexicographic: bool) -> None:
    _agree(text, "ordinal", lexicographic)
