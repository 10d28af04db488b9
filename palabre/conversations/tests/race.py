"""Phones sending their first votes several times at once (a double tap, a retry on a bad
Wi-Fi): each phone must be one participant with one vote per statement, the latest kept.

`scenario()` runs in the current database; `python -m palabre.conversations.tests.race
--database sqlite` runs it on a SQLite file of its own (WAL, as Palabre runs) and prints the
outcome as JSON (test_concurrency.py), since the suite's in-memory SQLite database cannot be
shared by threads with connections of their own.
"""

from __future__ import annotations

import argparse
import json
import threading
from dataclasses import asdict, dataclass, field
from datetime import timedelta

DEVICES = 40
SENDS = 4  # simultaneous sends per phone, each with another value and time
VALUES = (1, -1, 0, 1)


@dataclass
class Outcome:
    devices: int
    sends: int
    participants: int = 0
    votes: int = 0
    wrong_kept: int = 0
    errors: list[str] = field(default_factory=list)


def scenario(devices: int = DEVICES, sends: int = SENDS) -> Outcome:
    from django.db import connection
    from django.utils import timezone

    from palabre.conversations import actions
    from palabre.conversations.models import Participant, Vote
    from palabre.conversations.tests.factories import make_conversation, make_statements

    conversation = make_conversation(slug="course-aux-votes")
    (statement,) = make_statements(conversation, 1)
    start = timezone.now() - timedelta(seconds=10)
    outcome = Outcome(devices=devices, sends=sends)
    lock = threading.Lock()

    def phone(token: str, barrier: threading.Barrier, index: int) -> None:
        try:
            barrier.wait()
            voter = actions.participant_for_device(conversation=conversation, token=token)
            actions.cast_vote(
                participant=voter,
                statement=statement,
                value=VALUES[index % len(VALUES)],
                at=start + timedelta(microseconds=index),
            )
        except Exception as error:  # every failure is part of the outcome
            with lock:
                outcome.errors.append(repr(error)[:300])
        finally:
            connection.close()

    for number in range(devices):
        token = f"phone-{number:04d}-racing-its-own-votes"
        barrier = threading.Barrier(sends)
        threads = [
            threading.Thread(target=phone, args=(token, barrier, index)) for index in range(sends)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    outcome.participants = Participant.objects.filter(conversation=conversation).count()
    kept = list(Vote.objects.filter(statement=statement).values_list("value", flat=True))
    outcome.votes = len(kept)
    outcome.wrong_kept = sum(1 for value in kept if value != VALUES[(sends - 1) % len(VALUES)])
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite"], default="sqlite")
    parser.parse_args()
    from palabre.budgets.tests.load import fresh_database

    with fresh_database("sqlite"):
        outcome = scenario()
    print(json.dumps(asdict(outcome)))


if __name__ == "__main__":
    main()
