"""Online backup and restore of the SQLite database (PostgreSQL: use pg_dump, see docs)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from django.conf import settings
from django.db import connection


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason for a person."""


def _sqlite_path() -> Path:
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("sqlite3"):
        raise BackupError(
            "palabre backup/restore handle SQLite only; for PostgreSQL use pg_dump and "
            "pg_restore (see docs/how-to/backup.md)."
        )
    return Path(db["NAME"])


def backup_sqlite(target: Path) -> int:
    """Copy the live database to `target` with SQLite's online backup; return its size."""
    source_path = _sqlite_path()
    if not source_path.exists():
        raise BackupError(f"no database at {source_path}: run 'palabre migrate' first.")
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with sqlite3.connect(source_path) as source, sqlite3.connect(partial) as copy:
        # The backup API copies a consistent snapshot while the site keeps serving.
        source.backup(copy)
    partial.rename(target)
    return target.stat().st_size


def restore_sqlite(source: Path) -> None:
    """Replace the live database's content with the backup at `source`."""
    target_path = _sqlite_path()
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup:
            result = backup.execute("PRAGMA integrity_check").fetchone()
            if result != ("ok",):
                raise BackupError(f"{source} is damaged: {result[0] if result else 'unknown'}.")
            tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master")}
            if "django_migrations" not in tables:
                raise BackupError(f"{source} is not a Palabre database backup.")
            connection.close()
            with sqlite3.connect(target_path) as live:
                backup.backup(live)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a readable SQLite database ({error}).") from None
