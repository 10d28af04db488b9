"""`palabre pb`: count pabulib files from the command line, without a database.

    palabre pb allocate FILE.pb --rule greedy|mes|mes-add1|official [--json]
    palabre pb explain FILE.pb --rule ... PROJECT_ID [--lang fr|nl|en] [--json]
    palabre pb check FILE.pb
    palabre pb export FILE.pb OUT.pb

Exit codes: 0 success, 2 bad input or usage (with a message, never a traceback).

Start-up is part of the count's cost (see docs/pb.md, ADR 0067): numpy is imported only by the
MES kernel and the numpy reader of large files, the explanation texts and `json` only by
`explain`.
"""

from __future__ import annotations

import argparse
import os
import sys
from fractions import Fraction
from typing import TextIO

from palabre.command_line import EXIT_BAD_INPUT, Parser, parse
from palabre.pb.errors import PbError
from palabre.pb.greedy import GreedyOptions
from palabre.pb.i18n import LANGUAGES, Lang
from palabre.pb.mes import MesOptions, Stop
from palabre.pb.model import Election
from palabre.pb.pabulib import read_pabulib, write_pabulib
from palabre.pb.result import Result
from palabre.pb.rules import RULES, allocate
from palabre.pb.scores import Utility
from palabre.pb.tiebreak import TieBreak


def _fraction(text: str) -> Fraction:
    try:
        return Fraction(text.replace(",", "."))
    except (ValueError, ZeroDivisionError):
        raise argparse.ArgumentTypeError(f"expected a number, found {text!r}") from None


def _add_rule_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="a pabulib .pb file")
    parser.add_argument("--rule", choices=RULES, required=True)
    parser.add_argument(
        "--tie-break",
        choices=[t.value for t in TieBreak],
        default=TieBreak.COST_VOTES_ID.value,
        help="cost-votes-id (default) or lexicographic (pabutools' default)",
    )
    parser.add_argument(
        "--score",
        choices=[u.value for u in Utility],
        help="greedy: rank by this total score instead of pabutools' utility per cost",
    )
    parser.add_argument("--no-skip", action="store_true", help="greedy: stop at the first misfit")
    parser.add_argument("--threshold", type=int, default=0, help="greedy: minimum total score")
    parser.add_argument(
        "--utility", choices=[u.value for u in Utility], help="mes: utility (default: pabutools')"
    )
    parser.add_argument("--increment", type=_fraction, help="mes-add1: per-voter increment (1)")
    parser.add_argument("--start", type=_fraction, help="mes-add1: start budget per voter")
    parser.add_argument("--stop", choices=[s.value for s in Stop], default=Stop.EXHAUSTIVE.value)
    parser.add_argument("--completion", action="store_true", help="mes: greedy completion")
    parser.add_argument("--comparison", action="store_true", help="mes: keep greedy if preferred")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _columns() -> int:
    """Return the terminal width as `shutil.get_terminal_size().columns` does."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, measuring the terminal without importing `shutil`.

    argparse builds a formatter for every argument added (to check its metavar), and the
    default one imports shutil (with bz2, lzma, ...) to measure the terminal: ~2 ms of every
    command, for help that is rarely printed. The width is the same (ADR 0067).
    """

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        width = _columns() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, width)


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="palabre pb", description="Participatory-budgeting counts.", formatter_class=_Formatter
    )
    # An explicit prog: argparse would otherwise format the parent's usage now to find it.
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=Parser, prog="palabre pb"
    )
    allocate_cmd = commands.add_parser(
        "allocate", help="count an election", formatter_class=_Formatter
    )
    _add_rule_options(allocate_cmd)
    explain_cmd = commands.add_parser(
        "explain", help="why a project was or was not funded", formatter_class=_Formatter
    )
    _add_rule_options(explain_cmd)
    explain_cmd.add_argument("project", help="the project id")
    explain_cmd.add_argument("--lang", choices=LANGUAGES, default="en")
    check_cmd = commands.add_parser(
        "check", help="read a file and summarise it", formatter_class=_Formatter
    )
    check_cmd.add_argument("file")
    export_cmd = commands.add_parser(
        "export", help="read a file and write it back", formatter_class=_Formatter
    )
    export_cmd.add_argument("file")
    export_cmd.add_argument("out", help="output path, or - for standard output")
    return parser


def _count(election: Election, args: argparse.Namespace) -> Result:
    tie_break = TieBreak(args.tie_break)
    greedy_options = None
    if args.score or args.no_skip or args.threshold:
        greedy_options = GreedyOptions(
            score=Utility(args.score) if args.score else Utility.VOTES,
            skip=not args.no_skip,
            threshold=args.threshold,
            tie_break=tie_break,
        )
    mes_options = None
    if args.rule in ("mes", "mes-add1"):
        increment = args.increment
        if args.rule == "mes-add1" and increment is None:
            increment = Fraction(1)
        mes_options = MesOptions(
            utility=Utility(args.utility) if args.utility else None,
            tie_break=tie_break,
            increment=increment if args.rule == "mes-add1" else None,
            start=args.start,
            stop=Stop(args.stop),
            completion=args.completion,
            comparison=args.comparison,
        )
    return allocate(election, args.rule, tie_break, greedy_options, mes_options)


