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
(pabutools runs once when one run takes over 5 s). The generated elections of
`pb_generated.py` (almost every ballot distinct) run in the same run, with their own table,
unless `--no-generated`. Last comes the target of issue 18: one table of every case, resampled
or generated, where pabutools' parse + rule took 10 s or more, with our ratio and whether it is
50x or more, and a "target met: yes/no" line; the same judgement on CPU time is printed with it
(see `print_target`). Prints tables; never run as a test.

    .venv/bin/python -m benchmarks.pb_vs_pabutools [--voters 20000 100000 200000] [--repeat 5]
        [--no-generated]      (from the repository root)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from pabutools.election import Additive_Borda_Sat, Additive_Cardinal_Sat, Cost_Sat
from pabutools.election.pabulib import parse_pabulib
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule

from palabre.pb import MesOptions, TieBreak, equal_shares, greedy, read_pabulib
from palabre.pb.greedy import pabutools_greedy_options

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "pabulib"
SAT = {"approval": Cost_Sat, "choose-1": Cost_Sat, "cumulative": Additive_Cardinal_Sat}
SAT["ordinal"] = Additive_Borda_Sat
SLOW = 5.0  # seconds: a pabutools call slower than this is not repeated
# Issue 18: the whole command at least TARGET_RATIO times faster than pabutools' parse + rule on
# every election where pabutools takes TARGET_SECONDS or more.
TARGET_SECONDS = 10.0
TARGET_RATIO = 50.0

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


def cpu_seconds() -> float:
    """Return the CPU time (user + system) used so far by this process and its waited children.

    Wall-clock time on a shared machine also counts the time spent waiting for a core; CPU time
    is the work itself, much less sensitive to what else runs (ADR 0067).
    """
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _median(run: Callable[[], list[str]], repeat: int) -> tuple[float, float, list[list[str]]]:
    """Return the median wall and CPU seconds of `run` over `repeat` calls (one if slow) and
    its outcomes."""
    seconds: list[float] = []
    cpus: list[float] = []
    outcomes: list[list[str]] = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), cpu_seconds()
        outcomes.append(run())
        seconds.append(time.perf_counter() - start)
        cpus.append(cpu_seconds() - cpu)
        if seconds[-1] > SLOW:
            break
    return statistics.median(seconds), statistics.median(cpus), outcomes


def _ratio(theirs: float, ours: float) -> str:
    ratio = theirs / ours
    return f"{ratio:.1f}x" if ratio < 10 else f"{ratio:.0f}x"


class Case(NamedTuple):
    """One timed comparison: our whole command against one pabutools call."""

    benchmark: str  # "resampled" or "generated"
    election: str
    voters: int
    rule: str
    call: str  # how pabutools was called: "profile" or "multiprofile"
    ours: float  # seconds, whole command
    theirs: float  # seconds, parse + rule (the limit when `killed`)
    killed: bool  # pabutools was stopped at the limit: its time is a lower bound
    same: bool  # identical winners in every run
    ours_cpu: float  # CPU seconds of the whole command (and of starting it)
    theirs_cpu: float | None  # CPU seconds of parse + rule (None when killed)


def _verdict(met: bool | None, same: bool) -> str:
    if met is None:
        return "n/a"
    return "yes" if met else "no" if same else "no (winners differ)"


