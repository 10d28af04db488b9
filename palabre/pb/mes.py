"""The Method of Equal Shares, single run or with budget increments ("Add1"), as pabutools counts.

Semantics follow pabutools 1.2.3 (`method_of_equal_shares`): every voter starts with
budget / voters; in each round the affordable project with the smallest rho (the price per unit
of utility, the inverse of its "effective vote count") is funded, ties broken by the tie-breaking
order; supporters pay rho * utility or everything they have left. Projects nobody supports are
never funded; free projects that somebody supports are funded first.
"""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

from palabre.pb.greedy import GreedyOptions, greedy, greedy_from, greedy_order
from palabre.pb.model import Election
from palabre.pb.result import Explanation, Fact, Lazy, Result
from palabre.pb.scores import Utility, default_mes_utility, group_utilities
from palabre.pb.tiebreak import TieBreak, tie_keys

if TYPE_CHECKING:
    from palabre.pb.kernel import MesKernel, RunTrace


class Stop(StrEnum):
    """When budget increments stop."""

    #: Stop at the first exhaustive outcome, or before the first one over the budget (pabutools).
    EXHAUSTIVE = "exhaustive"
    #: Stop only before the first outcome over the budget (Wieliczka 2023's official count).
    OVER_BUDGET = "over-budget"


class MesOptions(NamedTuple):
    """Parameters of a Method of Equal Shares count.

    `increment` None is a single run. Otherwise each voter's budget starts at `start` (default
    budget / voters) and grows by `increment` (in the file's currency unit) until `stop` says so.
    `completion` then spends what is left greedily by utility per cost; `comparison` keeps the
    plain greedy outcome instead when more voters prefer it (by the MES utility).
    """

    utility: Utility | None = None
    tie_break: TieBreak = TieBreak.COST_VOTES_ID
    increment: Fraction | None = None
    start: Fraction | None = None
    stop: Stop = Stop.EXHAUSTIVE
    completion: bool = False
    comparison: bool = False


def add1_options(tie_break: TieBreak = TieBreak.COST_VOTES_ID, **changes: object) -> MesOptions:
    """Return the options equal to pabutools' `voter_budget_increment=1`, with changes."""
    values: dict[str, object] = {"tie_break": tie_break, "increment": Fraction(1)}
    values.update(changes)
    return MesOptions(**values)  # type: ignore[arg-type]


def equal_shares(election: Election, options: MesOptions, rule: str = "mes") -> Result:
    """Count an election with the Method of Equal Shares."""
    from palabre.pb.kernel import MesKernel, flat_utilities  # numpy, only when MES counts

    utility = options.utility or default_mes_utility(election.vote_type)
    keys = tie_keys(election, options.tie_break)
    kernel = MesKernel(election, flat_utilities(election, utility), keys)
    trace, runs = _iterate(election, kernel, options)
    result = _result(election, trace, runs, rule, utility)
    if options.completion:
        result = _complete(election, result, utility, options.tie_break, rule)
    if options.comparison:
        result = _compare(election, result, utility, options.tie_break, rule)
    return result


def _iterate(election: Election, kernel: MesKernel, options: MesOptions) -> tuple[RunTrace, int]:
    voters = election.num_voters
    b0 = options.start * election.money_scale if options.start is not None else None
    b = b0 if b0 is not None else Fraction(election.budget, voters)
    if options.increment is None:
        return kernel.run(b), 1
    step = options.increment * election.money_scale
    from palabre.pb.kernel import RunTrace

    previous = RunTrace(b, list(kernel.free), [], [], list(kernel.free))
    candidates = set(kernel.candidates)
    runs = 0
    while True:
        trace = kernel.run(b)
        runs += 1
        spent = sum(kernel.costs[p] for p in trace.winners)
        if spent > election.budget:
            return previous, runs
        unfunded = candidates.difference(trace.winners)
        if not unfunded:
            return trace, runs
        if options.stop is Stop.EXHAUSTIVE and all(
            spent + kernel.costs[p] > election.budget for p in unfunded
        ):
            return trace, runs
        previous = trace
        b += step


def _result(election: Election, trace: RunTrace, runs: int, rule: str, utility: Utility) -> Result:
    projects = election.projects
    return Result(
        rule=rule,
        winners=tuple(projects[p].id for p in trace.winners),
        total_cost=sum(projects[p].cost for p in trace.winners),
        # Built when first read: exact rhos cost more than the count when nobody asks why.
        explanations=Lazy(lambda: _explanations(election, trace, utility)),
        details={
            "budget_per_voter": trace.b0,
            "runs": runs,
        },
    )


