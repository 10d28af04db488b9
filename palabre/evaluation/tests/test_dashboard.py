"""The evaluation dashboard: figures per year or cycle and neighbourhood, compared with the period
before, and the same figures as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from palabre.budgets.models import Ballot, Channel, Process
from palabre.budgets.tests.factories import envelope_of, make_process, make_voter
from palabre.contributions.tests.factories import make_post
from palabre.core.testing import World
from palabre.inclusion.tests.factories import make_population
from palabre.initiatives.models import Expense, Initiative
from palabre.initiatives.models import Status as InitiativeStatus
from palabre.initiatives.tests.factories import make_initiative
from palabre.official_requests.tests.factories import make_request
from palabre.workshops.models import Registration, RegistrationStatus, Status, Workshop
from palabre.workshops.tests.factories import BRUSSELS, make_cycle, make_workshop

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 6, 15, 12, 0, tzinfo=BRUSSELS)


def _came(workshop: Workshop, count: int, *, first_time: bool | None = None) -> None:
    assert workshop.starts_at is not None
    for number in range(count):
        Registration.objects.create(
            workshop=workshop,
            name=f"Personne {workshop.pk}-{number}-{first_time}",
            status=RegistrationStatus.CONFIRMED,
            first_time=first_time,
            is_walk_in=True,
            checked_in_at=workshop.starts_at + timedelta(minutes=5),
        )


def _held(world: World, *, days_ago: int, neighbourhood: Any = None) -> Workshop:
    cycle = make_cycle(
        [world.home, world.elsewhere],
        slug=f"c{days_ago}",
        name=f"Ateliers {days_ago}",
        starts_on=date(2026, 9, 1) if days_ago > 200 else date(2027, 1, 1),
        ends_on=date(2026, 12, 31) if days_ago > 200 else date(2027, 12, 31),
    )
    return make_workshop(
        cycle=cycle,
        status=Status.HELD,
        days_from_now=-days_ago,
        neighbourhood=neighbourhood or world.home,
        venue=world.venue,
    )


def _csv(client: Client, query: str) -> dict[str, list[str]]:
    response = client.get(f"/bilan/?{query}&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {row[1]: row[2:] for row in rows[1:] if row[0] == "Chiffres clés"}


@pytest.fixture
def june_2027() -> Iterator[None]:
    """Mid-June 2027, set before signing in (a session opened earlier would have expired)."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def service(world: World) -> Client:
    client = Client()
    client.force_login(world.person("coordinator"))
    return client


@pytest.mark.usefixtures("june_2027")
def test_a_year_counts_what_happened_in_it_and_compares_with_the_year_before(
    world: World, service: Client
) -> None:
    this_year = _held(world, days_ago=30)
    _came(this_year, 4, first_time=True)
    _came(this_year, 3, first_time=False)
    _came(this_year, 2)
    _came(_held(world, days_ago=40, neighbourhood=world.elsewhere), 6)
    _came(_held(world, days_ago=300), 5)  # in 2026
    make_request(world, sent=True)
    action = make_initiative(world)
    Initiative.objects.filter(pk=action.pk).update(
        status=InitiativeStatus.DONE,
        starts_on=date(2027, 5, 22),
        budget_requested=Decimal("300.00"),
        budget_granted=Decimal("250.50"),
    )
    Expense.objects.create(
        initiative=action,
        label="Tables",
        amount=Decimal("120.25"),
        spent_on=date(2027, 5, 20),
        receipt="initiatives/receipts/2027/ticket.png",
        submission_key="expense-1",
    )

    figures = _csv(service, "period=year-2027")

    assert figures["Ateliers tenus"] == ["2", "1"]
    assert figures["Personnes présentes"] == ["15", "5"]
    assert figures["Première fois à un atelier"] == ["4", "0"]
    assert figures["Déjà venu·es"] == ["3", "0"]
    assert figures["Demandes envoyées aux élu·es"] == ["1", "0"]
    assert figures["Actions citoyennes réalisées"] == ["1", "0"]
    assert figures["Budget demandé par les actions citoyennes"] == ["300.00", "0.00"]
    assert figures["Budget accordé"] == ["250.50", "0.00"]
    assert figures["Budget dépensé"] == ["120.25", "0.00"]
    # Two contributions of the request's evidence, written this year.
    assert figures["Contributions"] == ["2", "0"]

    page = service.get("/bilan/?period=year-2027").content.decode()
    assert "Comparé avec 2026" in page
    assert "Qui est venu" in page  # a chart, with its table
    assert "+10" in page  # people present: 15 against 5


