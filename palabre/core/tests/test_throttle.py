"""Limits per client: who the client is behind the proxy, the anonymous forms, the counters."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from config import env
from palabre.contributions.tests.factories import make_board, make_post
from palabre.core import throttle
from palabre.core.testing import World
from palabre.initiatives.tests.factories import make_initiative
from palabre.workshops.tests.factories import make_hosted_workshop


@pytest.fixture(autouse=True)
def start_of_a_window() -> Iterator[None]:
    """Start each test at the beginning of every limit's window (they are fixed windows), so
    that no boundary falls between the tries a test counts."""
    with time_machine.travel(datetime(2027, 3, 2, 9, 0, tzinfo=UTC), tick=True):
        yield


def address_of(remote: str, forwarded: str | None = None) -> str:
    meta: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return throttle.client_address(RequestFactory().get("/", **meta))


def test_a_mistyped_proxy_list_stops_the_start_with_a_one_line_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PALABRE_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8, unix")
    assert env.get_proxies("PALABRE_TRUSTED_PROXIES") == ["127.0.0.1", "10.0.0.0/8", "unix"]
    monkeypatch.setenv("PALABRE_TRUSTED_PROXIES", "127.0.0.1, nginx")
    with pytest.raises(ImproperlyConfigured, match="not 'nginx'"):
        env.get_proxies("PALABRE_TRUSTED_PROXIES")


def test_without_trusted_proxies_the_socket_address_is_the_client(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    assert address_of("127.0.0.1", "203.0.113.10") == "127.0.0.1"


def test_behind_a_trusted_proxy_the_address_it_passes_on_is_the_client(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert address_of("127.0.0.1", "203.0.113.10") == "203.0.113.10"


def test_a_forged_forwarded_for_from_an_untrusted_client_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert address_of("203.0.113.10", "198.51.100.1") == "203.0.113.10"


def test_the_right_most_address_that_is_not_a_proxy_wins_over_what_the_client_wrote(
    settings: Any,
) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # The client wrote "198.51.100.1" itself; the outer proxy appended what it saw, then the
    # inner proxy (10.0.0.2) appended the outer one.
    assert address_of("127.0.0.1", "198.51.100.1, 203.0.113.10, 10.0.0.2") == "203.0.113.10"


def test_the_proxy_is_never_the_client_unless_nothing_was_forwarded(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert address_of("127.0.0.1", "127.0.0.1") == "127.0.0.1"
    assert address_of("127.0.0.1") == "127.0.0.1"
    assert address_of("127.0.0.1", "203.0.113.10, 127.0.0.1") == "203.0.113.10"


def test_a_unix_socket_proxy_is_trusted_only_when_listed(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    assert address_of("", "203.0.113.10") == "unknown"
    settings.TRUSTED_PROXIES = ["unix"]
    assert address_of("", "203.0.113.10") == "203.0.113.10"


def test_ipv6_clients_are_counted_by_their_64_bit_network(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["::1"]
    one = address_of("::1", "2001:db8:1:2::a")
    assert one == address_of("::1", "[2001:db8:1:2:ffff::b]:443") == "2001:db8:1:2::/64"
    assert address_of("::1", "2001:db8:1:3::a") != one
    assert address_of("::ffff:203.0.113.10") == "203.0.113.10"


def test_the_wait_is_said_in_minutes_then_in_hours() -> None:
    assert throttle.wait_message(30) == "Attendez 1 minute avant de réessayer."
    assert throttle.wait_message(600) == "Attendez 10 minutes avant de réessayer."
    assert throttle.wait_message(20 * 3600) == "Attendez 20 heures avant de réessayer."


# Anonymous forms ----------------------------------------------------------------------------


def _register(world: World) -> str:
    return reverse("workshops:register", kwargs={"pk": make_hosted_workshop(world).pk})


def _board(world: World) -> str:
    make_board(world.home)
    return reverse("contributions:board", kwargs={"slug": world.home.slug})


def _me_too(world: World) -> str:
    return reverse("contributions:me_too", kwargs={"pk": make_post(world.home).pk})


def _sign_up(world: World) -> str:
    return reverse("initiatives:sign_up", kwargs={"pk": make_initiative(world).pk})


ANONYMOUS_FORMS = {
    "registration": _register,
    "board post": _board,
    "me too": _me_too,
    "i'm in": _sign_up,
}


@pytest.mark.django_db
@pytest.mark.parametrize("form", sorted(ANONYMOUS_FORMS))
@time_machine.travel(datetime(2027, 3, 2, 9, 0, tzinfo=UTC), tick=False)
def test_anonymous_forms_are_paused_per_client_with_a_page_that_says_to_wait(
    form: str, world: World, settings: Any
) -> None:
    settings.ANONYMOUS_WRITES_PER_CLIENT = 3
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    url = ANONYMOUS_FORMS[form](world)
    home = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10")
    for _ in range(3):
        assert home.post(url, {}).status_code != 429
    refused = home.post(url, {})
    assert refused.status_code == 429
    assert "Beaucoup de formulaires sont partis de votre connexion" in refused.text
    assert "Attendez 10 minutes avant de réessayer." in refused.text
    assert int(refused["Retry-After"]) <= 600
    # Another household behind the same proxy, and a signed-in resident, are not held back.
    neighbour = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert neighbour.post(url, {}).status_code != 429
    home.force_login(world.person("resident"))
    assert home.post(url, {}).status_code != 429


@pytest.mark.django_db
def test_the_pause_ends_with_its_window(world: World, settings: Any) -> None:
    settings.ANONYMOUS_WRITES_PER_CLIENT = 1
    url = _board(world)
    client = Client()
    client.post(url, {})
    assert client.post(url, {}).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert client.post(url, {}).status_code != 429


@pytest.mark.django_db
def test_each_kind_of_form_has_its_own_count(world: World, settings: Any) -> None:
    settings.ANONYMOUS_WRITES_PER_CLIENT = 1
    board, me_too = _board(world), _me_too(world)
    client = Client()
    client.post(board, {})
    assert client.post(board, {}).status_code == 429
    assert client.post(me_too, {}).status_code != 429


# The counter under concurrency (PostgreSQL: the in-memory SQLite test database cannot wait for
# a lock; the file database Palabre runs on serialises writers with immediate transactions).


def _together(count: int, work: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:  # the test shows it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="needs PostgreSQL (see above)")
def test_forty_parallel_tries_let_exactly_the_limit_through() -> None:
    limit = throttle.Limit("test-race", 5, timedelta(minutes=15))
    entry = throttle.tally(limit, "203.0.113.10")
    results = _together(40, lambda _: throttle.claim([entry]))
    assert not [result for result in results if isinstance(result, Exception)]
    assert sum(result is None for result in results) == 5
    assert throttle.used(entry) == 5
