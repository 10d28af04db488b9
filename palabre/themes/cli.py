"""`palabre themes`: train, measure and try the theme-suggestion model without a database.

    palabre themes evaluate --train TRAIN.csv --test TEST.csv [--json]
    palabre themes crossval FILE.csv [FILE.csv ...] [--folds 5] [--seed 0] [--json]
    palabre themes suggest "texte d'une contribution" [--train TRAIN.csv] [-k 3] [--json]

CSV files are UTF-8 with a header row and the columns `text` and `theme` (others are ignored).
Exit codes: 0 done, 2 unusable input (the message says why). Notes go to standard error so that
standard output stays one JSON object with --json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from palabre.command_line import EXIT_BAD_INPUT, EXIT_OK, Parser, parse
from palabre.themes.evaluation import Evaluation, cross_validate, train_and_evaluate
from palabre.themes.labelled import LabelledSet, builtin, read_labelled
from palabre.themes.model import ThemesError, train

PROG = "palabre themes"


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive whole number")
    return value


def _parser() -> Parser:
    parser = Parser(prog=PROG, description="Offline theme suggestion for contributions.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    run = commands.add_parser(
        "evaluate",
        help="train on TRAIN, suggest themes for TEST, print n, top1 and top3",
        description="Train the platform's theme model on the labelled texts of TRAIN, suggest "
        "themes for the texts of TEST and print top-1 and top-3 accuracy.",
    )
    run.add_argument("--train", type=Path, required=True, metavar="TRAIN.csv")
    run.add_argument("--test", type=Path, required=True, metavar="TEST.csv")
    run.add_argument("--json", action="store_true", help="print the result as one JSON object")
    cross = commands.add_parser(
        "crossval",
        help="stratified k-fold cross-validation on the union of labelled files",
    )
    cross.add_argument("files", type=Path, nargs="+", metavar="FILE.csv")
    cross.add_argument("--folds", type=_positive, default=5, help="default %(default)s")
    cross.add_argument("--seed", type=int, default=0, help="fold shuffling seed (default 0)")
    cross.add_argument("--json", action="store_true", help="print the result as one JSON object")
    suggest = commands.add_parser("suggest", help="suggest themes for one or more texts")
    suggest.add_argument("texts", nargs="+", metavar="TEXT")
    suggest.add_argument(
        "--train", type=Path, metavar="TRAIN.csv", help="labelled texts (default: shipped set)"
    )
    suggest.add_argument("-k", type=_positive, default=3, help="themes per text (default 3)")
    suggest.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def _note(message: str, notes: list[str]) -> None:
    notes.append(message)
    sys.stderr.write(f"{PROG}: note: {message}\n")


def _skipped_notes(label: str, data: LabelledSet, notes: list[str]) -> None:
    if data.skipped:
        rows = "row was" if data.skipped == 1 else "rows were"
        _note(f"{label}: {data.skipped} {rows} skipped (no text or no theme)", notes)


def _unknown_note(result: Evaluation, notes: list[str]) -> None:
    if result.unknown:
        count = sum(result.unknown.values())
        listed = ", ".join(f"{theme!r} ({n})" for theme, n in result.unknown.items())
        _note(
            f"{count} test text(s) have a theme unknown to training: {listed}; "
            "they count as misses",
            notes,
        )


def _report(result: Evaluation, notes: list[str], as_json: bool) -> None:
    if as_json:
        data: dict[str, Any] = result.to_json()
        data["notes"] = notes
        json.dump(data, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    lines = [
        f"n: {result.n}",
        f"top1: {result.top1:.4f}  ({result.hits1}/{result.n})",
        f"top3: {result.top3:.4f}  ({result.hits3}/{result.n})",
        f"trained on: {result.train_n} texts, {len(result.themes)} themes"
        + (f" (mean of {result.folds} folds)" if result.folds else ""),
        "",
        f"{'theme':<24}{'n':>5}{'top1':>8}{'top3':>8}",
    ]
    for theme, score in result.per_theme.items():
        lines.append(
            f"{theme:<24}{score.n:>5}{score.hits1 / score.n:>8.2f}{score.hits3 / score.n:>8.2f}"
        )
    if result.confusions:
        lines += ["", "most frequent first-suggestion errors (theme -> suggested: count):"]
        lines += [f"  {t} -> {s}: {c}" for t, s, c in result.confusions[:8]]
    sys.stdout.write("\n".join(lines) + "\n")


def _evaluate(args: argparse.Namespace) -> int:
    notes: list[str] = []
    training = read_labelled(args.train)
    test = read_labelled(args.test)
    _skipped_notes(str(args.train), training, notes)
    _skipped_notes(str(args.test), test, notes)
    result = train_and_evaluate(training, test)
    _unknown_note(result, notes)
    _report(result, notes, args.json)
    return EXIT_OK


def _crossval(args: argparse.Namespace) -> int:
    notes: list[str] = []
    data = LabelledSet((), ())
    for path in args.files:
        part = read_labelled(path)
        _skipped_notes(str(path), part, notes)
        data = data + part
    result = cross_validate(data, folds=args.folds, seed=args.seed)
    _report(result, notes, args.json)
    return EXIT_OK


def _suggest(args: argparse.Namespace) -> int:
    notes: list[str] = []
    training = builtin("train") if args.train is None else read_labelled(args.train)
    _skipped_notes(str(args.train or "shipped train.csv"), training, notes)
    model = train(training.texts, training.themes)
    results = [(text, model.suggest(text, k=args.k)) for text in args.texts]
    if args.json:
        payload = [
            {
                "text": text,
                "suggestions": [{"theme": s.theme, "score": round(s.score, 4)} for s in ranked],
            }
            for text, ranked in results
        ]
        json.dump(payload, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for text, ranked in results:
            sys.stdout.write(f"{text}\n")
            sys.stdout.writelines(f"  {s.score:6.1%}  {s.theme}\n" for s in ranked)
    return EXIT_OK


def main(argv: list[str]) -> int:
    """Run `palabre themes ARGS...` and return the exit code."""
    args = parse(_parser(), argv)
    if isinstance(args, int):
        return args
    handlers = {"evaluate": _evaluate, "crossval": _crossval, "suggest": _suggest}
    try:
        return handlers[args.command](args)
    except ThemesError as error:
        sys.stderr.write(f"{PROG}: error: {error}\n")
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
