"""Benchmark: this engine against pabutools 1.2.3 (greedy and MES), with identical outcomes.

Large elections are made by resampling the ballots of dev files (approval, cumulative, ordinal;
fixed seed). For them the ratio compares the whole `palabre pb allocate FILE --rule R --json`
command (interpreter start-up, imports, parsing, counting; run with a bytecode cache as an
installed command is, see `installed_env`) with pabutools' parse + rule in-process, and the
winners of every run are compared. pabutools is called as the reference
outcomes were computed (shared/data/README.md): greedy on the parsed profile, MES on
`profile.as_multiprofile()`; greedy is also timed on the multiprofile (parse + as_multiprofile +
rule), a stricter baseline. For the small dev files, where start-up dominates, the second table
compares counting time alone. Every time is the median of `--repeat` runs in this one process
(pabutools runs once when one run takes over 5 s). Prints tables; never run as a test.

    .venv/bin/python benchmarks/pb_vs_pabutools.py [--voters 20000 100000 200000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
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
SLOW = 5.0  # seconds: a pabutools call slower than this is not repeated

# (dev file, rules counted on its resampled copies). pabutools' greedy on rankings takes about
# 1 ms per voter (2 minutes at 100,000 voters), so for the ordinal file it runs at the smallest
# size only; every case run is printed.
CASES = [
    ("Poland_Wieliczka_2023_Green_Budget.pb", ("greedy", "mes")),
    ("Poland_Czestochowa_2024_Mirow.pb", ("greedy", "mes")),
    ("US_Stanford_Dataset_PB_Chicago_39th_Ward_2021_vote_rankings.pb", ("greedy", "mes")),
]
ORDINAL_GREEDY_MAX_VOTERS = 20_000


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


def _median(run: Callable[[], list[str]], repeat: int) -> tuple[float, list[list[str]]]:
    """Return the median seconds of `run` over `repeat` calls (one if slow) and its outcomes."""
    seconds: list[float] = []
    outcomes: list[list[str]] = []
    for _ in range(repeat):
        start = time.perf_counter()
        outcomes.append(run())
        seconds.append(time.perf_counter() - start)
        if seconds[-1] > SLOW:
            break
    return statistics.median(seconds), outcomes


def _ratio(theirs: float, ours: float) -> str:
    ratio = theirs / ours
    return f"{ratio:.1f}x" if ratio < 10 else f"{ratio:.0f}x"


def pabutools(path: Path, rule: str, multiprofile: bool) -> list[str]:
    """Parse with pabutools and count; return the winners in order."""
    instance, profile = parse_pabulib(str(path))
    sat = SAT[instance.meta["vote_type"]]
    if multiprofile:
        profile = profile.as_multiprofile()
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=sat, tie_breaking=TIE)
    else:
        outcome = method_of_equal_shares(instance, profile, sat_class=sat, tie_breaking=TIE)
    return [str(p.name) for p in outcome]


def installed_env() -> dict[str, str]:
    """Return the environment our command runs in: this one, with a bytecode cache.

    An installed command reads its modules' compiled bytecode (pip writes it for pabutools and
    numpy in site-packages). This repository is installed in editable mode, and a development
    shell may set PYTHONDONTWRITEBYTECODE, which makes every run compile our ~25 modules from
    source (~20 ms). So our command runs with a bytecode cache outside the repository, filled
    once by `warm_bytecode` before anything is timed.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "palabre-pb-bytecode")
    return env


def warm_bytecode() -> None:
    """Compile what the command imports into the cache of `installed_env` (not timed)."""
    modules = "import palabre.cli, palabre.pb.cli, palabre.pb.kernel, palabre.pb.explain"
    subprocess.run([sys.executable, "-c", modules], env=installed_env(), check=True)


def ours_command(path: Path, rule: str) -> list[str]:
    """Run the whole command; return the winners."""
    palabre = Path(sys.executable).with_name("palabre")
    done = subprocess.run(
        [str(palabre), "pb", "allocate", str(path), "--rule", rule, "--json"],
        capture_output=True,
        text=True,
        check=True,
        env=installed_env(),
    )
    winners: list[str] = json.loads(done.stdout)["winners"]
    return winners


