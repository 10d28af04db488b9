"""Backups of everything a Palabre server holds, in one archive, and their restore.

One archive (tar, gzip-compressed when its name ends in .gz or .tgz) holds the database (SQLite
through its online backup API, PostgreSQL through `pg_dump --format=custom`), the media folder
(photos, receipts, answers' documents), the network's signing key and the generated secret key.
A `manifest.json`, written last, lists every other member with its SHA-256: `restore` reads the
whole archive into a staging folder and checks it against the manifest before it changes
anything, so a damaged or foreign file is refused with the live data untouched (ADR 0079).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connection

FORMAT = "palabre-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/palabre.sqlite3"
POSTGRES_MEMBER = "database/palabre.dump"
NETWORK_KEY_MEMBER = "keys/network_key.pem"
SECRET_KEY_MEMBER = "keys/secret_key"  # noqa: S105 - a member name, not a secret
SQLITE_MAGIC = b"SQLite format 3\x00"
CHUNK = 1024 * 1024
# A manifest lists file names and checksums: even a city's photos of years fit in far less.
MANIFEST_MAX_BYTES = 200 * 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done, with the reason for a person."""


@dataclass(frozen=True)
class Summary:
    """What a backup holds or a restore put back, said in one line."""

    engine: str
    media_files: int
    keys: tuple[str, ...]

    def describe(self) -> str:
        """Return the sentence the command prints."""
        keys = "".join(f", {key}" for key in self.keys)
        return f"database ({self.engine}), {self.media_files} media files{keys}"


# Database ---------------------------------------------------------------------------------


def _engine() -> str:
    return "sqlite" if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") else "postgresql"


