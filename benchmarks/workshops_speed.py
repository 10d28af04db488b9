"""Issue 3's budgets: 1,000 letterbox flyers in one PDF (< 20 s) and the public workshop page
(< 50 ms median, constant queries). Run: .venv/bin/python benchmarks/workshops_speed.py"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._django import setup_with_demo, timed_get

setup_with_demo()


from palabre.workshops.models import InvitationBatch, PrintFormat, Workshop  # noqa: E402
from palabre.workshops.printing import invitation_pdf  # noqa: E402


def flyers(print_format: PrintFormat, copies: int) -> tuple[float, int]:
    workshop = Workshop.objects.filter(status="announced").first()
    assert workshop is not None
    batch, _ = InvitationBatch.objects.update_or_create(
        workshop=workshop,
        label=f"bench {print_format}",
        print_format=print_format,
        language="fr",
        defaults={"copies": copies},
    )
    started = time.perf_counter()
    pdf = invitation_pdf(batch)
    return time.perf_counter() - started, len(pdf)


def main() -> None:
    print("| measure | result | budget | within |")
    print("|---|---:|---:|---|")
    for print_format in (PrintFormat.LETTERBOX_4, PrintFormat.LETTERBOX_2):
        seconds, size = flyers(print_format, 1000)
        print(
            f"| 1,000 flyers, {print_format.label} ({size / 1e6:.1f} MB) | {seconds:.2f} s "
            f"| 20 s | {'yes' if seconds < 20 else 'NO'} |"
        )
    workshop = Workshop.objects.filter(status="announced").first()
    assert workshop is not None
    times, queries = timed_get(workshop.get_absolute_url(), 60)
    median, worst = statistics.median(times) * 1000, max(times) * 1000
    print(
        f"| public workshop page, median of 60 (max {worst:.1f} ms), {queries} queries "
        f"| {median:.1f} ms | 50 ms | {'yes' if median < 50 else 'NO'} |"
    )


if __name__ == "__main__":
    main()
