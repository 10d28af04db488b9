"""`palabre opinions import` and `palabre opinions export`: Pol.is exports in and out of the
database (the other `palabre opinions` verbs are the engine's, without a database).

    palabre opinions import DIR --title TITLE [--neighbourhood SLUG]   prints the new URL
    palabre opinions export SLUG DIR                                   writes comments.csv and
                                                                       votes.csv into DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from palabre.command_line import EXIT_BAD_INPUT, EXIT_OK, Parser, parse
from palabre.core.commands import setup_django

EXIT_DATABASE = 1
PROG = "palabre opinions"


def _parser() -> Parser:
    parser = Parser(prog=PROG, description="Pol.is exports in and out of Palabre's database.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    load = commands.add_parser(
        "import",
        help="import a Pol.is export as a published conversation; print its address",
    )
    load.add_argument("directory", type=Path, help="folder with comments.csv and votes.csv")
    load.add_argument("--title", required=True, help="the conversation's title")
    load.add_argument(
        "--neighbourhood", metavar="SLUG", help="the neighbourhood it belongs to (short name)"
    )
    save = commands.add_parser("export", help="write a conversation as a Pol.is export")
    save.add_argument("slug", help="the conversation's short name (in its address)")
    save.add_argument("directory", type=Path, help="folder to write comments.csv and votes.csv")
    return parser


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    sys.stderr.write(f"{PROG}: error: {' '.join(message.split())}\n")
    return code


def main(argv: list[str]) -> int:
    """Run `palabre opinions import|export ARGS...` and return the exit code."""
    args = parse(_parser(), argv)
    if isinstance(args, int):
        return args
    if problem := setup_django():
        return _fail(problem)
    from django.db.utils import OperationalError

    try:
        if args.command == "import":
            return _import(args.directory, args.title, args.neighbourhood)
        return _export(args.slug, args.directory)
    except OperationalError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
        return _fail(f"cannot use the database: {reason}", EXIT_DATABASE)


def _import(directory: Path, title: str, neighbourhood_slug: str | None) -> int:
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from palabre.conversations import actions
    from palabre.neighbourhoods.models import Neighbourhood

    title = title.strip()
    if not title or len(title) > 200:
        return _fail("--title must be 1 to 200 characters")
    neighbourhood = None
    if neighbourhood_slug is not None:
        neighbourhood = Neighbourhood.objects.filter(slug=neighbourhood_slug).first()
        if neighbourhood is None:
            known = ", ".join(Neighbourhood.objects.order_by("slug").values_list("slug", flat=True))
            return _fail(f"no neighbourhood {neighbourhood_slug!r} (known: {known or 'none'})")
    # Messages for the person at the terminal: in English, as the engine's are.
    with translation.override("en"):
        try:
            conversation = actions.import_polis(
                directory=directory, title=title, neighbourhood=neighbourhood
            )
        except actions.ConversationError as error:
            return _fail(error.message)
    path = reverse("conversations:conversation", kwargs={"slug": conversation.slug})
    sys.stdout.write(f"{settings.SITE_URL}{path}\n")
    return EXIT_OK


def _export(slug: str, directory: Path) -> int:
    from palabre.conversations import transfer
    from palabre.conversations.models import Conversation

    conversation = Conversation.objects.filter(slug=slug).first()
    if conversation is None:
        return _fail(f"no conversation {slug!r}")
    if directory.exists() and not directory.is_dir():
        return _fail(f"{directory} is not a directory")
    try:
        written = transfer.write_export(conversation, directory)
    except OSError as error:
        return _fail(f"cannot write {error.filename or directory}: {error.strerror or error}")
    for path in written:
        sys.stdout.write(f"{path}\n")
    return EXIT_OK