def _engine_label(engine: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(engine, engine)


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _postgres_environment() -> dict[str, str]:
    """Connection details for pg_dump/pg_restore, passed in the environment: a password on
    the command line would show in every user's `ps`."""
    db = settings.DATABASES["default"]
    given = {
        "PGDATABASE": db.get("NAME"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode"),
    }
    environment = dict(os.environ)
    environment.update({name: str(value) for name, value in given.items() if value})
    return environment


def _client(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install PostgreSQL's client (postgresql-client).")
    return found


def _major(version_line: str) -> int:
    found = re.search(r"\)\s*(\d+)", version_line) or re.search(r"(\d+)", version_line)
    return int(found.group(1)) if found else 0


def _run(command: list[str], what: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 - fixed programs, arguments built here
        command, capture_output=True, text=True, env=_postgres_environment(), check=False
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit code {result.returncode}"
        raise BackupError(f"{what} failed: {reason}")
    return result


def _dump_postgres(target: Path) -> None:
    pg_dump = _client("pg_dump")
    connection.ensure_connection()
    server = connection.pg_version // 10000  # type: ignore[attr-defined]
    version = subprocess.run(  # noqa: S603
        [pg_dump, "--version"], capture_output=True, text=True, check=False
    ).stdout
    # pg_dump refuses a newer server; say which client to install rather than its message.
    if _major(version) < server:
        raise BackupError(
            f"{version.strip()} cannot dump a PostgreSQL {server} server: "
            f"install postgresql-client-{server}."
        )
    _run([pg_dump, "--format=custom", f"--file={target}"], "pg_dump")


def _dump_sqlite(target: Path) -> None:
    source_path = _sqlite_path()
    if not source_path.exists():
        raise BackupError(f"no database at {source_path}: run 'palabre migrate' first.")
    with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
        # The backup API copies a consistent snapshot while the site keeps serving.
        source.backup(copy)


def restore_sqlite(source: Path) -> None:
    """Replace the live SQLite database's content with the database file at `source`."""
    target_path = _sqlite_path()
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup:
            result = backup.execute("PRAGMA integrity_check").fetchone()
            if result != ("ok",):
                raise BackupError(f"{source} is damaged: {result[0] if result else 'unknown'}.")
            tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master")}
            if "django_migrations" not in tables:
                raise BackupError(f"{source} is not a Palabre database backup.")
            connection.close()
            target_path.parent.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(target_path) as live:
                backup.backup(live)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a readable SQLite database ({error}).") from None


def _restore_postgres(dump: Path) -> None:
    pg_restore = _client("pg_restore")
    listing = _run([pg_restore, "--list", str(dump)], "pg_restore --list").stdout
    kept = set(re.findall(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ", listing, flags=re.MULTILINE))
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings.DATABASES['default']['NAME']}",
            str(dump),
        ],
        "pg_restore",
    )
    # --clean drops only what the dump holds: a table a later migration added (a rollback
    # after an upgrade) would stay and stop that migration from running again.
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname, tablename FROM pg_tables WHERE schemaname = current_schema()"
        )
        extra = [
            (schema, table) for schema, table in cursor.fetchall() if (schema, table) not in kept
        ]
        for schema, table in extra:
            cursor.execute(
                f"DROP TABLE IF EXISTS {connection.ops.quote_name(schema)}."
                f"{connection.ops.quote_name(table)} CASCADE"
            )
    connection.close()


# Files ------------------------------------------------------------------------------------


def _media_files() -> Iterator[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, "media/" + path.relative_to(root).as_posix()


def _secret_key_file() -> Path | None:
    """The generated secret key, when the site uses it (PALABRE_SECRET_KEY not set)."""
    path = Path(settings.VAR_DIR) / "secret_key"
    if os.environ.get("PALABRE_SECRET_KEY", "").strip() or not path.is_file():
        return None
    return path


class _Hashing:
    """A file read through SHA-256, as tarfile copies it into the archive."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        return data


def _add(archive: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as file:
        hashing = _Hashing(file)
        archive.addfile(info, hashing)
    return {"path": name, "size": info.size, "sha256": hashing.digest.hexdigest()}


def _version() -> str:
    try:
        return metadata.version("palabre")
    except metadata.PackageNotFoundError:
        return "unknown"


# Backup -----------------------------------------------------------------------------------


def create_backup(target: Path) -> Summary:
    """Write the database, then the media and keys, into one new archive at `target`.

    The database comes first: a photo uploaded while the media are copied may be in the
    archive without its row, which is harmless (a file nothing points to).
    """
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    compress = target.name.endswith((".gz", ".tgz"))
    partial = target.with_name(target.name + ".partial")
    with tempfile.TemporaryDirectory(prefix=".palabre-backup-", dir=target.parent) as work:
        database = Path(work) / "database"
        if engine == "sqlite":
            _dump_sqlite(database)
        else:
            _dump_postgres(database)
        files: list[dict[str, Any]] = []
        keys: list[str] = []
        # The archive holds every secret of the site: readable by its owner only.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with (
                os.fdopen(descriptor, "wb") as raw,
                tarfile.open(fileobj=raw, mode="w:gz" if compress else "w") as tar,
            ):
                member = SQLITE_MEMBER if engine == "sqlite" else POSTGRES_MEMBER
                files.append(_add(tar, database, member))
                for path, name in _media_files():
                    files.append(_add(tar, path, name))
                network_key = Path(settings.NETWORK_KEY_FILE)
                if network_key.is_file():
                    files.append(_add(tar, network_key, NETWORK_KEY_MEMBER))
                    keys.append("network key")
                secret = _secret_key_file()
                if secret is not None:
                    files.append(_add(tar, secret, SECRET_KEY_MEMBER))
                    keys.append("secret key")
                manifest = json.dumps(
                    {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "palabre_version": _version(),
                        "database": engine,
                        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                        "files": files,
                    },
                    indent=1,
                ).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(manifest)
                info.mtime = int(datetime.now(UTC).timestamp())
                info.mode = 0o600
                tar.addfile(info, _BytesReader(manifest))
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.rename(target)
    media = sum(1 for entry in files if entry["path"].startswith("media/"))
    return Summary(_engine_label(engine), media, tuple(keys))


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


# Restore ----------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and bool(path.parts)
        and (name == MANIFEST or path.parts[0] in {"database", "media", "keys"})
    )


def _unpack(source: Path, staging: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Copy every file of the archive under `staging`; return its manifest and checksums."""
    found: dict[str, str] = {}
    manifest: dict[str, Any] | None = None
    refuse = f"{source} is not a Palabre backup"
    try:
        with tarfile.open(source, mode="r:*") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile() or not _safe_name(member.name) or member.name in found:
                    raise BackupError(f"{refuse}: unexpected member {member.name!r}.")
                stream = tar.extractfile(member)
                if stream is None:
                    raise BackupError(f"{refuse}: unreadable member {member.name!r}.")
                if member.name == MANIFEST:
                    if member.size > MANIFEST_MAX_BYTES:
                        raise BackupError(f"{refuse}: its manifest is too large.")
                    manifest = json.loads(stream.read())
                    continue
                digest = hashlib.sha256()
                destination = staging / member.name
                destination.parent.mkdir(parents=True, exist_ok=True)
                with destination.open("wb") as out:
                    while chunk := stream.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                found[member.name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, ValueError) as error:
        raise BackupError(f"{source} is damaged or not a Palabre backup ({error}).") from None
    except OSError as error:
        raise BackupError(f"cannot unpack {source}: {error}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{refuse} (no Palabre manifest).")
    return manifest, found


def _check(source: Path, manifest: dict[str, Any], found: dict[str, str]) -> None:
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"{source} was written by a newer Palabre (backup format {version}); "
            "install that version to restore it."
        )
    listed = manifest.get("files")
    if not isinstance(listed, list):
        raise BackupError(f"{source} is damaged: its manifest lists no files.")
    expected = {str(entry.get("path")): str(entry.get("sha256")) for entry in listed}
    for name in sorted(expected.keys() | found.keys()):
        if name not in found:
            raise BackupError(f"{source} is damaged: {name} is missing.")
        if name not in expected:
            raise BackupError(f"{source} is damaged: {name} is not in its manifest.")
        if expected[name] != found[name]:
            raise BackupError(f"{source} is damaged: {name} does not match its checksum.")
    engine = manifest.get("database")
    member = {"sqlite": SQLITE_MEMBER, "postgresql": POSTGRES_MEMBER}.get(str(engine))
    if member is None or member not in found:
        raise BackupError(f"{source} is damaged: it holds no database.")
    if engine != _engine():
        raise BackupError(
            f"{source} holds a {_engine_label(str(engine))} database but this Palabre uses "
            f"{_engine_label(_engine())} (PALABRE_DATABASE_URL)."
        )


def _replace_folder(new: Path, live: Path) -> None:
    """Make `live` hold what `new` holds. The folder itself stays (its owner, its mode, or a
    disk mounted there); its content is swapped, by renames when both are on one disk."""
    live.mkdir(parents=True, exist_ok=True)
    for entry in live.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in new.iterdir():
        shutil.move(entry, live / entry.name)


def _replace_file(new: Path, live: Path) -> None:
    live.parent.mkdir(parents=True, exist_ok=True)
    new.chmod(0o600)
    os.replace(new, live)


def restore_backup(source: Path) -> Summary:
    """Check the archive at `source` in full, then put back its database, media and keys."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    with source.open("rb") as file:
        if file.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC:
            # A backup from before the archives: the database alone.
            if _engine() != "sqlite":
                raise BackupError(f"{source} is a SQLite database; this Palabre uses PostgreSQL.")
            restore_sqlite(source)
            return Summary("SQLite, from a database-only backup: no media", 0, ())
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Staged beside the media folder: the swap at the end is a rename on the same disk.
    with tempfile.TemporaryDirectory(prefix=".palabre-restore-", dir=media_root.parent) as work:
        staging = Path(work)
        manifest, found = _unpack(source, staging)
        _check(source, manifest, found)
        engine = str(manifest["database"])
        if engine == "sqlite":
            restore_sqlite(staging / SQLITE_MEMBER)
        else:
            _restore_postgres(staging / POSTGRES_MEMBER)
        media = staging / "media"
        media.mkdir(exist_ok=True)
        _replace_folder(media, media_root)
        keys: list[str] = []
        if NETWORK_KEY_MEMBER in found:
            _replace_file(staging / NETWORK_KEY_MEMBER, Path(settings.NETWORK_KEY_FILE))
            keys.append("network key")
        if SECRET_KEY_MEMBER in found:
            if os.environ.get("PALABRE_SECRET_KEY", "").strip():
                keys.append("secret key not restored (PALABRE_SECRET_KEY is set)")
            else:
                _replace_file(staging / SECRET_KEY_MEMBER, Path(settings.VAR_DIR) / "secret_key")
                keys.append("secret key")
    count = sum(1 for name in found if name.startswith("media/"))
    return Summary(_engine_label(engine), count, tuple(keys))
