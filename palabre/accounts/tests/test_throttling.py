"""Sign-in limits that stop attackers, not the city (ADR 0042, 0043)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client
from django.urls import reverse

from palabre.accounts.models import Role, SignInCode, SignInFailure
from palabre.accounts.tests.factories import PASSWORD, make_user
from palabre.core.testing import sent_mail

SIGN_IN = reverse("accounts:sign_in")
REQUEST_CODE = reverse("accounts:request_code")
ENTER_CODE = reverse("accounts:enter_code")
ADMIN_SIGN_IN = reverse("admin:login")
PROXY = "127.0.0.1"


@pytest.fixture(autouse=True)
def start_of_a_window() -> Iterator[None]:
    """Start each test at the beginning of every limit's window (they are fixed windows), so
    that no boundary falls between the tries a test counts."""
    with time_machine.travel(datetime(2027, 3, 2, 9, 0, tzinfo=UTC), tick=True):
        yield


@pytest.fixture(autouse=True)
def behind_the_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXIES = [PROXY]


def behind_proxy(client_ip: str) -> Client:
    """A browser reaching Palabre through the trusted reverse proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def ask_code(client: Client, email: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(REQUEST_CODE, {"email": email})


def last_code() -> str:
    match = re.search(r"\b(\d{6})\b", str(sent_mail()[-1].body))
    assert match
    return match.group(1)


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


@pytest.mark.django_db
def test_failures_sprayed_from_one_client_behind_the_proxy_do_not_stop_another() -> None:
    make_user(email="brute2@example.org")
    attacker = behind_proxy("203.0.113.66")
    for number in range(20):
        attacker.post(SIGN_IN, {"email": f"nobody{number}@example.org", "password": "x"})
    refused = attacker.post(SIGN_IN, {"email": "brute2@example.org", "password": PASSWORD})
    assert refused.status_code == 429
    assert "Trop de tentatives sans succès." in refused.text
    assert not signed_in(attacker)
    resident = behind_proxy("198.51.100.20")
    response = resident.post(SIGN_IN, {"email": "brute2@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in(resident)


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_escape_the_limit(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    attacker_ip = "203.0.113.66"
    for number in range(20):
        forged = Client(REMOTE_ADDR=attacker_ip, HTTP_X_FORWARDED_FOR=f"10.9.8.{number}")
        forged.post(SIGN_IN, {"email": f"nobody{number}@example.org", "password": "x"})
    forged = Client(REMOTE_ADDR=attacker_ip, HTTP_X_FORWARDED_FOR="10.9.9.9")
    response = forged.post(SIGN_IN, {"email": "nobody@example.org", "password": "x"})
    assert response.status_code == 429


@pytest.mark.django_db
def test_an_account_under_password_attack_still_signs_in_with_a_code(
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_user(email="echevine@example.org", role=Role.OFFICIAL, official_title="Échevine")
    attacker = behind_proxy("203.0.113.66")
    for _ in range(5):
        attacker.post(SIGN_IN, {"email": "echevine@example.org", "password": "guess"})
    owner = behind_proxy("198.51.100.20")
    locked = owner.post(SIGN_IN, {"email": "echevine@example.org", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Vous pouvez quand même vous connecter avec un code reçu par e-mail." in locked.text
    assert ask_code(owner, "echevine@example.org", django_capture_on_commit_callbacks)
    response = owner.post(ENTER_CODE, {"email": "echevine@example.org", "code": last_code()})
    assert response.status_code == 302
    assert signed_in(owner)
    # Signing in lifted the lock on the password for its owner.
    owner.logout()
    again = owner.post(SIGN_IN, {"email": "echevine@example.org", "password": PASSWORD})
    assert again.status_code == 302


@pytest.mark.django_db
def test_a_stranger_guessing_codes_does_not_close_the_owners_code_entry(
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_user(email="amina@example.org")
    stranger = behind_proxy("203.0.113.66")
    for _ in range(5):
        stranger.post(ENTER_CODE, {"email": "amina@example.org", "code": "123456"})
    blocked = stranger.post(ENTER_CODE, {"email": "amina@example.org", "code": "123456"})
    assert blocked.status_code == 429
    owner = behind_proxy("198.51.100.20")
    ask_code(owner, "amina@example.org", django_capture_on_commit_callbacks)
    response = owner.post(ENTER_CODE, {"email": "amina@example.org", "code": last_code()})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_code_dies_after_three_tries_whoever_types_them(
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_user(email="amina@example.org")
    owner = behind_proxy("198.51.100.20")
    ask_code(owner, "amina@example.org", django_capture_on_commit_callbacks)
    code = last_code()
    for number in range(3):
        guesser = behind_proxy(f"203.0.113.{number + 1}")
        guesser.post(ENTER_CODE, {"email": "amina@example.org", "code": wrong(code)})
    response = owner.post(ENTER_CODE, {"email": "amina@example.org", "code": code})
    assert response.status_code == 200
    assert "Ce code est faux ou il a expiré." in response.text
    assert not signed_in(owner)
    assert SignInCode.objects.get().tries == 3


@pytest.mark.django_db
def test_asking_for_codes_is_refused_alike_for_known_and_unknown_addresses(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SIGN_IN_MAX_CODES = 2
    make_user(email="amina@example.org")
    client = behind_proxy("203.0.113.66")
    answers = {}
    for email in ("amina@example.org", "nobody@example.org"):
        statuses = [
            ask_code(client, email, django_capture_on_commit_callbacks).status_code
            for _ in range(3)
        ]
        answers[email] = statuses
    assert answers["amina@example.org"] == answers["nobody@example.org"] == [302, 302, 429]


@pytest.mark.django_db
def test_the_back_office_sign_in_is_limited_and_leaves_a_trace() -> None:
    make_user(email="admin@example.org", role=Role.ADMINISTRATOR)
    attacker = behind_proxy("203.0.113.66")
    for _ in range(5):
        response = attacker.post(ADMIN_SIGN_IN, {"username": "admin@example.org", "password": "x"})
        assert response.status_code == 200
    assert SignInFailure.objects.count() == 5
    owner = behind_proxy("198.51.100.20")
    refused = owner.post(ADMIN_SIGN_IN, {"username": "admin@example.org", "password": PASSWORD})
    assert refused.status_code == 429
    assert "Trop de tentatives sans succès." in refused.text
    assert not signed_in(owner)


@pytest.mark.django_db
def test_the_back_office_sign_in_still_works_and_clears_the_trace() -> None:
    make_user(email="admin@example.org", role=Role.ADMINISTRATOR)
    client = behind_proxy("198.51.100.20")
    client.post(ADMIN_SIGN_IN, {"username": "admin@example.org", "password": "typo"})
    assert SignInFailure.objects.count() == 1
    response = client.post(ADMIN_SIGN_IN, {"username": "admin@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in(client)
    assert SignInFailure.objects.count() == 0


# The same work for known and unknown addresses ----------------------------------------------


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how many hashes are computed (each check computes one)."""

    algorithm = "md5"
    computed: ClassVar[int] = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.computed += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings: Any) -> Callable[[], int]:
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    start = CountingHasher.computed

    def count() -> int:
        nonlocal start
        done, start = CountingHasher.computed - start, CountingHasher.computed
        return done

    return count


@pytest.mark.django_db
def test_code_entry_computes_one_hash_whether_or_not_the_address_has_an_account(
    hashes: Callable[[], int], django_capture_on_commit_callbacks: Any
) -> None:
    make_user(email="amina@example.org")
    make_user(email="bilal@example.org")
    client = behind_proxy("198.51.100.20")
    ask_code(client, "bilal@example.org", django_capture_on_commit_callbacks)
    hashes()
    work = {}
    for case, email in [
        ("unknown address", "nobody@example.org"),
        ("account without a code", "amina@example.org"),
        ("account with a live code", "bilal@example.org"),
    ]:
        client.post(ENTER_CODE, {"email": email, "code": wrong(last_code())})
        work[case] = hashes()
    assert set(work.values()) == {1}, work


@pytest.mark.django_db
def test_asking_a_code_computes_one_hash_whether_or_not_the_address_has_an_account(
    hashes: Callable[[], int], django_capture_on_commit_callbacks: Any
) -> None:
    make_user(email="amina@example.org")
    hashes()
    ask_code(behind_proxy("198.51.100.20"), "amina@example.org", django_capture_on_commit_callbacks)
    known = hashes()
    ask_code(
        behind_proxy("198.51.100.21"), "nobody@example.org", django_capture_on_commit_callbacks
    )
    assert known == hashes() == 1


@pytest.mark.django_db
def test_a_wrong_password_computes_one_hash_whether_or_not_the_address_has_an_account(
    hashes: Callable[[], int],
) -> None:
    make_user(email="amina@example.org")
    make_user(email="code.only@example.org", password=None)
    client = behind_proxy("198.51.100.20")
    hashes()
    work = {}
    for email in ("amina@example.org", "code.only@example.org", "nobody@example.org"):
        client.post(SIGN_IN, {"email": email, "password": "wrong"})
        work[email] = hashes()
    assert set(work.values()) == {1}, work


@pytest.mark.django_db
def test_a_refused_try_computes_no_hash_for_any_address(
    hashes: Callable[[], int], settings: Any
) -> None:
    settings.SIGN_IN_CLIENT_MAX_FAILURES = 1
    make_user(email="amina@example.org")
    client = behind_proxy("198.51.100.20")
    client.post(SIGN_IN, {"email": "other@example.org", "password": "wrong"})
    hashes()
    for email in ("amina@example.org", "nobody@example.org"):
        assert client.post(SIGN_IN, {"email": email, "password": "x"}).status_code == 429
        assert client.post(ENTER_CODE, {"email": email, "code": "123456"}).status_code == 429
    assert hashes() == 0


# Parallel guesses (PostgreSQL: see palabre/core/tests/test_throttle.py) ----------------------


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
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="needs PostgreSQL")
def test_forty_parallel_wrong_passwords_are_checked_five_times_only() -> None:
    make_user(email="amina@example.org")

    def guess(index: int) -> int:
        client = behind_proxy(f"203.0.113.{index + 1}")
        return client.post(
            SIGN_IN, {"email": "amina@example.org", "password": f"g{index}"}
        ).status_code

    statuses = _together(40, guess)
    assert sorted(set(statuses)) == [200, 429], statuses
    assert statuses.count(200) == 5
    assert SignInFailure.objects.count() == 5


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="needs PostgreSQL")
def test_forty_parallel_guesses_of_one_code_are_checked_three_times_only(
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_user(email="amina@example.org")
    ask_code(behind_proxy("198.51.100.20"), "amina@example.org", django_capture_on_commit_callbacks)
    code = last_code()

    def guess(index: int) -> int:
        client = behind_proxy(f"203.0.113.{index + 1}")
        guessed = f"{(int(code) + index + 1) % 1_000_000:06d}"
        return client.post(ENTER_CODE, {"email": "amina@example.org", "code": guessed}).status_code

    _together(40, guess)
    assert SignInCode.objects.get().tries == 3


@pytest.mark.django_db
def test_a_client_spraying_code_requests_is_stopped_without_stopping_others(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    make_user(email="amina@example.org")
    sprayer = behind_proxy("203.0.113.66")
    answers = [
        ask_code(sprayer, f"person{n}@example.org", django_capture_on_commit_callbacks).status_code
        for n in range(settings.SIGN_IN_CLIENT_MAX_CODE_REQUESTS + 1)
    ]
    assert answers[-1] == 429
    assert set(answers[:-1]) == {302}
    owner = behind_proxy("198.51.100.4")
    assert (
        ask_code(owner, "amina@example.org", django_capture_on_commit_callbacks).status_code == 302
    )
    assert last_code()


@pytest.mark.django_db
def test_one_account_asked_for_too_often_leaves_other_accounts_alone(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SIGN_IN_MAX_CODES_PER_ACCOUNT = 2
    make_user(email="amina@example.org")
    make_user(email="bob@example.org")
    for n in range(3):
        ask_code(
            behind_proxy(f"203.0.113.{n + 1}"),
            "amina@example.org",
            django_capture_on_commit_callbacks,
        )
    bob = behind_proxy("198.51.100.4")
    assert ask_code(bob, "bob@example.org", django_capture_on_commit_callbacks).status_code == 302
