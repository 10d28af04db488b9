"""Following another city (issue 20, item 5): its key pinned at follow time, every reading
verified, a refused feed said in the reader's language with nothing lost; importing its
playbooks and formats with their attribution, once."""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World, error_summary
from palabre.initiatives.models import Playbook
from palabre.network import actions, reading, signing
from palabre.network.models import FollowedCity, ImportedPlaybook
from palabre.network.tests.factories import (
    Answer,
    FeedServer,
    feed_server,
    make_shared_city,
    other_city_feed,
    tampered,
)

pytestmark = pytest.mark.django_db
INDEX = reverse("network:index")
FOLLOW = reverse("network:follow")


@pytest.fixture
def server() -> Any:
    with feed_server() as running:
        yield running


@pytest.fixture
def liege(world: World, tmp_path: Path) -> tuple[bytes, str]:
    """Liège's feed (this database's shared items, signed with Liège's key)."""
    make_shared_city(world)
    return other_city_feed(tmp_path / "liege.pem")


def _coordinator(world: World) -> Client:
    client = Client()
    client.force_login(world.person("coordinator"))
    return client


def _follow(world: World, server: FeedServer, feed: tuple[bytes, str]) -> FollowedCity:
    url = server.serve("/reseau/flux.json", *feed)
    return actions.follow_city(by=world.person("coordinator"), url=url)


def test_following_a_city_pins_its_key_and_shows_its_fingerprint(
    world: World, server: FeedServer, liege: tuple[bytes, str]
) -> None:
    url = server.serve("/reseau/flux.json", *liege)
    response = _coordinator(world).post(FOLLOW, {"url": url}, follow=True)
    city = FollowedCity.objects.get()
    assert city.name == "Liège"
    assert city.public_key == json.loads(liege[0])["public_key"]
    page = unescape(response.content.decode())
    assert signing.fingerprint(city.public_key) in page
    assert response.redirect_chain[-1][0] == reverse("network:city", args=[city.pk])


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ("unsigned", "unsigned"),
        ("tampered", "bad_signature"),
        ("not json", "json"),
        ("wrong format", "format"),
        ("error", "status"),
        ("too large", "too_large"),
    ],
)
def test_a_feed_that_cannot_be_trusted_is_refused_with_its_reason(
    world: World,
    server: FeedServer,
    liege: tuple[bytes, str],
    answer: str,
    code: str,
    tmp_path: Path,
) -> None:
    body, header = liege
    if answer == "unsigned":
        url = server.serve("/f", body)
    elif answer == "tampered":
        url = server.serve("/f", tampered(body), header)
    elif answer == "not json":
        url = server.serve("/f", b"<html>Bienvenue</html>", header)
    elif answer == "wrong format":
        from palabre.network import signing as sign

        document = json.loads(body) | {"format": "other/2"}
        wrong = json.dumps(document).encode()
        from django.test import override_settings

        with override_settings(NETWORK_KEY_FILE=tmp_path / "liege.pem"):
            url = server.serve("/f", wrong, sign.signature_header(wrong))
    elif answer == "error":
        url = server.serve("/f", b"", status=500)
    else:
        url = server.serve("/f", b" " * (reading.MAX_BYTES + 1), header)
    with pytest.raises(reading.FeedRefused) as refused:
        actions.follow_city(by=world.person("coordinator"), url=url)
    assert refused.value.code == code
    assert not FollowedCity.objects.exists()


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/f", "javascript:x", "http://"]
)
def test_only_http_addresses_are_followed(world: World, url: str) -> None:
    with pytest.raises(reading.FeedRefused) as refused:
        actions.follow_city(by=world.person("coordinator"), url=url)
    assert refused.value.code in {"scheme", "address"}


def test_a_redirect_to_a_file_is_refused(world: World, server: FeedServer) -> None:
    server.answers["/moved"] = Answer(b"", {"Location": "file:///etc/passwd"}, status=302)
    url = server.url("/moved")
    with pytest.raises(reading.FeedRefused) as refused:
        actions.follow_city(by=world.person("coordinator"), url=url)
    assert refused.value.code == "scheme"


def test_a_site_too_slow_is_refused(
    world: World, server: FeedServer, liege: tuple[bytes, str], monkeypatch: Any
) -> None:
    monkeypatch.setattr(reading, "TIMEOUT_SECONDS", 0.3)
    url = server.serve("/slow", *liege, delay=1.0)
    with pytest.raises(reading.FeedRefused) as refused:
        actions.follow_city(by=world.person("coordinator"), url=url)
    assert refused.value.code == "timeout"


def test_a_refusal_is_said_on_the_page_with_the_address_kept(
    world: World, server: FeedServer, liege: tuple[bytes, str]
) -> None:
    url = server.serve("/f", tampered(liege[0]), liege[1])
    client = _coordinator(world)
    client.cookies["django_language"] = "en"
    response = client.post(FOLLOW, {"url": url})
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert error_summary(response.content.decode()) == ["#id_url"]
    assert "may have been altered on the way" in page
    assert f'value="{url}"' in page


