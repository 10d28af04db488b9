from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.neighbourhoods.tests.factories import make_venue
from palabre.official_requests.models import ClosedDay
from palabre.workshops.models import Status
from palabre.workshops.tests.factories import make_cycle, make_workshop

pytestmark = pytest.mark.django_db


def test_the_planning_flags_gaps_clashes_and_missing_partner_or_venue(world: World) -> None:
    cycle = make_cycle([world.home, world.elsewhere], workshops_per_neighbourhood=2)
    facilitator = world.person("facilitator")
    first = make_workshop(
        cycle=cycle, neighbourhood=world.home, venue=world.venue, title="Bomel 1", days_from_now=5
    )
    first.partners.set([world.partner_org])
    first.facilitators.set([facilitator])
    second = make_workshop(
        cycle=cycle,
        neighbourhood=world.elsewhere,
        venue=make_venue(neighbourhood=world.elsewhere),
        title="Jambes 1",
        days_from_now=5,
    )
    second.facilitators.set([facilitator])
    make_workshop(
        cycle=cycle,
        neighbourhood=world.home,
        title="Bomel 2",
        status=Status.PLANNED,
        days_from_now=40,
    )
    cancelled = make_workshop(
        cycle=cycle,
        neighbourhood=world.elsewhere,
        venue=world.venue,
        title="Jambes annulé",
        status=Status.CANCELLED,
        cancellation_reason="Pluie",
        days_from_now=5,
    )
    cancelled.facilitators.set([facilitator])

    client = Client()
    client.force_login(world.person("coordinator"))
    page = client.get(reverse("workshops:planning", args=[cycle.slug])).text
    assert "Jambes\u00a0: 1 atelier prévu sur 2." in page
    assert "Bomel 1</a> et <a" in page
    assert "Jambes 1</a>" in page
    assert f"{facilitator} attendu·e dans les deux" in page
    assert "Jambes annulé</a> et" not in page  # a cancelled workshop clashes with nobody
    assert page.count("<strong>Sans partenaire</strong>") == 2  # Jambes 1 and Bomel 2
    assert page.count("<strong>Sans lieu</strong>") == 1  # Bomel 2


def test_the_planning_page_makes_a_constant_number_of_queries(
    world: World, django_assert_num_queries: object
) -> None:
    cycle = make_cycle([world.home, world.elsewhere])
    client = Client()
    client.force_login(world.person("coordinator"))
    url = reverse("workshops:planning", args=[cycle.slug])
    make_workshop(cycle=cycle, neighbourhood=world.home, venue=world.venue)
    client.get(url)
    with django_assert_num_queries(9):  # type: ignore[operator]
        client.get(url)
    for day in range(4):
        make_workshop(
            cycle=cycle, neighbourhood=world.home, venue=world.venue, days_from_now=day * 30
        )
    with django_assert_num_queries(9):  # type: ignore[operator]
        client.get(url)


def test_calendar_feeds_list_public_workshops_only(world: World) -> None:
    cycle = make_cycle([world.home])
    make_workshop(cycle=cycle, neighbourhood=world.home, venue=world.venue, title="Annoncé")
    make_workshop(cycle=cycle, neighbourhood=world.home, title="Interne", status=Status.PLANNED)
    response = Client().get(reverse("workshops:neighbourhood_calendar", args=["bomel"]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert "SUMMARY:Annoncé" in body
    assert "Interne" not in body
    assert "LOCATION:" in body
    cycle_feed = Client().get(reverse("workshops:cycle_calendar", args=[cycle.slug]))
    assert "SUMMARY:Annoncé" in cycle_feed.content.decode()
    assert Client().get("/ateliers/quartier/nowhere/calendrier.ics").status_code == 404


def test_a_round_table_shows_its_programme_with_speakers(world: World) -> None:
    from datetime import timedelta

    from palabre.workshops import actions
    from palabre.workshops.models import EventKind, Session

    event = make_workshop(
        cycle=make_cycle([world.home]),
        kind=EventKind.ROUND_TABLE,
        venue=world.venue,
        title="Table ronde",
        capacity=80,
    )
    assert event.starts_at is not None
    actions.add_session(
        by=world.person("coordinator"),
        workshop=event,
        session=Session(
            title="La parole des élus",
            starts_at=event.starts_at,
            ends_at=event.starts_at + timedelta(hours=1),
        ),
        speakers=[("Marie-Claire Gérard", "échevine"), ("Olivier Piette", "échevin")],
    )
    page = Client().get(event.get_absolute_url()).text
    assert "Programme" in page
    assert "La parole des élus" in page
    assert "<strong>Marie-Claire Gérard</strong>, échevine" in page
    with pytest.raises(ValidationError):
        actions.add_session(
            by=world.person("coordinator"),
            workshop=event,
            session=Session(
                title="À l'envers",
                starts_at=event.starts_at,
                ends_at=event.starts_at - timedelta(hours=1),
            ),
        )


def test_a_workshop_on_a_legal_holiday_is_flagged(world: World) -> None:
    from datetime import date, datetime, time
    from zoneinfo import ZoneInfo

    cycle = make_cycle(
        [world.home], slug="2027-2028", starts_on=date(2027, 9, 1), ends_on=date(2028, 6, 30)
    )
    brussels = ZoneInfo("Europe/Brussels")
    armistice = datetime.combine(date(2027, 11, 11), time(18, 30), tzinfo=brussels)
    make_workshop(
        cycle=cycle,
        neighbourhood=world.home,
        venue=world.venue,
        title="Bomel le 11 novembre",
        starts_at=armistice,
        ends_at=armistice.replace(hour=20),
    )
    make_workshop(
        cycle=cycle,
        neighbourhood=world.home,
        venue=world.venue,
        title="Bomel le 12 novembre",
        starts_at=armistice.replace(day=12),
        ends_at=armistice.replace(day=12, hour=20),
    )
    client = Client()
    client.force_login(world.person("coordinator"))
    page = client.get(reverse("workshops:planning", args=[cycle.slug])).content.decode()
    assert page.count("<strong>Jour de fermeture</strong>") == 1
    assert (
        "Bomel le 11 novembre</a> · jeudi 11 novembre 2027\u00a0: Jour de l&#x27;Armistice" in page
    )
    # In Dutch, the day the calendar preset in French is named in Dutch; a closure the city
    # wrote itself keeps the words it chose.
    dutch = client.get(
        reverse("workshops:planning", args=[cycle.slug]), headers={"accept-language": "nl"}
    ).content.decode()
    assert "Wapenstilstand" in dutch
    assert "Armistice" not in dutch
    ClosedDay.objects.filter(day=date(2027, 11, 11)).update(name="Fermeture exceptionnelle")
    dutch = client.get(
        reverse("workshops:planning", args=[cycle.slug]), headers={"accept-language": "nl"}
    ).content.decode()
    assert "Fermeture exceptionnelle" in dutch
