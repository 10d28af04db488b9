from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from palabre.contributions import actions
from palabre.contributions.models import Moderation, Theme
from palabre.contributions.tests.factories import make_post
from palabre.core.testing import World, pdf_text
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db

CLEANLINESS = [
    "Les poubelles débordent tous les lundis rue Haute.",
    "Les poubelles de la place débordent, il faut plus de collectes.",
    "Des dépôts sauvages de poubelles près du parc.",
]
MOBILITY = ["Les voitures roulent trop vite devant l'école."]


def post_all(world: World) -> None:
    propreté, mobilité = Theme.objects.get(slug="proprete"), Theme.objects.get(slug="mobilite")
    for text in CLEANLINESS:
        make_post(world.home, text).themes.set([propreté])
    for text in MOBILITY:
        make_post(world.home, text).themes.set([mobilité])
    make_post(world.elsewhere, "Un marché le dimanche à Jambes.")


def test_the_neighbourhood_synthesis_ranks_themes_with_quotes(world: World) -> None:
    post_all(world)
    page = Client().get(reverse("contributions:neighbourhood_synthesis", args=["bomel"])).text
    assert page.index("propreté") < page.index("mobilité")
    assert "3 contributions (75 %)" in page
    assert "Les poubelles de la place débordent" in page  # a quote
    assert "Un marché le dimanche" not in page  # another neighbourhood
    assert "<svg" in page
    assert "<table" in page


def test_pending_and_masked_text_stay_out_of_the_synthesis(world: World) -> None:
    make_post(world.home, "Un texte en attente de relecture.", moderation=Moderation.PRE)
    make_post(world.home, "Appelez le 0470 12 34 56 pour les poubelles.")
    page = Client().get(reverse("contributions:neighbourhood_synthesis", args=["bomel"])).text
    assert "en attente de relecture" not in page
    assert "0470" not in page


def test_the_synthesis_reads_a_constant_number_of_queries(world: World) -> None:
    post_all(world)
    url = reverse("contributions:neighbourhood_synthesis", args=["bomel"])
    Client().get(url)
    with CaptureQueriesContext(connection) as few:
        Client().get(url)
    for number in range(30):
        make_post(world.home, f"Encore des poubelles qui débordent, remarque {number}.")
    with CaptureQueriesContext(connection) as many:
        Client().get(url)
    assert len(many) == len(few)


def test_the_workshop_synthesis_and_cycle_comparison(world: World) -> None:
    first = make_hosted_workshop(world)
    facilitator = world.person("facilitator")
    for number, text in enumerate(CLEANLINESS + MOBILITY):
        captured = actions.capture(
            by=facilitator, workshop=first, question=0, text=text, key=f"s-{number:020d}"
        ).contribution
        actions.publish(by=world.person("coordinator"), contribution=captured)
    page = Client().get(reverse("contributions:workshop_synthesis", args=[first.pk])).text
    assert "4 contributions publiées" in page
    assert first.cycle is not None
    cycle = Client().get(reverse("contributions:cycle_synthesis", args=[first.cycle.slug]))
    assert cycle.status_code == 200
    assert first.title in cycle.text


def test_the_neighbourhood_report_is_a_pdf_with_the_themes(world: World, tmp_path: object) -> None:
    post_all(world)
    response = Client().get(reverse("contributions:neighbourhood_report", args=["bomel"]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Bomel" in text
    assert "propreté" in text
    assert "poubelles" in text


def test_published_minutes_show_the_themes_of_what_was_said(world: World) -> None:
    from palabre.workshops import actions as workshop_actions
    from palabre.workshops.models import Status

    held = make_hosted_workshop(world, status=Status.HELD, days_from_now=-2)
    propreté = Theme.objects.get(slug="proprete")
    for number, text in enumerate(CLEANLINESS):
        captured = actions.capture(
            by=None, workshop=held, question=0, text=text, key=f"m-{number:020d}", themes=[propreté]
        ).contribution
        actions.publish(by=world.person("coordinator"), contribution=captured)
    minutes = workshop_actions.draft_minutes(by=None, workshop=held)
    workshop_actions.save_minutes(
        by=None,
        minutes=minutes,
        version=minutes.version,
        introduction="",
        notes=[""] * 5,
        decisions="",
        next_steps="",
        publish=True,
    )
    page = Client().get(reverse("workshops:minutes", args=[held.pk])).text
    assert "Thèmes des contributions" in page
    assert "propreté" in page
    assert any(text in page for text in CLEANLINESS)  # a quote
