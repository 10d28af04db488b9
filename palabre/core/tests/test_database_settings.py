"""How Palabre talks to its database (config.env.database_config)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.env import database_config


def test_postgresql_connections_compile_no_query_just_in_time(tmp_path: Path) -> None:
    config = database_config("postgres://palabre@db.example:5432/palabre", var_dir=tmp_path)
    assert config["OPTIONS"]["options"] == "-c jit=off"
    kept = database_config(
        "postgres://palabre@db.example:5432/palabre?options=-c%20search_path%3Dcity",
        var_dir=tmp_path,
    )
    assert kept["OPTIONS"]["options"] == "-c search_path=city -c jit=off"


@pytest.mark.django_db
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="PostgreSQL only; the PostgreSQL half runs it")
def test_the_running_postgresql_connection_has_jit_off() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
