"""Round tables and symposiums across cities (issue 20, item 6): speakers from other cities on
the programme and in the feed, residents of followed cities registering and counted per city,
and the followed cities' open events on this city's public page."""

from __future__ import annotations

import json
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from palabre.core.testing import World, error_summary
from palabre.network import actions, reading
from palabre.network.models import FollowedCity
from palabre.network.tests.factories import follow_read, make_shared_city, other_city_feed
from palabre.workshops.models import EventKind, Registration, Speaker, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db
ELSEWHERE = reverse("network:elsewhere")


def _client(world: World, persona: str | None = None, language: str = "fr") -> Client:
    client = Client()
    if persona:
        client.force_login(world.person(persona))
    client.cookies["django_language"] = language
    return client


def _follow(name: str, site: str) -> FollowedCity:
    """A followed city with an empty feed (what the registration form needs of it)."""
    return FollowedCity.objects.create(
        feed_url=f"{site}/reseau/flux.json",
        name=name,
        site=site,
        public_key="11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
        feed={"items": {"events": []}},
    )


@pytest.fixture
def cities(db: None) -> list[FollowedCity]:
    return [
        _follow("Maastricht", "https://maastricht.example"),
        _follow("Liège", "https://liege.example"),
    ]


@pytest.fixture
def event(world: World) -> Workshop:
    """A symposium open to other cities, in French with its title in Dutch."""
    found = make_hosted_workshop(
        world,
        kind=EventKind.SYMPOSIUM,
        title="Colloque des quartiers",
        translations={"nl": {"title": "Wijkcongres"}},
        capacity=20,
        days_from_now=30,
    )
    actions.open_event(by=world.person("coordinator"), workshop=found, opened=True)
    return found


def _register(client: Client, workshop: Workshop, name: str, **fields: str) -> Any:
    data = {"name": name, "email": f"{name.lower()}@example.org", "key": f"key-{name}"} | fields
    return client.post(reverse("workshops:register", args=[workshop.pk]), data)


# --- registering from another city ---------------------------------------------------------


def test_an_open_event_asks_where_one_lives_and_stores_the_answer(
    world: World, event: Workshop, cities: list[FollowedCity]
) -> None:
    page = unescape(_client(world, language="en").get(event.get_absolute_url()).text)
    form = page.split('id="registration"')[1]
    assert "<legend>Where do you live?</legend>" in form
    offered = [
        label.split(">")[-1] for label in form.split("</label>") if 'for="id_home_city_' in label
    ]
    assert offered == ["Namur", "Liège", "Maastricht", "Elsewhere"]

    resident = _client(world)
    assert _register(resident, event, "Lucie", home_city="Liège").status_code == 302
    assert _register(resident, event, "Paul", home_city="here").status_code == 302
    assert _register(resident, event, "Hans", home_city="elsewhere").status_code == 302
    stored = dict(Registration.objects.values_list("name", "home_city"))
    assert stored == {"Lucie": "Liège", "Paul": "", "Hans": "elsewhere"}


def test_where_one_lives_must_be_answered_and_nothing_typed_is_lost(
    world: World, event: Workshop, cities: list[FollowedCity]
) -> None:
    client = _client(world, language="en")
    page = _register(client, event, "Lucie", phone="0470 12 34 56")
    assert page.status_code == 200
    assert error_summary(page.text) == ["#id_home_city_0"]
    assert "Say where you live (or choose “Elsewhere”)." in page.text
    assert 'value="Lucie"' in page.text
    assert "0470 12 34 56" in page.text
    # A city no longer followed meanwhile (or a made-up answer) is refused too.
    page = _register(client, event, "Lucie", home_city="Atlantis")
    assert error_summary(page.text) == ["#id_home_city_0"]
    assert "Choose one of the places listed." in page.text
    assert not Registration.objects.exists()


@pytest.mark.parametrize("kind", [EventKind.WORKSHOP, EventKind.ROUND_TABLE])
def test_a_workshop_not_open_to_other_cities_does_not_ask(
    world: World, cities: list[FollowedCity], kind: EventKind
) -> None:
    workshop = make_hosted_workshop(world, kind=kind, capacity=10)
    page = _client(world, language="en").get(workshop.get_absolute_url()).text
    assert "Where do you live?" not in page
    assert "home_city" not in page
    # Sent anyway (a page of when the event was open): not stored.
    assert _register(_client(world), workshop, "Lucie", home_city="Liège").status_code == 302
    assert Registration.objects.get().home_city == ""