def _explanations(election: Election, trace: RunTrace, utility: Utility) -> dict[str, Explanation]:
    projects = election.projects
    explanations: dict[str, Explanation] = {}
    funded_before: list[str] = []
    for p in trace.free:
        explanations[projects[p].id] = Explanation(
            projects[p].id, True, "mes_free", {"cost": 0, "round": 0}
        )
        funded_before.append(projects[p].id)
    for number, record in enumerate(trace.rounds, start=1):
        project = projects[record.project]
        rho = trace.rho(number - 1)
        facts: dict[str, Fact] = {
            "round": number,
            "cost": project.cost,
            "utility": utility.value,
            "effective_votes": _effective(rho, utility, project.cost),
            "rho": rho,
            "full_payers": record.rich_weight,
            "partial_payers": record.poor_weight,
            "exhausted_supporters": record.exhausted_weight,
            "funded_before": tuple(funded_before),
        }
        if utility is Utility.COST:
            facts["share"] = rho * project.cost
        explanations[project.id] = Explanation(project.id, True, "mes_selected", facts)
        funded_before.append(project.id)
    for drop in trace.drops:
        project = projects[drop.project]
        explanations[project.id] = Explanation(
            project.id,
            False,
            "mes_unaffordable",
            {
                "round": drop.round + 1,
                "cost": project.cost,
                "available": Fraction(round(drop.available_f)),
                "effective_votes": (
                    _effective(Fraction(drop.last_rho_f), utility, project.cost)
                    if drop.last_rho_f
                    else None
                ),
                "funded_before": tuple(
                    projects[p].id for p in trace.winners[: drop.round + len(trace.free)]
                ),
            },
        )
    for project in projects:
        if project.id not in explanations:
            explanations[project.id] = Explanation(
                project.id, False, "mes_no_support", {"cost": project.cost}
            )
    return explanations


def _effective(rho: Fraction, utility: Utility, cost: int) -> Fraction | None:
    # With cost utilities 1/rho is the effective vote count; with points, cost/rho is the
    # effective number of points (what the project's total would be if everyone could pay).
    if not rho:
        return None
    return 1 / rho if utility is Utility.COST else cost / rho


def _complete(
    election: Election, result: Result, utility: Utility, tie_break: TieBreak, rule: str
) -> Result:
    options = GreedyOptions(score=utility, per_cost=True, tie_break=tie_break)
    order, scores = greedy_order(election, options)
    ids = {p.id: i for i, p in enumerate(election.projects)}
    already = [ids[w] for w in result.winners]
    completed = greedy_from(
        election,
        options,
        order,
        scores,
        already,
        election.budget - result.total_cost,
        rule,
        reason_prefix="completion",
    )
    explanations = dict(result.explanations)
    for project_id, explanation in completed.explanations.items():
        if explanation.funded or not explanations[project_id].funded:
            explanations[project_id] = Explanation(
                project_id,
                explanation.funded,
                explanation.reason,
                {**explanations[project_id].facts, **explanation.facts},
            )
    return Result(rule, completed.winners, completed.total_cost, explanations, result.details)


def voter_preferences(
    election: Election, first: Result, second: Result, utility: Utility
) -> tuple[int, int]:
    """Return how many voters prefer `first`, and how many prefer `second` (by `utility`)."""
    utilities = group_utilities(election, utility)
    ids = {p.id: i for i, p in enumerate(election.projects)}
    one = {ids[w] for w in first.winners}
    two = {ids[w] for w in second.winners}
    prefer_first = prefer_second = 0
    for group, pairs in zip(election.groups, utilities, strict=True):
        a = sum(u for p, u in pairs if p in one)
        b = sum(u for p, u in pairs if p in two)
        if a > b:
            prefer_first += group.weight
        elif b > a:
            prefer_second += group.weight
    return prefer_first, prefer_second


def _compare(
    election: Election, result: Result, utility: Utility, tie_break: TieBreak, rule: str
) -> Result:
    plain = greedy(election, GreedyOptions(score=utility, per_cost=True, tie_break=tie_break), rule)
    for_mes, for_greedy = voter_preferences(election, result, plain, utility)
    details: dict[str, Fact] = {
        **result.details,
        "prefer_mes": for_mes,
        "prefer_greedy": for_greedy,
    }
    if for_greedy > for_mes:
        details["kept"] = "greedy"
        explanations = {
            pid: Explanation(pid, e.funded, "comparison_" + e.reason, {**e.facts, **details})
            for pid, e in plain.explanations.items()
        }
        return Result(rule, plain.winners, plain.total_cost, explanations, details)
    details["kept"] = "mes"
    return Result(rule, result.winners, result.total_cost, result.explanations, details)
