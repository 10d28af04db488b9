"""Issue 5's budget: the public tracker with 5,000 requests under 100 ms median, with a constant
number of queries. Run: .venv/bin/python benchmarks/requests_speed.py

The demo's requests are cloned (bulk, as sent requests across the three neighbourhoods) up to
5,000; each page shows 50, newest first. Prints Markdown; nothing here is a test.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._django import setup_with_demo, timed_get

setup_with_demo()


from palabre.official_requests.models import Request, Status  # noqa: E402

TARGET = 5_000


def grow_to(total: int) -> None:
    sent = list(Request.objects.exclude(status=Status.DRAFTED))
    copies = []
    for number in range(total - Request.objects.count()):
        model = sent[number % len(sent)]
        model.pk = None
        model.title = f"{model.title} ({number})"
        copies.append(
            Request(**{f.attname: getattr(model, f.attname) for f in Request._meta.concrete_fields})
        )
    Request.objects.bulk_create(copies, batch_size=1000)


def main() -> None:
    small, small_queries = timed_get("/demandes/", 40)
    before = Request.objects.count()
    grow_to(TARGET)
    print("| tracker page | requests | median ms | min-max ms | budget | queries |")
    print("|---|---:|---:|---:|---|---:|")
    print(
        f"| city-wide, demo | {before} | "
        f"{statistics.median(small) * 1000:.1f} | {min(small) * 1000:.1f}-{max(small) * 1000:.1f}"
        f" | < 100 | {small_queries} |"
    )
    for label, url in (
        ("city-wide, first page", "/demandes/"),
        ("city-wide, last page", "/demandes/?page=100"),
        ("one neighbourhood", "/demandes/?quartier=bomel"),
    ):
        times, queries = timed_get(url, 40)
        print(
            f"| {label} | {Request.objects.count()} | {statistics.median(times) * 1000:.1f} | "
            f"{min(times) * 1000:.1f}-{max(times) * 1000:.1f} | < 100 | {queries} |"
        )


if __name__ == "__main__":
    main()
