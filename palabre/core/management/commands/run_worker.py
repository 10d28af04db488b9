"""`palabre worker` (or `palabre manage run_worker`): django-tasks-db's worker, with the same
options, that also writes a heartbeat in the database so that /healthz on every app server knows
whether a worker is alive (ADR 0077).

Several may run at once, on one machine or on several: each task is claimed by one of them
(django-tasks-db locks the row on PostgreSQL and takes the write lock on SQLite), and the outbox
claims each email with a conditional UPDATE, so nothing is sent twice.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from datetime import datetime
from typing import Any

from django.db import close_old_connections, connection
from django.db.utils import DatabaseError
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from palabre.core import health

logger = logging.getLogger("palabre.health")


class Command(db_worker.Command):
    help = "Run the background-task worker and write its heartbeat for /healthz."

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id: str = options["worker_id"]
        started_at = timezone.now()
        if options["batch"]:
            # One pass (tests, or a worker started by cron): a beat before and after, no thread.
            _beat(worker_id, started_at, forget_the_dead=True)
            super().handle(*args, **options)
            _beat(worker_id, started_at)
            return
        if options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # This process only watches the code and restarts the one that runs the tasks;
            # that one beats.
            super().handle(*args, **options)
            return
        _beat(worker_id, started_at, forget_the_dead=True)
        heart = _Heart(worker_id, started_at)
        heart.start()
        try:
            super().handle(*args, **options)
        finally:
            heart.stop()
            # When the database is away, its beat goes stale: the next worker to start deletes it.
            with contextlib.suppress(DatabaseError):
                health.forget_worker(worker_id)


class _Heart(threading.Thread):
    """Beats every few seconds beside the worker's loop, so that a long task (a digest for the
    whole city) does not make a busy worker look dead. A loop stuck for good shows in /healthz
    anyway: the tasks it should take wait too long."""

    def __init__(self, worker_id: str, started_at: datetime) -> None:
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = started_at
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(health.HEARTBEAT_SECONDS):
                # Kept between beats: dropped when too old or broken (CONN_MAX_AGE, restarts).
                close_old_connections()
                _beat(self.worker_id, self.started_at)
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)


def _beat(worker_id: str, started_at: datetime, *, forget_the_dead: bool = False) -> None:
    # A database busy or away for a moment must not stop the worker: the next beat tries again.
    try:
        if forget_the_dead:
            health.forget_dead_workers()
        health.record_heartbeat(worker_id=worker_id, started_at=started_at)
    except DatabaseError as error:
        logger.warning("worker heartbeat not written", extra={"error": str(error)})
