"""Fair public figures (issue 15, item 3): rates over a period, decisions only, late requests
shown, duplicates counted once, no ranking by volume; read through the public page."""

from __future__ import annotations

import html
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.official_requests import actions, queries
from palabre.official_requests.models import Department, Request
from palabre.official_requests.tests.factories import make_department, make_request

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BRUSSELS)


def sent(world: World, day: date, department: Department | None = None) -> Request:
    """A request sent on `day` to the department, or else to the official persona."""
    item = make_request(world)
    official = None if department else world.person("official")
    with time_machine.travel(at(day), tick=False):
        actions.send_request(
            by=world.person("coordinator"), request=item, official=official, department=department
        )
    item.refresh_from_db()
    return item


def answer(world: World, item: Request, day: date, kind: str) -> None:
    with time_machine.travel(at(day), tick=False):
        item.refresh_from_db()
        actions.answer(
            by=world.person("official"),
            request=item,
            kind=kind,
            text="Réponse.",
            version=item.version,
        )


def figures(since: date, until: date, today: date) -> dict[str, queries.Accountability]:
    with time_machine.travel(at(today), tick=False):
        return {row.name: row for row in queries.accountability(since, until)}


def test_under_study_is_no_answer_and_a_late_request_shows_as_late(world: World) -> None:
    decided, studied, _forgotten = (sent(world, date(2027, 3, 1)) for _ in range(3))
    answer(world, decided, date(2027, 3, 10), "accepted")
    answer(world, studied, date(2027, 3, 10), "under_study")
    # forgotten: never acknowledged nor answered.
    row = figures(date(2027, 1, 1), date(2027, 12, 31), today=date(2027, 6, 30))[
        world.person("official").display_name
    ]
    assert row.received == 3
    # Answers were due 60 days after sending: all three are due; one decision, on time.
    assert (row.decided_on_time.part, row.decided_on_time.whole) == (1, 3)
    assert row.decided_on_time.percent == 33
    # Acknowledged by answering (decided, studied) on time; forgotten was due and never came.
    assert (row.acknowledged_on_time.part, row.acknowledged_on_time.whole) == (2, 3)
    assert row.late == 2  # under study past its date, and the forgotten one
    assert row.pending == 0
    assert row.median_days_to_decide == 9.0


def test_a_request_not_yet_due_is_pending_not_late(world: World) -> None:
    sent(world, date(2027, 3, 1))
    row = figures(date(2027, 1, 1), date(2027, 12, 31), today=date(2027, 3, 3))[
        world.person("official").display_name
    ]
    assert row.acknowledged_on_time.whole == 0
    assert row.acknowledged_on_time.percent is None
    assert row.decided_on_time.whole == 0
    assert (row.late, row.pending) == (0, 1)


def test_a_merged_duplicate_counts_once(world: World) -> None:
    kept, duplicate = sent(world, date(2027, 3, 1)), sent(world, date(2027, 3, 2))
    Request.objects.filter(pk=duplicate.pk).update(merged_into=kept)
    row = figures(date(2027, 1, 1), date(2027, 12, 31), today=date(2027, 3, 3))[
        world.person("official").display_name
    ]
    assert row.received == 1


def test_the_period_works_across_a_year_boundary(world: World) -> None:
    sent(world, date(2026, 12, 30))
    sent(world, date(2027, 1, 2))
    sent(world, date(2027, 1, 20))
    name = world.person("official").display_name
    around_new_year = figures(date(2026, 12, 15), date(2027, 1, 10), today=date(2027, 1, 25))
    assert around_new_year[name].received == 2
    # The page: this year by default, any period by choice; a reversed period is explained.
    with time_machine.travel(at(date(2027, 1, 25)), tick=False):
        this_year = Client().get(reverse("official_requests:figures")).text
        chosen = (
            Client()
            .get(reverse("official_requests:figures"), {"start": "2026-12-15", "end": "2027-01-10"})
            .text
        )
        reversed_ = (
            Client()
            .get(reverse("official_requests:figures"), {"start": "2027-01-10", "end": "2026-12-15"})
            .text
        )
    assert (
        "Demandes envoyées du vendredi 1 janvier 2027 au lundi 25 janvier 2027."
        in html.unescape(this_year)
    )
    assert (
        "Demandes envoyées du mardi 15 décembre 2026 au dimanche 10 janvier 2027."
        in html.unescape(chosen)
    )
    assert "Le dernier jour ne peut pas être avant le premier jour." in html.unescape(reversed_)


def test_the_page_lists_in_alphabetical_order_and_says_how_it_counts(world: World) -> None:
    busy = make_department(world, slug="voirie", name="Voirie")
    quiet = make_department(world, slug="culture", name="Culture")
    for _ in range(3):
        sent(world, date(2027, 3, 1), department=busy)
    sent(world, date(2027, 3, 1), department=quiet)
    with time_machine.travel(at(date(2027, 6, 1)), tick=False):
        page = html.unescape(Client().get(reverse("official_requests:figures")).text)
    table = page.split("par ordre alphabétique")[1]
    assert table.index("Culture") < table.index("Voirie")  # not by volume
    assert "«\u00a0À l'étude\u00a0» n'est pas une décision" in page
    assert '0 % <span class="meta">(0 sur 3)</span>' in page


def test_the_figures_page_costs_the_same_queries_for_two_or_twelve_requests(
    world: World,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    voirie = make_department(world, slug="voirie", name="Voirie")

    def queries_for_page() -> int:
        with (
            time_machine.travel(at(date(2027, 6, 1)), tick=False),
            CaptureQueriesContext(connection) as captured,
        ):
            assert Client().get(reverse("official_requests:figures")).status_code == 200
        return len(captured)

    answer(world, sent(world, date(2027, 3, 1)), date(2027, 3, 5), "accepted")
    sent(world, date(2027, 3, 2), department=voirie)
    few = queries_for_page()
    for day in range(3, 13):
        item = sent(world, date(2027, 3, day), department=voirie if day % 2 else None)
        if day in (6, 12):  # two of those sent to the official
            answer(world, item, date(2027, 4, day), "refused")
    assert queries_for_page() == few
    rows = figures(date(2027, 1, 1), date(2027, 12, 31), today=date(2027, 6, 1))
    official = rows[world.person("official").display_name]
    # Pinned: counted by the database; the median from the dates (decided in 4, 31, 31 days).
    assert (official.received, rows["Voirie"].received) == (6, 6)
    assert official.median_days_to_decide == 31.0
    assert (official.decided_on_time.part, official.decided_on_time.whole) == (3, 6)
    assert (official.late, official.pending) == (3, 0)
    assert (rows["Voirie"].late, rows["Voirie"].median_days_to_decide) == (6, None)
