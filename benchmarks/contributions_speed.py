"""Issue 4's budgets: a synthesis of 10,000 contributions (< 10 s) and a capture round-trip
(< 100 ms median). Run: .venv/bin/python benchmarks/contributions_speed.py

The 10,000 contributions are the demo's plus new ones posted through the board action (texts:
the shipped labelled sentences joined in random same-theme pairs, with their theme), all
published, in Bomel. Times are whole HTTP requests through Django's test client (templates
included); the capture round-trip is POST + redirect + GET of the capture page, as a facilitator's
phone does it. Prints Markdown; nothing here is a test.
"""

from __future__ import annotations

import random
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._django import setup_with_demo, timed_get

setup_with_demo()

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from palabre.accounts.models import User  # noqa: E402
from palabre.contributions import actions  # noqa: E402
from palabre.contributions.models import Board, Contribution, Moderation, Theme  # noqa: E402
from palabre.themes import builtin  # noqa: E402
from palabre.workshops.models import Workshop  # noqa: E402

TARGET = 10_000


def grow_to(total: int) -> float:
    """Post contributions on Bomel's board (post-moderation) until there are `total`."""
    data = builtin("train") + builtin("test")
    by_theme: dict[str, list[str]] = {}
    for text, theme in zip(data.texts, data.themes, strict=True):
        by_theme.setdefault(theme, []).append(text)
    themes = {theme.name: theme for theme in Theme.objects.all()}
    board = Board.objects.select_related("neighbourhood").get(neighbourhood__slug="bomel")
    board.moderation = Moderation.POST
    board.save(update_fields=["moderation"])
    rng = random.Random(0)
    started = time.perf_counter()
    with transaction.atomic():
        for _ in range(total - Contribution.objects.count()):
            theme = rng.choice(sorted(by_theme))
            text = " ".join(rng.sample(by_theme[theme], 2))
            post = actions.post_on_board(
                by=None, board=board, text=text, key=secrets.token_urlsafe(16)
            ).contribution
            post.themes.set([themes[theme]])
    return time.perf_counter() - started


def capture_round_trips(runs: int = 50) -> list[float]:
    workshop = Workshop.objects.filter(
        status__in=["held", "reported"], neighbourhood__slug="bomel"
    ).first()
    assert workshop is not None
    client = Client()
    client.force_login(User.objects.get(email="mediateur@palabre.example"))
    url = f"/parole/atelier/{workshop.pk}/"
    client.get(url)
    times = []
    for number in range(runs):
        data = {"question": number % 3, "key": secrets.token_urlsafe(16), "text": f"Note {number}"}
        started = time.perf_counter()
        response = client.post(url, data, follow=True)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    return times


def main() -> None:
    # As in production once the worker has run: a theme suggester exists, and the capture page
    # suggests themes for every untagged note.
    started = time.perf_counter()
    actions.train_suggester()
    print(f"(theme suggester trained in {time.perf_counter() - started:.1f} s, not a budget)\n")
    print("| measure | median s | min-max s | budget | queries |")
    print("|---|---:|---:|---|---:|")
    round_trips = capture_round_trips()
    print(
        f"| capture round-trip (POST, redirect, page) with {Contribution.objects.count()} "
        f"contributions | {statistics.median(round_trips):.3f} | {min(round_trips):.3f}-"
        f"{max(round_trips):.3f} | < 0.100 median | - |"
    )
    grown = grow_to(TARGET)
    print(f"| posting {TARGET:,} contributions (setup) | {grown:.1f} total | - | - | - |")
    minutes = Workshop.objects.filter(minutes__published_at__isnull=False).first()
    assert minutes is not None
    print(
        "\nThe same pages reloaded: the slow part (text analysis, PDF layout) is remembered by "
        "what it is made of (ADR 0050); cold = cache emptied before each request.\n"
    )
    print(
        "| page | cold median s | min-max s | budget | reloaded median s | cold / reloaded "
        "| queries |"
    )
    print("|---|---:|---:|---|---:|---:|---:|")
    for label, url in (
        (f"neighbourhood synthesis, {TARGET:,} contributions", "/parole/synthese/quartier/bomel/"),
        ("cycle synthesis (demo workshops)", "/parole/synthese/cycle/2026-2027/"),
        (
            f"neighbourhood report PDF, {TARGET:,} contributions",
            "/parole/synthese/quartier/bomel/pdf/",
        ),
        ("minutes PDF (demo)", f"/ateliers/{minutes.pk}/compte-rendu.pdf"),
        ("since last time PDF, Bomel", "/demandes/quartier/bomel/depuis/pdf/"),
    ):
        times, queries = timed_get(url, 3, warm_up=False, cold=True)
        again, _ = timed_get(url, 5)
        print(
            f"| {label} | {statistics.median(times):.2f} | {min(times):.2f}-{max(times):.2f} "
            f"| < 10 | {statistics.median(again):.3f} "
            f"| {statistics.median(times) / statistics.median(again):.0f}x | {queries} |"
        )


if __name__ == "__main__":
    main()
