"""A busy board a page at a time, and a search within its neighbourhood (issue 16, item 7)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from palabre.contributions.models import Moderation
from palabre.contributions.tests.factories import make_board, make_post
from palabre.core.testing import World

pytestmark = pytest.mark.django_db


def _board(world: World, **params: str) -> str:
    url = reverse("contributions:board", args=[world.home.slug])
    return html.unescape(Client().get(url, params).text)


def test_a_busy_board_shows_twenty_contributions_a_page_newest_first(world: World) -> None:
    for n in range(45):
        make_post(world.home, f"Contribution numéro {n:02d}.", moderation=Moderation.POST)
    first = _board(world)
    assert "45 contributions" in first
    assert "Page 1 sur 3, les plus récentes d'abord." in first
    assert "Contribution numéro 44." in first
    assert "Contribution numéro 24." not in first
    assert "Contributions plus anciennes" in first
    last = _board(world, page="3")
    assert "Contribution numéro 04." in last
    assert "Contribution numéro 00." in last
    assert "Contributions plus récentes" in last
    assert "Contributions plus anciennes" not in last
    # A page number made up or too far shows the last page, never an error.
    assert "Contribution numéro 00." in _board(world, page="99")
    assert "Contribution numéro 44." in _board(world, page="abc")


def test_the_board_reads_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        make_post(world.home, f"Texte {n}.", moderation=Moderation.POST)
    with django_assert_max_num_queries(14):
        Client().get(reverse("contributions:board", args=[world.home.slug]))


def test_the_board_s_search_looks_in_its_neighbourhood_and_offers_everywhere(
    world: World,
) -> None:
    make_post(world.home, "Les poubelles débordent rue de Bomel.", moderation=Moderation.POST)
    make_post(world.elsewhere, "Des poubelles place de Jambes.", moderation=Moderation.POST)
    assert 'name="quartier" value="bomel"' in _board(world)
    url = reverse("contributions:search")
    here = html.unescape(Client().get(url, {"q": "poubelle", "quartier": "bomel"}).text)
    assert "1 contribution trouvée" in here
    assert "À Bomel uniquement." in here
    assert "Chercher dans tous les quartiers" in here
    everywhere = html.unescape(Client().get(url, {"q": "poubelle"}).text)
    assert "2 contributions trouvées" in everywhere
    # A neighbourhood one may not see is no filter at all, and says nothing.
    hidden = html.unescape(Client().get(url, {"q": "poubelle", "quartier": "vedrin"}).text)
    assert "2 contributions trouvées" in hidden
    assert "Vedrin" not in hidden


@pytest.mark.parametrize(
    ("moderation", "said", "not_said"),
    [
        (
            Moderation.POST,
            "Ce qui est écrit ici s'affiche tout de suite\u00a0; une personne de la modération "
            "le relit ensuite.",
            "relit tout avant publication",
        ),
        (Moderation.PRE, "Une personne de la modération relit tout avant publication.", "ensuite"),
    ],
)
def test_the_board_says_when_a_moderator_reads_what_is_written(
    world: World, moderation: str, said: str, not_said: str
) -> None:
    make_board(world.home, moderation=moderation)
    page = _board(world)
    assert said in page
    assert not_said not in page
