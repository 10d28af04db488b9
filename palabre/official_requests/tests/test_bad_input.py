"""Mistyped or hostile input on the requests' pages gets a sentence, never a server error: keys
in links, numbers too large for the database, dates in year 1, texts of megabytes (security
findings L2 and L5)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.official_requests.models import Event, Request, Status
from palabre.official_requests.tests.factories import make_request

pytestmark = pytest.mark.django_db

DRAFT = reverse("official_requests:draft")
HUGE = "99999999999999999999"


def signed_in(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.person(persona))
    return client


@pytest.mark.parametrize("value", ["abc", HUGE, "", "-3", "1e3"])
def test_a_mistyped_contribution_in_the_link_offers_an_empty_draft(
    world: World, value: str
) -> None:
    response = signed_in(world, "coordinator").get(DRAFT, {"contribution": value})
    assert response.status_code == 200


def draft_data(world: World, **more: str) -> dict[str, str]:
    return {"neighbourhood": str(world.home.pk), "title": "Un banc", "asked": "Un banc."} | more


def test_a_number_of_residents_too_large_is_refused_with_a_sentence(world: World) -> None:
    response = signed_in(world, "coordinator").post(
        DRAFT, draft_data(world, residents_present=HUGE)
    )
    assert response.status_code == 200
    assert "inférieure ou égale à 32767" in response.text
    assert not Request.objects.exists()


def test_a_contribution_key_too_large_is_refused_with_a_sentence(world: World) -> None:
    response = signed_in(world, "coordinator").post(DRAFT, draft_data(world, contributions=HUGE))
    assert response.status_code == 200
    assert f"«\u00a0{HUGE}\u00a0» n\u2019est pas une valeur correcte." in response.text
    assert not Request.objects.exists()


def test_a_request_text_of_megabytes_is_refused_with_its_length(world: World) -> None:
    response = signed_in(world, "coordinator").post(DRAFT, draft_data(world, asked="A" * 2_400_000))
    assert response.status_code == 200
    assert "5000 caractères au plus (ce texte en a 2400000)" in response.text
    assert not Request.objects.exists()


@pytest.mark.parametrize(
    ("step", "field"), [("note", "note"), ("question", "question"), ("answer", "text")]
)
def test_a_note_question_or_answer_of_megabytes_is_refused(
    world: World, step: str, field: str
) -> None:
    item = make_request(world, sent=True)
    before = Event.objects.count()
    page = (
        signed_in(world, "official")
        .post(
            reverse("official_requests:act", args=[item.pk]),
            {"step": step, field: "A" * 2_400_000, "kind": "accepted", "version": "1"},
            follow=True,
        )
        .text
    )
    assert "caractères au plus (ce texte en a 2400000)" in page
    assert Event.objects.count() == before
    assert Request.objects.get(pk=item.pk).status == Status.SENT


def test_a_planned_answer_in_year_1_is_refused_with_a_sentence(world: World) -> None:
    item = make_request(world, sent=True)
    page = (
        signed_in(world, "official")
        .post(
            reverse("official_requests:act", args=[item.pk]),
            {
                "step": "answer",
                "kind": "planned",
                "text": "Prévu.",
                "version": "1",
                "planned_for": "0001-01-01",
            },
            follow=True,
        )
        .text
    )
    assert "Donnez une date entre 2000 et 2100." in page
    assert Request.objects.get(pk=item.pk).status == Status.SENT


@pytest.mark.parametrize("into", ["abc", HUGE, ""])
def test_merging_into_a_mistyped_request_asks_to_choose_one(world: World, into: str) -> None:
    item = make_request(world, sent=True)
    page = (
        signed_in(world, "coordinator")
        .post(
            reverse("official_requests:act", args=[item.pk]),
            {"step": "merge", "into": into},
            follow=True,
        )
        .text
    )
    assert "Choisissez la demande" in page
    assert Request.objects.get(pk=item.pk).merged_into_id is None
