"""Benchmark: generated elections with (almost) all ballots distinct, against pabutools 1.2.3.

Resampling the dev files (`pb_vs_pabutools.py`) keeps about a thousand distinct ballots, so
pabutools' MES on a multiprofile stays cheap. Here every election is generated (fixed seed,
printed with the parameters) and written as a real `.pb` file: costs log-uniform between 5,000
and 400,000 (rounded to 100), a budget of 25% of the total cost, six districts, Zipf project
popularity (exponent 1) tripled for the voter's own district, 3-10 projects per ballot drawn
without replacement in proportion to those weights (Gumbel top-k). Approval ballots list the
chosen projects; cumulative ballots spread 10 points over them (at least one each, the rest
multinomial over Dirichlet(1) shares, `max_sum_points` 10).

For each election and rule: our whole command (`palabre pb allocate FILE --rule R --json`, a
subprocess with a bytecode cache as an installed command has, wall time, median of `--repeat`
runs) against pabutools' parse + rule, timed
inside a worker subprocess (its interpreter start-up and imports are *not* counted: in
pabutools' favour) that is killed after `--limit` seconds; a killed call is reported as
"> limit" and its ratio as a lower bound. pabutools is called as the reference outcomes were
computed (shared/data/README.md): greedy on the parsed profile, MES on
`profile.as_multiprofile()`; greedy is also timed on the multiprofile (parse + as_multiprofile
+ rule). MES + Add1 (`--rule mes-add1` against `voter_budget_increment=1` on the multiprofile)
runs on the first election at the `--add1` sizes only. The tie-breaking is the references'
(cost ascending, supporting ballots descending, id as a string) with each project's support
counted once per profile, so that pabutools does not pay for a slow tie-breaking key.
pabutools runs once per call when a call takes over 5 s (the table says how many runs each
median has). A run is invalid (and the script exits 1) if
any winners differ. Prints one Markdown table, then the target table of issue 18 (every case
where pabutools took 10 s or more, its ratio, and "target met: yes/no"; see
`pb_vs_pabutools.print_target`, which also runs these elections); never run as a test.

    .venv/bin/python -m benchmarks.pb_generated [--voters 20000 50000 100000] [--add1 100000]
        [--repeat 3] [--limit 600] [--seed 2024]      (from the repository root)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.pb_vs_pabutools import (
    SLOW,
    Case,
    _ratio,
    cpu_seconds,
    ours_command,
    print_target,
    warm_bytecode,
)
from palabre.pb import read_pabulib

ROOT = Path(__file__).resolve().parents[1]
SEED = 2024
VOTERS = [20_000, 50_000, 100_000]
ADD1 = [100_000]  # voters of the MES + Add1 rows
REPEAT = 3
LIMIT = 600.0  # seconds per pabutools call
DISTRICTS = 6
HOME_BOOST = 3.0
ZIPF = 1.0
BUDGET_SHARE = 0.25
COST_RANGE = (5_000, 400_000)
APPROVALS = (3, 10)
POINTS = 10
# (vote type, number of projects): the cumulative election is smaller, as pabutools' exact
# rational arithmetic makes its MES the slowest case.
ELECTIONS = [("approval", 150), ("approval", 50), ("cumulative", 50)]


def generate(path: Path, vote_type: str, voters: int, projects: int, seed: int) -> None:
    """Write a generated pabulib election (see the module docstring) to `path`."""
    rng = np.random.default_rng(seed)
    low, high = COST_RANGE
    costs = [
        int(round(math.exp(x), -2))
        for x in rng.uniform(math.log(low), math.log(high), size=projects)
    ]
    budget = int(round(sum(costs) * BUDGET_SHARE, -3))
    district = rng.integers(0, DISTRICTS, size=projects)
    popularity = 1.0 / np.arange(1, projects + 1) ** ZIPF
    popularity = popularity[rng.permutation(projects)]
    meta = [
        "META",
        "key;value",
        f"description;generated benchmark (seed {seed})",
        f"num_projects;{projects}",
        f"num_votes;{voters}",
        f"budget;{budget}",
        f"vote_type;{vote_type}",
    ]
    if vote_type == "cumulative":
        meta.append(f"max_sum_points;{POINTS}")
    lines = [*meta, "PROJECTS", "project_id;cost;name"]
    lines += [f"p{j};{c};project {j}" for j, c in enumerate(costs)]
    lines += ["VOTES", "voter_id;vote;points" if vote_type == "cumulative" else "voter_id;vote"]
    lo, hi = APPROVALS
    chunk = 10_000
    for first in range(0, voters, chunk):
        size = min(chunk, voters - first)
        home = rng.integers(0, DISTRICTS, size=size)
        weights = popularity[None, :] * np.where(district[None, :] == home[:, None], HOME_BOOST, 1)
        keys = np.log(weights) + rng.gumbel(size=(size, projects))
        ranked = np.argsort(-keys, axis=1)[:, :hi]
        lengths = rng.integers(lo, hi + 1, size=size)
        for row in range(size):
            chosen = sorted(ranked[row, : lengths[row]].tolist())
            vote = ",".join(f"p{j}" for j in chosen)
            line = f"v{first + row};{vote}"
            if vote_type == "cumulative":
                k = len(chosen)
                points = 1 + rng.multinomial(POINTS - k, rng.dirichlet(np.ones(k)))
                line += ";" + ",".join(str(p) for p in points.tolist())
            lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def worker(path: str, rule: str, call: str) -> None:
    """Parse and count with pabutools in this process; print seconds and winners as JSON."""
    from pabutools.election import Cost_Sat
    from pabutools.election.pabulib import parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
    from pabutools.tiebreaking import TieBreakingRule

    from benchmarks.pb_vs_pabutools import SAT

    supports: dict[int, dict[Any, int]] = {}

    def support(profile: Any, project: Any) -> int:
        if id(profile) not in supports:
            counts: dict[Any, int] = {}
            for ballot in profile:
                for p in ballot:
                    counts[p] = counts.get(p, 0) + profile.multiplicity(ballot)
            supports[id(profile)] = counts
        return supports[id(profile)].get(project, 0)

    tie = TieBreakingRule(lambda inst, prof, p: (p.cost, -support(prof, p), str(p.name)))
    start, cpu = time.perf_counter(), time.process_time()
    instance, profile = parse_pabulib(path)
    sat = SAT.get(instance.meta["vote_type"], Cost_Sat)
    if call == "multiprofile":
        profile = profile.as_multiprofile()
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=sat, tie_breaking=tie)
    else:
        increment = 1 if rule == "mes-add1" else None
        outcome = method_of_equal_shares(
            instance, profile, sat_class=sat, tie_breaking=tie, voter_budget_increment=increment
        )
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    winners = [str(p.name) for p in outcome]
    print(json.dumps({"seconds": seconds, "cpu": cpu, "winners": winners}))


def pabutools(
    path: Path, rule: str, call: str, limit: float
) -> tuple[float, float, list[str]] | None:
    """Run pabutools' parse + rule in a worker; return (seconds, CPU seconds, winners), None
    if killed."""
    command = [sys.executable, "-m", "benchmarks.pb_generated", "--worker", str(path), rule, call]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, check=True, cwd=ROOT, timeout=limit
        )
    except subprocess.TimeoutExpired:  # subprocess.run has killed the worker
        return None
    result = json.loads(done.stdout)
    return float(result["seconds"]), float(result["cpu"]), list(result["winners"])


def _median(run: Callable[[], list[str]], repeat: int) -> tuple[float, float, list[list[str]]]:
    """Return the median wall and CPU seconds of `run` over `repeat` calls and their outcomes."""
    seconds: list[float] = []
    cpus: list[float] = []
    outcomes: list[list[str]] = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), cpu_seconds()
        outcomes.append(run())
        seconds.append(time.perf_counter() - start)
        cpus.append(cpu_seconds() - cpu)
    return statistics.median(seconds), statistics.median(cpus), outcomes


def run_generated(
    voters_list: list[int], add1: list[int], repeat: int, limit: float, seed: int
) -> tuple[list[Case], bool]:
    """Generate the elections, count them both ways and print the table; return the cases
    and whether some winners differ."""
    print(
        f"seed {seed}; costs log-uniform {COST_RANGE[0]:,}-{COST_RANGE[1]:,} (rounded to "
        f"100); budget {BUDGET_SHARE:.0%} of total cost; {DISTRICTS} districts, Zipf "
        f"popularity exponent {ZIPF}, x{HOME_BOOST:g} in the voter's district; "
        f"{APPROVALS[0]}-{APPROVALS[1]} projects per ballot; cumulative: {POINTS} points; "
        f"pabutools limit {limit:g} s per call; ours: median of {repeat} runs; "
        f"load average (1, 5, 15 min) at the start: {os.getloadavg()}\n",
        flush=True,
    )
    print(
        f"voters {voters_list}; MES + Add1 (pabutools: voter_budget_increment=1) on the "
        f"approval {ELECTIONS[0][1]}-project election at {add1} voters\n",
        flush=True,
    )
    print(
        "| election | voters | distinct ballots | projects | rule | pabutools call | ours s "
        "| pabutools s (runs) | ratio | same winners |"
    )
    print("|---|---:|---:|---:|---|---|---:|---:|---:|---|")
    invalid = False
    cases: list[Case] = []
    with tempfile.TemporaryDirectory() as folder:
        for vote_type, projects in ELECTIONS:
            for voters in voters_list:
                path = Path(folder) / f"generated_{vote_type}_{projects}_{voters}.pb"
                generate(path, vote_type, voters, projects, seed)
                distinct = len(read_pabulib(path).table.weights)
                rules = ["greedy", "mes"]
                if (vote_type, projects) == ELECTIONS[0] and voters in add1:
                    rules.append("mes-add1")
                for rule in rules:
                    ours_s, ours_cpu, ours_out = _median(partial(ours_command, path, rule), repeat)
                    calls = ("profile", "multiprofile") if rule == "greedy" else ("multiprofile",)
                    for call in calls:
                        theirs: list[tuple[float, float, list[str]]] = []
                        while len(theirs) < repeat:
                            run = pabutools(path, rule, call, limit)
                            if run is not None:
                                theirs.append(run)
                            if run is None or run[0] > SLOW:
                                break
                        outcomes = ours_out + [w for _, _, w in theirs]
                        same = all(o == ours_out[0] for o in outcomes)
                        invalid |= not same
                        name = f"{vote_type} {projects}p"
                        theirs_cpu: float | None = None
                        if theirs:
                            theirs_s = statistics.median(s for s, _, _ in theirs)
                            theirs_cpu = statistics.median(c for _, c, _ in theirs)
                            shown = f"{theirs_s:.2f} ({len(theirs)})"
                            ratio = _ratio(theirs_s, ours_s)
                        else:
                            theirs_s = limit
                            shown, ratio = f"> {limit:g}", f"> {_ratio(limit, ours_s)}"
                        cases.append(
                            Case(
                                "generated",
                                name,
                                voters,
                                rule,
                                call,
                                ours_s,
                                theirs_s,
                                not theirs,
                                same,
                                ours_cpu,
                                theirs_cpu,
                            )
                        )
                        print(
                            f"| {name} | {voters:,} | {distinct:,} | "
                            f"{projects} | {rule} | {call} | {ours_s:.3f} | {shown} | {ratio} | "
                            f"{same if theirs else 'n/a (ours agree: ' + str(same) + ')'} |",
                            flush=True,
                        )
    print(f"\nload average (1, 5, 15 min) at the end: {os.getloadavg()}", flush=True)
    return cases, invalid


def main() -> None:
    """Generate the elections, count them both ways and print the tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, nargs="+", default=VOTERS)
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--limit", type=float, default=LIMIT, help="seconds per pabutools call")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--add1", type=int, nargs="*", default=ADD1, help="voters for MES + Add1 rows"
    )
    parser.add_argument(
        "--worker", nargs=3, metavar=("FILE", "RULE", "CALL"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    warm_bytecode()
    cases, invalid = run_generated(args.voters, args.add1, args.repeat, args.limit, args.seed)
    print_target(cases)
    if invalid:
        print("\nINVALID: some winners differ", flush=True)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
