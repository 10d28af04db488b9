"""Django-backed sub-commands of `palabre`: serve, demo, migrate, backup, restore, worker,
manage.

Configuration and database problems end with one clear line and a non-zero exit, never a
traceback: this is the first thing a person installing Palabre sees.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

EXIT_CONFIG = 2
EXIT_DATABASE = 1


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"palabre: {message}\n")
    return code


def setup_django() -> str | None:
    """Set Django up for a sub-command that needs the database (not already set up: in tests,
    or inside `palabre manage shell`); return what is wrong with the configuration, if
    anything. Django is imported here, late: the engines' verbs never load it."""
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    if apps.ready:
        return None
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    try:
        django.setup()
    except ImproperlyConfigured as error:
        return f"configuration error: {error}"
    return None


def _check_database() -> None:
    from django.db import connection

    connection.ensure_connection()


def _database_label() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite {db['NAME']}"
    return f"PostgreSQL {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def gunicorn_command(args: list[str]) -> list[str]:
    """Return the gunicorn command line `palabre serve` runs.

    No access log: its request line and Referer would hold private links in full; Django's
    request log (palabre.core.middleware) records every request without their secrets.
    """
    bind = os.environ.get("PALABRE_BIND", "127.0.0.1:8000")
    workers = os.environ.get("PALABRE_WORKERS", "3")
    # Behind a buffering proxy (nginx, docs/production.md) sync workers never wait on a slow
    # phone; without one, threads keep a few slow clients from holding every worker (ADR 0079).
    threads = os.environ.get("PALABRE_THREADS", "").strip()
    threading = (
        ["--worker-class=gthread", f"--threads={threads}"] if threads not in {"", "1"} else []
    )
    return [
        # The interpreter running Palabre runs gunicorn: no reliance on a script in PATH.
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind={bind}",
        f"--workers={workers}",
        *threading,
        "--forwarded-allow-ips=127.0.0.1",
        "--config=python:config.gunicorn",
        *args,
    ]


def _serve(args: list[str]) -> int:
    from django.conf import settings

    _check_database()
    _manage("collectstatic", "--noinput", "--verbosity=0")
    # The nightly run that anonymises old contact details queues the next one itself; this
    # starts the chain on a new server (and does nothing when a run is already waiting).
    _manage("apply_retention", "--queue-only", "--verbosity=0")
    # The same for the Monday digest of requests (ADR 0060).
    _manage("send_weekly_digest", "--queue-only", "--verbosity=0")
    bind = os.environ.get("PALABRE_BIND", "127.0.0.1:8000")
    command = gunicorn_command(args)
    # The web workers and the task worker find the same data whatever folder they run in.
    os.environ["PALABRE_VAR_DIR"] = str(settings.VAR_DIR)
    sys.stdout.write(f"Palabre: serving on http://{bind} ({_database_label()})\n")
    sys.stdout.flush()
    os.execv(command[0], command)  # noqa: S606 - replaces this process with gunicorn


def _backup(args: list[str]) -> int:
    from palabre.core.backup import BackupError, create_backup

    if len(args) != 1:
        return _fail("usage: palabre backup FILE (a new .tar or .tar.gz archive)", EXIT_CONFIG)
    try:
        summary = create_backup(Path(args[0]))
    except BackupError as error:
        return _fail(str(error), EXIT_CONFIG)
    size = Path(args[0]).stat().st_size
    sys.stdout.write(f"Backup written to {args[0]} ({size} bytes): {summary.describe()}.\n")
    return 0


def _restore(args: list[str]) -> int:
    from palabre.core.backup import BackupError, restore_backup

    if len(args) != 1:
        return _fail("usage: palabre restore FILE", EXIT_CONFIG)
    try:
        summary = restore_backup(Path(args[0]))
    except BackupError as error:
        return _fail(str(error), EXIT_CONFIG)
    sys.stdout.write(f"Restored from {args[0]}: {summary.describe()}.\n")
    return 0


def run_django_command(command: str, args: list[str]) -> int:
    """Run one Django-backed sub-command and return its exit code."""
    if command not in {"serve", "demo", "migrate", "backup", "restore", "worker", "manage"}:
        return _fail(f"unknown command {command!r}; see 'palabre --help'", EXIT_CONFIG)
    if problem := setup_django():
        return _fail(problem, EXIT_CONFIG)

    from django.core.management import execute_from_command_line
    from django.core.management.base import CommandError
    from django.db.utils import OperationalError

    try:
        if command == "serve":
            return _serve(args)
        if command == "backup":
            return _backup(args)
        if command == "restore":
            return _restore(args)
        if command in {"demo", "migrate"}:
            _check_database()
            _manage("migrate", "--noinput", *args)
            if command == "demo":
                _manage("load_demo")
            return 0
        if command == "worker":
            execute_from_command_line(["palabre manage", "run_worker", *args])
            return 0
        execute_from_command_line(["palabre manage", *args])
        return 0
    except OperationalError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
        return _fail(f"cannot use the database ({_database_label()}): {reason}", EXIT_DATABASE)
    except CommandError as error:
        return _fail(str(error), EXIT_CONFIG)
