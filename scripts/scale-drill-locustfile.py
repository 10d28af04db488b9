"""The scale drill's visitors (scripts/scale-drill runs `locust -f` on this file; docs/scale.md).

SCALE_DRILL_PAGES names a JSON file {"public": [...], "staff": [{"session": ..., "pages": [...]}]}:
addresses checked to answer 200, and staff sessions made by signing in through the form.
SCALE_DRILL_MODE chooses who visits:
- "people": residents reading public pages and staff (the coordinator, a facilitator) reading
  their pages, each pausing SCALE_DRILL_PAUSE seconds (a range "1-5") between two pages;
- "pages": the same pages without pause, to measure how many the servers serve at most;
- "bare": `/healthz/web` without pause, the bare Django view the pages are compared to.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from locust import HttpUser, between, constant, task

PAGES: dict[str, Any] = json.loads(Path(os.environ["SCALE_DRILL_PAGES"]).read_text())
MODE = os.environ.get("SCALE_DRILL_MODE", "people")
LOW, _, HIGH = os.environ.get("SCALE_DRILL_PAUSE", "1-5").partition("-")


def _pause() -> Callable[..., float]:
    return between(float(LOW), float(HIGH or LOW)) if MODE == "people" else constant(0)


class Resident(HttpUser):
    """Someone of the neighbourhood reading public pages, without an account."""

    weight = 8
    wait_time = _pause()

    @task
    def read(self) -> None:
        if MODE == "bare":
            self.client.get("/healthz/web", name="/healthz/web (bare)")
            return
        _read(self, random.choice(PAGES["public"]))


class Staff(HttpUser):
    """The coordinator or a facilitator, signed in, reading the staff pages."""

    weight = 2
    wait_time = _pause()

    def on_start(self) -> None:
        # Signed in before the drill, as at the start of a working day (password hashing is
        # slow on purpose and not what the drill measures): a session made by scale-drill.
        self.account = random.choice(PAGES["staff"])
        self.client.cookies.set("sessionid", self.account["session"])

    @task
    def read(self) -> None:
        if MODE == "bare":
            self.client.get("/healthz/web", name="/healthz/web (bare)")
            return
        _read(self, random.choice(self.account["pages"] + PAGES["public"][:3]))


def _read(user: HttpUser, path: str) -> None:
    """Read `path`: anything but a 200 (a redirect to the sign-in form too) is a failure."""
    with user.client.get(
        path, name=_name(path), allow_redirects=False, catch_response=True
    ) as answer:
        if answer.status_code != 200:
            answer.failure(f"{answer.status_code}")


def _name(path: str) -> str:
    """Group the addresses of one page (/ateliers/12/, /ateliers/40/) under one name."""
    path = re.sub(r"/(\d+)/", "/<n>/", path)
    return re.sub(r"^/(quartiers|avis|budget-participatif)/(?!<n>)[^/]+/", r"/\1/<slug>/", path)
