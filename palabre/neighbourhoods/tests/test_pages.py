from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.neighbourhoods import actions
from palabre.neighbourhoods.models import Neighbourhood
from palabre.neighbourhoods.tests.factories import make_neighbourhood, make_venue, square

pytestmark = pytest.mark.django_db


def as_user(world: World, persona: str) -> Client:
    client = Client()
    user = world.user(persona)
    if user is not None:
        client.force_login(user)
    return client


def test_the_home_page_lists_and_maps_the_published_neighbourhoods(world: World) -> None:
    page = Client().get("/").text
    for name in ("Bomel", "Jambes"):
        assert f'<a href="/quartiers/{name.lower()}/">{name}</a>' in page
        assert f"<title>{name}</title>" in page  # each shape of the SVG map is a named link
    assert "Vedrin" not in page


def test_the_home_page_is_french_by_default_and_follows_the_browser_language(
    world: World,
) -> None:
    assert "Bien vivre ensemble dans les quartiers de" in Client().get("/").text
    dutch = Client(headers={"accept-language": "nl"}).get("/").text
    assert "Goed samenleven in de wijken van" in dutch
    assert '<html lang="nl">' in dutch


def test_the_language_switcher_works_without_javascript(world: World) -> None:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Living well together in" in client.get("/").text


def test_a_venue_page_shows_address_and_access(world: World) -> None:
    page = Client().get(world.venue.get_absolute_url()).text
    assert "Rue des Tilleuls 12, 5000 Namur" in page
    assert "Accès sans marche" in page


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("anonymous", False),
        ("resident", False),
        ("neighbour", False),
        ("official", False),
        ("partner", True),
        ("facilitator", True),
        ("coordinator", True),
        ("administrator", True),
    ],
)
def test_partner_contacts_are_shown_only_to_the_service_and_that_partner(
    world: World, persona: str, sees: bool
) -> None:
    page = as_user(world, persona).get(world.venue.get_absolute_url()).text
    assert ("anne.contact@example.org" in page) is sees
    assert ("081/12.34.56" in page) is sees


def test_a_partner_of_another_organisation_does_not_see_the_contacts(world: World) -> None:
    from palabre.accounts.models import Role
    from palabre.accounts.tests.factories import make_user
    from palabre.neighbourhoods.tests.factories import make_partner

    other = make_user(role=Role.PARTNER, organisation=make_partner())
    client = Client()
    client.force_login(other)
    assert "anne.contact@example.org" not in client.get(world.venue.get_absolute_url()).text


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_the_home_page_makes_the_same_number_of_queries_for_more_neighbourhoods(
    django_assert_num_queries: Any, world: World
) -> None:
    client = Client()
    client.get("/")  # warm the session and translation caches
    # The neighbourhoods, the city-wide events, the followed cities' coming events.
    with django_assert_num_queries(3):
        client.get("/")
    for index in range(5):
        make_venue(neighbourhood=make_neighbourhood(boundary=square(5 + index * 0.1, 50)))
    with django_assert_num_queries(3):
        client.get("/")


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_a_neighbourhood_page_makes_a_constant_number_of_queries(
    django_assert_num_queries: Any, world: World
) -> None:
    from palabre.workshops.tests.factories import make_cycle, make_workshop

    cycle = make_cycle([world.home])
    make_workshop(cycle=cycle, neighbourhood=world.home, venue=world.venue)
    client = Client()
    url = world.home.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(5):
        client.get(url)
    for days in (-40, -20, 20, 40):
        venue = make_venue(neighbourhood=world.home)
        make_workshop(cycle=cycle, neighbourhood=world.home, venue=venue, days_from_now=days)
    with django_assert_num_queries(5):
        client.get(url)


def test_a_coordinator_saving_a_malformed_boundary_in_the_back_office_sees_why(
    world: World,
) -> None:
    client = as_user(world, "coordinator")
    open_ring = [[4.85, 50.46], [4.86, 50.46], [4.86, 50.47], [4.85, 50.47]]
    url = reverse("admin:neighbourhoods_neighbourhood_change", args=[world.home.pk])
    response = client.post(
        url,
        {
            "slug": "bomel",
            "name": "Bomel",
            "summary": "",
            "description": "",
            "boundary": json.dumps({"type": "Polygon", "coordinates": [open_ring]}),
            "is_published": "on",
            "position": "0",
        },
    )
    assert response.status_code == 200
    assert "Le contour extérieur n&#x27;est pas fermé" in response.text
    world.home.refresh_from_db()
    assert world.home.boundary != {"type": "Polygon", "coordinates": [open_ring]}


def test_a_coordinator_adds_a_neighbourhood_in_the_back_office(world: World) -> None:
    client = as_user(world, "coordinator")
    response = client.post(
        reverse("admin:neighbourhoods_neighbourhood_add"),
        {
            "slug": "salzinnes",
            "name": "Salzinnes",
            "summary": "Résidentiel",
            "description": "",
            "boundary": json.dumps(square(4.84, 50.46)),
            "is_published": "on",
            "position": "2",
        },
    )
    assert response.status_code == 302
    assert Neighbourhood.objects.get(slug="salzinnes").name == "Salzinnes"
    assert "Salzinnes" in Client().get("/").text


def test_actions_refuse_people_who_may_not_manage_places(world: World) -> None:
    for persona in ("resident", "facilitator", "partner", "official"):
        with pytest.raises(PermissionDenied):
            actions.save_neighbourhood(by=world.user(persona), neighbourhood=world.home)
