"""Benchmark: this engine against pabutools 1.2.3 (greedy and MES), with identical outcomes.

Large elections are made by resampling the ballots of a dev file (with a fixed seed). For them
the ratio compares the whole `palabre pb allocate ... --json` command (interpreter start-up,
parsing, counting) with pabutools' parse + rule in-process. For the small dev files, where
start-up dominates, it compares counting time alone. Prints tables; never run as a test.

    .venv/bin/python benchmarks/pb_vs_pabutools.py [--voters 20000 50000]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pabutools.election import Additive_Borda_Sat, Additive_Cardinal_Sat, Cost_Sat
from pabutools.election.pabulib import parse_pabulib
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule

from palabre.pb import MesOptions, TieBreak, equal_shares, greedy, read_pabulib
from palabre.pb.greedy import pabutools_greedy_options

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "pabulib"
SAT = {"approval": Cost_Sat, "choose-1": Cost_Sat, "cumulative": Additive_Cardinal_Sat}
SAT["ordinal"] = Additive_Borda_Sat


def _support(profile: Any, project: Any) -> int:
    return sum(profile.multiplicity(ballot) for ballot in profile if project in ballot)


TIE = TieBreakingRule(lambda inst, prof, proj: (proj.cost, -_support(prof, proj), str(proj.name)))


def resample(source: Path, target: Path, voters: int, seed: int = 1) -> None:
    """Write `source` with `voters` ballots drawn with replacement from its own ballots."""
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    votes = next(i for i, line in enumerate(lines) if line.strip().upper() == "VOTES")
    head, header, ballots = lines[: votes + 1], lines[votes + 1], lines[votes + 2 :]
    rng = random.Random(seed)
    head = [f"num_votes;{voters}" if h.startswith("num_votes;") else h for h in head]
    rows = [f"{n};{rng.choice(ballots).split(';', 1)[1]}" for n in range(voters)]
    target.write_text("\n".join([*head, header, *rows]) + "\n", encoding="utf-8")


def pabutools(path: Path, rule: str) -> tuple[list[str], float]:
    """Return pabutools' winners and its parse + rule seconds."""
    start = time.perf_counter()
    instance, profile = parse_pabulib(str(path))
    sat = SAT[instance.meta["vote_type"]]
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=sat, tie_breaking=TIE)
    else:
        multi = profile.as_multiprofile()
        outcome = method_of_equal_shares(instance, multi, sat_class=sat, tie_breaking=TIE)
    return [str(p.name) for p in outcome], time.perf_counter() - start


def ours_command(path: Path, rule: str) -> tuple[list[str], float]:
    """Return our winners and the wall time of the whole command."""
    palabre = Path(sys.executable).with_name("palabre")
    start = time.perf_counter()
    done = subprocess.run(
        [str(palabre), "pb", "allocate", str(path), "--rule", rule, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)["winners"], time.perf_counter() - start


def counting_only(path: Path, rule: str) -> tuple[float, float]:
    """Return (our counting seconds, pabutools' rule seconds) on an already parsed file."""
    election = read_pabulib(path)
    start = time.perf_counter()
    if rule == "greedy":
        greedy(election, pabutools_greedy_options(election, TieBreak.COST_VOTES_ID))
    else:
        equal_shares(election, MesOptions())
    ours = time.perf_counter() - start
    instance, profile = parse_pabulib(str(path))
    sat = SAT[instance.meta["vote_type"]]
    start = time.perf_counter()
    if rule == "greedy":
        greedy_utilitarian_welfare(instance, profile, sat_class=sat, tie_breaking=TIE)
    else:
        method_of_equal_shares(instance, profile.as_multiprofile(), sat_class=sat, tie_breaking=TIE)
    return ours, time.perf_counter() - start


def main() -> None:
    """Print both tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, nargs="+", default=[20_000, 50_000])
    parser.add_argument("--source", default="Poland_Wieliczka_2023_Green_Budget.pb")
    args = parser.parse_args()
    print("## Large resampled elections: whole command vs pabutools parse + rule\n")
    print("| election | voters | rule | palabre s | pabutools s | ratio | same outcome |")
    print("|---|---:|---|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as folder:
        for voters in args.voters:
            path = Path(folder) / f"resampled_{voters}.pb"
            resample(DATA / args.source, path, voters)
            for rule in ("greedy", "mes"):
                ours, ours_s = ours_command(path, rule)
                theirs, theirs_s = pabutools(path, rule)
                print(
                    f"| {args.source[:-3]} | {voters:,} | {rule} | {ours_s:.2f} | "
                    f"{theirs_s:.2f} | {theirs_s / ours_s:.0f}x | {ours == theirs} |"
                )
    print("\n## Dev files: counting time alone\n")
    print("| file | rule | palabre ms | pabutools ms | ratio |")
    print("|---|---|---:|---:|---:|")
    for path in sorted(DATA.glob("*.pb")):
        for rule in ("greedy", "mes"):
            ours_s, theirs_s = counting_only(path, rule)
            print(
                f"| {path.stem[:40]} | {rule} | {ours_s * 1000:.1f} | {theirs_s * 1000:.1f} | "
                f"{theirs_s / ours_s:.0f}x |"
            )


if __name__ == "__main__":
    main()
