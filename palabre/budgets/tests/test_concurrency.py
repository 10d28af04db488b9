"""Issue 18: 1,000 voters each sending five different ballots at the same instant keep one
counted ballot each, lose no submission, and keep the last one written, on both databases.

The scenario is `palabre.budgets.tests.load` (the one `benchmarks/ballots_load.py` times):
each voter's five submissions come from five threads, each with its own connection, released
together by a barrier, eight voters in flight. On PostgreSQL it runs in the suite's own test
database (the PostgreSQL run of `make test`); on SQLite in a subprocess, on a SQLite file of
its own (WAL, as Palabre runs it), because the suite's in-memory SQLite database, with its
shared cache, fails at once ("database table is locked") where a file database waits for the
lock. Each variant is skipped in the other database's run, so each runs once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from palabre.budgets.models import Ballot
from palabre.budgets.tests import load

VOTERS = 1_000
SUBMISSIONS = 5
ROOT = Path(__file__).resolve().parents[3]


def _assert_nothing_lost(outcome: load.Outcome) -> None:
    assert (outcome.voters, outcome.submissions) == (VOTERS, SUBMISSIONS)
    assert (outcome.error_count, outcome.errors) == (0, [])
    # The submissions did race: for many voters all five were inside `cast_ballot` at the same
    # instant (measured: 989-999 voters of 1,000 on PostgreSQL, 220-530 on SQLite, whose
    # ballot is written before the fifth thread is scheduled); a harness that sent them one
    # after the other would count none.
    assert outcome.overlapping >= VOTERS // 20
    assert outcome.ballots == VOTERS  # one counted ballot each
    assert outcome.duplicated == 0  # no second row, no second receipt for anyone
    assert outcome.lost == 0  # every submission got its own revision 1…5
    assert outcome.last_kept_failures == 0  # stored = the submission that got revision 5


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not settings.IS_POSTGRES,
    reason="PostgreSQL variant (PALABRE_DATABASE_URL=postgres://…); SQLite runs the one below",
)
def test_voters_sending_five_ballots_at_once_keep_the_last_one_on_postgresql() -> None:
    election = load.prepare(VOTERS, SUBMISSIONS)
    race = load.cast_all(election, SUBMISSIONS, load.AT_ONCE)
    outcome = load.verify(election, race, database="PostgreSQL", at_once=load.AT_ONCE)
    _assert_nothing_lost(outcome)
    stored = Ballot.objects.filter(envelope_id=election.envelope_id)
    assert sorted(stored.values_list("voter_id", flat=True)) == sorted(election.voter_ids)
    assert set(stored.values_list("revision", flat=True)) == {SUBMISSIONS}


@pytest.mark.skipif(
    settings.IS_POSTGRES, reason="SQLite variant: runs once, in the SQLite run of the suite"
)
def test_voters_sending_five_ballots_at_once_keep_the_last_one_on_sqlite() -> None:
    command = [sys.executable, "-m", "palabre.budgets.tests.load", "--database", "sqlite"]
    command += ["--voters", str(VOTERS), "--submissions", str(SUBMISSIONS)]
    environment = {k: v for k, v in os.environ.items() if k != "PALABRE_DATABASE_URL"}
    done = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = load.Outcome(**json.loads(done.stdout.splitlines()[-1]))
    assert outcome.database.startswith("SQLite")
    _assert_nothing_lost(outcome)
