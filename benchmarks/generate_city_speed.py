"""Issue 21's budget: the whole generated city (scale 1: 20,000 accounts, 100,000 contributions,
5,000 requests, 300 workshops, 2,000 citizen actions, ballots and opinion votes) in under five
minutes on SQLite. Run: .venv/bin/python benchmarks/generate_city_speed.py [scale]

Starts from a fresh, migrated SQLite database (no demo data: the generator refuses a database
that has some), then prints Markdown: each stage's rows, seconds and rows per second, then the
rows of each table. Nothing here is a test.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ["PALABRE_VAR_DIR"] = tempfile.mkdtemp(prefix="palabre-bench-")
os.environ.pop("PALABRE_DATABASE_URL", None)  # SQLite, whatever the shell says
os.environ["PALABRE_EMAIL_URL"] = "memory:"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from palabre.demo.generate import generate_city  # noqa: E402

BUDGET_SECONDS = 300.0  # the whole city at scale 1


def main() -> None:
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    call_command("migrate", verbosity=0)
    logging.disable(logging.WARNING)
    stages: list[tuple[str, int, float]] = []
    started = time.perf_counter()
    report = generate_city(
        scale=scale, progress=lambda stage, rows, seconds: stages.append((stage, rows, seconds))
    )
    total_seconds = time.perf_counter() - started
    budget = BUDGET_SECONDS * scale
    print(f"Generated city at scale {scale} on SQLite ({os.cpu_count()} cores)\n")
    print("| stage | rows | seconds | rows/s |")
    print("|---|---:|---:|---:|")
    for stage, rows, seconds in stages:
        print(f"| {stage} | {rows:,} | {seconds:.1f} | {rows / seconds if seconds else 0:,.0f} |")
    total = sum(report.rows.values())
    verdict = "within" if total_seconds < budget else "OVER"
    print(
        f"| **total** | **{total:,}** | **{total_seconds:.1f}** | "
        f"**{total / total_seconds:,.0f}** |\n"
    )
    print(f"Budget: < {budget:.0f} s at this scale: {verdict} budget.\n")
    print("Bulk inserts per table (making the rows in Python is counted in the stages above):\n")
    print("| table | rows | seconds writing | rows/s |")
    print("|---|---:|---:|---:|")
    for table, rows in sorted(report.rows.items(), key=lambda item: -item[1]):
        writing = report.writing.get(table)
        if writing is None:  # written through the actions, timed with its stage
            print(f"| {table} | {rows:,} | (actions) | |")
        else:
            print(f"| {table} | {rows:,} | {writing:.1f} | {rows / writing:,.0f} |")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(os.environ["PALABRE_VAR_DIR"])  # a city is 100 MB of SQLite