def _money(election: Election, amount: int) -> str:
    """Return a scaled amount in the file's currency unit with its exact decimal digits.

    The text is also a valid JSON number (an integer when the amount is whole); it never goes
    through a float, so `123456789.05` stays `123456789.05`.
    """
    whole, rest = divmod(amount, election.money_scale)
    if not rest:
        return str(whole)
    digits = len(str(election.money_scale)) - 1  # money_scale is a power of ten
    return f"{whole}.{rest:0{digits}d}".rstrip("0")  # amounts are never negative


# JSON string escapes as `json.dumps(..., ensure_ascii=False)` writes them: importing `json` is
# ~2 ms of a command that prints three fields.
_JSON_ESCAPES = {i: f"\\u{i:04x}" for i in range(0x20)} | {
    ord(c): e
    for c, e in (
        ('"', '\\"'),
        ("\\", "\\\\"),
        ("\n", "\\n"),
        ("\r", "\\r"),
        ("\t", "\\t"),
        ("\b", "\\b"),
        ("\f", "\\f"),
    )
}


def json_string(text: str) -> str:
    """Return `text` as a JSON string, exactly as `json.dumps(text, ensure_ascii=False)`."""
    return '"' + text.translate(_JSON_ESCAPES) + '"'


def _run(args: argparse.Namespace, out: TextIO) -> int:
    # MES loads numpy for its kernel: then the numpy reader is worth it at any size (ADR 0067).
    mes = getattr(args, "rule", None) in ("mes", "mes-add1")
    election = read_pabulib(args.file, vectorise=True if mes else None)
    if args.command == "check":
        out.write(
            f"{args.file}: {election.vote_type} ballots, {election.num_voters} voters "
            f"({len(election.groups)} distinct ballots), {len(election.projects)} projects, "
            f"budget {_money(election, election.budget)}\n"
        )
        return 0
    if args.command == "export":
        content = write_pabulib(election)
        if args.out == "-":
            out.write(content)
        else:
            with open(args.out, "w", encoding="utf-8", newline="") as handle:
                handle.write(content)
        return 0
    result = _count(election, args)
    if args.command == "allocate":
        if args.json:
            # What json.dumps(..., ensure_ascii=False) writes; total_cost is a JSON number written
            # from its exact digits, not from a float.
            winners = ", ".join(map(json_string, result.winners))
            out.write(
                f'{{"rule": {json_string(result.rule)}, "winners": [{winners}], '
                f'"total_cost": {_money(election, result.total_cost)}}}\n'
            )
            return 0
        names = {p.id: p for p in election.projects}
        out.write(f"{result.rule}: {len(result.winners)} projects funded\n")
        for rank, winner in enumerate(result.winners, start=1):
            project = names[winner]
            out.write(f"{rank:>3}. {winner}  {_money(election, project.cost)}  {project.name}\n")
        out.write(f"total cost {_money(election, result.total_cost)}\n")
        return 0
    import json

    from palabre.pb.explain import explanation_data, explanation_text

    election.index_of(args.project)
    explanation = result.explanations[args.project]
    if args.json:
        data = explanation_data(election, explanation)
        data["text"] = explanation_text(election, result, args.project, args.lang)
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        lang: Lang = args.lang
        out.write(explanation_text(election, result, args.project, lang) + "\n")
    return 0


# A file at least this large is read and counted with numpy arrays of megabytes (ADR 0067).
LARGE_FILE_BYTES = 1_000_000
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters


def _keep_freed_memory() -> None:
    """Ask glibc's malloc to reuse the memory of freed arrays instead of returning it.

    By default every block of 128 KiB or more is mapped fresh and unmapped when freed, so each
    temporary array of a large count costs page faults and zeroed pages again: 15-20% of the
    CPU time of a command on 50,000-100,000 distinct ballots (ADR 0067). A command is a short
    process, so keeping its peak memory until it exits costs nothing; a server that imports
    `palabre.pb` is not concerned (only the command calls this). Elsewhere than glibc, nothing.
    """
    try:
        import ctypes  # numpy imports it anyway

        mallopt = ctypes.CDLL(None).mallopt
        mallopt(_M_MMAP_THRESHOLD, 32 << 20)  # glibc's largest: larger arrays are still mapped
        mallopt(_M_TRIM_THRESHOLD, 256 << 20)
    except (AttributeError, OSError, TypeError):  # not glibc
        return


def _large(path: str) -> bool:
    try:
        return os.path.getsize(path) >= LARGE_FILE_BYTES
    except OSError:  # the reader says why
        return False


def main(argv: list[str]) -> int:
    """Run `palabre pb ARGS...` and return the exit code."""
    # MES needs no multi-threaded BLAS, and OpenBLAS starting one thread per core when numpy is
    # imported costs ~50 ms of CPU per command (ADR 0015). An explicit setting is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    args = parse(_parser(), argv)
    if isinstance(args, int):
        return args
    if _large(args.file):
        _keep_freed_memory()
    try:
        return _run(args, sys.stdout)
    except PbError as error:
        sys.stderr.write(f"error: {error}\n")
        return EXIT_BAD_INPUT
