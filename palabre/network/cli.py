"""`palabre network`: follow another city from the command line, and read the feeds again.

palabre network follow URL     prints the city's name and its key's fingerprint (exit 0);
                               a refused feed prints the reason (exit 2)
palabre network refresh        reads every followed city's feed again
palabre network list           the followed cities, their fingerprints and problems
"""

from __future__ import annotations

import sys

from palabre.command_line import EXIT_BAD_INPUT, EXIT_OK, Parser, parse
from palabre.core.commands import setup_django

EXIT_DATABASE = 1
PROG = "palabre network"


def _parser() -> Parser:
    parser = Parser(prog=PROG, description="The network of cities (signed feeds).")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    follow = commands.add_parser("follow", help="follow the city whose feed is at URL")
    follow.add_argument("url", help="the address of the other city's feed (…/reseau/flux.json)")
    commands.add_parser("refresh", help="read every followed city's feed again")
    commands.add_parser("list", help="list the followed cities")
    return parser


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    sys.stderr.write(f"{PROG}: error: {' '.join(message.split())}\n")
    return code


def main(argv: list[str]) -> int:
    """Run `palabre network follow|refresh|list` and return the exit code."""
    args = parse(_parser(), argv)
    if isinstance(args, int):
        return args
    if problem := setup_django():
        return _fail(problem)
    from django.db.utils import OperationalError
    from django.utils import translation

    # Messages for the person at the terminal: in English, as the other commands' are.
    with translation.override("en"):
        try:
            if args.command == "follow":
                return _follow(args.url)
            if args.command == "refresh":
                return _refresh()
            return _list()
        except OperationalError as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
            return _fail(f"cannot use the database: {reason}", EXIT_DATABASE)


def _follow(url: str) -> int:
    from palabre.network import actions, signing
    from palabre.network.models import FollowedCity
    from palabre.network.reading import FeedRefused

    known = FollowedCity.objects.filter(feed_url=url.strip()).first()
    if known is not None:
        sys.stdout.write(f"{known.name} (already followed)\n")
        sys.stdout.write(f"key fingerprint: {signing.fingerprint(known.public_key)}\n")
        return EXIT_OK
    try:
        city = actions.follow_city(by=None, url=url)
    except FeedRefused as refused:
        return _fail(refused.message)
    sys.stdout.write(f"{city.name}\n")
    sys.stdout.write(f"key fingerprint: {signing.fingerprint(city.public_key)}\n")
    sys.stdout.write("Compare it with the fingerprint the other city gives you.\n")
    return EXIT_OK


def _refresh() -> int:
    from palabre.network import actions
    from palabre.network.models import FollowedCity

    refused = 0
    for city in FollowedCity.objects.all():
        problem = actions.refresh_city(by=None, city=city)
        if problem is None:
            sys.stdout.write(f"{city.name}: read\n")
        else:
            refused += 1
            sys.stdout.write(f"{city.name}: refused: {problem.message}\n")
    return EXIT_OK if not refused else EXIT_BAD_INPUT


def _list() -> int:
    from palabre.network import signing
    from palabre.network.models import FollowedCity
    from palabre.network.reading import problem_message

    for city in FollowedCity.objects.order_by("name"):
        problem = problem_message(city.problem)
        sys.stdout.write(
            f"{city.name}\t{city.feed_url}\t{signing.fingerprint(city.public_key)}"
            f"{chr(9) + problem if problem else ''}\n"
        )
    return EXIT_OK
