"""Fixtures of the production tests: scratch PostgreSQL databases and a demo city on SQLite."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.production.helpers import POSTGRES_SERVER, createdb, dropdb, palabre, postgres_ready


@pytest.fixture
def scratch_postgres() -> Iterator[str]:
    """Return the URL of a new empty PostgreSQL database, dropped after the test."""
    postgres_ready()
    name = f"palabre_scratch_{uuid.uuid4().hex[:12]}"
    createdb(name)
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        dropdb(name)


@pytest.fixture(scope="session")
def demo_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a var folder with the demo loaded on SQLite (copied by each test that uses it)."""
    var = tmp_path_factory.mktemp("demo") / "var"
    result = palabre("demo", env={"PALABRE_VAR_DIR": str(var)})
    assert result.returncode == 0, result.stderr
    return var