def print_target(cases: list[Case]) -> bool:
    """Print every case where pabutools took TARGET_SECONDS or more; return whether all met it.

    A case meets the target when our command is TARGET_RATIO times faster or more and the
    winners are identical. A killed pabutools call counts with its limit (a lower bound). The
    target is judged on wall-clock time, as issue 18 states it; the same judgement on CPU time
    (cases where pabutools used TARGET_SECONDS of CPU or more, CPU ratio) follows, because on a
    shared machine wall-clock times grow with the load on both sides and a case whose pabutools
    time crosses 10 s only because of the load enters the wall-clock table (ADR 0067).
    """
    slow = [c for c in cases if c.theirs >= TARGET_SECONDS]
    slow_cpu = [c for c in cases if c.theirs_cpu is not None and c.theirs_cpu >= TARGET_SECONDS]
    shown = [c for c in cases if c in slow or c in slow_cpu]
    print(
        f"\n## Target: whole command >= {TARGET_RATIO:g}x pabutools parse + rule wherever "
        f"pabutools took >= {TARGET_SECONDS:g} s (this run)\n"
    )
    print(
        "| benchmark | election | voters | rule | pabutools call | ours s | pabutools s "
        f"| ratio | >= {TARGET_RATIO:g}x | ours CPU s | pabutools CPU s | CPU ratio "
        f"| >= {TARGET_RATIO:g}x on CPU |"
    )
    print("|---|---|---:|---|---|---:|---:|---:|---|---:|---:|---:|---|")
    met = met_cpu = True
    for c in shown:
        ok = c.same and c.theirs / c.ours >= TARGET_RATIO if c in slow else None
        ok_cpu = None
        cpu_ratio, theirs_cpu = "n/a", "n/a"
        if c.theirs_cpu is not None:
            theirs_cpu = f"{c.theirs_cpu:.2f}"
            cpu_ratio = _ratio(c.theirs_cpu, c.ours_cpu)
            if c in slow_cpu:
                ok_cpu = c.same and c.theirs_cpu / c.ours_cpu >= TARGET_RATIO
        met &= ok is not False
        met_cpu &= ok_cpu is not False
        bound = "> " if c.killed else ""
        print(
            f"| {c.benchmark} | {c.election} | {c.voters:,} | {c.rule} | {c.call} | "
            f"{c.ours:.3f} | {bound}{c.theirs:.2f} | {bound}{_ratio(c.theirs, c.ours)} | "
            f"{_verdict(ok, c.same)} | {c.ours_cpu:.3f} | {theirs_cpu} | {cpu_ratio} | "
            f"{_verdict(ok_cpu, c.same)} |",
            flush=True,
        )
    at_target = sum(c.same and c.theirs / c.ours >= TARGET_RATIO for c in slow)
    at_target_cpu = sum(
        c.same and c.theirs_cpu is not None and c.theirs_cpu / c.ours_cpu >= TARGET_RATIO
        for c in slow_cpu
    )
    print(
        f"\nWall clock: {len(slow)} of {len(cases)} cases took pabutools >= "
        f"{TARGET_SECONDS:g} s, {at_target} of them at >= {TARGET_RATIO:g}x. CPU time: "
        f"{len(slow_cpu)} cases used >= {TARGET_SECONDS:g} s of pabutools CPU, {at_target_cpu} "
        f"of them at >= {TARGET_RATIO:g}x. Load average (1, 5, 15 min) now: {os.getloadavg()}"
    )
    print(f"target met on CPU time: {'yes' if met_cpu and slow_cpu else 'no'}")
    print(f"target met: {'yes' if met and slow else 'no'}", flush=True)
    return met and bool(slow)


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
    modules = (
        "import palabre.cli, palabre.pb.cli, palabre.pb.kernel, palabre.pb.explain, "
        "palabre.pb.vectorised"
    )
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
    caches on the election (such as each project's supporter count) serves the next. Merging
    identical ballots is part of reading: the numpy reader (ADR 0067) leaves it until something
    needs it, so it is done here, before the count is timed, as the pure-Python reader does it.
    """
    elections = [read_pabulib(path) for _ in range(repeat)]
    for election in elections:
        _ = election.arrays  # merged now, if read with numpy
    fresh = iter(elections)

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

    ours_s, _, ours_out = _median(ours, repeat)
    theirs_s, _, theirs_out = _median(theirs, repeat)
    same = all(o == ours_out[0] for o in ours_out + theirs_out)
    return ours_s, theirs_s, same


def main() -> None:
    """Print the tables, then the target table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, nargs="+", default=[20_000, 100_000, 200_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--no-generated",
        dest="generated",
        action="store_false",
        help="skip the generated elections of pb_generated.py (default: run them too)",
    )
    args = parser.parse_args()
    cases: list[Case] = []
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
                    ours_s, ours_cpu, ours_out = _median(
                        partial(ours_command, path, rule), args.repeat
                    )
                    calls = [("profile", False), ("multiprofile", True)]
                    for call, multi in calls if rule == "greedy" else calls[1:]:
                        theirs_s, theirs_cpu, theirs_out = _median(
                            partial(pabutools, path, rule, multi), args.repeat
                        )
                        same = all(o == ours_out[0] for o in ours_out + theirs_out)
                        name = source[:-3][:34]
                        cases.append(
                            Case(
                                "resampled",
                                name,
                                voters,
                                rule,
                                call,
                                ours_s,
                                theirs_s,
                                False,
                                same,
                                ours_cpu,
                                theirs_cpu,
                            )
                        )
                        print(
                            f"| {name} | {election.vote_type} | {voters:,} | "
                            f"{len(election.groups):,} | {rule} | {call} | {ours_s:.3f} | "
                            f"{theirs_s:.2f} | {_ratio(theirs_s, ours_s)} | {same} |",
                            flush=True,
                        )
    invalid = not all(c.same for c in cases)
    if args.generated:
        if str(ROOT) not in sys.path:  # run as a script: `benchmarks` is not importable yet
            sys.path.insert(0, str(ROOT))
        from benchmarks.pb_generated import ADD1, LIMIT, REPEAT, SEED, VOTERS, run_generated

        print("\n## Generated elections: whole command vs pabutools parse + rule\n")
        generated, generated_invalid = run_generated(VOTERS, ADD1, REPEAT, LIMIT, SEED)
        cases += generated
        invalid |= generated_invalid
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
    print_target(cases)
    if invalid:
        print("\nINVALID: some winners differ", flush=True)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
