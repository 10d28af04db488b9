"""`palabre manage send_weekly_digest`: send this week's Monday digest now (once a week at most)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from palabre.official_requests import digest


class Command(BaseCommand):
    help = (
        "Queue this week's digest for each person who answers requests and chose one email a "
        "week (nothing twice in the same week), and make sure next Monday's run is queued. "
        "Safe to run twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue-only",
            action="store_true",
            help="only make sure the Monday run is queued (what `palabre serve` does at start)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        queued = digest.schedule_digest()
        if options["queue_only"]:
            if queued and options["verbosity"]:
                self.stdout.write("Monday digest run queued.")
            return
        sent = digest.send_digests()
        self.stdout.write(f"Digests queued: {sent} (an email already queued this week is kept).")
