"""`palabre opinions`: analyse a Pol.is export from the command line, without a database."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from palabre.command_line import EXIT_BAD_INPUT, EXIT_OK, Parser, parse
from palabre.opinion_map.labels import LANGUAGES, Language
from palabre.opinion_map.model import OpinionMapError, Parameters
from palabre.opinion_map.pipeline import analyze
from palabre.opinion_map.polis_csv import read_export
from palabre.opinion_map.render import html_page, svg_map, text_report


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive whole number")
    return value


def _parser() -> Parser:
    parser = Parser(prog="palabre opinions", description="Pol.is-style opinion mapping.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    run = commands.add_parser("analyze", help="analyse a Pol.is CSV export")
    run.add_argument("directory", type=Path, help="folder with comments.csv and votes.csv")
    run.add_argument("--json", action="store_true", help="print the result as one JSON object")
    run.add_argument(
        "--details", action="store_true", help="with --json: add coordinates and statistics"
    )
    run.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the report")
    run.add_argument("--svg", type=Path, metavar="FILE", help="write the opinion map as SVG")
    run.add_argument("--html", type=Path, metavar="FILE", help="write map and tables as HTML")
    defaults = Parameters()
    run.add_argument(
        "--min-votes",
        type=_positive,
        default=defaults.min_votes,
        help="votes a participant needs to be grouped (default %(default)s)",
    )
    run.add_argument("--min-groups", type=_positive, default=defaults.min_groups)
    run.add_argument("--max-groups", type=_positive, default=defaults.max_groups)
    run.add_argument(
        "--pick", type=_positive, default=defaults.pick_max, help="statements listed per table"
    )
    run.add_argument(
        "--extra-start",
        action="store_true",
        help="also try a farthest-first k-means start; keep the better silhouette",
    )
    return parser


def main(argv: list[str]) -> int:
    """Run `palabre opinions ARGS...` and return the exit code."""
    args = parse(_parser(), argv)
    if isinstance(args, int):
        return args
    try:
        parameters = Parameters(
            min_votes=args.min_votes,
            min_groups=args.min_groups,
            max_groups=args.max_groups,
            pick_max=args.pick,
            extra_start=args.extra_start,
        )
        conversation = read_export(args.directory)
        result = analyze(
            conversation.votes,
            conversation.moderated_out,
            parameters,
            statements=conversation.statements,
            statement_times=conversation.statement_times,
        )
    except OpinionMapError as error:
        sys.stderr.write(f"palabre opinions: error: {error}\n")
        return EXIT_BAD_INPUT
    language: Language = args.lang
    texts = {s.id: s.text for s in conversation.statements.values()}
    try:
        if args.svg:
            args.svg.write_text(svg_map(result, language), encoding="utf-8")
        if args.html:
            args.html.write_text(html_page(result, texts, language), encoding="utf-8")
    except OSError as error:
        sys.stderr.write(f"palabre opinions: error: cannot write {error.filename}: {error}\n")
        return EXIT_BAD_INPUT
    if args.json:
        json.dump(result.to_json(details=args.details), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text_report(result, texts, language))
    return EXIT_OK
