"""This city's feed (issue 20, item 5): what the service chose to share, signed over the exact
bytes sent, with the key created once in its file."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palabre.core.testing import World
from palabre.initiatives import actions as initiative_actions
from palabre.network import actions, reading, signing
from palabre.network.tests.factories import make_shared_city, tampered
from palabre.workshops.models import EventKind

pytestmark = pytest.mark.django_db
FEED = reverse("network:feed")


def _get(client: Client) -> tuple[bytes, str]:
    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.content, response[signing.HEADER]


def test_the_key_is_created_once_readable_only_by_its_owner(settings: Any) -> None:
    path = Path(settings.NETWORK_KEY_FILE)
    assert not path.exists()
    first = signing.public_key_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing.public_key_text() == first
    # A second process that also found no key: its key is not linked over the first one.
    signing._create(path)
    assert signing.public_key_text() == first
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_a_key_file_that_is_not_a_key_is_said(settings: Any) -> None:
    path = Path(settings.NETWORK_KEY_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("not a key")
    with pytest.raises(signing.KeyFileError, match="not a PEM private key"):
        signing.public_key_text()


def test_the_feed_carries_what_is_shared_and_verifies(world: World, client: Client) -> None:
    shared = make_shared_city(world)
    # Not shared: another playbook, a round table not opened.
    initiative_actions.import_playbook(
        by=world.person("coordinator"), text='kind = "welcome"\ntitle = "Accueil"\n'
    )
    from palabre.workshops.tests.factories import make_hosted_workshop

    make_hosted_workshop(world, kind=EventKind.ROUND_TABLE, title="Fermée")
    body, header = _get(client)
    document = reading.verify(reading.Fetched(body, header), pinned_key=None)
    assert document["city"] == "Namur"
    items = document["items"]
    assert [p["title"] for p in items["playbooks"]] == ["Fête de rue"]
    assert 'title = "Fête de rue"' in items["playbooks"][0]["toml"]
    assert items["formats"][0]["duration_minutes"] == 150
    assert items["formats"][0]["texts"]["de"] == {
        "title": "Gut leben in Bomel",
        "guiding_questions": ["Wie leben Sie hier?"],
    }
    assert [e["texts"]["fr"]["title"] for e in items["events"]] == [shared.event.title]
    assert items["events"][0]["sessions"][0]["speakers"] == [
        {"name": "Anne Lemaire", "affiliation": "UNamur", "city": ""}
    ]
    year = str(timezone.localdate().year)
    assert set(items["figures"]) == {year, str(int(year) - 1)}
    held = {f["key"]: f for f in items["figures"][year]}["workshops_held"]
    # A label per interface language (each as the catalogues translate it).
    assert set(held["labels"]) == {"fr", "nl", "en"}
    assert held["labels"]["en"] == "Workshops held"
    assert held["value"] == 1
    people = {f["key"]: f for f in items["figures"][year]}["people_present"]
    assert people == people | {"value": None, "suppressed": True}  # nobody checked in


def test_nothing_is_shared_until_the_service_chooses(world: World, client: Client) -> None:
    body, header = _get(client)
    document = json.loads(body)
    assert document["items"]["playbooks"] == []
    assert document["items"]["formats"] == []
    assert document["items"]["events"] == []
    assert signing.verifies(body, signing.parse_header(header)["ed25519"], document["public_key"])


def test_what_is_no_longer_shared_leaves_the_feed(world: World, client: Client) -> None:
    shared = make_shared_city(world)
    by = world.person("coordinator")
    actions.share_playbook(by=by, playbook=shared.playbook, shared=False)
    actions.share_format(by=by, item=shared.format, shared=False)
    actions.open_event(by=by, workshop=shared.event, opened=False)
    items = json.loads(_get(client)[0])["items"]
    assert (items["playbooks"], items["formats"], items["events"]) == ([], [], [])


def test_one_byte_changed_breaks_the_signature(world: World, client: Client) -> None:
    make_shared_city(world)
    body, header = _get(client)
    with pytest.raises(reading.FeedRefused) as refused:
        reading.verify(reading.Fetched(tampered(body), header), pinned_key=None)
    assert refused.value.code == "bad_signature"


def test_the_feed_is_built_in_a_bounded_number_of_queries(
    world: World, client: Client, django_assert_max_num_queries: Any
) -> None:
    make_shared_city(world)
    make_shared_city_again = initiative_actions.import_playbook(
        by=world.person("coordinator"), text='kind = "welcome"\ntitle = "Accueil"\n'
    )
    actions.share_playbook(
        by=world.person("coordinator"), playbook=make_shared_city_again, shared=True
    )
    with django_assert_max_num_queries(80):
        _get(client)


def test_a_client_reading_the_feed_again_and_again_is_told_to_wait(world: World) -> None:
    client = Client()
    for _read in range(30):
        assert client.get("/reseau/flux.json").status_code == 200
    refused = client.get("/reseau/flux.json")
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert Client(REMOTE_ADDR="203.0.113.9").get("/reseau/flux.json").status_code == 200
