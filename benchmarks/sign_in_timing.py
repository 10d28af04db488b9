"""Issue 13: sign-in answers take the same time for known and unknown addresses (M2 of the
December 2026 security trial: 10 ms versus 355 ms).

Run: .venv/bin/python benchmarks/sign_in_timing.py

A fresh SQLite database with one account; production password hashing. Every request comes from
a different client behind a trusted proxy, so no limit is reached. Prints Markdown; the test
suite checks the same *work* instead (palabre/accounts/tests/test_throttling.py).
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ["PALABRE_VAR_DIR"] = tempfile.mkdtemp(prefix="palabre-bench-")
os.environ["PALABRE_ALLOWED_HOSTS"] = "testserver"
os.environ["PALABRE_EMAIL_URL"] = "memory:"
os.environ["PALABRE_TRUSTED_PROXIES"] = "127.0.0.1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from palabre.accounts.models import User  # noqa: E402

RUNS = 15
_client_number = 0


def fresh_client() -> Client:
    global _client_number
    _client_number += 1
    a, b = divmod(_client_number, 250)
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"198.18.{a}.{b + 1}")


def median_ms(path: str, data: dict[str, str], status: int) -> float:
    times = []
    for _ in range(RUNS):
        client = fresh_client()
        started = time.perf_counter()
        response = client.post(path, data)
        times.append(time.perf_counter() - started)
        assert response.status_code == status, (path, data, response.status_code)
    return statistics.median(times) * 1000


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    logging.disable(logging.WARNING)
    # Measured here is the work of one answer, not the limits: let every wrong password through.
    settings.SIGN_IN_MAX_FAILURES = 10 * RUNS
    User.objects.create_user("amina@example.org", "correct horse battery", display_name="Amina")
    User.objects.create_user("bilal@example.org", "correct horse battery", display_name="Bilal")
    fresh_client().post("/compte/connexion/code/", {"email": "bilal@example.org"})
    wrong_code = {"code": "000000"}
    rows = [
        (
            "code entry",
            "account with a live code",
            "/compte/connexion/code/saisir/",
            {"email": "bilal@example.org", **wrong_code},
            200,
        ),
        (
            "code entry",
            "account without a code",
            "/compte/connexion/code/saisir/",
            {"email": "amina@example.org", **wrong_code},
            200,
        ),
        (
            "code entry",
            "unknown address",
            "/compte/connexion/code/saisir/",
            {"email": "nobody@example.org", **wrong_code},
            200,
        ),
        ("code request", "account", "/compte/connexion/code/", {"email": "amina@example.org"}, 302),
        (
            "code request",
            "unknown address",
            "/compte/connexion/code/",
            {"email": "nobody@example.org"},
            302,
        ),
        (
            "wrong password",
            "account",
            "/compte/connexion/",
            {"email": "amina@example.org", "password": "nope"},
            200,
        ),
        (
            "wrong password",
            "unknown address",
            "/compte/connexion/",
            {"email": "nobody@example.org", "password": "nope"},
            200,
        ),
    ]
    print(f"| form | address | median of {RUNS} (ms) |")
    print("|---|---|---:|")
    for form, case, path, data, status in rows:
        print(f"| {form} | {case} | {median_ms(path, data, status):.0f} |")


if __name__ == "__main__":
    main()
