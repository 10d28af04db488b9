"""Accounts changed in the back-office go through `save_user` (the mutation run found no test)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from palabre.accounts import actions
from palabre.accounts.models import Role, User
from palabre.core.testing import World

pytestmark = pytest.mark.django_db


def test_an_administrator_opens_an_account_that_signs_in_with_a_code(world: World) -> None:
    client = Client()
    client.force_login(world.person("administrator"))
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "  Nouvelle.Agente@Example.org ",
            "display_name": "Nadia",
            "role": Role.FACILITATOR,
            "preferred_language": "fr",
            "is_active": "on",
            "date_joined_0": "2026-12-05",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.text[:3000]
    made = User.objects.get(display_name="Nadia")
    assert made.email == "nouvelle.agente@example.org"
    assert not made.has_usable_password()


def test_only_administrators_save_accounts_and_bad_data_is_refused(world: World) -> None:
    someone = User.objects.get(pk=world.person("resident").pk)
    someone.role = Role.ADMINISTRATOR
    for persona in ("coordinator", "facilitator", "resident"):
        with pytest.raises(PermissionDenied):
            actions.save_user(by=world.person(persona), user=someone)
    assert User.objects.get(pk=someone.pk).role == Role.RESIDENT
    someone.email = "not an address"
    with pytest.raises(ValidationError):
        actions.save_user(by=world.person("administrator"), user=someone)
    kept = User(email="Kept@Example.org", display_name="K", role=Role.RESIDENT)
    kept.set_password("a long and good password 42")
    actions.save_user(by=world.person("administrator"), user=kept)
    assert kept.has_usable_password()  # a password given is kept


def test_only_administrators_open_staff_accounts_and_anyone_a_residents() -> None:
    from palabre.accounts.tests.factories import make_user

    coordinator = make_user(email="c@example.org", role=Role.COORDINATOR)
    administrator = make_user(email="a@example.org", role=Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        actions.create_user(
            by=coordinator, email="f@example.org", display_name="F", role=Role.FACILITATOR
        )
    made = actions.create_user(
        by=administrator,
        email="f@example.org",
        display_name="Fanny",
        role=Role.FACILITATOR,
        password="a long and good password 42",
    )
    assert (made.display_name, made.role) == ("Fanny", Role.FACILITATOR)
    assert made.check_password("a long and good password 42")
    resident = actions.create_user(by=coordinator, email="r@example.org", display_name="R")
    assert resident.role == Role.RESIDENT


def test_only_administrators_change_an_officials_portfolio(world: World) -> None:
    from palabre.accounts.models import Competence

    official = world.person("official")
    competence = Competence.objects.get(slug="mobilite")
    for persona in ("coordinator", "official", "resident"):
        with pytest.raises(PermissionDenied):
            actions.set_portfolio(
                by=world.person(persona), official=official, competences=[competence]
            )
    assert not official.portfolio.exists()
    actions.set_portfolio(
        by=world.person("administrator"), official=official, competences=[competence]
    )
    assert list(official.portfolio.all()) == [competence]
