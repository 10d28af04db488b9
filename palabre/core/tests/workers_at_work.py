"""Run inside `palabre manage shell` by test_workers.py, against the database the worker processes
share: wait for their heartbeats, queue the emails as the site does, wait until all are sent."""

from __future__ import annotations

import json
import sys
import time

from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from palabre.core import health
from palabre.core.models import WorkerHeartbeat
from palabre.outbox.actions import queue_mail
from palabre.outbox.models import MailStatus, OutgoingMail

# Guards against a hang only: on a working machine everything is done in a few seconds.
PATIENCE_SECONDS = 120


def queue_and_wait(*, mails: int, workers: int) -> None:
    """Print, as JSON, what the workers did with `mails` emails queued one action at a time."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    while WorkerHeartbeat.objects.count() < workers and time.monotonic() < deadline:
        time.sleep(0.2)
    beating = WorkerHeartbeat.objects.count()
    seen_by_healthz = health.report()["worker"]
    for number in range(mails):
        # One action, one transaction: each commit queues one delivery task, which any of the
        # workers may take while the next emails are being written.
        with transaction.atomic():
            queue_mail(
                to=[f"person{number}@example.org"], subject=f"Parcel {number:02d}", body="Hello."
            )
    unfinished = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    pending = OutgoingMail.objects.filter(status=MailStatus.PENDING)
    while (unfinished.exists() or pending.exists()) and time.monotonic() < deadline:
        time.sleep(0.2)
    ran_tasks = {
        worker
        for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
        for worker in ids
    }
    summary = {
        "heartbeats": beating,
        "live": seen_by_healthz["live"],
        "pids": sorted(set(WorkerHeartbeat.objects.values_list("pid", flat=True))),
        "sent": OutgoingMail.objects.filter(status=MailStatus.SENT).count(),
        "pending": pending.count(),
        "unfinished_tasks": unfinished.count(),
        "tasks": DBTaskResult.objects.count(),
        "workers_that_ran_tasks": len(ran_tasks),
    }
    sys.stdout.write(json.dumps(summary) + "\n")


def heartbeats_left() -> None:
    """Print how many heartbeat rows remain (workers stopped cleanly delete theirs)."""
    sys.stdout.write(f"{WorkerHeartbeat.objects.count()}\n")
