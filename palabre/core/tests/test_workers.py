"""`palabre worker`: django-tasks-db's worker with a heartbeat in the database (ADR 0077), and
several of them at once sending each email exactly once."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction

from palabre.core.models import WorkerHeartbeat
from palabre.outbox.actions import queue_mail
from tests.live_servers import clean_environment

PALABRE = str(Path(sys.executable).parent / "palabre")
WORKERS = 3
MAILS = 60


def run_worker(*options: str) -> None:
    # The worker closes old connections as it goes: the tests that run it are transactional.
    call_command("run_worker", "--batch", "--no-startup-delay", *options, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_what_is_due_and_writes_its_heartbeat() -> None:
    with transaction.atomic():
        queue_mail(to=["amina@example.org"], subject="Bonjour", body="Texte")
    run_worker("--worker-id", "first")
    assert [message.to for message in mail.outbox] == [["amina@example.org"]]
    beat = WorkerHeartbeat.objects.get()
    assert (beat.worker_id, beat.pid) == ("first", os.getpid())


@pytest.mark.django_db(transaction=True)
def test_a_worker_beats_in_place_one_row_per_process() -> None:
    with time_machine.travel(datetime(2027, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        run_worker("--worker-id", "steady")
    with time_machine.travel(datetime(2027, 3, 2, 9, 1, tzinfo=UTC), tick=False):
        run_worker("--worker-id", "steady")
    beat = WorkerHeartbeat.objects.get()
    assert beat.beat_at == datetime(2027, 3, 2, 9, 1, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_a_starting_worker_forgets_the_workers_silent_for_a_day() -> None:
    with time_machine.travel(datetime(2027, 3, 1, 8, 0, tzinfo=UTC), tick=False):
        run_worker("--worker-id", "killed")
    with time_machine.travel(datetime(2027, 3, 2, 7, 0, tzinfo=UTC), tick=False):
        run_worker("--worker-id", "stopped-an-hour-ago")
    with time_machine.travel(datetime(2027, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        run_worker("--worker-id", "new")
    assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {
        "stopped-an-hour-ago",
        "new",
    }


def _database_url() -> str:
    """The address of the test database (PostgreSQL), for processes started by the test."""
    database = connection.settings_dict
    user = quote(database["USER"] or "", safe="")
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    host = database["HOST"] or "localhost"
    port = database["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_several_workers_send_each_email_exactly_once(tmp_path: Path) -> None:
    mail_folder = tmp_path / "mail"
    environment = clean_environment(
        PALABRE_VAR_DIR=str(tmp_path / "var"), PALABRE_EMAIL_URL=f"file://{mail_folder}"
    )
    # The workers share a database, committed as in production: on PostgreSQL the test
    # database itself; on SQLite (the tests' own lives in memory, where a copy would wait on
    # other tests' shared-cache locks) a new file database, migrated.
    if settings.IS_POSTGRES:
        environment["PALABRE_DATABASE_URL"] = _database_url()
    else:
        migrated = _palabre(environment, "migrate")
        assert migrated.returncode == 0, migrated.stderr[-3000:]
    logs = [tmp_path / f"worker-{number}.log" for number in range(WORKERS)]
    workers = [
        subprocess.Popen(
            [PALABRE, "worker", "--interval", "0.1", "--no-reload"],
            env=environment,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        for log in logs
    ]
    try:
        done = _palabre(
            environment,
            "manage",
            "shell",
            "-c",
            "from palabre.core.tests.workers_at_work import queue_and_wait; "
            f"queue_and_wait(mails={MAILS}, workers={WORKERS})",
        )
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        stopped = [worker.wait(timeout=30) for worker in workers]
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    print(summary)  # which workers ran tasks: shown with -s, never asserted (it is chance)
    assert summary["heartbeats"] == summary["live"] == WORKERS
    assert summary["pids"] == sorted(worker.pid for worker in workers)
    assert (summary["sent"], summary["pending"], summary["unfinished_tasks"]) == (MAILS, 0, 0)
    assert stopped == [0] * WORKERS, [log.read_text()[-2000:] for log in logs]
    left = _palabre(
        environment,
        "manage",
        "shell",
        "-c",
        "from palabre.core.tests.workers_at_work import heartbeats_left; heartbeats_left()",
    )
    assert left.stdout.strip().splitlines()[-1] == "0"  # stopped cleanly: no longer counted
    written = "".join(path.read_text() for path in mail_folder.iterdir())
    subjects = Counter(re.findall(r"^Subject: Parcel (\d+)$", written, flags=re.MULTILINE))
    assert subjects == Counter({f"{number:02d}": 1 for number in range(MAILS)})


def _palabre(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PALABRE, *args], env=environment, capture_output=True, text=True, timeout=240, check=False
    )
