"""`palabre serve` runs sync gunicorn workers, or threaded ones when PALABRE_THREADS asks."""

from __future__ import annotations

import pytest

from palabre.core.commands import gunicorn_command


def test_serve_runs_sync_workers_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PALABRE_THREADS", raising=False)
    command = gunicorn_command([])
    assert not [arg for arg in command if arg.startswith(("--worker-class", "--threads"))]


def test_threads_switch_serve_to_threaded_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PALABRE_THREADS", "4")
    command = gunicorn_command([])
    assert "--worker-class=gthread" in command
    assert "--threads=4" in command
