"""Greedy rules: fund projects in decreasing order of score while money remains."""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

from palabre.pb.model import Election
from palabre.pb.result import Explanation, Fact, Result
from palabre.pb.scores import Utility, default_mes_utility, total_scores
from palabre.pb.tiebreak import TieBreak, tie_keys


class GreedyOptions(NamedTuple):
    """How a greedy count ranks and funds projects.

    `score` is what each ballot gives a project; with `per_cost` projects are ranked by score
    divided by cost (pabutools' greedy_utilitarian_welfare), otherwise by score (what cities
    publish). `skip` goes on past a project that does not fit; without it the count stops there.
    Projects whose total score is below `threshold` are never funded.
    """

    score: Utility = Utility.VOTES
    per_cost: bool = False
    skip: bool = True
    threshold: int = 0
    tie_break: TieBreak = TieBreak.COST_VOTES_ID


def pabutools_greedy_options(election: Election, tie_break: TieBreak) -> GreedyOptions:
    """Return the options equal to pabutools' greedy_utilitarian_welfare with its usual utility."""
    return GreedyOptions(
        score=default_mes_utility(election.vote_type), per_cost=True, tie_break=tie_break
    )


def greedy(election: Election, options: GreedyOptions, rule: str = "greedy") -> Result:
    """Count an election with a greedy rule."""
    order, scores = greedy_order(election, options)
    return greedy_from(election, options, order, scores, [], election.budget, rule)


def greedy_order(election: Election, options: GreedyOptions) -> tuple[list[int], list[int]]:
    """Return the project indices in greedy order, and every project's total score."""
    scores = total_scores(election, options.score)
    keys = tie_keys(election, options.tie_break)

    def rank(i: int) -> tuple[int, Fraction, tuple[int, int, str]]:
        cost = election.projects[i].cost
        if options.per_cost:
            if cost == 0:
                # pabutools gives free projects an infinite density, unless nobody wants them.
                return (0, Fraction(0), keys[i]) if scores[i] > 0 else (1, Fraction(0), keys[i])
            return (1, -Fraction(scores[i], cost), keys[i])
        return (1, -Fraction(scores[i]), keys[i])

    return sorted(range(len(election.projects)), key=rank), scores


def greedy_from(
    election: Election,
    options: GreedyOptions,
    order: list[int],
    scores: list[int],
    already: list[int],
    money: int,
    rule: str,
    reason_prefix: str = "greedy",
) -> Result:
    """Fund projects in `order` after the `already` funded ones, with `money` left."""
    projects = election.projects
    funded = list(already)
    explanations: dict[str, Explanation] = {}
    stopped_at: str | None = None
    for position, index in enumerate(order, start=1):
        project = projects[index]
        if index in already:
            continue
        facts: dict[str, Fact] = {
            "rank": position,
            "score": scores[index],
            "cost": project.cost,
            "money_left": money,
            "funded_before": tuple(projects[i].id for i in funded),
        }
        if options.per_cost and project.cost:
            facts["score_per_cost"] = Fraction(scores[index], project.cost)
        if stopped_at is not None:
            facts["stopped_at"] = stopped_at
            reason = "stopped"
        elif scores[index] < options.threshold:
            facts["threshold"] = options.threshold
            reason = "below_threshold"
        elif project.cost <= money:
            funded.append(index)
            money -= project.cost
            facts["money_left_after"] = money
            reason = "selected"
        elif options.skip:
            reason = "skipped"
        else:
            stopped_at = project.id
            reason = "stopped_here"
        explanations[project.id] = Explanation(
            project.id, reason == "selected", f"{reason_prefix}_{reason}", facts
        )
    winners = tuple(projects[i].id for i in funded)
    return Result(
        rule=rule,
        winners=winners,
        total_cost=sum(projects[i].cost for i in funded),
        explanations=explanations,
    )
