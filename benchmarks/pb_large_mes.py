"""Benchmark: MES + Add1 on a generated approval election of 100,000 voters and 150 projects.

Budget from the issue: under 5 s and under 1 GB, for the whole `palabre pb allocate` command.
Every ballot is distinct, so grouping does not help. Prints the median of `--repeat` runs and the
largest peak memory (maximum resident set size of the command); the command runs with a bytecode
cache, as an installed command does (one untimed run fills it). Never run as a test.

    .venv/bin/python benchmarks/pb_large_mes.py [--voters 100000] [--projects 150] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def generate(path: Path, voters: int, projects: int, seed: int = 7) -> None:
    """Write a pabulib approval election: 6 districts, district-leaning voters, skewed tastes."""
    rng = np.random.default_rng(seed)
    costs = (rng.integers(5, 300, size=projects) * 1000).tolist()
    district = rng.integers(0, 6, size=projects)
    popularity = rng.beta(1.2, 9.0, size=projects)
    home = rng.integers(0, 6, size=voters)
    lines = [
        "META",
        "key;value",
        "description;generated benchmark",
        f"num_projects;{projects}",
        f"num_votes;{voters}",
        f"budget;{sum(costs) // 5}",
        "vote_type;approval",
        "PROJECTS",
        "project_id;cost;name",
    ]
    lines += [f"p{i};{c};project {i}" for i, c in enumerate(costs)]
    lines += ["VOTES", "voter_id;vote"]
    for v in range(voters):
        boost = np.where(district == home[v], 2.5, 0.6)
        chosen = np.flatnonzero(rng.random(projects) < np.minimum(popularity * boost, 0.9))
        if len(chosen) == 0:
            chosen = np.array([int(rng.integers(projects))])
        lines.append(f"v{v};" + ",".join(f"p{i}" for i in chosen))
    path.write_text("\n".join(lines) + "\n")


def installed_env() -> dict[str, str]:
    """Return this environment with a bytecode cache, as `pb_vs_pabutools.installed_env`."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "palabre-pb-bytecode")
    return env


def run_once(palabre: Path, path: Path) -> tuple[float, float, dict[str, object]]:
    """Run the command once; return its seconds, its peak memory in MB and its JSON output."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [str(palabre), "pb", "allocate", str(path), "--rule", "mes-add1", "--json"],
        stdout=subprocess.PIPE,
        text=True,
        env=installed_env(),
    )
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"the command failed with exit code {child.returncode}")
    outcome: dict[str, object] = json.loads(out)
    return seconds, usage.ru_maxrss / 1024, outcome


def main() -> None:
    """Generate the election, count it with the installed command and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    palabre = Path(sys.executable).with_name("palabre")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.pb"
        generate(path, args.voters, args.projects)
        run_once(palabre, path)  # fills the bytecode cache; not counted
        load_before = os.getloadavg()
        runs = [run_once(palabre, path) for _ in range(args.repeat)]
    print(f"load average (1, 5, 15 min) before: {load_before}, after: {os.getloadavg()}\n")
    outcomes = [json.dumps(outcome, sort_keys=True) for _, _, outcome in runs]
    assert len(set(outcomes)) == 1, "the runs disagree"
    outcome = runs[0][2]
    winners = outcome["winners"]
    assert isinstance(winners, list)
    seconds = [s for s, _, _ in runs]
    print(
        "| voters | projects | winners | total cost | seconds, whole command "
        "(median; min-max) | peak MB (max) |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {args.voters:,} | {args.projects} | {len(winners)} | {outcome['total_cost']} | "
        f"{statistics.median(seconds):.2f} ({min(seconds):.2f}-{max(seconds):.2f}; budget 5) | "
        f"{max(m for _, m, _ in runs):.0f} (budget 1024) |"
    )


if __name__ == "__main__":
    main()