@pytest.mark.usefixtures("june_2027")
def test_a_neighbourhood_counts_only_its_own(world: World, service: Client) -> None:
    _came(_held(world, days_ago=30), 7)
    _came(_held(world, days_ago=40, neighbourhood=world.elsewhere), 6)

    figures = _csv(service, f"period=year-2027&neighbourhood={world.elsewhere.pk}")

    assert figures["Ateliers tenus"][0] == "1"
    assert figures["Personnes présentes"][0] == "6"


@pytest.mark.usefixtures("june_2027")
def test_a_cycle_is_compared_with_the_cycle_before(world: World, service: Client) -> None:
    earlier, later = _held(world, days_ago=300), _held(world, days_ago=30)
    _came(earlier, 5)
    _came(later, 8)

    page = service.get(f"/bilan/?period=cycle-{later.cycle.slug}").content.decode()
    figures = _csv(service, f"period=cycle-{later.cycle.slug}")

    assert f"Comparé avec {earlier.cycle.name}" in page
    assert figures["Personnes présentes"] == ["8", "5"]


@pytest.mark.usefixtures("june_2027")
def test_an_unknown_choice_says_so_and_shows_this_year(world: World, service: Client) -> None:
    response = service.get(f"/bilan/?period=year-1850&neighbourhood={world.hidden.pk + 999}")

    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page
    assert 'Évaluation <span class="meta">2027</span>' in page


@pytest.mark.usefixtures("june_2027")
def test_the_page_reads_a_fixed_number_of_queries_whatever_the_data(
    world: World, service: Client, django_assert_max_num_queries: Any
) -> None:
    _came(_held(world, days_ago=30), 3)
    with django_assert_max_num_queries(40) as few:
        service.get("/bilan/?period=year-2027")
    for days_ago in (20, 25, 35, 45):
        _came(_held(world, days_ago=days_ago, neighbourhood=world.elsewhere), 4, first_time=True)
    for _number in range(5):
        make_post(world.home)
    with django_assert_max_num_queries(len(few.captured_queries)):
        service.get("/bilan/?period=year-2027")


def test_only_the_service_sees_the_figures(world: World) -> None:
    client = Client()
    client.force_login(world.person("facilitator"))
    assert client.get("/bilan/").status_code == 403
    assert client.get("/bilan/?format=csv").status_code == 403


def test_this_year_by_default(world: World, service: Client) -> None:
    page = service.get("/bilan/").content.decode()
    assert f'<span class="meta">{timezone.localdate().year}</span>' in page


@pytest.mark.usefixtures("june_2027")
def test_a_budgets_turnout_is_its_voters_against_the_neighbourhoods_residents(
    world: World, service: Client
) -> None:
    process = make_process(world)
    bomel = envelope_of(process, world)
    for number in range(8):
        Ballot.objects.create(
            envelope=bomel,
            voter=make_voter(world, process),
            choices="",
            channel=Channel.CODE,
            receipt=f"R-{number}",
            cast_at=timezone.now(),
        )
    Process.objects.filter(pk=process.pk).update(
        vote_closes_at=timezone.now() - timedelta(hours=1), closed_at=timezone.now()
    )
    make_population(world, year=2027)  # 1,000 residents of every age

    page = service.get("/bilan/?period=year-2027").content.decode()
    figures = _csv(service, "period=year-2027")

    assert figures["Personnes ayant voté à un budget participatif"] == ["8", "0"]
    assert "<td>1000</td><td>0,8&nbsp;%</td>" in page
    assert "Budget participatif 2027 — Bomel" in page
