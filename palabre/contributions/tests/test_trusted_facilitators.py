"""A coordinator who trusts a neighbourhood's facilitators has what they note at its workshops
published at once, still masked (issue 17, item 3); everything else keeps the moderation."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from palabre.contributions import actions
from palabre.contributions.models import Board, Moderation, Status
from palabre.contributions.tests.factories import make_board
from palabre.core.testing import World
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


def _note(world: World, persona: str, key: str) -> actions.Captured:
    workshop = make_hosted_workshop(world, guiding_questions=["Ce qui manque ?"])
    return actions.capture(
        by=world.person(persona),
        workshop=workshop,
        question=0,
        text="Un banc, appelez Marc au 0470 12 34 56",
        key=key,
    )


def test_trusted_facilitators_notes_are_published_at_once_and_still_masked(
    world: World,
) -> None:
    make_board(world.home, moderation=Moderation.PRE)
    assert _note(world, "facilitator", "a" * 20).contribution.status == Status.PENDING
    Board.objects.filter(neighbourhood=world.home).update(trust_facilitators=True)
    trusted = _note(world, "facilitator", "b" * 20).contribution
    assert trusted.status == Status.PUBLISHED
    board = Client().get(reverse("contributions:board", args=[world.home.slug])).text
    assert "Un banc" in board
    assert "0470" not in board
    # The service's own notes, and paper notes, follow the moderation.
    assert _note(world, "coordinator", "c" * 20).contribution.status == Status.PENDING


def test_the_coordinator_trusts_facilitators_on_the_board_settings_page(world: World) -> None:
    client = Client()
    client.force_login(world.person("coordinator"))
    url = reverse("contributions:board_settings", args=[world.home.slug])
    page = client.get(url).text
    assert "Ce que notent les animateurs en atelier" in page
    response = client.post(
        url,
        {"state": "closed", "moderation": "pre", "trust_facilitators": "yes", "language": "fr"},
    )
    assert response.status_code == 302
    assert Board.objects.get(neighbourhood=world.home).trust_facilitators is True
    checked = re.search(r'name="trust_facilitators" value="yes"[^>]*checked', client.get(url).text)
    assert checked is not None
