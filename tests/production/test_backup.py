"""`palabre backup` and `palabre restore` bring back rows, photos, receipts and keys, on SQLite
and on PostgreSQL, and refuse a damaged or foreign archive without changing anything."""

from __future__ import annotations

import io
import shutil
import sqlite3
import tarfile
from pathlib import Path

from tests.production.helpers import createdb, dropdb, palabre, snapshot

NETWORK_KEY = "from palabre.network.signing import public_key_text; print(public_key_text())"
LATER_TABLE = "CREATE TABLE added_by_a_later_migration (id integer)"
TABLES = (
    "from django.db import connection; "
    "print('added_by_a_later_migration' in connection.introspection.table_names())"
)
COUNT_CONTACTS = (
    "from palabre.neighbourhoods.models import PartnerContact as C; print(C.objects.count())"
)
DELETE_CONTACTS = (
    "from palabre.neighbourhoods.models import PartnerContact; "
    "PartnerContact.objects.all().delete()"
)


def _copy_of(demo: Path, tmp_path: Path) -> dict[str, str]:
    var = tmp_path / "var"
    shutil.copytree(demo, var)
    return {"PALABRE_VAR_DIR": str(var)}


def _shell(code: str, env: dict[str, str]) -> str:
    result = palabre("manage", "shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _assert_holds_a_photo_and_a_receipt(state: dict[str, object]) -> None:
    files = state["files"]
    assert isinstance(files, dict)
    photos, receipts = state["photos"], state["receipts"]
    assert isinstance(photos, list)
    assert isinstance(receipts, list)
    assert photos
    assert receipts
    assert set(photos) | set(receipts) <= set(files)


def test_a_backup_of_sqlite_brings_back_rows_photos_receipts_and_keys(
    demo_sqlite: Path, tmp_path: Path
) -> None:
    env = _copy_of(demo_sqlite, tmp_path)
    var = Path(env["PALABRE_VAR_DIR"])
    network_key = _shell(NETWORK_KEY, env)  # created at first use
    secret_key = (var / "secret_key").read_text()
    before = snapshot(env, var / "media")
    _assert_holds_a_photo_and_a_receipt(before)
    archive = tmp_path / "backups" / "palabre.tar.gz"

    made = palabre("backup", str(archive), env=env)
    assert made.returncode == 0, made.stderr
    assert "network key" in made.stdout
    assert "secret key" in made.stdout
    assert archive.stat().st_mode & 0o077 == 0  # it holds every secret of the site
    assert palabre("backup", str(archive), env=env).returncode == 2  # never overwritten

    # The server is lost: database, media and keys.
    for path in var.iterdir():
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    restored = palabre("restore", str(archive), env=env)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"Restored from {archive}: database (SQLite), 4 media")

    assert snapshot(env, var / "media") == before
    assert (var / "secret_key").read_text() == secret_key
    assert _shell(NETWORK_KEY, env) == network_key
    assert not [path for path in var.iterdir() if path.name.startswith(".")]


def test_a_backup_of_postgresql_restores_into_an_empty_database(
    scratch_postgres: str, tmp_path: Path
) -> None:
    var = tmp_path / "var"
    env = {"PALABRE_VAR_DIR": str(var), "PALABRE_DATABASE_URL": scratch_postgres}
    loaded = palabre("demo", env=env)
    assert loaded.returncode == 0, loaded.stderr
    before = snapshot(env, var / "media")
    _assert_holds_a_photo_and_a_receipt(before)
    archive = tmp_path / "palabre.tar"
    made = palabre("backup", str(archive), env=env)
    assert made.returncode == 0, made.stderr
    with tarfile.open(archive) as tar:
        assert "database/palabre.dump" in tar.getnames()

    # A new, empty database and no media: a server rebuilt from the backup alone.
    name = scratch_postgres.rsplit("/", 1)[1]
    dropdb(name)
    createdb(name)
    shutil.rmtree(var / "media")
    restored = palabre("restore", str(archive), env=env)
    assert restored.returncode == 0, restored.stderr
    assert "database (PostgreSQL), 4 media files" in restored.stdout
    assert snapshot(env, var / "media") == before

    # Restored over the live site: rows deleted since come back, files added since go, and a
    # table a later migration added goes (a rollback after an upgrade can migrate again).
    _shell(DELETE_CONTACTS, env)
    _shell(f"from django.db import connection; connection.cursor().execute({LATER_TABLE!r})", env)
    (var / "media" / "added-since.png").write_bytes(b"new")
    again = palabre("restore", str(archive), env=env)
    assert again.returncode == 0, again.stderr
    assert snapshot(env, var / "media") == before
    assert _shell(TABLES, env) == "False"
    assert palabre("migrate", env=env).returncode == 0


def _tampered(archive: Path, target: Path) -> None:
    """Copy `archive` with one byte of its first photo changed (checksums left as they were)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as copy:
        for member in source:
            data = source.extractfile(member).read() if member.isfile() else b""  # type: ignore[union-attr]
            if member.name.startswith("media/initiatives/photos/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            copy.addfile(member, io.BytesIO(data))


def _truncated(archive: Path, target: Path) -> None:
    target.write_bytes(archive.read_bytes()[:20_000])


def _foreign(archive: Path, target: Path) -> None:
    with tarfile.open(target, "w") as tar:
        tar.add(archive, arcname="database/palabre.sqlite3.tar")
        info = tarfile.TarInfo("manifest.json")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"{}"))


DAMAGES = [
    (_tampered, "is damaged: media/initiatives/photos/"),
    (_truncated, "is damaged or not a Palabre backup"),
    (_foreign, "is not a Palabre backup (no Palabre manifest)"),
]


def test_a_damaged_or_foreign_archive_is_refused_and_nothing_changes(
    demo_sqlite: Path, tmp_path: Path
) -> None:
    env = _copy_of(demo_sqlite, tmp_path)
    var = Path(env["PALABRE_VAR_DIR"])
    archive = tmp_path / "palabre.tar"
    assert palabre("backup", str(archive), env=env).returncode == 0
    _shell(DELETE_CONTACTS, env)
    (var / "media" / "added-since.png").write_bytes(b"new")
    before = snapshot(env, var / "media")

    for damage, message in DAMAGES:
        bad = tmp_path / f"{damage.__name__}.tar"
        damage(archive, bad)
        result = palabre("restore", str(bad), env=env)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert message in lines[0]

    assert snapshot(env, var / "media") == before
    assert not [path for path in var.iterdir() if path.name.startswith(".")]


def test_an_old_database_only_backup_still_restores(demo_sqlite: Path, tmp_path: Path) -> None:
    env = _copy_of(demo_sqlite, tmp_path)
    old = tmp_path / "old.sqlite3"
    with (
        sqlite3.connect(Path(env["PALABRE_VAR_DIR"]) / "palabre.sqlite3") as live,
        sqlite3.connect(old) as copy,
    ):
        live.backup(copy)  # what `palabre backup` wrote before the archives
    before = _shell(COUNT_CONTACTS, env)
    _shell(DELETE_CONTACTS, env)
    result = palabre("restore", str(old), env=env)
    assert result.returncode == 0, result.stderr
    assert "database-only backup: no media" in result.stdout
    assert _shell(COUNT_CONTACTS, env) == before
