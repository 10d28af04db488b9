"""Start Django on a fresh SQLite database with the demo data, for benchmarks."""

from __future__ import annotations

import logging
import os
import tempfile


def setup_with_demo() -> None:
    """Point Palabre at a throw-away database, migrate it and load the demo data."""
    os.environ["PALABRE_VAR_DIR"] = tempfile.mkdtemp(prefix="palabre-bench-")
    os.environ.setdefault("PALABRE_ALLOWED_HOSTS", "testserver")
    os.environ["PALABRE_EMAIL_URL"] = "memory:"
    # Pages are timed as rendered: a kept public page (ADR 0083) would time a cache lookup. The
    # page cache is measured where it matters, by the scale drill.
    os.environ["PALABRE_PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    logging.disable(logging.WARNING)  # the JSON request log would drown the tables


def timed_get(
    url: str, runs: int, *, warm_up: bool = True, cold: bool = False
) -> tuple[list[float], int]:
    """GET `url` `runs` times (after one warm-up request unless told otherwise): the seconds
    each took, and the number of queries one request makes. `cold` empties the cache of slow
    results (palabre.core.caching) before each request, to time the work itself."""
    import time

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if warm_up:
        client.get(url)
    times = []
    for _ in range(runs):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return times, len(queries)