def counting_only(path: Path, rule: str, repeat: int) -> tuple[float, float, bool]:
    """Return (our counting seconds, pabutools' rule seconds, same winners) on parsed files.

    Each of our runs counts a freshly read election, so that nothing one run computes and
    caches on the election (such as each project's supporter count) serves the next.
    """
    fresh = iter([read_pabulib(path) for _ in range(repeat)])

    def ours() -> list[str]:
        election = next(fresh)
        if rule == "greedy":
            options = pabutools_greedy_options(election, TieBreak.COST_VOTES_ID)
            return list(greedy(election, options).winners)
        return list(equal_shares(election, MesOptions()).winners)

    instance, profile = parse_pabulib(str(path))
    sat = SAT[instance.meta["vote_type"]]
    multi = profile.as_multiprofile()

    def theirs() -> list[str]:
        if rule == "greedy":
            out = greedy_utilitarian_welfare(instance, profile, sat_class=sat, tie_breaking=TIE)
        else:
            out = method_of_equal_shares(instance, multi, sat_class=sat, tie_breaking=TIE)
        return [str(p.name) for p in out]

    ours_s, ours_out = _median(ours, repeat)
    theirs_s, theirs_out = _median(theirs, repeat)
    same = all(o == ours_out[0] for o in ours_out + theirs_out)
    return ours_s, theirs_s, same


def main() -> None:
    """Print both tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, nargs="+", default=[20_000, 100_000, 200_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    warm_bytecode()
    print(f"load average (1, 5, 15 min) at the start: {os.getloadavg()}\n")
    print("## Resampled elections: whole command vs pabutools parse + rule (median seconds)\n")
    print(
        "| election | ballots | voters | distinct | rule | pabutools call | palabre s "
        "| pabutools s | ratio | same outcome |"
    )
    print("|---|---|---:|---:|---|---|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as folder:
        for source, rules in CASES:
            for voters in args.voters:
                path = Path(folder) / f"resampled_{voters}.pb"
                resample(DATA / source, path, voters)
                election = read_pabulib(path)
                for rule in rules:
                    ordinal = election.vote_type == "ordinal"
                    if rule == "greedy" and ordinal and voters > ORDINAL_GREEDY_MAX_VOTERS:
                        continue
                    ours_s, ours_out = _median(partial(ours_command, path, rule), args.repeat)
                    calls = [("profile", False), ("multiprofile", True)]
                    for call, multi in calls if rule == "greedy" else calls[1:]:
                        theirs_s, theirs_out = _median(
                            partial(pabutools, path, rule, multi), args.repeat
                        )
                        same = all(o == ours_out[0] for o in ours_out + theirs_out)
                        print(
                            f"| {source[:-3][:34]} | {election.vote_type} | {voters:,} | "
                            f"{len(election.groups):,} | {rule} | {call} | {ours_s:.3f} | "
                            f"{theirs_s:.2f} | {_ratio(theirs_s, ours_s)} | {same} |",
                            flush=True,
                        )
    print("\n## Dev files: counting time alone (median ms; parsing excluded on both sides)\n")
    print("| file | voters | rule | palabre ms | pabutools ms | ratio | same outcome |")
    print("|---|---:|---|---:|---:|---:|---|")
    for path in sorted(DATA.glob("*.pb")):
        voters = read_pabulib(path).num_voters
        for rule in ("greedy", "mes"):
            ours_s, theirs_s, same = counting_only(path, rule, args.repeat)
            print(
                f"| {path.stem[:40]} | {voters:,} | {rule} | {ours_s * 1000:.1f} | "
                f"{theirs_s * 1000:.1f} | {_ratio(theirs_s, ours_s)} | {same} |",
                flush=True,
            )
    print(f"\nload average (1, 5, 15 min) at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
