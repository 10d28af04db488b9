"""Issue 18's load scenario: many voters, each sending several different ballots at the same
instant. Shared by `benchmarks/ballots_load.py` (which times it) and `test_concurrency.py`
(which asserts its outcome on PostgreSQL and SQLite); not a test module itself.

How the submissions overlap: `at_once` voters are in flight at any moment, and each voter's
`submissions` ballots are sent by as many threads (each with its own database connection)
released together by a barrier, so they reach `actions.cast_ballot` at the same instant and
queue on the same ballot row. Each submission chooses a different random set of projects
within the envelope. Afterwards the database must hold exactly one ballot per voter, every
submission must have had its own revision number 1…S (none lost), and the stored choices must
be those of the submission that got revision S (the last one written is the one kept).

The SQLite test runs this module in a subprocess on a fresh SQLite file, because the in-memory
test database of SQLite cannot be shared by threads that wait for each other's locks:
    python -m palabre.budgets.tests.load --database sqlite --voters 1000 --submissions 5
prints one JSON line (see `Outcome`). Django is imported only inside the functions, so that
`fresh_database` can point it at its database before it starts.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/palabre_ballots_load"
AMOUNT = 100_000
# Eight projects: 162 different sets of one to four of them, most within the envelope.
COSTS = (12_000, 18_000, 25_000, 30_000, 35_000, 40_000, 45_000, 60_000)
MOST_CHOSEN = 4
SLUG = "ballots-load"
AT_ONCE = 8  # voters in flight: 8 voters, 5 threads each, a connection per thread


@dataclass(frozen=True)
class Election:
    """A process whose vote is open, its envelope, its voters and what each will send."""

    envelope_id: int
    voter_ids: list[int]
    # choices[v][s]: the project ids (ascending) of voter v's submission s, all different.
    choices: list[list[tuple[int, ...]]]


Sent = tuple[int, str] | str  # (revision, receipt) as `cast_ballot` returned them, or an error


@dataclass
class Race:
    """What each submission got back, when it was in `cast_ballot`, and how long it all took."""

    sent: list[list[Sent]]
    spans: list[list[tuple[float, float]]]  # spans[v][s]: (entered, returned), perf_counter
    seconds: float = 0.0

    def overlapping(self) -> int:
        """Voters whose submissions were all inside `cast_ballot` at one same instant."""
        return sum(
            max(entered for entered, _ in spans) < min(returned for _, returned in spans)
            for spans in self.spans
        )


@dataclass(frozen=True)
class Outcome:
    """What the database holds after the race, against what was sent."""

    database: str
    voters: int
    submissions: int
    at_once: int
    seconds: float
    ballots_per_second: float  # submissions stored per second (each one a `cast_ballot`)
    ballots: int  # ballot rows stored in the envelope (one per voter expected)
    overlapping: int  # voters whose submissions were all in `cast_ballot` at one instant
    lost: int  # submissions without their own revision number 1…S
    duplicated: int  # ballot rows beyond one per voter, and extra receipts for one voter
    last_kept_failures: int  # voters whose stored ballot is not their submission number S
    errors: list[str]  # up to five distinct errors raised by `cast_ballot`
    error_count: int

    @property
    def last_kept(self) -> bool:
        return self.last_kept_failures == 0

    @property
    def ok(self) -> bool:
        return not self.lost and not self.duplicated and self.last_kept and not self.error_count


def _random_choices(
    rng: random.Random, costs: dict[int, int], voters: int, submissions: int
) -> list[list[tuple[int, ...]]]:
    ids = sorted(costs)
    everyone = []
    for _ in range(voters):
        mine: list[tuple[int, ...]] = []
        while len(mine) < submissions:
            chosen = tuple(sorted(rng.sample(ids, rng.randint(1, MOST_CHOSEN))))
            if sum(costs[pk] for pk in chosen) <= AMOUNT and chosen not in mine:
                mine.append(chosen)
        everyone.append(mine)
    return everyone


def prepare(voters: int, submissions: int, *, seed: int = 18) -> Election:
    """A budget whose vote is open, with one neighbourhood envelope of eight projects and
    `voters` voters who each typed a voting code (all through `palabre.budgets.actions`)."""
    from django.utils import timezone

    from palabre.accounts.models import Role, User
    from palabre.budgets import actions
    from palabre.neighbourhoods.models import Neighbourhood

    coordinator = User.objects.filter(email="ballots-load@example.org").first()
    if coordinator is None:
        coordinator = User.objects.create_user(
            "ballots-load@example.org", display_name="Coordination", role=Role.COORDINATOR
        )
    ring = [[4.8, 50.45], [4.81, 50.45], [4.81, 50.46], [4.8, 50.46], [4.8, 50.45]]
    neighbourhood, _ = Neighbourhood.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": "Quartier de charge",
            "boundary": {"type": "Polygon", "coordinates": [ring]},
        },
    )
    now = timezone.now()
    today = timezone.localdate(now)
    process = actions.create_process(
        by=coordinator,
        slug=SLUG,
        title="Budget participatif (charge)",
        ideas=(today - timedelta(days=90), today - timedelta(days=60)),
        review_until=today - timedelta(days=10),
        vote=(now - timedelta(days=1), now + timedelta(days=14)),
    )
    envelope = actions.add_envelope(
        by=coordinator, process=process, neighbourhood=neighbourhood, amount=AMOUNT
    )
    costs = {}
    for position, cost in enumerate(COSTS):
        project = actions.add_project(
            by=coordinator, envelope=envelope, title=f"Projet {position + 1}", cost=cost
        )
        costs[project.pk] = cost
    actions.freeze_rules(by=coordinator, process=process)
    voter_ids = []
    for first in range(0, voters, actions.MAX_CODES_AT_ONCE):
        count = min(actions.MAX_CODES_AT_ONCE, voters - first)
        batch = actions.make_codes(
            by=coordinator, process=process, label=f"Lettres {first + 1}", count=count
        )
        for code in batch.codes.values_list("code", flat=True):
            voter_ids.append(actions.redeem_code(process=process, code=code).pk)
    return Election(
        envelope.pk, voter_ids, _random_choices(random.Random(seed), costs, voters, submissions)
    )


def cast_all(election: Election, submissions: int, at_once: int) -> Race:
    """Send every voter's `submissions` ballots, each voter's at the same instant, `at_once`
    voters in flight; what each submission got back, and the seconds from the start to the
    last ballot stored."""
    from django.db import connection

    from palabre.budgets import actions
    from palabre.budgets.models import Envelope, Voter

    voters = len(election.voter_ids)
    lanes = max(1, min(at_once, voters))
    together = [threading.Barrier(submissions) for _ in range(lanes)]
    start = threading.Barrier(lanes * submissions + 1)
    race = Race(
        [["not sent"] * submissions for _ in range(voters)],
        [[(0.0, 0.0)] * submissions for _ in range(voters)],
    )

    def send(lane: int, submission: int) -> None:
        mine = range(lane, voters, lanes)
        try:
            # Objects of its own, as each web request would load them, before the start.
            envelope = Envelope.objects.get(pk=election.envelope_id)
            found = Voter.objects.in_bulk([election.voter_ids[v] for v in mine])
            start.wait(timeout=120)
            for v in mine:
                try:
                    together[lane].wait(timeout=60)
                    entered = time.perf_counter()
                    cast = actions.cast_ballot(
                        voter=found[election.voter_ids[v]],
                        envelope=envelope,
                        project_ids=election.choices[v][submission],
                    )
                    race.spans[v][submission] = (entered, time.perf_counter())
                    race.sent[v][submission] = (cast.revision, cast.receipt)
                except Exception as error:
                    race.sent[v][submission] = f"{type(error).__name__}: {error}"
        except Exception:
            start.abort()  # the others would wait for this thread until their timeout
            raise
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(lane, submission), daemon=True)
        for lane in range(lanes)
        for submission in range(submissions)
    ]
    for thread in threads:
        thread.start()
    start.wait(timeout=120)
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=max(0.0, started + 600 - time.perf_counter()))
    stuck = sum(thread.is_alive() for thread in threads)
    if stuck:
        raise RuntimeError(f"{stuck} threads still casting after 10 minutes")
    race.seconds = time.perf_counter() - started
    return race


def verify(election: Election, race: Race, *, database: str, at_once: int) -> Outcome:
    """Compare the ballots stored with what every submission sent and got back."""
    from palabre.budgets.models import Ballot

    stored: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    for voter_id, choices, revision, receipt in Ballot.objects.filter(
        envelope_id=election.envelope_id
    ).values_list("voter_id", "choices", "revision", "receipt"):
        stored[voter_id].append((choices, revision, receipt))
    sent, seconds = race.sent, race.seconds
    submissions = len(sent[0]) if sent else 0
    numbers = set(range(1, submissions + 1))
    lost = duplicated = last_kept_failures = 0
    errors: list[str] = []
    for v, voter_id in enumerate(election.voter_ids):
        got = [answer for answer in sent[v] if isinstance(answer, tuple)]
        errors += [answer for answer in sent[v] if isinstance(answer, str)]
        lost += submissions - len({revision for revision, _ in got} & numbers)
        rows = stored.get(voter_id, [])
        duplicated += max(0, len(rows) - 1)
        receipts = {receipt for _, receipt in got} | {receipt for _, _, receipt in rows}
        duplicated += max(0, len(receipts) - 1)
        last = [
            s
            for s, answer in enumerate(sent[v])
            if isinstance(answer, tuple) and answer[0] == submissions
        ]
        expected = ",".join(map(str, election.choices[v][last[0]])) if len(last) == 1 else None
        if len(rows) != 1 or rows[0][:2] != (expected, submissions):
            last_kept_failures += 1
    stored_count = sum(len(rows) for rows in stored.values())
    return Outcome(
        database=database,
        voters=len(election.voter_ids),
        submissions=submissions,
        at_once=at_once,
        seconds=round(seconds, 3),
        ballots_per_second=round((len(election.voter_ids) * submissions - lost) / seconds, 1)
        if seconds
        else 0.0,
        ballots=stored_count,
        overlapping=race.overlapping(),
        lost=lost,
        duplicated=duplicated,
        last_kept_failures=last_kept_failures,
        errors=sorted(set(errors))[:5],
        error_count=len(errors),
    )


def scenario(voters: int, submissions: int, *, at_once: int, seed: int = 18) -> Outcome:
    """Prepare the election, race every submission and check the result (on the database
    Django is connected to)."""
    from django.db import connection

    election = prepare(voters, submissions, seed=seed)
    race = cast_all(election, submissions, at_once)
    return verify(election, race, database=describe(connection), at_once=at_once)


def describe(connection: object) -> str:
    """The database as the figures should name it."""
    vendor = getattr(connection, "vendor", "")
    if vendor == "postgresql":
        version = getattr(connection, "pg_version", 0)
        return f"PostgreSQL {version // 10_000}.{version % 10_000}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} (file, WAL)"


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def _drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@contextmanager
def fresh_database(kind: str, postgres_url: str = POSTGRES_URL) -> Iterator[None]:
    """Start Django on a database made for the run, migrated, and removed afterwards: a SQLite
    file in a temporary folder, or a PostgreSQL database created (and dropped) at
    `postgres_url`. Call it before anything imports Django's models."""
    import django

    folder = tempfile.mkdtemp(prefix="palabre-ballots-")
    os.environ["PALABRE_VAR_DIR"] = folder
    os.environ["PALABRE_EMAIL_URL"] = "memory:"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.pop("PALABRE_DATABASE_URL", None)
    if kind == "postgres":
        import psycopg
        from psycopg import sql

        _drop_database(postgres_url)
        admin, name = _admin_url(postgres_url)
        with psycopg.connect(admin, autocommit=True) as server:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        os.environ["PALABRE_DATABASE_URL"] = postgres_url
    elif kind != "sqlite":
        raise ValueError(f"unknown database {kind!r}: sqlite or postgres")
    try:
        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        logging.disable(logging.WARNING)  # JSON log records would drown the figures
        yield
    finally:
        from django.db import connections

        connections.close_all()
        if kind == "postgres":
            _drop_database(postgres_url)
        shutil.rmtree(folder, ignore_errors=True)


def arguments(description: str | None = None) -> argparse.ArgumentParser:
    """The options of this scenario (the benchmark adds none of its own)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="a database to create")
    parser.add_argument("--voters", type=int, default=1_000)
    parser.add_argument("--submissions", type=int, default=5, help="per voter, at once")
    parser.add_argument("--at-once", type=int, default=AT_ONCE, help="voters in flight at a time")
    parser.add_argument("--seed", type=int, default=18)
    return parser


def main() -> None:
    """Run the scenario on a fresh database and print its outcome as one JSON line."""
    options = arguments(__doc__).parse_args()
    with fresh_database(options.database, options.postgres_url):
        outcome = scenario(
            options.voters, options.submissions, at_once=options.at_once, seed=options.seed
        )
    print(json.dumps(asdict(outcome)))


if __name__ == "__main__":
    main()
