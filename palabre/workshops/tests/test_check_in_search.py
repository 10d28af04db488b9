"""Finding a name at the check-in screen (issue 17, item 6; ADR 0064): accents, case and one
typing mistake aside, best match first, the same on SQLite and PostgreSQL.

Run on PostgreSQL too: PALABRE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from palabre.core.names import one_mistake_apart
from palabre.core.testing import World
from palabre.workshops import actions
from palabre.workshops.models import Registration, RegistrationStatus, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db

NOBODY = "Personne de ce nom\u00a0: ajoutez la personne ci-dessous."
ONLY_CLOSE = "Aucun nom ne s'écrit exactement comme cela. Vérifiez ces noms proches\u00a0:"
_NAME = re.compile(r'<span class="arrival__name">([^<]*)')


@pytest.fixture
def workshop(world: World) -> Workshop:
    return make_hosted_workshop(world, capacity=500)


@pytest.fixture
def facilitator(world: World) -> Client:
    client = Client()
    client.force_login(world.person("facilitator"))
    return client


def sign_up(workshop: Workshop, *names: str) -> list[Registration]:
    return [actions.register(workshop=workshop, by=None, name=name).registration for name in names]


def page(client: Client, workshop: Workshop, search: str) -> str:
    response = client.get(reverse("workshops:check_in", args=[workshop.pk]), {"q": search})
    assert response.status_code == 200
    return response.content.decode()


def found(client: Client, workshop: Workshop, search: str) -> list[str]:
    """The names the check-in screen lists for `search`, in the order it lists them."""
    return [html.unescape(name).strip() for name in _NAME.findall(page(client, workshop, search))]


@pytest.mark.parametrize(
    ("search", "name"),
    [
        ("leila", "Leïla"),
        ("LEILA", "Leïla"),
        ("Leïla", "Leila"),
        ("LEÏLA", "leïla"),
        ("lei", "Leïla"),
        ("francois", "François Lefèvre"),
        ("LEFEVRE", "François Lefèvre"),
        ("Noemie", "Noémie"),
        ("zoe", "ZOË"),
        ("lukasz", "Łukasz"),
        ("Soren", "Søren"),
        ("Strasse", "Anna Straße"),
    ],
)
def test_accents_and_case_never_matter(
    workshop: Workshop, facilitator: Client, search: str, name: str
) -> None:
    sign_up(workshop, name, "Marc")
    assert found(facilitator, workshop, search) == [name]


@pytest.mark.parametrize(
    ("search", "name"),
    [
        ("Dupond", "Jean Dupont"),  # one letter wrong
        ("Mohamed", "Mohammed Benali"),  # one letter missing
        ("Duppont", "Jean Dupont"),  # one letter too many
        ("Lelia", "Leïla"),  # two neighbours swapped, and no accent
        ("benail", "Mohammed Benali"),
        ("Jaen-Marc", "Jean-Marc Lejeune"),
        ("jean dupond", "Jean Dupont"),
        ("jeanpiere", "Jean-Pierre Collard"),  # two words typed as one, and a letter missing
    ],
)
def test_one_typing_mistake_is_forgiven_from_four_letters(
    workshop: Workshop, facilitator: Client, search: str, name: str
) -> None:
    sign_up(workshop, name, "Marc")
    assert found(facilitator, workshop, search) == [name]


def test_two_typing_mistakes_are_too_many(workshop: Workshop, facilitator: Client) -> None:
    sign_up(workshop, "Jean Dupont", "Leïla")
    for search in ("Dupand", "Laela", "Lilea", "Dupontes"):
        assert found(facilitator, workshop, search) == []
        assert NOBODY in page(facilitator, workshop, search)


def test_short_words_are_never_corrected_but_found_as_the_start_of_a_name(
    workshop: Workshop, facilitator: Client
) -> None:
    # A mistake in a word of 2 or 3 letters is a third of it: "Eli" must not list "Ali" and
    # "Ada". Typing the first letters of a name still lists it, as any search does.
    sign_up(workshop, "Ali", "Ada", "Alice", "Paul Eliot")
    assert found(facilitator, workshop, "Eli") == ["Paul Eliot"]
    assert found(facilitator, workshop, "Ala") == []
    assert found(facilitator, workshop, "Al") == ["Ali", "Alice"]
    assert found(facilitator, workshop, "Ali") == ["Ali", "Alice"]
    assert found(facilitator, workshop, "Ary") == []


def test_the_best_match_comes_first(workshop: Workshop, facilitator: Client) -> None:
    # Registered, and in alphabetical order, the other way round from how well they match.
    sign_up(workshop, "Albert Dupond", "Bruno Ledupont", "Paul Dupontel", "Zoé Dupont", "Marc")
    assert found(facilitator, workshop, "dupont") == [
        "Zoé Dupont",  # a whole word
        "Paul Dupontel",  # the start of a word
        "Bruno Ledupont",  # inside the name
        "Albert Dupond",  # one typing mistake away
    ]
    assert ONLY_CLOSE not in page(facilitator, workshop, "dupont")


def test_the_screen_says_when_every_name_found_is_spelt_differently(
    workshop: Workshop, facilitator: Client
) -> None:
    sign_up(workshop, "Jean Dupont", "Jeanne Dupond")
    screen = page(facilitator, workshop, "Dupons")
    assert ONLY_CLOSE in screen
    assert found(facilitator, workshop, "Dupons") == ["Jean Dupont", "Jeanne Dupond"]
    assert ONLY_CLOSE not in page(facilitator, workshop, "Dupond")
    assert ONLY_CLOSE not in page(facilitator, workshop, "")


@pytest.mark.parametrize(
    "search",
    ["ndiaye", "N'Diaye", "N\u2019Diaye", "n diaye", "diaye", "NDIAYE", "Fatou Ndiaye", "ndiay"],
)
def test_apostrophes_never_matter(workshop: Workshop, facilitator: Client, search: str) -> None:
    sign_up(workshop, "Fatou N'Diaye", "Jean-Marc Lejeune", "Nadia Diallo")
    assert found(facilitator, workshop, search) == ["Fatou N'Diaye"]


@pytest.mark.parametrize(
    "search", ["jean marc", "Jean-Marc", "jeanmarc", "marc jean", "JEAN-MARC LEJEUNE", "jean-m"]
)
def test_hyphens_and_spaces_are_one(workshop: Workshop, facilitator: Client, search: str) -> None:
    sign_up(workshop, "Jean-Marc Lejeune", "Jean Dupont", "Marco")
    assert found(facilitator, workshop, search) == ["Jean-Marc Lejeune"]


def test_every_word_typed_must_be_found(workshop: Workshop, facilitator: Client) -> None:
    sign_up(workshop, "Jean Dupont", "Jean-Marc Lejeune", "Marie Dupont")
    assert found(facilitator, workshop, "jean dupont") == ["Jean Dupont"]
    assert found(facilitator, workshop, "dupont marie") == ["Marie Dupont"]
    assert found(facilitator, workshop, "jean") == ["Jean Dupont", "Jean-Marc Lejeune"]


@pytest.mark.parametrize("search", ["", "   ", "-", "'", "!?"])
def test_an_empty_search_lists_everyone_in_alphabetical_order_whatever_the_accents(
    workshop: Workshop, facilitator: Client, search: str
) -> None:
    # SQLite orders "Émile" after "Zoé" (code points); both databases give this order.
    sign_up(workshop, "Zoé", "Émile", "adam", "Eric", "Leïla", "Leila")
    assert found(facilitator, workshop, search) == [
        "adam",
        "Émile",
        "Eric",
        "Leïla",
        "Leila",
        "Zoé",
    ]
    assert NOBODY not in page(facilitator, workshop, search)


def test_names_spelt_alike_keep_the_order_they_registered_in(
    workshop: Workshop, facilitator: Client
) -> None:
    sign_up(workshop, "Leila", "LEÏLA", "Leïla")
    assert found(facilitator, workshop, "leila") == ["Leila", "LEÏLA", "Leïla"]


@pytest.mark.parametrize(
    "search",
    [
        "x" * 200,
        "é" * 200,
        "Dupont " * 30,
        "%_\\'\"<script>alert(1)</script>" * 8,
        "\u0301" * 200,  # combining accents alone
        "ﬁ𝔇𝔲𝔭𝔬𝔫𝔱" * 25,
    ],
)
def test_a_long_or_odd_search_does_not_crash(
    workshop: Workshop, facilitator: Client, search: str
) -> None:
    sign_up(workshop, "Jean Dupont")
    screen = page(facilitator, workshop, search)
    assert "<script>alert" not in screen
    assert 'value="' in screen


def test_a_long_search_is_cut_and_still_finds(workshop: Workshop, facilitator: Client) -> None:
    sign_up(workshop, "Jean Dupont")
    assert found(facilitator, workshop, "Dupont " * 30) == ["Jean Dupont"]


def test_the_search_finds_only_this_workshops_active_registrations(
    workshop: Workshop, facilitator: Client, world: World
) -> None:
    other = make_hosted_workshop(world, capacity=50)
    sign_up(other, "Leïla Benali")
    (cancelled,) = sign_up(workshop, "Leila Cancelled")
    Registration.objects.filter(pk=cancelled.pk).update(status=RegistrationStatus.CANCELLED)
    sign_up(workshop, "Leïla Mertens")
    assert found(facilitator, workshop, "leila") == ["Leïla Mertens"]


@pytest.mark.parametrize("persona", ["resident", "neighbour", "partner", "official"])
def test_who_may_not_check_people_in_cannot_search_either(
    workshop: Workshop, world: World, persona: str
) -> None:
    sign_up(workshop, "Leïla")
    client = Client()
    client.force_login(world.person(persona))
    url = reverse("workshops:check_in", args=[workshop.pk])
    assert client.get(url, {"q": "leila"}).status_code == 404
    assert Client().get(url, {"q": "leila"}).status_code in (302, 404)


def test_the_number_of_queries_depends_neither_on_the_search_nor_on_the_people(
    workshop: Workshop, facilitator: Client, django_assert_max_num_queries: Any
) -> None:
    sign_up(workshop, "Leïla", "Jean Dupont")
    url = reverse("workshops:check_in", args=[workshop.pk])
    facilitator.get(url)  # the session and the site's settings, once
    with CaptureQueriesContext(connection) as few:
        facilitator.get(url)
    sign_up(workshop, *(f"Personne {number} Dupond" for number in range(60)))
    for search in ("", "leila", "Dupond", "dupnot", "x" * 200):
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = facilitator.get(url, {"q": search})
        assert response.status_code == 200


def test_ticking_someone_found_by_a_tolerant_search_keeps_the_search(
    workshop: Workshop, facilitator: Client
) -> None:
    (leila,) = sign_up(workshop, "Leïla")
    url = reverse("workshops:check_in", args=[workshop.pk])
    response = facilitator.post(f"{url}?q=lelia", {"registration": leila.pk, "present": "yes"})
    assert response["Location"] == f"{url}?q=lelia"
    leila.refresh_from_db()
    assert leila.checked_in_at is not None
    assert found(facilitator, workshop, "lelia") == ["Leïla"]


def _reference_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, computed the textbook way."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


_LETTERS = st.text(alphabet="abcd", max_size=7)


@pytest.mark.django_db(False)
@given(typed=_LETTERS, word=_LETTERS)
def test_one_mistake_apart_agrees_with_the_textbook_edit_distance(typed: str, word: str) -> None:
    assert one_mistake_apart(typed, word) == (_reference_distance(typed, word) <= 1)


@pytest.mark.django_db(False)
@given(word=st.text(alphabet="abcdef", min_size=1, max_size=9), data=st.data())
def test_every_single_mistake_is_one_mistake_apart(word: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(word) - 1))
    letter = data.draw(st.sampled_from("abcdefg"))
    mistakes = [
        word[:at] + letter + word[at + 1 :],
        word[:at] + word[at + 1 :],
        word[:at] + letter + word[at:],
        word[:at] + word[at + 1 : at + 2] + word[at : at + 1] + word[at + 2 :],
    ]
    for typed in mistakes:
        assert one_mistake_apart(typed, word)
