"""A facilitator acts on the workshops they run, not on every workshop: each action is called
directly by a facilitator of another workshop, and by a former facilitator whose account is no
longer a facilitator's (the mutation run found no test told them apart)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.accounts.models import Role
from palabre.accounts.tests.factories import make_user
from palabre.core.testing import World
from palabre.workshops import actions
from palabre.workshops.models import Registration, Status, Workshop
from palabre.workshops.permissions import (
    can_check_in,
    can_print_invitations,
    can_view_registrations,
    can_write_minutes,
)
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


def _outsiders(world: World, workshop: Workshop) -> dict[str, Any]:
    elsewhere = make_user(email="autre-mediateur@example.org", role=Role.FACILITATOR)
    make_hosted_workshop(world).facilitators.set([elsewhere])  # runs another workshop
    former = make_user(email="ancien-mediateur@example.org", role=Role.RESIDENT)
    workshop.facilitators.add(former)  # still listed, no longer a facilitator
    return {"facilitator elsewhere": elsewhere, "former facilitator": former}


WRITES: dict[str, Callable[[Any, Workshop, Registration], Any]] = {
    "check in": lambda by, w, r: actions.set_arrival(by=by, registration=r, present=True),
    "add a walk-in": lambda by, w, r: actions.add_walk_in(
        by=by, workshop=w, name="X", key="k" * 20
    ),
    "print invitations": lambda by, w, r: actions.prepare_invitations(
        by=by, workshop=w, label="Tracts", print_format="a5", copies=10, language="fr"
    ),
    "download invitations": lambda by, w, r: actions.invitations_pdf(
        by=by,
        batch=actions.prepare_invitations(
            by=None, workshop=w, label="Tracts", print_format="a5", copies=1, language="fr"
        ),
    ),
    "write the minutes": lambda by, w, r: actions.draft_minutes(by=by, workshop=w),
    "enter the sign-in sheet": lambda by, w, r: actions.record_sign_in_sheet(
        by=by, workshop=w, lines=[], newcomers=[]
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_only_the_workshops_facilitators_act_on_it(world: World, write: str) -> None:
    # Invitations are printed before the workshop, minutes written after it.
    before = write in ("print invitations", "download invitations")
    workshop = make_hosted_workshop(
        world,
        status=Status.ANNOUNCED if before else Status.HELD,
        days_from_now=3 if before else -1,
    )
    registration = Registration.objects.create(workshop=workshop, name="Amina", status="confirmed")
    for who, person in _outsiders(world, workshop).items():
        with pytest.raises(PermissionDenied):
            WRITES[write](person, workshop, registration)
        assert not can_check_in(person, workshop), who
    # Its own facilitator may.
    WRITES[write](world.person("facilitator"), workshop, registration)


def test_a_facilitator_of_another_workshop_sees_none_of_its_people(world: World) -> None:
    workshop = make_hosted_workshop(world)
    Registration.objects.create(workshop=workshop, name="Amina", status="confirmed")
    for person in _outsiders(world, workshop).values():
        for may in (can_view_registrations, can_print_invitations, can_write_minutes):
            assert not may(person, workshop)
        client = Client()
        client.force_login(person)
        for name in ("workshops:registrations", "workshops:check_in", "workshops:invitations"):
            assert client.get(reverse(name, args=[workshop.pk])).status_code in (403, 404)
    mine = Client()
    mine.force_login(world.person("facilitator"))
    assert mine.get(reverse("workshops:registrations", args=[workshop.pk])).status_code == 200
