from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

import pytest
from django.db import DatabaseError
from django.test import Client

from palabre.demo import loader
from palabre.neighbourhoods.geo import validate_boundary
from palabre.neighbourhoods.models import Neighbourhood, Venue


@pytest.mark.django_db
def test_health_check_answers_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_check_answers_503_when_the_database_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.backends.utils import CursorWrapper

    def broken(self: Any, sql: str, params: Any = None) -> None:
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_each_request_is_logged_as_one_structured_record(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="palabre.request"):
        client.get("/vie-privee/?email=secret@example.org")
    record = next(r for r in caplog.records if r.name == "palabre.request")
    assert (record.method, record.path, record.status) == ("GET", "/vie-privee/", 200)  # type: ignore[attr-defined]
    assert "secret" not in json.dumps(record.__dict__, default=str)


def test_the_json_formatter_writes_one_object_per_line() -> None:
    from django.conf import settings
    from pythonjsonlogger.json import JsonFormatter

    logging_config: dict[str, Any] = settings.LOGGING
    options = logging_config["formatters"]["json"]
    formatter = JsonFormatter(options["fmt"], rename_fields=options["rename_fields"])
    record = logging.LogRecord("palabre.request", logging.INFO, __file__, 1, "request", None, None)
    record.status = 200
    line = formatter.format(record)
    assert json.loads(line)["level"] == "INFO"
    assert json.loads(line)["status"] == 200


@pytest.mark.django_db
def test_the_demo_data_is_deterministic_and_loads_twice_without_duplicates() -> None:
    first = loader.load()
    snapshot = sorted(Venue.objects.values_list("neighbourhood__slug", "slug", "capacity"))
    second = loader.load()
    assert first == second
    assert sorted(Venue.objects.values_list("neighbourhood__slug", "slug", "capacity")) == snapshot
    assert list(Neighbourhood.objects.values_list("slug", flat=True)) == [
        "bomel",
        "salzinnes",
        "jambes",
    ]
    for neighbourhood in Neighbourhood.objects.all():
        validate_boundary(neighbourhood.boundary)
    # The residents' voice and the requests to officials, in every state, once.
    from palabre.contributions.models import Contribution
    from palabre.official_requests.models import Request

    assert 300 <= Contribution.objects.count() < 500
    assert set(Contribution.objects.values_list("status", flat=True)) == {
        "pending",
        "published",
        "hidden",
    }
    states = set(Request.objects.values_list("status", flat=True))
    assert states == {"drafted", "sent", "acknowledged", "answered", "in_progress", "done"}
    assert Request.objects.filter(answer_by__lt=date.today(), answered_at=None).exists()
    assert {login.role for login in first} == {
        "resident",
        "facilitator",
        "coordinator",
        "partner",
        "cabinet",
        "official",
        "administrator",
    }


def test_env_example_lists_every_variable_the_code_reads() -> None:
    import re
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    sources = [*root.glob("config/*.py"), *root.glob("palabre/**/*.py"), root / "Makefile"]
    read = {
        name
        for path in sources
        if "tests" not in path.parts
        for name in re.findall(r"\bPALABRE_[A-Z_]+\b", path.read_text(encoding="utf-8"))
    }
    listed = set(re.findall(r"^(PALABRE_[A-Z_]+)=", (root / ".env.example").read_text(), re.M))
    assert read - listed == set()
