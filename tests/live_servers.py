"""Real servers for the tests that cross a process boundary: `palabre serve` on a free port, and a
browser without JavaScript (cookies and CSRF) speaking HTTP to it. Used by the two-city test, the
installed-wheel test and the production guide's test."""

from __future__ import annotations

import http.cookiejar
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import NoReturn

import pytest
from django.conf import settings


def unavailable(missing: str, needed_for: str) -> NoReturn:
    """Stop a test whose server, tool or data is missing: skipped with the reason on a person's
    machine, failed under CI=true, where everything must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{missing}; required when CI=true")
    pytest.skip(f"{missing}: {needed_for}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_environment(**variables: str) -> dict[str, str]:
    """The environment a person's shell would have, plus `variables`: no test-run settings."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PALABRE_", "DJANGO_"))}
    environment.pop("PYTEST_VERSION", None)
    return environment | variables


@dataclass
class Server:
    """One `palabre` installation (`command` is its `palabre` script) served on `port`."""

    name: str
    command: str
    port: int
    environment: dict[str, str]
    cwd: Path | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.command, *args],
            env=self.environment,
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    def start(self, log: Path | None = None) -> None:
        """Run `palabre serve`; its output goes to `log` (shown when it stops) or nowhere."""
        self.log = log
        with log.open("wb") if log is not None else open(os.devnull, "wb") as output:
            self.process = subprocess.Popen(
                [self.command, "serve"],
                env=self.environment,
                cwd=self.cwd,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # gunicorn and its workers: one group, stopped together
            )

    def wait_until_up(self, deadline: float, path: str = "/") -> None:
        """Wait until `path` answers 200 (the server started and reads its database)."""
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                output = self.log.read_text()[-3000:] if self.log is not None else ""
                raise AssertionError(f"{self.name} stopped: {self.process.returncode}\n{output}")
            try:
                with urllib.request.urlopen(f"{self.url}{path}", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise AssertionError(f"{self.name} did not answer in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


class Browser:
    """Cookies and CSRF like a browser without JavaScript, over real HTTP."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def fetch(self, path: str) -> tuple[bytes, str]:
        """The body and the content type of `path`."""
        with self.opener.open(f"{self.base}{path}", timeout=60) as answer:
            return answer.read(), str(answer.headers.get("Content-Type", ""))

    def get(self, path: str) -> str:
        return self.fetch(path)[0].decode()

    def post(self, path: str, fields: dict[str, str]) -> str:
        token = next(c.value for c in self.jar if c.name == settings.CSRF_COOKIE_NAME)
        data = urllib.parse.urlencode(fields | {"csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(  # noqa: S310
            f"{self.base}{path}", data=data, headers={"Referer": f"{self.base}{path}"}
        )
        with self.opener.open(request, timeout=60) as answer:
            return str(answer.read().decode())

    def sign_in(self, email: str, password: str) -> None:
        self.get("/compte/connexion/")
        page = self.post("/compte/connexion/", {"email": email, "password": password})
        assert "Vous êtes connecté·e." in unescape(page)
