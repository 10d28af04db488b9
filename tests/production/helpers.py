"""Palabre as a city's IT department runs it: the `palabre` command in a clean environment,
scratch PostgreSQL databases, and a snapshot of what a backup must bring back."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.live_servers import clean_environment, unavailable

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
PALABRE = str(BIN / "palabre")
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"

# What a backup must bring back, printed by `palabre manage shell`: row counts, and the
# files the rows of a citizen action's photo and of an expense's receipt point to.
SNAPSHOT = """
import json
from palabre.contributions.models import Contribution
from palabre.initiatives.models import Expense, Initiative, InitiativePhoto
from palabre.neighbourhoods.models import PartnerContact
from django.contrib.auth import get_user_model
print(json.dumps({
    "counts": {
        model.__name__: model.objects.count()
        for model in (Contribution, Expense, Initiative, InitiativePhoto, PartnerContact,
                      get_user_model())
    },
    "photos": sorted(p.image.name for p in InitiativePhoto.objects.all()),
    "receipts": sorted(e.receipt.name for e in Expense.objects.all()),
}))
"""


def palabre(
    *args: str, env: dict[str, str] | None = None, timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    """Run the `palabre` command and return what it did."""
    return subprocess.run(
        [PALABRE, *args],
        capture_output=True,
        text=True,
        env=clean_environment(**(env or {})),
        timeout=timeout,
        check=False,
    )


def snapshot(env: dict[str, str], media: Path) -> dict[str, object]:
    """Return the rows' counts, the files rows point to, and every media file's SHA-256."""
    result = palabre("manage", "shell", "--no-imports", "-c", SNAPSHOT, env=env)
    assert result.returncode == 0, result.stderr
    state: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    state["files"] = {
        path.relative_to(media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }
    return state


def postgres_ready() -> None:
    """Skip when no PostgreSQL answers (fail under CI=true, where it must)."""
    ready = subprocess.run(
        [str(ROOT / "scripts" / "postgres-ready"), POSTGRES_SERVER + "/postgres"], check=False
    )
    if ready.returncode != 0 or not shutil.which("createdb"):
        unavailable(
            f"PostgreSQL is unreachable at {POSTGRES_SERVER} (or createdb is missing)",
            "these tests need a PostgreSQL server",
        )


def createdb(name: str) -> None:
    """Create an empty database on the test server."""
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True, capture_output=True
    )


def dropdb(name: str) -> None:
    """Drop a database of the test server, even with connections left open."""
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", name],
        check=True,
        capture_output=True,
    )
