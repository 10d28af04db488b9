"""`palabre manage apply_retention`: anonymise now what has been kept long enough."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from palabre.privacy import actions


class Command(BaseCommand):
    help = (
        "Anonymise the contact details of registrations and volunteers kept longer than "
        "PALABRE_RETENTION_MONTHS_REGISTRATIONS and PALABRE_RETENTION_MONTHS_VOLUNTEERS, and make "
        "sure the nightly run is queued. Safe to run twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue-only",
            action="store_true",
            help="only make sure the nightly run is queued (what `palabre serve` does at start)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        queued = actions.schedule_retention()
        if options["queue_only"]:
            if queued and options["verbosity"]:
                self.stdout.write("Nightly retention run queued.")
            return
        done = actions.apply_retention()
        self.stdout.write(
            f"Anonymised: {done.registrations} registrations (workshops ended more than "
            f"{settings.RETENTION_MONTHS_REGISTRATIONS} months ago), {done.volunteers} volunteers "
            f"(actions finished more than {settings.RETENTION_MONTHS_VOLUNTEERS} months ago); "
            f"erased: {done.callbacks} call-back requests (called more than 30 days ago), "
            f"{done.request_followers} people following a request by email or text message "
            f"(done more than 90 days ago), {done.typed_statements} statements' words as typed "
            "(never moderated, conversation closed)."
        )
