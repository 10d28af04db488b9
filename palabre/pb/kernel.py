"""One run of the Method of Equal Shares, fast and exact.

Budgets live in float64 numpy arrays for speed, with a proven bound (`delta`) on how far each
float budget is from the exact rational one. Every decision the outcome depends on (is a project
affordable, which project has the smallest rho, which supporters pay their whole remaining budget)
is taken from floats only when the margin is larger than the error bound; otherwise it is taken
in exact rational arithmetic. The exact state is cheap to rebuild on demand: a voter's budget is
either 0 (they once paid all they had) or `b0 - sum(rho_t * u_t)` over the rounds where they paid
their full share, so the engine stores, per round, which ballots paid in full (`paid`) and the
integer sums that define that round's exact rho. See docs/decisions/0011-*.md.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from palabre.pb.model import Election
from palabre.pb.scores import Utility, positional_length

if TYPE_CHECKING:  # numpy.typing is ~1 ms of import, for annotations only
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]
    IntArray = npt.NDArray[np.int64]
    Indices = npt.NDArray[np.intp]
    BoolArray = npt.NDArray[np.bool_]

EPS = float(np.finfo(np.float64).eps)
SUM_ERROR = 1e-13  # relative error bound of numpy's pairwise sums, with a wide margin


class Supporters(NamedTuple):
    """The ballot groups that give a project a positive utility."""

    groups: Indices
    utility: IntArray
    weight: IntArray
    weight_f: FloatArray
    utility_f: FloatArray
    weighted_utility_f: FloatArray
    total_utility: int
    total_weight: int


class RoundRecord:
    """One selection: enough integers to recompute its rho exactly later."""

    __slots__ = (
        "cost",
        "exhausted_weight",
        "poor_groups",
        "poor_paid_rounds",
        "poor_weight",
        "project",
        "rho",
        "rho_f",
        "rich_utility",
        "rich_weight",
    )

    def __init__(
        self,
        project: int,
        rho_f: float,
        cost: int,
        poor_weight: int,
        rich_utility: int,
        rich_weight: int,
        exhausted_weight: int,
        rho: Fraction | None,
        poor_groups: Indices | None,
    ) -> None:
        self.project = project
        self.rho_f = rho_f
        self.cost = cost
        self.poor_weight = poor_weight  # voters who paid their whole (nonzero) remaining budget
        # Per earlier round s: sum over those voters of w * u_s (computed when first needed,
        # from `poor_groups`, the ballot groups of those voters).
        self.poor_paid_rounds: list[int] | None = None
        self.poor_groups = poor_groups
        self.rich_utility = rich_utility  # sum of w * u over the voters who paid rho * u
        self.rich_weight = rich_weight
        self.exhausted_weight = exhausted_weight  # supporters who had no money left already
        self.rho = rho  # the exact rho, when known


class Drop(NamedTuple):
    """A project removed because its supporters can no longer pay for it."""

    project: int
    round: int
    available_f: float
    last_rho_f: float | None


class RunTrace(NamedTuple):
    """The outcome of one MES run and what explains it."""

    b0: Fraction
    winners: list[int]
    rounds: list[RoundRecord]
    drops: list[Drop]
    free: list[int]
    exact_rho: Callable[[int], Fraction] | None = None

    def rho(self, t: int) -> Fraction:
        """Return the exact rho of round t (computed on demand)."""
        assert self.exact_rho is not None
        return self.exact_rho(t)


def flat_utilities(election: Election, utility: Utility) -> tuple[Indices, Indices, IntArray]:
    """Return (group, project, value) arrays of every positive value ballots give, vectorised."""
    # The numpy reader's arrays when it was used (ADR 0067), otherwise the lists.
    table = election.arrays if election.arrays is not None else election.table
    lengths = np.asarray(table.lengths, dtype=np.intp)
    projects = np.asarray(table.projects, dtype=np.intp)
    groups = np.repeat(np.arange(len(lengths), dtype=np.intp), lengths)
    if utility is Utility.BORDA or utility is Utility.POSITIONAL:
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        position = np.arange(len(projects), dtype=np.int64) - starts
    if utility is Utility.COST:
        costs = np.array([p.cost for p in election.projects], dtype=np.int64)
        values = costs[projects] if len(projects) else np.zeros(0, dtype=np.int64)
    elif utility is Utility.VOTES:
        values = np.ones(len(projects), dtype=np.int64)
    elif utility is Utility.POINTS:
        if table.points is None:
            raise ValueError("points utility needs cumulative or scoring ballots")
        values = np.asarray(table.points, dtype=np.int64).reshape(len(projects))
    elif utility is Utility.BORDA:
        values = np.repeat(lengths, lengths).astype(np.int64) - position - 1
    else:
        values = positional_length(election) - position
    keep = values > 0
    if bool(keep.all()):  # the usual case: no copies
        return groups, projects, values
    return groups[keep], projects[keep], values[keep]


class MesKernel:
    """Precomputed supporters of every project; `run(b0)` performs one MES count."""

    def __init__(
        self,
        election: Election,
        flat: tuple[Indices, Indices, IntArray],
        tie_keys: list[tuple[int, int, str]],
    ) -> None:
        self.costs = [p.cost for p in election.projects]
        self.tie_keys = tie_keys
        table = election.arrays if election.arrays is not None else election.table
        weights = np.asarray(table.weights, dtype=np.int64)
        self.n_groups = len(weights)
        self.num_voters = int(weights.sum())
        flat_g, flat_p, flat_u = flat
        # A stable sort of 16-bit keys is a radix sort in numpy: ~15x faster than on intp.
        keys = flat_p.astype(np.int16) if len(election.projects) < 2**15 else flat_p
        order = np.argsort(keys, kind="stable")
        # Where each project's entries start in that order: the running count of entries.
        bounds = np.zeros(len(election.projects) + 1, dtype=np.int64)
        np.cumsum(np.bincount(flat_p, minlength=len(election.projects)), out=bounds[1:])
        max_u = int(flat_u.max()) if len(flat_u) else 1
        # int64 sums of weight * utility cannot overflow below this bound; above it, Python ints.
        self.dtype: type = np.int64 if self.num_voters * max_u < 2**62 else object
        self.weights = weights.astype(self.dtype, copy=False)
        # Every (ballot group, project) entry, ordered by project: each project's supporters are
        # a slice (a view) of these arrays.
        groups = flat_g[order]
        utility = flat_u[order]
        weight = weights[groups]
        weight_f = weight.astype(np.float64)
        utility_f = utility.astype(np.float64)
        if self.dtype is object:
            weighted_utility_f = (weight * utility).astype(np.float64)
            products = weight.astype(self.dtype) * utility.astype(self.dtype)
        else:  # no overflow: the same products, computed once
            products = weight * utility
            weighted_utility_f = products.astype(np.float64)
        self.supporters: list[Supporters | None] = []
        for start, stop in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            if start == stop:
                self.supporters.append(None)
                continue
            self.supporters.append(
                Supporters(
                    groups=groups[start:stop],
                    utility=utility[start:stop],
                    weight=weight[start:stop],
                    weight_f=weight_f[start:stop],
                    utility_f=utility_f[start:stop],
                    weighted_utility_f=weighted_utility_f[start:stop],
                    total_utility=int(products[start:stop].sum()),
                    total_weight=int(weight[start:stop].sum()),
                )
            )
        self.candidates = [
            p for p, s in enumerate(self.supporters) if s is not None and self.costs[p] > 0
        ]
        self.free = sorted(
            (p for p, s in enumerate(self.supporters) if s is not None and self.costs[p] == 0),
            key=lambda p: tie_keys[p],
        )

    def run(self, b0: Fraction) -> RunTrace:
        """Count one MES run where every voter starts with `b0`."""
        return _Run(self, b0).execute()


class _Run:
    def __init__(self, kernel: MesKernel, b0: Fraction) -> None:
        self.k = kernel
        self.b0 = b0
        self.b0_f = float(b0)
        self.budget_f: FloatArray = np.full(kernel.n_groups, self.b0_f)
        self.exhausted: BoolArray = np.zeros(kernel.n_groups, dtype=bool)
        # Per round: the ballot groups that paid rho * u (ascending) and their u.
        self.paid: list[tuple[Indices, npt.NDArray[np.generic]]] = []
        self.delta = 2 * EPS * self.b0_f  # bound on |budget_f - exact budget| of any voter
        # Bound on the sum over all voters of |budget_f - exact budget| (see `pay`).
        self.total_error = self.delta * kernel.num_voters
        self.rounds: list[RoundRecord] = []

    # ----- exact state, rebuilt on demand -------------------------------------------------
    def exact_rho(self, t: int) -> Fraction:
        for s in range(t + 1):
            record = self.rounds[s]
            if record.rho is None:
                if record.poor_paid_rounds is None:
                    assert record.poor_groups is not None
                    record.poor_paid_rounds = self.paid_sums(record.poor_groups, s)[1]
                    record.poor_groups = None
                poor = self.b0 * record.poor_weight - sum(
                    (self.exact_rho(r) * v for r, v in enumerate(record.poor_paid_rounds) if v),
                    Fraction(0),
                )
                record.rho = (record.cost - poor) / record.rich_utility
        rho = self.rounds[t].rho
        assert rho is not None
        return rho

    def exact_budgets(self, groups: Indices) -> list[Fraction]:
        spent = [Fraction(0)] * len(groups)
        for t, (payers, utility) in enumerate(self.paid):
            if not len(payers):
                continue
            at = np.minimum(np.searchsorted(payers, groups), len(payers) - 1)
            for i in np.flatnonzero(payers[at] == groups).tolist():
                spent[i] += self.exact_rho(t) * int(utility[at[i]])
        exhausted = self.exhausted[groups].tolist()
        return [Fraction(0) if e else self.b0 - x for e, x in zip(exhausted, spent, strict=True)]

    def paid_sums(self, groups: Indices, rounds: int | None = None) -> tuple[int, list[int]]:
        """Return the weight of the non-exhausted `groups` and, per round, sum of w * u paid.

        Only the first `rounds` rounds are summed when it is given (groups that were alive then).
        """
        alive = groups if rounds is not None else groups[~self.exhausted[groups]]
        member = np.zeros(self.k.n_groups, dtype=bool)
        member[alive] = True
        sums = []
        for payers, utility in self.paid[:rounds]:
            chosen = member[payers]
            sums.append(int(np.dot(utility[chosen], self.k.weights[payers[chosen]])))
        return int(self.k.weights[alive].sum()), sums

    def sum_error(self, weight: int) -> float:
        """Return a bound on the error of a float sum of the budgets of `weight` voters."""
        return min(weight * self.delta, self.total_error)

    def exact_sum(self, groups: Indices) -> Fraction:
        weight, sums = self.paid_sums(groups)
        spent = sum((self.exact_rho(t) * v for t, v in enumerate(sums) if v), Fraction(0))
        return self.b0 * weight - spent

    # ----- one project ---------------------------------------------------------------------
    def affordable(self, p: int, s: Supporters) -> tuple[bool, float]:
        available = float((self.budget_f[s.groups] * s.weight_f).sum())
        cost = self.k.costs[p]
        margin = self.sum_error(s.total_weight) + SUM_ERROR * (available + cost)
        if available < cost - margin:
            return False, available
        if available > cost + margin:
            return True, available
        return self.exact_sum(s.groups) >= cost, available

    def rho_float(self, p: int, s: Supporters) -> tuple[float, float]:
        """Return a float rho and a bound on its error (the supporters can afford the project)."""
        cost = float(self.k.costs[p])
        budgets = self.budget_f[s.groups]
        ratios = budgets / s.utility_f
        flat = cost / float(s.total_utility)
        if ratios.min() >= flat:
            return flat, SUM_ERROR * flat
        # Voters who cannot pay rho * u pay everything: grow that set until it is stable
        # (it only grows, as in pabutools' affordability_poor_rich).
        wb = budgets * s.weight_f
        poor = ratios < flat
        while True:
            poor_sum = float(wb[poor].sum())
            rich = float(s.weighted_utility_f[~poor].sum())
            if rich <= 0:
                # Everyone pays all they have: rho is the largest ratio, decided exactly later.
                rho = float(ratios.max())
                return rho, 1e-9 * rho + self.delta / float(s.utility_f.min())
            rho = (cost - poor_sum) / rich
            grown = ratios < rho
            if np.array_equal(grown, poor):
                break
            poor = grown | poor
        poor_weight = int(s.weight[poor].sum())
        budget_error = self.sum_error(poor_weight)
        error = (budget_error + SUM_ERROR * (cost + poor_sum)) / rich + SUM_ERROR * rho
        return rho, error

    def classify(
        self, s: Supporters, rho_f: float, error: float
    ) -> tuple[BoolArray, BoolArray, BoolArray]:
        """Split supporters into surely poor, surely rich and unsure, for rho = rho_f +- error."""
        budgets = self.budget_f[s.groups]
        slack = self.delta + SUM_ERROR * self.b0_f
        poor = budgets + slack < (rho_f - error) * s.utility_f
        rich = budgets - slack >= (rho_f + error) * s.utility_f
        return poor, rich, ~(poor | rich)

    def exact_rho_of(
        self, p: int, s: Supporters, rho_f: float, error: float
    ) -> tuple[Fraction, BoolArray]:
        """Return the exact rho of project p now and which supporters pay all they have."""
        poor, rich, unsure = self.classify(s, rho_f, error)
        rho, poor_final = self._exact_with(p, s, poor, unsure)
        # The float split must agree with the exact rho, else everyone is decided exactly.
        budgets = self.budget_f[s.groups]
        slack = self.delta + SUM_ERROR * self.b0_f
        rho_hi = float(rho) * (1 + 4 * EPS)
        rho_lo = float(rho) * (1 - 4 * EPS)
        if np.any(budgets[poor] + slack >= rho_lo * s.utility_f[poor]) or np.any(
            budgets[rich] - slack < rho_hi * s.utility_f[rich]
        ):
            nobody = np.zeros(len(s.groups), dtype=bool)
            return self._exact_with(p, s, nobody, ~nobody)
        return rho, poor_final

    def _exact_with(
        self, p: int, s: Supporters, poor: BoolArray, unsure: BoolArray
    ) -> tuple[Fraction, BoolArray]:
        numerator = self.k.costs[p] - self.exact_sum(s.groups[poor])
        rich_mask = ~(poor | unsure)
        denominator = int(np.dot(s.weight[rich_mask], s.utility[rich_mask]))
        unsure_idx = np.flatnonzero(unsure)
        budgets = self.exact_budgets(s.groups[unsure_idx])
        items = sorted(
            zip(unsure_idx.tolist(), budgets, strict=True),
            key=lambda item: item[1] / int(s.utility[item[0]]),
        )
        denominator += sum(int(s.weight[i]) * int(s.utility[i]) for i, _ in items)
        final_poor = poor.copy()
        for i, budget in items:
            u = int(s.utility[i])
            factor = numerator / denominator
            if factor * u <= budget:
                return factor, final_poor
            numerator -= int(s.weight[i]) * budget
            denominator -= int(s.weight[i]) * u
            final_poor[i] = True
        return Fraction(numerator, 1) / denominator, final_poor

    # ----- the run --------------------------------------------------------------------------
    def execute(self) -> RunTrace:
        k = self.k
        remaining = set(k.candidates)
        stale: dict[int, tuple[float, float]] = {
            p: (k.costs[p] / s.total_utility, 0.0)
            for p in remaining
            if (s := k.supporters[p]) is not None
        }
        # Each project's lower bound on its rho, then its tie key: the order projects are
        # looked at in (kept up to date with `stale`, rather than rebuilt by every sort).
        bound = {p: (rho - error, k.tie_keys[p]) for p, (rho, error) in stale.items()}
        winners: list[int] = []
        drops: list[Drop] = []
        while remaining:
            evaluated: list[tuple[int, float, float]] = []
            best_hi = float("inf")
            for p in sorted(remaining, key=bound.__getitem__):
                s = k.supporters[p]
                assert s is not None
                # Unaffordable projects can never win, so they may be dropped lazily: only
                # projects that could still beat the best one found are checked.
                if bound[p][0] > best_hi:
                    break
                ok, available = self.affordable(p, s)
                if not ok:
                    remaining.discard(p)
                    drops.append(Drop(p, len(self.rounds), available, stale[p][0]))
                    continue
                rho_f, error = self.rho_float(p, s)
                stale[p] = (rho_f, error)
                bound[p] = (rho_f - error, k.tie_keys[p])
                evaluated.append((p, rho_f, error))
                best_hi = min(best_hi, rho_f + error)
            if not evaluated:
                break
            near = [(p, r, e) for p, r, e in evaluated if r - e <= best_hi]
            if len(near) == 1:
                winner, rho_f, error = near[0]
                s = k.supporters[winner]
                assert s is not None
                poor, _, unsure = self.classify(s, rho_f, error)
                exact: Fraction | None = None
                if unsure.any() or error * float(s.utility.max()) > 1e-9 * self.b0_f:
                    exact, poor = self.exact_rho_of(winner, s, rho_f, error)
            else:
                exacts = []
                for p, r, e in near:
                    sp = k.supporters[p]
                    assert sp is not None
                    rho, poor_p = self.exact_rho_of(p, sp, r, e)
                    exacts.append((rho, k.tie_keys[p], p, poor_p, r, e))
                exact, _, winner, poor, rho_f, error = min(exacts, key=lambda x: (x[0], x[1]))
                s = k.supporters[winner]
                assert s is not None
            self.pay(winner, s, poor, exact, rho_f, error)
            winners.append(winner)
            remaining.discard(winner)
        return RunTrace(
            self.b0, list(k.free) + winners, self.rounds, drops, list(k.free), self.exact_rho
        )

    def pay(
        self,
        p: int,
        s: Supporters,
        poor: BoolArray,
        exact: Fraction | None,
        rho_f: float,
        error: float,
    ) -> None:
        groups = s.groups
        rich_mask = ~poor
        poor_groups = groups[poor]
        alive_poor = poor_groups[~self.exhausted[poor_groups]]
        poor_weight = int(self.k.weights[alive_poor].sum())
        exhausted_weight = int(self.k.weights[poor_groups[self.exhausted[poor_groups]]].sum())
        rich_groups = groups[rich_mask]
        rich_u = s.utility[rich_mask]
        record = RoundRecord(
            project=p,
            rho_f=float(exact) if exact is not None else rho_f,
            cost=self.k.costs[p],
            poor_weight=poor_weight,
            rich_utility=int(np.dot(s.weight[rich_mask], rich_u)),
            rich_weight=int(s.weight[rich_mask].sum()),
            exhausted_weight=exhausted_weight,
            rho=exact,
            poor_groups=alive_poor if exact is None else None,
        )
        self.rounds.append(record)
        self.paid.append((rich_groups, rich_u.astype(self.k.dtype)))
        self.budget_f[alive_poor] = 0.0
        self.exhausted[poor_groups] = True
        self.budget_f[rich_groups] -= record.rho_f * s.utility_f[rich_mask]
        # Every rich voter's budget error grows by |rho_f - rho| * u plus two roundings (rho*u is
        # at most their budget, at most b0). Summed over voters, the first term is at most the
        # error of the poor voters' budgets (which are now exactly 0, so it moves from them to the
        # rich: the total does not grow) plus the float rounding of rho's formula.
        rounding = 2 * EPS * self.b0_f
        if exact is None:
            self.delta += error * float(rich_u.max(initial=0)) + rounding
            self.total_error += (
                4 * SUM_ERROR * (record.cost + self.total_error) + rounding * record.rich_weight
            )
        else:
            self.delta += rounding
            self.total_error += rounding * record.rich_weight
