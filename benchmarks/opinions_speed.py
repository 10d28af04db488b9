"""Time Palabre's opinion engine against red-dwarf 0.4.0, and on a 10,000 x 1,000 conversation.

Run: .venv/bin/python benchmarks/opinions_speed.py [--repeat N] [--skip-large]
Prints a Markdown table; nothing here is a test.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from palabre.opinion_map import analyze
from palabre.opinion_map.polis_csv import read_export
from palabre.opinion_map.tests.helpers import POLIS_CONVERSATIONS as CONVERSATIONS

POLIS = Path(__file__).resolve().parents[2] / "shared" / "data" / "polis"

# Runs in a fresh interpreter so that its peak memory is the analysis's alone.
LARGE = """
import json, resource, sys, time
import numpy as np
from palabre.opinion_map import Votes, analyze
participants, statements, density = 10_000, 1_000, float(sys.argv[1])
rng = np.random.default_rng(0)
camp = rng.integers(0, 3, participants)
lean = rng.uniform(-1, 1, (3, statements))
rows, columns = np.nonzero(rng.random((participants, statements)) < density)
agree = (1 + lean[camp[rows], columns]) / 2 * 0.8
draw = rng.random(len(rows))
values = np.where(draw < agree, 1, np.where(draw < 0.8, -1, 0))
votes = Votes(rows, columns, values, rng.integers(0, 10**9, len(rows)))
del camp, lean, agree, draw, values
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
result = analyze(votes)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"votes": len(votes), "seconds": seconds, "groups": result.group_count,
                  "before_mib": before / 1024, "peak_mib": peak / 1024}))
"""


def best_of(repeat: int, function: Callable[[], object]) -> float:
    """Return the fastest of several timed runs, in seconds."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def shared_rows(repeat: int) -> list[str]:
    """Time both engines on each shared conversation, from the same in-memory votes."""
    from reddwarf.implementations.polis import run_pipeline

    rows = []
    for name in CONVERSATIONS:
        folder = POLIS / name
        conversation = read_export(folder)
        moderated = sorted(conversation.moderated_out)
        votes = conversation.votes
        # red-dwarf receives the latest vote of each pair, as the reference files were made.
        result = analyze(votes, moderated)
        del result
        latest: dict[tuple[int, int], tuple[int, int]] = {}
        for p, s, v, t in zip(
            votes.participants.tolist(),
            votes.statements.tolist(),
            votes.values.tolist(),
            votes.times.tolist(),
            strict=True,
        ):
            if (p, s) not in latest or t >= latest[p, s][1]:
                latest[p, s] = (v, t)
        records = [
            {"participant_id": p, "statement_id": s, "vote": v, "modified": t}
            for (p, s), (v, t) in latest.items()
        ]

        def red_dwarf(
            records: list[dict[str, int]] = records, moderated: list[int] = moderated
        ) -> object:
            return run_pipeline(
                votes=records,
                mod_out_statement_ids=moderated,
                random_state=0,
                reducer_kwargs={"svd_solver": "full"},
            )

        theirs = best_of(repeat, red_dwarf)
        ours = best_of(repeat, functools.partial(analyze, votes, moderated))
        end_to_end = best_of(repeat, functools.partial(_from_csv, folder))
        rows.append(
            f"| {name} | {len(votes):,} | {theirs:.3f} | {ours:.3f} | {end_to_end:.3f} "
            f"| {theirs / ours:.0f}x |"
        )
    return rows


def _from_csv(folder: Path) -> object:
    conversation = read_export(folder)
    return analyze(conversation.votes, conversation.moderated_out)


def large_rows() -> list[str]:
    """Analyse generated 10,000 x 1,000 conversations in a child process each."""
    rows = []
    for density in (0.3, 1.0):
        child = subprocess.run(
            [sys.executable, "-c", LARGE, str(density)],
            capture_output=True,
            text=True,
            check=True,
        )
        data = json.loads(child.stdout)
        rows.append(
            f"| 10,000 x 1,000, density {density:.0%} | {data['votes']:,} | {data['seconds']:.2f} "
            f"| {data['groups']} | {data['before_mib']:.0f} | {data['peak_mib']:.0f} |"
        )
    return rows


def main() -> None:
    """Print the benchmark tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    print(f"Best of {args.repeat} runs, seconds; machine: {_machine()}\n")
    print("| conversation | votes | red-dwarf 0.4.0 | Palabre | Palabre incl. CSV | speed-up |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in shared_rows(args.repeat):
        print(row)
    if not args.skip_large:
        print()
        print(
            "| generated conversation | votes | seconds | groups | RSS before (MiB) "
            "| peak RSS (MiB) |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        for row in large_rows():
            print(row)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"\nbenchmark process peak RSS: {peak} MiB")


def _machine() -> str:
    import os
    import platform

    cpu = platform.processor() or platform.machine()
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


if __name__ == "__main__":
    main()
