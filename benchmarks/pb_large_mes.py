"""Benchmark: MES + Add1 on a generated approval election of 100,000 voters and 150 projects.

Budget from the issue: under 5 s and under 1 GB. Prints a table; never run as a test.

    .venv/bin/python benchmarks/pb_large_mes.py [--voters 100000] [--projects 150]
"""

from __future__ import annotations

import argparse
import json
import resource
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


def main() -> None:
    """Generate the election, count it with the installed command and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=150)
    args = parser.parse_args()
    palabre = Path(sys.executable).with_name("palabre")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.pb"
        generate(path, args.voters, args.projects)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [str(palabre), "pb", "allocate", str(path), "--rule", "mes-add1", "--json"],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        outcome = json.loads(done.stdout)
        memory_mb = max(after.ru_maxrss, before.ru_maxrss) / 1024
        print("| voters | projects | winners | total cost | seconds (whole command) | peak MB |")
        print("|---:|---:|---:|---:|---:|---:|")
        print(
            f"| {args.voters:,} | {args.projects} | {len(outcome['winners'])} | "
            f"{outcome['total_cost']} | {seconds:.2f} (budget 5) | {memory_mb:.0f} (budget 1024) |"
        )


if __name__ == "__main__":
    main()
