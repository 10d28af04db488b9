from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from palabre.demo import generate


class Command(BaseCommand):
    help = (
        "Fill an empty database with a generated city for load tests (issue 21): at scale 1, "
        "20,000 accounts, 100,000 contributions, 5,000 requests, 300 workshops, 2,000 citizen "
        "actions, budget ballots and opinion votes. Deterministic; refuses a database with data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1.0: the full city; 0.01 for tests."
        )
        parser.add_argument(
            "--seed", type=int, default=generate.DEFAULT_SEED, help="Same seed, same rows."
        )
        parser.add_argument("--city-name", default="Namur", help="Also the accounts' domain.")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=generate.DEFAULT_TODAY,
            help="The day the city is generated as of, YYYY-MM-DD "
            f"(default {generate.DEFAULT_TODAY}; a load test passes the day it runs).",
        )
        parser.add_argument(
            "--password",
            default=generate.GENERATED_PASSWORD,
            help="The password of every generated account.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] <= 0:
            raise CommandError("--scale must be above 0.")
        started = time.perf_counter()

        def progress(stage: str, rows: int, seconds: float) -> None:
            rate = rows / seconds if seconds else 0.0
            self.stdout.write(f"  {stage:<14} {rows:>9,} rows {seconds:>7.1f} s {rate:>9,.0f}/s")

        try:
            report = generate.generate_city(
                scale=options["scale"],
                seed=options["seed"],
                city_name=options["city_name"],
                today=options["today"],
                password=options["password"],
                progress=progress,
            )
        except generate.NotEmpty as refused:
            raise CommandError(f"{refused}; nothing was written.") from None
        # The query planner's statistics: a database just filled in bulk has none until
        # autovacuum passes, and plans made without them can be a hundred times slower.
        analysed = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        progress("statistics", 0, time.perf_counter() - analysed)
        total = sum(report.rows.values())
        seconds = time.perf_counter() - started
        self.stdout.write(f"Generated {total:,} rows in {seconds:.1f} s.")
        self.stdout.write("Sign in at /compte/connexion/ with:")
        width = max(len(login.email) for login in report.logins)
        for login in report.logins:
            self.stdout.write(f"  {login.role:<14} {login.email:<{width}}  ({login.name})")
        self.stdout.write(
            "  residents: habitant.00001@… to the last number, same domain; "
            f"password for every account: {options['password']}"
        )
