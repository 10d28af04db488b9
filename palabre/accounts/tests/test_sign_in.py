from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palabre.accounts.models import Role, User
from palabre.accounts.tests.factories import PASSWORD, make_user
from palabre.core.testing import sent_mail

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign_in")
REQUEST_CODE = reverse("accounts:request_code")
ENTER_CODE = reverse("accounts:enter_code")


@pytest.fixture(autouse=True)
def start_of_a_window() -> Iterator[None]:
    """Start each test at the beginning of every limit's window (they are fixed windows), so
    that no boundary falls between the tries a test counts."""
    with time_machine.travel(datetime(2027, 3, 2, 9, 0, tzinfo=UTC), tick=True):
        yield


def signed_in_user(client: Client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


@pytest.fixture
def ask_code(client: Client, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Post the code request form and run what the action sends after commit."""

    def ask(email: str, *, as_client: Client | None = None, follow: bool = False) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            response = (as_client or client).post(REQUEST_CODE, {"email": email}, follow=follow)
        return response

    return ask


def sent_code() -> str:
    match = re.search(r"\b(\d{6})\b", str(sent_mail()[-1].body))
    assert match, sent_mail()[-1].body
    return match.group(1)


def test_a_resident_signs_in_with_email_and_password(client: Client) -> None:
    user = make_user(email="amina@example.org")
    response = client.post(SIGN_IN, {"email": "Amina@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home:index")
    assert signed_in_user(client) == user.pk


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client: Client) -> None:
    make_user(email="amina@example.org")
    wrong = client.post(SIGN_IN, {"email": "amina@example.org", "password": "nope"})
    unknown = client.post(SIGN_IN, {"email": "nobody@example.org", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 200
    message = "Cette adresse e-mail et ce mot de passe ne correspondent à aucun compte."
    assert message in wrong.text
    assert message in unknown.text
    assert signed_in_user(client) is None


def test_repeated_failures_slow_down_even_the_right_password(client: Client) -> None:
    make_user(email="amina@example.org")
    for _ in range(5):
        client.post(SIGN_IN, {"email": "amina@example.org", "password": "guess"})
    response = client.post(SIGN_IN, {"email": "amina@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.text
    assert signed_in_user(client) is None
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post(SIGN_IN, {"email": "amina@example.org", "password": PASSWORD})
        assert response.status_code == 302


def test_the_next_page_is_followed_only_on_this_site(client: Client) -> None:
    make_user(email="amina@example.org")
    response = client.post(
        SIGN_IN,
        {"email": "amina@example.org", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home:index")
    client.logout()
    response = client.post(
        SIGN_IN, {"email": "amina@example.org", "password": PASSWORD, "next": "/compte/"}
    )
    assert response["Location"] == "/compte/"


def test_a_resident_signs_in_with_a_code_sent_by_email(
    client: Client, ask_code: Callable[..., Any]
) -> None:
    user = make_user(email="amina@example.org", password=None)
    response = ask_code("amina@example.org")
    assert response.status_code == 302
    assert response["Location"] == ENTER_CODE
    assert len(sent_mail()) == 1
    assert sent_mail()[0].to == ["amina@example.org"]
    code = sent_code()
    assert code in str(sent_mail()[0].body)
    assert code not in sent_mail()[0].subject  # lock screens show subjects
    # The address is remembered for the next page.
    assert 'value="amina@example.org"' in client.get(ENTER_CODE).text
    response = client.post(ENTER_CODE, {"email": "amina@example.org", "code": code})
    assert response.status_code == 302
    assert signed_in_user(client) == user.pk


def test_a_code_works_once(client: Client, ask_code: Callable[..., Any]) -> None:
    make_user(email="amina@example.org")
    ask_code("amina@example.org")
    code = sent_code()
    assert client.post(ENTER_CODE, {"email": "amina@example.org", "code": code}).status_code == 302
    other = Client()
    response = other.post(ENTER_CODE, {"email": "amina@example.org", "code": code})
    assert "Ce code est faux ou il a expiré." in response.text
    assert signed_in_user(other) is None


def test_a_new_code_replaces_the_previous_one(client: Client, ask_code: Callable[..., Any]) -> None:
    make_user(email="amina@example.org")
    ask_code("amina@example.org")
    first = sent_code()
    ask_code("amina@example.org")
    second = sent_code()
    if first != second:
        response = client.post(ENTER_CODE, {"email": "amina@example.org", "code": first})
        assert signed_in_user(client) is None, response.text
    assert (
        client.post(ENTER_CODE, {"email": "amina@example.org", "code": second}).status_code == 302
    )


def test_an_expired_code_is_refused(client: Client, ask_code: Callable[..., Any]) -> None:
    make_user(email="amina@example.org")
    ask_code("amina@example.org")
    code = sent_code()
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post(ENTER_CODE, {"email": "amina@example.org", "code": code})
    assert "Ce code est faux ou il a expiré." in response.text
    assert signed_in_user(client) is None


def test_asking_a_code_for_an_unknown_address_reveals_nothing(
    client: Client, ask_code: Callable[..., Any]
) -> None:
    make_user(email="amina@example.org")
    known = ask_code("amina@example.org", follow=True)
    unknown = ask_code("nobody@example.org", as_client=Client(), follow=True)
    assert len(sent_mail()) == 1
    assert known.redirect_chain == unknown.redirect_chain
    notice = "Si un compte utilise cette adresse, un code est en route."
    assert notice in known.text
    assert notice in unknown.text


def test_wrong_codes_are_refused_without_revealing_the_address_and_are_slowed_down(
    client: Client, ask_code: Callable[..., Any]
) -> None:
    make_user(email="amina@example.org")
    ask_code("amina@example.org")
    code = sent_code()
    wrong = "000000" if code != "000000" else "111111"
    for email in ("amina@example.org", "nobody@example.org"):
        response = client.post(ENTER_CODE, {"email": email, "code": wrong})
        assert "Ce code est faux ou il a expiré." in response.text
    for _ in range(4):
        client.post(ENTER_CODE, {"email": "amina@example.org", "code": wrong})
    response = client.post(ENTER_CODE, {"email": "amina@example.org", "code": code})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.text
    assert signed_in_user(client) is None


def test_a_code_that_is_not_six_digits_is_explained(client: Client) -> None:
    response = client.post(ENTER_CODE, {"email": "amina@example.org", "code": "12ab"})
    assert "Le code est composé de six chiffres." in response.text


def test_signing_out_needs_a_post(client: Client) -> None:
    user = make_user()
    client.force_login(user)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    assert signed_in_user(client) == user.pk
    client.post(reverse("accounts:sign_out"))
    assert signed_in_user(client) is None


def test_an_inactive_account_cannot_sign_in(client: Client, ask_code: Callable[..., Any]) -> None:
    make_user(email="amina@example.org", is_active=False)
    client.post(SIGN_IN, {"email": "amina@example.org", "password": PASSWORD})
    ask_code("amina@example.org")
    assert signed_in_user(client) is None
    assert sent_mail() == []


def test_a_partner_without_an_organisation_is_refused_by_the_database() -> None:
    with pytest.raises(IntegrityError):
        User.objects.create(email="p@example.org", display_name="P", role=Role.PARTNER)


def test_two_accounts_cannot_share_an_address_whatever_its_case() -> None:
    User.objects.create(email="amina@example.org", display_name="A")
    with pytest.raises(IntegrityError):
        User.objects.create(email="AMINA@example.org", display_name="B")


@pytest.mark.parametrize(
    ("role", "staff"),
    [
        (Role.RESIDENT, False),
        (Role.FACILITATOR, False),
        (Role.PARTNER, False),
        (Role.OFFICIAL, False),
        (Role.COORDINATOR, True),
        (Role.ADMINISTRATOR, True),
    ],
)
def test_only_coordinators_and_administrators_reach_the_back_office(
    world: object, role: Role, staff: bool
) -> None:
    user = User.objects.filter(role=role).first()
    assert user is not None
    assert user.is_staff is staff


def test_codes_stop_after_five_requests_from_one_client_so_nobody_can_flood_an_inbox(
    client: Client, ask_code: Callable[..., Any]
) -> None:
    make_user(email="amina@example.org")
    for _ in range(5):
        response = ask_code("amina@example.org")
        assert response["Location"] == ENTER_CODE
    refused = ask_code("amina@example.org")
    assert refused.status_code == 429
    assert "Beaucoup de codes ont été demandés en peu de temps." in refused.text
    assert len(sent_mail()) == 5
    # Another client (the owner at home) still gets a code.
    ask_code("amina@example.org", as_client=Client(REMOTE_ADDR="198.51.100.4"))
    assert len(sent_mail()) == 6
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        ask_code("amina@example.org")
        assert len(sent_mail()) == 7


def _code_for(email: str) -> str:
    from palabre.accounts import actions

    actions.send_sign_in_code(email=email)
    return sent_code()


def test_a_code_opens_only_the_account_it_was_sent_to() -> None:
    from palabre.accounts import actions

    amina = make_user(email="amina@example.org")
    bob = make_user(email="bob@example.org")
    bobs = _code_for("bob@example.org")
    aminas = _code_for("amina@example.org")
    # Someone who holds Bob's code cannot use it with Amina's address, nor guess her tries away.
    assert actions.redeem_sign_in_code(email="amina@example.org", code=bobs) is None
    assert actions.redeem_sign_in_code(email="amina@example.org", code="000000") is None
    assert actions.redeem_sign_in_code(email="bob@example.org", code=bobs) == bob
    assert actions.redeem_sign_in_code(email="AMINA@example.org ", code=aminas) == amina


def test_wrong_tries_on_one_account_leave_the_others_codes_alone() -> None:
    from django.conf import settings

    from palabre.accounts import actions

    make_user(email="amina@example.org")
    bob = make_user(email="bob@example.org")
    bobs = _code_for("bob@example.org")
    _code_for("amina@example.org")
    for _ in range(settings.SIGN_IN_CODE_MAX_TRIES):
        actions.redeem_sign_in_code(email="amina@example.org", code="000000")
    assert actions.redeem_sign_in_code(email="bob@example.org", code=bobs) == bob


def test_a_code_sent_before_the_account_was_closed_no_longer_opens_it() -> None:
    from palabre.accounts import actions

    closed = make_user(email="amina@example.org")
    code = _code_for("amina@example.org")
    User.objects.filter(pk=closed.pk).update(is_active=False)
    assert actions.redeem_sign_in_code(email="amina@example.org", code=code) is None


def test_the_code_comes_in_the_language_of_the_account() -> None:
    from palabre.accounts import actions

    make_user(email="jan@example.org", preferred_language="nl")
    actions.send_sign_in_code(email="jan@example.org")
    assert sent_mail()[-1].subject == "Uw aanmeldcode voor Palabre"
    # Asked from a French page: the signature too is in the account's language.
    body = sent_mail()[-1].body
    assert "van 9 tot 12 uur" in body
    assert "de 9 h à 12 h" not in body
