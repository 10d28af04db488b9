"""Writes that cannot be lost when people act at the same moment: real threads, each with its
own database connection, released together by a barrier so that their transactions overlap.
The outcome each test asserts holds whatever the interleaving; only a broken guard (a read
before the write, a missing lock or constraint) lets a race through."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from datetime import date

import pytest
from django.conf import settings
from django.db import connection

from palabre.contributions import actions as contribution_actions
from palabre.contributions.models import Contribution
from palabre.contributions.tests.factories import make_board
from palabre.core.testing import World
from palabre.official_requests import actions as request_actions
from palabre.official_requests.models import AnswerKind, Event, EventKind, Request
from palabre.official_requests.tests.factories import make_request
from palabre.workshops import actions as workshop_actions
from palabre.workshops.models import Minutes, Registration, RegistrationStatus
from palabre.workshops.models import Status as WorkshopStatus
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.IS_POSTGRES,
        reason=(
            "the SQLite test database lives in memory with a shared cache, whose table locks "
            "fail at once ('database table is locked') instead of waiting like the file "
            "database Palabre runs on; run with PALABRE_DATABASE_URL=postgres://…"
        ),
    ),
]

THREADS = 8


def race[T](count: int, work: Callable[[int], T]) -> list[T | Exception]:
    """Run `work(0)` … `work(count - 1)` in as many threads released at once; each result, or
    the exception it raised. Every thread closes its own database connection."""
    barrier = threading.Barrier(count)
    results: list[T | Exception] = [RuntimeError("did not run")] * count

    def run(index: int) -> None:
        try:
            connection.ensure_connection()  # connected before the start, so they start together
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return results


def _errors[T](results: list[T | Exception]) -> list[Exception]:
    return [result for result in results if isinstance(result, Exception)]


def test_the_same_board_post_sent_from_several_threads_is_saved_once(world: World) -> None:
    board = make_board(world.home)
    key = secrets.token_urlsafe(16)

    def post(index: int) -> contribution_actions.Captured:
        return contribution_actions.post_on_board(
            by=None, board=board, text="Un banc près de l'arrêt de bus.", key=key
        )

    results = race(THREADS, post)
    assert _errors(results) == []
    captured = [r for r in results if isinstance(r, contribution_actions.Captured)]
    assert Contribution.objects.filter(submission_key=key).count() == 1
    assert len({c.contribution.pk for c in captured}) == 1
    assert sum(c.created for c in captured) == 1


def test_the_same_walk_in_sent_from_several_threads_is_recorded_once(world: World) -> None:
    workshop = make_hosted_workshop(world)
    facilitator = world.person("facilitator")
    key = secrets.token_urlsafe(16)

    def walk_in(index: int) -> Registration:
        return workshop_actions.add_walk_in(by=facilitator, workshop=workshop, name="Ali", key=key)

    results = race(THREADS, walk_in)
    assert _errors(results) == []
    assert len({r.pk for r in results if isinstance(r, Registration)}) == 1
    assert Registration.objects.filter(workshop=workshop, is_walk_in=True).count() == 1


def test_people_registering_at_once_for_the_last_seat_never_overfill_the_workshop(
    world: World,
) -> None:
    workshop = make_hosted_workshop(world, capacity=3)
    for name in ("Awa", "Bruno"):
        workshop_actions.register(
            workshop=workshop, by=None, name=name, email=f"{name.lower()}@example.org"
        )

    def register(index: int) -> workshop_actions.RegistrationResult:
        return workshop_actions.register(
            workshop=workshop, by=None, name=f"Voisin {index}", email=f"voisin{index}@example.org"
        )

    results = race(THREADS, register)
    assert _errors(results) == []
    statuses = list(Registration.objects.filter(workshop=workshop).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == 3
    assert statuses.count(RegistrationStatus.WAITING) == THREADS - 1


def test_two_revisions_of_an_answer_from_the_same_version_keep_one_and_refuse_the_other(
    world: World,
) -> None:
    official = world.person("official")
    # Two people answer for the request: the official, and a colleague of their department.
    request = make_request(world, sent=True)
    request_actions.answer(
        by=official, request=request, kind=AnswerKind.ACCEPTED, text="Accordé.", version=1
    )

    def revise(index: int) -> Request:
        page = Request.objects.select_related("official", "department").get(pk=request.pk)
        return request_actions.answer(
            by=official,
            request=page,
            kind=AnswerKind.PLANNED,
            text=f"Révision {index}",
            planned_for=date(2027, 4, 15),
            version=2,  # every page was opened at version 2
            what_changed="Une date est fixée.",
        )

    results = race(THREADS, revise)
    errors = _errors(results)
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, request_actions.RequestError) for error in errors), errors
    assert all("entre-temps" in str(error) for error in errors)
    (kept,) = [r for r in results if isinstance(r, Request)]
    request.refresh_from_db()
    # Nothing lost: the one revision that went through is the one stored and in the timeline.
    assert request.version == 3
    assert request.answer_text == kept.answer_text
    answers = Event.objects.filter(request=request, kind=EventKind.STATUS, status="answered")
    assert [event.note for event in answers] == [
        "Accordé.",
        f"Réponse revue\u00a0: Une date est fixée.\n\n{kept.answer_text}",
    ]


def test_two_editors_saving_the_same_minutes_at_once_keep_one_and_refuse_the_other(
    world: World,
) -> None:
    workshop = make_hosted_workshop(world, status=WorkshopStatus.HELD)
    facilitator = world.person("facilitator")
    minutes = workshop_actions.draft_minutes(by=facilitator, workshop=workshop)
    notes = [""] * len(minutes.discussion)

    def save(index: int) -> Minutes:
        return workshop_actions.save_minutes(
            by=facilitator,
            minutes=Minutes.objects.select_related("workshop").get(pk=minutes.pk),
            version=minutes.version,
            introduction=f"Version {index}",
            notes=notes,
            decisions="",
            next_steps="",
            publish=False,
        )

    results = race(THREADS, save)
    errors = _errors(results)
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, workshop_actions.MinutesConflict) for error in errors), errors
    (kept,) = [r for r in results if isinstance(r, Minutes)]
    minutes.refresh_from_db()
    assert (minutes.version, minutes.introduction) == (2, kept.introduction)


def test_merging_two_requests_into_each_other_at_once_makes_no_cycle(world: World) -> None:
    coordinator = world.person("coordinator")
    first, second = make_request(world, sent=True), make_request(world, sent=True)
    pairs = [(first, second), (second, first)]

    def merge(index: int) -> Request:
        keep, duplicate = (Request.objects.get(pk=r.pk) for r in pairs[index])
        return request_actions.merge_requests(by=coordinator, keep=keep, duplicate=duplicate)

    results = race(2, merge)
    errors = _errors(results)
    assert all(isinstance(error, request_actions.RequestError) for error in errors), errors
    first.refresh_from_db()
    second.refresh_from_db()
    assert not (first.merged_into_id == second.pk and second.merged_into_id == first.pk)
    assert len(errors) == 1  # one merge went through, the other was refused
