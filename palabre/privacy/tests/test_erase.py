"""Erasing an account: contacts removed everywhere, what was said kept without a name."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.contributions import actions as contribution_actions
from palabre.contributions.models import Board, Contribution
from palabre.core.testing import World
from palabre.initiatives import actions as initiative_actions
from palabre.initiatives.models import Volunteer
from palabre.initiatives.tests.factories import STREET_PARTY
from palabre.links.models import AccessLink
from palabre.privacy import actions
from palabre.workshops import actions as workshop_actions
from palabre.workshops.models import Registration
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


def test_a_resident_erases_their_account_and_what_they_said_stays_without_their_name(
    world: World,
) -> None:
    resident = world.person("resident")
    workshop = make_hosted_workshop(world)
    registration = workshop_actions.register(
        workshop=workshop, by=resident, name="Youssef", phone="0470 11 22 33"
    ).registration
    coordinator = world.person("coordinator")
    playbook = initiative_actions.import_playbook(by=coordinator, text=STREET_PARTY)
    action = initiative_actions.start_initiative(
        by=coordinator, neighbourhood=world.home, playbook=playbook, title="Fête"
    )
    initiative_actions.sign_up(by=resident, initiative=action)
    board = Board.objects.create(neighbourhood=world.home, is_open=True, prompt="Et vous ?")
    contribution_actions.post_on_board(
        by=resident, board=board, text="Plus de bancs.", key="k1", author_name="Youssef B."
    )
    client = Client()
    client.force_login(resident)
    page = client.get(reverse("privacy:erase"))
    assert page.status_code == 200
    # Without the box ticked, nothing happens and the page says why.
    refused = client.post(reverse("privacy:erase"), {})
    assert "Cochez la case pour confirmer." in refused.text
    resident.refresh_from_db()
    assert resident.is_active
    done = client.post(reverse("privacy:erase"), {"confirm": "on"})
    assert done.status_code == 302
    resident.refresh_from_db()
    assert not resident.is_active
    assert "resident@example.org" not in resident.email
    registration.refresh_from_db()
    assert (registration.user, registration.email, registration.phone) == (None, "", "")
    assert registration.name == "Anonyme"
    assert registration.link is not None
    link = AccessLink.objects.get(pk=registration.link.pk)
    assert link.revoked_at is not None
    assert link.email == ""
    volunteer = Volunteer.objects.get()
    assert (volunteer.user, volunteer.email) == (None, "")
    said = Contribution.objects.get()
    assert said.text == "Plus de bancs."
    assert (said.author, said.author_name) == (None, "")
    # Signed out; the address can open a new account later.
    assert client.get(reverse("accounts:account")).status_code == 302
    assert Registration.objects.count() == 1


def test_nobody_erases_someone_else_and_staff_accounts_are_closed_by_the_administrator(
    world: World,
) -> None:
    resident = world.person("resident")
    with pytest.raises(PermissionDenied):
        actions.erase_account(by=world.person("neighbour"), user=resident)
    with pytest.raises(PermissionDenied):
        actions.erase_account(by=None, user=resident)
    facilitator = world.person("facilitator")
    with pytest.raises(PermissionDenied):
        actions.erase_account(by=facilitator, user=facilitator)
    client = Client()
    client.force_login(facilitator)
    client.post(reverse("privacy:erase"), {"confirm": "on"})
    facilitator.refresh_from_db()
    assert facilitator.is_active
