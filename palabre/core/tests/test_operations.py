from __future__ import annotations

import json
import logging
import shutil
import socket
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError
from django.test import Client

from palabre.demo import loader
from palabre.neighbourhoods.geo import validate_boundary
from palabre.neighbourhoods.models import Neighbourhood, Venue
from palabre.outbox.tasks import deliver_mail

NOW = datetime(2027, 3, 2, 9, 0, tzinfo=UTC)
GIB = 1024**3


@pytest.fixture
def roomy_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk of 100 GiB with 40 free, whatever the machine running the tests has."""
    monkeypatch.setattr(shutil, "disk_usage", lambda path: _Usage(100 * GIB, 60 * GIB, 40 * GIB))


class _Usage(NamedTuple):
    total: int
    used: int
    free: int


def a_worker_runs(*options: str) -> None:
    # The worker closes old connections as it goes: the tests that run it are transactional.
    call_command("run_worker", "--batch", "--no-startup-delay", *options, verbosity=0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roomy_disk")
def test_health_check_is_green_when_a_worker_beat_and_nothing_waits(
    client: Client, django_assert_num_queries: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        a_worker_runs()
    # Two queries, the heartbeats and the queue, whatever the city's size.
    with (
        time_machine.travel(NOW + timedelta(seconds=30), tick=False),
        django_assert_num_queries(2),
    ):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "problems": [],
        "database": "ok",
        "worker": {"status": "ok", "live": 1, "last_beat_seconds": 30},
        "queue": {"status": "ok", "waiting": 0, "oldest_seconds": 0},
        "disk": {"status": "ok", "free_bytes": 40 * GIB, "free_percent": 40.0},
    }
    assert "no-cache" in response["Cache-Control"]
    assert socket.gethostname() not in response.text  # the worker's host stays in the database


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roomy_disk")
def test_health_check_is_red_when_the_worker_stopped_beating(client: Client) -> None:
    with time_machine.travel(NOW, tick=False):
        a_worker_runs()
    with time_machine.travel(NOW + timedelta(seconds=121), tick=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["problems"]) == ("error", ["worker"])
    assert body["worker"] == {"status": "stale", "live": 0, "last_beat_seconds": 121}


@pytest.mark.django_db
@pytest.mark.usefixtures("roomy_disk")
def test_health_check_is_red_when_no_worker_ever_ran(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == {
        "status": "missing",
        "live": 0,
        "last_beat_seconds": None,
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roomy_disk")
def test_health_check_is_red_when_a_due_task_waits_too_long(client: Client) -> None:
    with time_machine.travel(NOW, tick=False):
        deliver_mail.enqueue()
        # Due in an hour: not waiting yet, so not late.
        deliver_mail.using(run_after=NOW + timedelta(hours=1)).enqueue()
    with time_machine.travel(NOW + timedelta(minutes=11), tick=False):
        a_worker_runs("--queue-name", "elsewhere")  # alive, but taking another queue's tasks
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["problems"] == ["queue"]
    assert body["queue"] == {"status": "late", "waiting": 1, "oldest_seconds": 660}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roomy_disk")
def test_a_task_waits_from_the_time_it_was_due_not_from_when_it_was_queued(
    client: Client,
) -> None:
    with time_machine.travel(NOW, tick=False):
        deliver_mail.using(run_after=NOW + timedelta(hours=1)).enqueue()
    with time_machine.travel(NOW + timedelta(hours=1, minutes=5), tick=False):
        a_worker_runs("--queue-name", "elsewhere")
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["queue"] == {"status": "ok", "waiting": 1, "oldest_seconds": 300}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("free", "why"), [(GIB // 2, "under 1 GiB"), (4 * GIB, "under 5 %")])
def test_health_check_is_red_when_the_disk_is_nearly_full(
    client: Client, monkeypatch: pytest.MonkeyPatch, free: int, why: str
) -> None:
    monkeypatch.setattr(
        shutil, "disk_usage", lambda path: _Usage(100 * GIB, 100 * GIB - free, free)
    )
    a_worker_runs()
    response = client.get("/healthz")
    assert response.status_code == 503, why
    body = response.json()
    assert body["problems"] == ["disk"]
    assert (body["disk"]["status"], body["disk"]["free_bytes"]) == ("low", free)


@pytest.mark.django_db(transaction=True)
def test_the_disk_holding_var_counts_as_well_as_the_uploads_one(
    client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path / "var"  # not made yet: its parent's file system is measured
    roomy, full = _Usage(100 * GIB, 60 * GIB, 40 * GIB), _Usage(100 * GIB, 99 * GIB, GIB // 10)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: full if path == tmp_path else roomy)
    a_worker_runs()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["disk"] == {
        "status": "low",
        "free_bytes": GIB // 10,
        "free_percent": 0.1,
    }


@pytest.mark.django_db(transaction=True)
def test_the_disk_thresholds_come_from_the_settings(
    client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "disk_usage", lambda path: _Usage(100 * GIB, 96 * GIB, 4 * GIB))
    settings.HEALTH_DISK_MIN_FREE_PERCENT = 2
    a_worker_runs()
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_web_check_is_green_while_the_worker_is_stale(
    client: Client, django_assert_num_queries: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        a_worker_runs()
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert client.get("/healthz").status_code == 503
        with django_assert_num_queries(1):
            response = client.get("/healthz/web")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_both_checks_answer_503_when_the_database_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.backends.utils import CursorWrapper

    def broken(self: Any, sql: str, params: Any = None) -> None:
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    whole = client.get("/healthz")
    assert whole.status_code == 503
    body = whole.json()
    assert (body["database"], body["problems"][0]) == ("unreachable", "database")
    assert body["worker"] == body["queue"] == {"status": "unknown"}
    web = client.get("/healthz/web")
    assert web.status_code == 503
    assert web.json()["database"] == "unreachable"


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
