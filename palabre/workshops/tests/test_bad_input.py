"""Texts of megabytes on the workshops' forms are refused with their length, never stored and
served (security finding L5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.workshops import actions
from palabre.workshops.forms import SessionAdminForm, WorkshopAdminForm
from palabre.workshops.models import Minutes, Status, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world: World) -> Workshop:
    workshop = make_hosted_workshop(world, status=Status.HELD, days_from_now=-2)
    actions.draft_minutes(by=None, workshop=workshop)
    return workshop


def post_minutes(world: World, workshop: Workshop, **fields: str) -> str:
    client = Client()
    client.force_login(world.person("facilitator"))
    data = {"version": "1", "introduction": "", "decisions": "", "next_steps": ""}
    data |= {f"notes_{i}": "" for i in range(len(workshop.guiding_questions))} | fields
    response = client.post(reverse("workshops:edit_minutes", args=[workshop.pk]), data)
    assert response.status_code in (200, 400)
    return response.text


def test_minutes_of_megabytes_are_refused_with_their_length(held: Workshop, world: World) -> None:
    page = post_minutes(world, held, decisions="A" * 2_400_000)
    assert "10000 caractères au plus (ce texte en a 2400000)" in page
    assert Minutes.objects.get(workshop=held).decisions == ""


@pytest.mark.parametrize("form", [WorkshopAdminForm, SessionAdminForm])
def test_the_back_office_refuses_a_description_of_megabytes(form: Any) -> None:
    description = form.base_fields["description"]
    with pytest.raises(ValidationError, match="5000 caractères au plus"):
        description.clean("A" * 2_400_000)


def test_a_check_in_for_a_registration_that_is_not_a_number_is_a_404(world: World) -> None:
    workshop = make_hosted_workshop(world)
    client = Client()
    client.force_login(world.person("facilitator"))
    url = reverse("workshops:check_in", args=[workshop.pk])
    for value in ("abc", "99999999999999999999999", "-1", ""):
        assert client.post(url, {"registration": value, "present": "yes"}).status_code == 404
