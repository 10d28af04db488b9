"""The MES kernel's error bounds hold: float budgets stay within them of the exact budgets."""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest

from palabre.pb import Ballot, MesOptions, Project, add1_options, equal_shares, make_election
from palabre.pb.kernel import _Run
from palabre.pb.model import Election


def _election(seed: int, voters: int = 200, projects: int = 24) -> Election:
    rng = random.Random(seed)
    costs = [rng.randrange(5_000, 400_000, 100) for _ in range(projects)]
    popularity = [rng.random() ** 2 for _ in range(projects)]
    ballots = []
    for _ in range(voters):
        chosen = {i for i in range(projects) if rng.random() < popularity[i] * 0.6}
        ballots.append(Ballot(tuple(sorted(chosen or {rng.randrange(projects)}))))
    plist = [Project(f"p{i}", c) for i, c in enumerate(costs)]
    return make_election(plist, sum(costs) // 4, "approval", ballots)


@pytest.mark.parametrize("seed", range(4))
def test_float_budgets_stay_within_the_tracked_error_bounds(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = 0
    pay = _Run.pay

    def checked_pay(run: _Run, *args: object) -> None:
        nonlocal checked
        pay(run, *args)  # type: ignore[arg-type]
        groups = np.arange(run.k.n_groups)
        exact = run.exact_budgets(groups)
        errors = [abs(Fraction(float(f)) - e) for f, e in zip(run.budget_f, exact, strict=True)]
        assert max(errors) <= run.delta
        weights = run.k.weights.tolist()
        assert sum(w * e for w, e in zip(weights, errors, strict=True)) <= run.total_error
        checked += 1

    monkeypatch.setattr(_Run, "pay", checked_pay)
    election = _election(seed)
    # A single run, and Add1 with increments of a fifth of the first budget per voter.
    assert equal_shares(election, MesOptions()).winners
    step = Fraction(election.budget, election.num_voters * 5)
    assert equal_shares(election, add1_options(increment=step)).winners
    assert checked > 15
