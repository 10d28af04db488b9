"""The `palabre` command: one entry point for the server, the data and the engines.

Engine sub-commands (`pb`, `opinions`) never import Django, so they work without a database.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence

# Sub-commands served by a pure engine: name -> "module:function(argv) -> exit code".
ENGINE_COMMANDS: dict[str, str] = {
    "pb": "palabre.pb.cli:main",
    "opinions": "palabre.opinion_map.cli:main",
    "themes": "palabre.themes.cli:main",
}
# Verbs of an engine sub-command that use the database: (command, verb) -> Django-side module.
DATABASE_VERBS: dict[tuple[str, str], str] = {
    ("opinions", "import"): "palabre.conversations.cli:main",
    ("opinions", "export"): "palabre.conversations.cli:main",
    ("network", "follow"): "palabre.network.cli:main",
    ("network", "refresh"): "palabre.network.cli:main",
    ("network", "list"): "palabre.network.cli:main",
}

USAGE = """\
usage: palabre COMMAND [ARGS...]
       palabre --version

Commands:
  serve              serve Palabre with gunicorn (production-grade)
  demo               migrate and load the demo data (safe to run twice)
  migrate            apply database migrations
  backup FILE        write the database, media and keys into one new archive FILE
  restore FILE       check the archive FILE, then put back its database, media and keys
  worker             run background tasks (several may run; /healthz sees them)
  manage ARGS...     any Django management command
  pb ...             participatory-budgeting engine (no database needed)
  opinions ...       opinion-mapping engine (no database needed)
  opinions import|export ...  a Pol.is export in or out of the database
  themes ...         theme suggestion for French contributions (no database needed)
  network follow URL|refresh|list  follow another city's signed feed, read the feeds again
"""


def _load(target: str) -> Callable[[list[str]], int]:
    module_name, function_name = target.split(":")
    function: Callable[[list[str]], int] = getattr(
        importlib.import_module(module_name), function_name
    )
    return function


def version() -> str:
    """The installed release of Palabre (from the package's metadata; CHANGELOG.md lists them)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version("palabre")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown (not installed)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `palabre` command line and return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stdout.write(USAGE)
        return 0 if args else 2
    if args[0] in {"--version", "version"}:
        sys.stdout.write(f"palabre {version()}\n")
        return 0
    command, rest = args[0], args[1:]
    if rest and (command, rest[0]) in DATABASE_VERBS:
        return _load(DATABASE_VERBS[command, rest[0]])(rest)
    if command in ENGINE_COMMANDS:
        return _load(ENGINE_COMMANDS[command])(rest)
    from palabre.core.commands import run_django_command

    return run_django_command(command, rest)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
