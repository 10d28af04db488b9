from __future__ import annotations

from django.db import models


class ThrottleCount(models.Model):
    """How often one client or account did one kind of thing in one window (rate limits).

    A row in the database rather than a cache entry: it is shared by every gunicorn worker on
    SQLite without any setup, and its increment is atomic (ADR 0042). `key` is a keyed hash: no
    address or email people typed is stored here.
    """

    key = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "window_start"], name="throttle_one_row_a_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key[:20]}… {self.hits} since {self.window_start:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """The last sign of life of one background-task worker process (ADR 0077).

    In the database, so that /healthz on every app server sees every worker wherever it runs.
    One row per process, updated in place every few seconds (`palabre worker`); the row of a
    worker that stopped beating a day ago is deleted by the next worker that starts.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.host}:{self.pid} {self.beat_at:%Y-%m-%d %H:%M:%S}"
