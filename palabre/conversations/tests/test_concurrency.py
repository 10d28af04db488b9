"""A phone's first vote sent several times at once (a double tap, a retry) makes one
participant and one vote, the latest kept, on both databases (the scenario: race.py). On
PostgreSQL in the suite's test database; on SQLite in a subprocess on a file database, as for
budgets' ballots (palabre/budgets/tests/test_concurrency.py). Each variant runs once per
`make test`, in its own database's run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from palabre.conversations.tests import race

ROOT = Path(__file__).resolve().parents[3]


def _assert_one_participant_and_vote_each(outcome: race.Outcome) -> None:
    assert outcome.errors == []
    assert outcome.participants == race.DEVICES
    assert outcome.votes == race.DEVICES
    assert outcome.wrong_kept == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="PostgreSQL variant; SQLite runs the next")
def test_a_phone_sending_its_first_vote_four_times_at_once_is_one_voter_on_postgresql() -> None:
    _assert_one_participant_and_vote_each(race.scenario())


@pytest.mark.skipif(settings.IS_POSTGRES, reason="SQLite variant: runs in the SQLite run")
def test_a_phone_sending_its_first_vote_four_times_at_once_is_one_voter_on_sqlite() -> None:
    command = [sys.executable, "-m", "palabre.conversations.tests.race", "--database", "sqlite"]
    environment = {k: v for k, v in os.environ.items() if k != "PALABRE_DATABASE_URL"}
    done = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = race.Outcome(**json.loads(done.stdout.splitlines()[-1]))
    _assert_one_participant_and_vote_each(outcome)