def test_the_service_sees_how_many_come_from_each_city(
    world: World,
    event: Workshop,
    cities: list[FollowedCity],
    django_assert_max_num_queries: Any,
) -> None:
    resident = _client(world)
    for name, home in [
        ("Lucie", "Liège"),
        ("Marc", "Liège"),
        ("Paul", "here"),
        ("Hans", "elsewhere"),
    ]:
        _register(resident, event, name, home_city=home)
    coordinator = _client(world, "coordinator", language="en")
    url = reverse("workshops:registrations", args=[event.pk])
    with django_assert_max_num_queries(20):
        page = unescape(coordinator.get(url).text)
    table = page.split("<caption>Where the people registered live</caption>")[1].split("</table>")[
        0
    ]
    rows = [
        (row.split('<th scope="row">')[1].split("</th>")[0], row.split("<td>")[1].split("</td>")[0])
        for row in table.split("<tr>")[2:]
    ]
    assert rows == [("Namur", "1"), ("Liège", "2"), ("Maastricht", "0"), ("Elsewhere", "1")]
    assert "<td>Liège</td>" in page.split("People registered, first come first")[1]


def test_a_workshop_that_does_not_ask_shows_no_count_per_city(world: World) -> None:
    workshop = make_hosted_workshop(world, capacity=10)
    _register(_client(world), workshop, "Lucie")
    page = _client(world, "coordinator", language="en").get(
        reverse("workshops:registrations", args=[workshop.pk])
    )
    assert "Lucie" in page.text
    assert "Where the people registered live" not in page.text
    assert "Lives in" not in page.text


# --- speakers from other cities -------------------------------------------------------------


def _add_session(world: World, event: Workshop, speakers: str) -> Any:
    assert event.starts_at is not None
    return _client(world, "coordinator", language="en").post(
        reverse("workshops:programme", args=[event.pk]),
        {
            "title": "Habiter ensemble",
            "day": timezone.localtime(event.starts_at).date().isoformat(),
            "starts": "18:30",
            "ends": "19:30",
            "speakers": speakers,
        },
    )


def test_a_speakers_city_shows_on_the_programme_and_in_the_feed(
    world: World, event: Workshop, cities: list[FollowedCity]
) -> None:
    response = _add_session(
        world,
        event,
        "Anne Dupont, sociologue, ULiège (Liège)\nJean Martin (Paris)\n"
        "Nadia Bensaïd, service (cohésion) sociale\nMarc Lejeune",
    )
    assert response.status_code == 302
    speakers = list(Speaker.objects.values_list("name", "affiliation", "city"))
    assert speakers == [
        ("Anne Dupont", "sociologue, ULiège", "Liège"),
        ("Jean Martin", "", "Paris"),
        ("Nadia Bensaïd", "service (cohésion) sociale", ""),
        ("Marc Lejeune", "", ""),
    ]
    coordinator = _client(world, "coordinator", language="en")
    for url in (reverse("workshops:programme", args=[event.pk]), event.get_absolute_url()):
        page = unescape(coordinator.get(url).text)
        assert (
            '<strong>Anne Dupont</strong> (<a href="https://liege.example">Liège</a>, a city of '
            "the network), sociologue, ULiège"
        ) in page, url
        assert "<strong>Jean Martin</strong> (Paris)</li>" in page
        assert "<strong>Marc Lejeune</strong></li>" in page
    # The form to change the session gives the lines back as typed.
    session = event.sessions.get()
    form = coordinator.get(reverse("workshops:edit_session", args=[event.pk, session.pk])).text
    assert "Anne Dupont, sociologue, ULiège (Liège)\nJean Martin (Paris)\n" in unescape(form)

    document = json.loads(Client().get(reverse("network:feed")).content)
    (shared,) = document["items"]["events"]
    assert shared["sessions"][0]["speakers"][:2] == [
        {"name": "Anne Dupont", "affiliation": "sociologue, ULiège", "city": "Liège"},
        {"name": "Jean Martin", "affiliation": "", "city": "Paris"},
    ]
    assert shared["register_url"] == f"{settings.SITE_URL}{event.get_absolute_url()}#registration"


def test_a_city_too_long_is_refused_with_the_line(world: World, event: Workshop) -> None:
    page = _add_session(world, event, f"Anne Dupont ({'L' * 101})")
    assert page.status_code == 200
    assert "the city in brackets is too long" in unescape(page.text)
    assert not Speaker.objects.exists()


def test_the_programme_without_cities_asks_nothing_of_the_network(
    world: World, event: Workshop
) -> None:
    _add_session(world, event, "Anne Dupont, sociologue")
    client = _client(world, "coordinator")
    with CaptureQueriesContext(connection) as counted:
        assert client.get(reverse("workshops:programme", args=[event.pk])).status_code == 200
    assert not any("network_followedcity" in query["sql"] for query in counted.captured_queries)


