"""The truth about an installation for /healthz (ADR 0077): the database answers, a background
worker is alive, the task queue moves and the disks holding the uploads and var/ have room.

The worker's heartbeat is written here too, so that what /healthz reads and what the worker
writes sit side by side. Everything is read in two queries whatever the size of the city.
"""

from __future__ import annotations

import os
import shutil
import socket
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, F, Max, Min, Q, When
from django.db.utils import DatabaseError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from palabre.core.models import WorkerHeartbeat

# A worker writes its heartbeat this often; /healthz calls it stale after
# settings.HEALTH_WORKER_STALE_SECONDS (120 by default: eight missed beats).
HEARTBEAT_SECONDS = 15
# The row of a worker that has not beaten for this long is deleted when another worker starts.
FORGET_AFTER = timedelta(days=1)


def record_heartbeat(*, worker_id: str, started_at: datetime) -> None:
    """Write that this worker process is alive now: one row per process, updated in place."""
    now = timezone.now()
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=started_at,
            beat_at=now,
        )


def forget_worker(worker_id: str) -> None:
    """Delete the heartbeat of a worker that stops cleanly (it no longer counts as live)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def forget_dead_workers() -> None:
    """Delete the heartbeats of workers silent for a day (killed, or their machine gone)."""
    WorkerHeartbeat.objects.filter(beat_at__lt=timezone.now() - FORGET_AFTER).delete()


def database_answers() -> bool:
    """Whether this app server reaches its database (the load balancer's question)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def report() -> dict[str, Any]:
    """The whole truth: "status" is "ok" or "error", "problems" names the parts that are not ok.

    No task arguments, hostnames or addresses: only counts, ages in seconds and free space.
    """
    now = timezone.now()
    body: dict[str, Any] = {"status": "ok", "problems": [], "database": "ok"}
    try:
        body["worker"] = _worker(now)
        body["queue"] = _queue(now)
    except DatabaseError:
        body["database"] = "unreachable"
        body["worker"] = {"status": "unknown"}
        body["queue"] = {"status": "unknown"}
        body["problems"].append("database")
    body["disk"] = _disk(Path(settings.MEDIA_ROOT), Path(settings.VAR_DIR))
    body["problems"] += [part for part in ("worker", "queue", "disk") if _failed(body[part])]
    if body["problems"]:
        body["status"] = "error"
    return body


def _failed(part: dict[str, Any]) -> bool:
    # "unknown" is already counted as the database's problem.
    return part["status"] not in {"ok", "unknown"}


def _worker(now: datetime) -> dict[str, Any]:
    stale_after = timedelta(seconds=settings.HEALTH_WORKER_STALE_SECONDS)
    beats = WorkerHeartbeat.objects.aggregate(
        last=Max("beat_at"), live=Count("pk", filter=Q(beat_at__gte=now - stale_after))
    )
    if beats["last"] is None:
        # No worker ever beat, or the last one stopped cleanly (it deletes its row). Red on a
        # brand-new installation too: `palabre serve` starts a worker, which beats at once; an
        # installation whose workers run elsewhere is red until one of them runs.
        return {"status": "missing", "live": 0, "last_beat_seconds": None}
    return {
        "status": "ok" if beats["live"] else "stale",
        "live": beats["live"],
        "last_beat_seconds": _seconds(now - beats["last"]),
    }


def _queue(now: datetime) -> dict[str, Any]:
    # A task is due since it was queued, or since its run_after when that came later.
    due_since = Case(
        When(
            Q(run_after__lt=get_date_max()) & Q(run_after__gt=F("enqueued_at")),
            then=F("run_after"),
        ),
        default=F("enqueued_at"),
    )
    waiting = DBTaskResult.objects.ready().aggregate(count=Count("pk"), oldest=Min(due_since))
    oldest = _seconds(now - waiting["oldest"]) if waiting["oldest"] is not None else 0
    return {
        "status": "late" if oldest > settings.HEALTH_QUEUE_MAX_AGE_SECONDS else "ok",
        "waiting": waiting["count"],
        "oldest_seconds": oldest,
    }


def _disk(*folders: Path) -> dict[str, Any]:
    # The uploads (maybe on a shared mount) and var/ (the SQLite database, the cache): the
    # tightest of their file systems is the one that matters.
    return min(
        (_free_space(folder) for folder in folders),
        key=lambda space: (space["status"] == "ok", space["free_bytes"]),
    )


def _free_space(folder: Path) -> dict[str, Any]:
    # A folder not made yet on a new installation: its nearest existing parent lives on the same
    # file system.
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    usage = shutil.disk_usage(folder)
    free_percent = round(100 * usage.free / usage.total, 1) if usage.total else 0.0
    low = (
        usage.free < settings.HEALTH_DISK_MIN_FREE_MB * 1024 * 1024
        or free_percent < settings.HEALTH_DISK_MIN_FREE_PERCENT
    )
    return {
        "status": "low" if low else "ok",
        "free_bytes": usage.free,
        "free_percent": free_percent,
    }


def _seconds(age: timedelta) -> int:
    return max(0, int(age.total_seconds()))