def test_following_ones_own_feed_is_refused(world: World, client: Client) -> None:
    body = client.get(reverse("network:feed"))
    with feed_server() as server:
        url = server.serve("/own", body.content, body[signing.HEADER])
        with pytest.raises(reading.FeedRefused) as refused:
            actions.follow_city(by=world.person("coordinator"), url=url)
    assert refused.value.code == "own"


def test_a_second_follow_of_the_same_address_shows_the_city(
    world: World, server: FeedServer, liege: tuple[bytes, str]
) -> None:
    city = _follow(world, server, liege)
    response = _coordinator(world).post(FOLLOW, {"url": city.feed_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("network:city", args=[city.pk])
    assert FollowedCity.objects.count() == 1


def test_a_refused_reading_keeps_the_last_verified_feed(
    world: World, server: FeedServer, liege: tuple[bytes, str], tmp_path: Path
) -> None:
    city = _follow(world, server, liege)
    before = city.feed
    server.serve("/reseau/flux.json", tampered(liege[0]), liege[1])
    refused = actions.refresh_city(by=world.person("coordinator"), city=city)
    assert refused is not None
    assert refused.code == "bad_signature"
    city.refresh_from_db()
    assert city.feed == before
    assert city.problem["code"] == "bad_signature"
    client = _coordinator(world)
    client.cookies["django_language"] = "en"
    page = unescape(client.get(reverse("network:city", args=[city.pk])).content.decode())
    assert "may have been altered on the way" in page
    assert "What is shown below is the last feed that was verified." in page
    assert "Bien vivre à Bomel" in page  # the format of the last verified feed


def test_a_new_key_is_refused_until_the_city_is_followed_again(
    world: World, server: FeedServer, liege: tuple[bytes, str], tmp_path: Path
) -> None:
    city = _follow(world, server, liege)
    server.serve("/reseau/flux.json", *other_city_feed(tmp_path / "someone-else.pem"))
    refused = actions.refresh_city(by=world.person("coordinator"), city=city)
    assert refused is not None
    assert refused.code == "key_changed"
    assert signing.fingerprint(city.public_key) in refused.message


def test_an_older_copy_of_the_feed_is_refused(
    world: World, server: FeedServer, liege: tuple[bytes, str], tmp_path: Path
) -> None:
    old = liege
    newer = other_city_feed(tmp_path / "liege.pem")
    city = _follow(world, server, newer)
    server.serve("/reseau/flux.json", *old)
    refused = actions.refresh_city(by=world.person("coordinator"), city=city)
    assert refused is not None
    assert refused.code == "older"


def test_a_good_reading_replaces_the_feed_and_clears_the_problem(
    world: World, server: FeedServer, liege: tuple[bytes, str], tmp_path: Path
) -> None:
    city = _follow(world, server, liege)
    server.serve("/reseau/flux.json", b"{}", liege[1])
    actions.refresh_city(by=None, city=city)
    server.serve("/reseau/flux.json", *other_city_feed(tmp_path / "liege.pem", city="Luik"))
    response = _coordinator(world).post(reverse("network:refresh", args=[city.pk]))
    assert response.status_code == 302
    city.refresh_from_db()
    assert (city.name, city.problem) == ("Luik", {})


def test_importing_a_playbook_twice_makes_one_with_its_attribution(
    world: World, server: FeedServer, liege: tuple[bytes, str]
) -> None:
    city = _follow(world, server, liege)
    key = city.feed["items"]["playbooks"][0]["key"]
    client = _coordinator(world)
    url = reverse("network:import_playbook", args=[city.pk])
    for _ in range(2):
        assert client.post(url, {"key": key}).status_code == 302
    imported = ImportedPlaybook.objects.get()
    # "Fête de rue" exists here already (the shared one): the city's name tells them apart.
    assert imported.playbook.title == "Fête de rue (Liège)"
    assert (
        imported.playbook.steps.count() == Playbook.objects.get(title="Fête de rue").steps.count()
    )
    assert (imported.source_city, imported.source_key) == ("Liège", key)
    page = unescape(client.get(INDEX).content.decode())
    assert "Fête de rue (Liège)" in page
    assert "Liège" in page


def test_an_imported_playbook_keeps_its_title_when_free(
    world: World, server: FeedServer, liege: tuple[bytes, str]
) -> None:
    city = _follow(world, server, liege)
    Playbook.objects.filter(title="Fête de rue").update(title="Notre fête")
    key = city.feed["items"]["playbooks"][0]["key"]
    imported, made = actions.import_playbook(by=world.person("coordinator"), city=city, key=key)
    assert made
    assert imported.playbook.title == "Fête de rue"


def test_a_format_is_imported_once_marked_with_its_origin(
    world: World, server: FeedServer, liege: tuple[bytes, str]
) -> None:
    city = _follow(world, server, liege)
    key = city.feed["items"]["formats"][0]["key"]
    first, made = actions.import_format(by=world.person("coordinator"), city=city, key=key)
    again, made_again = actions.import_format(by=world.person("coordinator"), city=city, key=key)
    assert (made, made_again, first.pk) == (True, False, again.pk)
    assert first.source_city == "Liège"
    assert first.translations["de"]["title"] == "Gut leben in Bomel"
    with pytest.raises(PermissionDenied):
        actions.share_format(by=world.person("coordinator"), item=first, shared=True)


def test_an_item_gone_from_the_feed_cannot_be_imported(
    world: World, server: FeedServer, liege: tuple[bytes, str]
) -> None:
    city = _follow(world, server, liege)
    with pytest.raises(reading.FeedRefused) as refused:
        actions.import_playbook(by=world.person("coordinator"), city=city, key="playbook-999")
    assert refused.value.code == "not_found"


def test_unfollowing_keeps_what_was_imported(
    world: World, server: FeedServer, liege: tuple[bytes, str]
) -> None:
    city = _follow(world, server, liege)
    key = city.feed["items"]["playbooks"][0]["key"]
    actions.import_playbook(by=world.person("coordinator"), city=city, key=key)
    _coordinator(world).post(reverse("network:unfollow", args=[city.pk]))
    assert not FollowedCity.objects.exists()
    assert ImportedPlaybook.objects.get().source_city == "Liège"


def test_the_page_shows_the_readers_language_and_says_which(
    world: World, server: FeedServer, liege: tuple[bytes, str]
) -> None:
    city = _follow(world, server, liege)
    client = _coordinator(world)
    url = reverse("network:city", args=[city.pk])
    client.cookies["django_language"] = "nl"
    dutch = unescape(client.get(url).content.decode())
    assert '<h3 lang="nl">Goed wonen in Bomel</h3>' in dutch
    client.cookies["django_language"] = "en"
    english = unescape(client.get(url).content.decode())
    assert '<h3 lang="fr">Bien vivre à Bomel</h3>' in english
    assert "Shown in Français" in english


def test_figures_side_by_side(
    world: World, server: FeedServer, liege: tuple[bytes, str], django_assert_max_num_queries: Any
) -> None:
    _follow(world, server, liege)
    client = _coordinator(world)
    client.cookies["django_language"] = "en"
    from django.utils import timezone

    year = timezone.localdate().year
    with django_assert_max_num_queries(60):
        page = unescape(client.get(INDEX, {"annee": year}).content.decode())
    assert '<th scope="col">Namur</th><th scope="col">Liège</th>' in page
    row = page.split("Workshops held</th>")[1].split("</tr>")[0]
    assert row.count("<td>1</td>") == 2
    assert "fewer than 5" in page.split("People present</th>")[1].split("</tr>")[0]


def test_the_page_reads_each_city_in_a_fixed_number_of_queries(
    world: World, server: FeedServer, tmp_path: Path, django_assert_max_num_queries: Any
) -> None:
    make_shared_city(world)
    for number in range(3):
        feed = other_city_feed(tmp_path / f"city{number}.pem", city=f"Ville {number}")
        url = server.serve(f"/{number}", *feed)
        actions.follow_city(by=world.person("coordinator"), url=url)
    with django_assert_max_num_queries(60):
        assert _coordinator(world).get(INDEX).status_code == 200


def test_only_the_service_follows_and_imports(world: World) -> None:
    for persona in ("resident", "facilitator", "official", "partner"):
        with pytest.raises(PermissionDenied):
            actions.follow_city(by=world.person(persona), url="http://127.0.0.1:9/f")


def test_the_daily_reading_is_queued_once(
    world: World,
    server: FeedServer,
    liege: tuple[bytes, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        _follow(world, server, liege)
    assert not actions.schedule_refresh()
    assert DBTaskResult.objects.count() == 1


def test_the_command_line_follows_and_refuses(
    world: World, server: FeedServer, liege: tuple[bytes, str], capsys: Any
) -> None:
    from palabre.cli import main

    bad = server.serve("/bad", tampered(liege[0]), liege[1])
    assert main(["network", "follow", bad]) == 2
    assert "altered" in capsys.readouterr().err
    good = server.serve("/good", *liege)
    assert main(["network", "follow", good]) == 0
    out = capsys.readouterr().out
    city = FollowedCity.objects.get()
    assert out.startswith("Liège\n")
    assert signing.fingerprint(city.public_key) in out
    assert main(["network", "list"]) == 0
    assert main(["network", "refresh"]) == 0
