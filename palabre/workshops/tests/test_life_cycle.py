"""A safe life cycle (issue 14, item 2): "held" on or after the day, confirmed, undone the same
day; invitations printed before the announcement warn, and their QR code never leads to a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.workshops import actions
from palabre.workshops.models import InvitationBatch, Status, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


def _coordinator(world: World) -> Client:
    client = Client()
    client.force_login(world.person("coordinator"))
    return client


def test_a_workshop_is_held_on_its_day_or_after_never_before(world: World) -> None:
    workshop = make_hosted_workshop(world, days_from_now=2)
    coordinator = world.person("coordinator")
    with pytest.raises(actions.WorkshopError, match="pas avant le"):
        actions.mark_held(by=coordinator, workshop=workshop)
    assert Workshop.objects.get(pk=workshop.pk).status == Status.ANNOUNCED
    assert workshop.starts_at is not None
    with time_machine.travel(workshop.starts_at - timedelta(hours=10)):  # that morning
        held = actions.mark_held(by=coordinator, workshop=workshop)
    assert held.status == Status.HELD
    assert held.held_at is not None


def test_held_is_undone_the_same_day_only(world: World) -> None:
    workshop = make_hosted_workshop(world, days_from_now=0)
    coordinator = world.person("coordinator")
    actions.mark_held(by=coordinator, workshop=workshop)
    undone = actions.undo_held(by=coordinator, workshop=workshop)
    assert (undone.status, undone.held_at) == (Status.ANNOUNCED, None)
    with pytest.raises(actions.WorkshopError):  # not held any more: nothing to undo
        actions.undo_held(by=coordinator, workshop=workshop)
    actions.mark_held(by=coordinator, workshop=workshop)
    with (
        time_machine.travel(timedelta(days=1)),
        pytest.raises(actions.WorkshopError, match="le jour même"),
    ):
        actions.undo_held(by=coordinator, workshop=workshop)
    assert Workshop.objects.get(pk=workshop.pk).status == Status.HELD


def test_the_page_asks_to_confirm_then_offers_the_undo(world: World) -> None:
    workshop = make_hosted_workshop(world, days_from_now=0)
    client = _coordinator(world)
    url = reverse("workshops:change_status", args=[workshop.pk])

    asked = client.post(url, {"status": "held"})

    assert "Cet atelier a-t-il eu lieu\u00a0?" in asked.text
    assert Workshop.objects.get(pk=workshop.pk).status == Status.ANNOUNCED
    done = client.post(url, {"status": "held", "confirm": "yes"}, follow=True)
    assert "Vous pouvez l&#x27;annuler jusqu&#x27;à minuit" in done.text
    assert "Annuler\u00a0: pas tenu" in done.text
    assert Workshop.objects.get(pk=workshop.pk).status == Status.HELD
    undone = client.post(url, {"status": "undo_held"}, follow=True)
    assert "est de nouveau annoncé" in undone.text
    assert Workshop.objects.get(pk=workshop.pk).status == Status.ANNOUNCED


def test_the_page_refuses_held_before_the_day_with_the_date(world: World) -> None:
    workshop = make_hosted_workshop(world, days_from_now=3)
    page = _coordinator(world).post(
        reverse("workshops:change_status", args=[workshop.pk]),
        {"status": "held", "confirm": "yes"},
        follow=True,
    )
    assert "Un atelier est enregistré comme tenu le jour même ou après" in page.text
    assert Workshop.objects.get(pk=workshop.pk).status == Status.ANNOUNCED


def test_printing_before_the_announcement_asks_to_acknowledge_the_warning(world: World) -> None:
    workshop = make_hosted_workshop(world, status=Status.PLANNED)
    client = _coordinator(world)
    url = reverse("workshops:invitations", args=[workshop.pk])
    assert "Cet atelier n'est pas encore annoncé." in client.get(url).text
    form = {
        "label": "Boîtes rue Haute",
        "print_format": "a5",
        "copies": "50",
        "language": "fr",
    }

    refused = client.post(url, form)

    assert "Cochez la case pour imprimer avant l" in refused.text
    assert 'value="Boîtes rue Haute"' in refused.text  # what was typed stays
    assert not InvitationBatch.objects.exists()
    assert client.post(url, form | {"before_announcement": "on"}).status_code == 302
    assert InvitationBatch.objects.get().label == "Boîtes rue Haute"


def test_an_announced_workshop_prints_without_the_warning(world: World) -> None:
    workshop = make_hosted_workshop(world)
    page = _coordinator(world).get(reverse("workshops:invitations", args=[workshop.pk])).text
    assert "pas encore annoncé" not in page
    assert "before_announcement" not in page


def test_the_qr_code_of_a_workshop_not_announced_says_when_it_is(world: World) -> None:
    workshop = make_hosted_workshop(world, status=Status.PLANNED, title="Fête de Bomel")
    batch = actions.prepare_invitations(
        by=None, workshop=workshop, label="Tracts", print_format="a5", copies=1, language="fr"
    )
    url = reverse("invitation_link", args=[batch.code])

    page = Client().get(url)

    assert page.status_code == 200
    assert "Fête de Bomel" in page.text
    assert "pas encore annoncé" in page.text
    assert "Il est prévu le" in page.text
    assert "18:30" in page.text or "18 h 30" in page.text
    actions.announce_workshop(by=world.person("coordinator"), workshop=workshop)
    announced = Client().get(url)
    assert announced.status_code == 302
    assert announced["Location"].endswith(f"?via={batch.code}")