# --- the followed cities' events on this city's public page --------------------------------


@pytest.fixture
def liege(world: World, event: Workshop, tmp_path: Path) -> FollowedCity:
    """Liège follows: its feed is this database's (the symposium open, with a speaker from
    Namur and one from Maastricht), signed with Liège's key; Maastricht is followed too."""
    _follow("Maastricht", "https://maastricht.example")
    _add_session(world, event, "Anne Dupont, UNamur (Namur)\nJan Peeters, UM (Maastricht)")
    return follow_read(other_city_feed(tmp_path / "liege.pem", site="https://liege.example"))


def _cards(page: str) -> list[str]:
    return page.split('<li class="card">')[1:]


@pytest.mark.parametrize(
    ("language", "title", "said"),
    [
        ("fr", '<h2 lang="fr">Colloque des quartiers</h2>', None),
        ("nl", '<h2 lang="nl">Wijkcongres</h2>', None),
        ("en", '<h2 lang="fr">Colloque des quartiers</h2>', "Shown in Français"),
    ],
)
def test_the_public_page_lists_the_followed_cities_coming_events(
    liege: FollowedCity,
    language: str,
    title: str,
    said: str | None,
    django_assert_max_num_queries: Any,
) -> None:
    client = Client()
    client.cookies["django_language"] = language
    with django_assert_max_num_queries(3):
        response = client.get(ELSEWHERE)
    assert response.status_code == 200
    (card,) = _cards(unescape(response.text))
    assert title in card
    assert (said in card) if said else ("Shown in" not in card and "Weergegeven" not in card)
    assert '<a href="https://liege.example">Liège</a>' in card
    assert 'href="https://liege.example/ateliers/' in card
    assert '#registration"' in card
    # Maastricht is followed here: its speaker's city links to it; Namur is this city.
    assert 'Jan Peeters (<a href="https://maastricht.example">Maastricht</a>' in card
    assert "Anne Dupont (Namur), UNamur" in card


def test_the_public_page_in_english_says_how_to_register(liege: FollowedCity) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    card = _cards(unescape(client.get(ELSEWHERE).text))[0]
    assert "Register on the site of Liège" in card
    assert "Symposium" in card


def test_past_events_are_not_listed_even_in_an_old_feed(liege: FollowedCity) -> None:
    # The feed was read a while ago: one of its events is over, another is to come.
    events = liege.feed["items"]["events"]
    past = json.loads(json.dumps(events[0]))
    start = timezone.now() - timedelta(days=2)
    past |= {
        "key": "event-past",
        "texts": {"fr": {"title": "Rencontre passée", "description": ""}},
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
    }
    liege.feed["items"]["events"] = [past, *events]
    liege.save(update_fields=["feed"])
    page = unescape(Client().get(ELSEWHERE).text)
    assert "Colloque des quartiers" in page
    assert "Rencontre passée" not in page


def test_the_public_page_without_events_says_so_and_the_home_line_hides(
    world: World, cities: list[FollowedCity]
) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get(ELSEWHERE).text
    assert "No other city of the network has an event open to residents here" in page
    line = Template("{% load network_events %}{% events_elsewhere_line %}")
    assert line.render(Context()).strip() == ""


def test_the_home_line_leads_to_the_page_when_there_are_events(liege: FollowedCity) -> None:
    line = Template("{% load network_events %}{% events_elsewhere_line %}").render(Context())
    assert f'<a href="{ELSEWHERE}">' in line


# --- the feed: what older and newer cities send -------------------------------------------


def test_a_feed_of_before_speakers_cities_is_still_read(world: World, tmp_path: Path) -> None:
    make_shared_city(world)
    body, _header = other_city_feed(tmp_path / "liege.pem")
    document = json.loads(body)
    for event in document["items"]["events"]:
        del event["register_url"]
        for session in event["sessions"]:
            for speaker in session["speakers"]:
                del speaker["city"]
    checked = reading.checked(document)
    (event,) = checked["items"]["events"]
    assert event["register_url"] == event["url"]
    assert event["sessions"][0]["speakers"][0]["city"] == ""


def test_a_register_address_that_is_not_http_is_refused(world: World, tmp_path: Path) -> None:
    make_shared_city(world)
    document = json.loads(other_city_feed(tmp_path / "liege.pem")[0])
    document["items"]["events"][0]["register_url"] = "javascript:alert(1)"
    with pytest.raises(reading.FeedRefused) as refused:
        reading.checked(document)
    assert refused.value.params == {"field": "events[0].register_url"}
