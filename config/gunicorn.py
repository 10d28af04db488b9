"""gunicorn settings used by `palabre serve`: one background-task worker runs beside the web
workers, so the default setup needs no other process manager and no extra server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

# No access log: its request line and Referer would write private links in full. Django's request
# log records every request, with the secrets of private links replaced by "<secret>" (ADR 0044).
accesslog = None

_worker: subprocess.Popen[bytes] | None = None


def when_ready(server: Any) -> None:
    """Start the database task worker once gunicorn is ready."""
    global _worker
    if os.environ.get("PALABRE_TASK_WORKER", "true").lower() in {"0", "false", "no", "off"}:
        return
    palabre = str(Path(sys.executable).parent / "palabre")
    # `palabre worker` is django-tasks-db's worker writing a heartbeat that /healthz reads.
    _worker = subprocess.Popen([palabre, "worker", "--interval", "1"])  # noqa: S603
    server.log.info("task worker started (pid %s)", _worker.pid)


def on_exit(server: Any) -> None:
    """Stop the task worker with gunicorn."""
    if _worker is not None and _worker.poll() is None:
        _worker.terminate()
        try:
            _worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _worker.kill()
