"""What residents type with look-alike or invisible characters can neither leak personal data
past the masking nor turn the page around (security findings M5 and L5)."""

# Look-alike characters (full-width digits, dots and letters) are what these tests are about.
# ruff: noqa: RUF001

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from palabre.contributions import actions
from palabre.contributions.models import Contribution, Moderation, Status
from palabre.contributions.tests.factories import make_board, make_post
from palabre.core.invisible import without_invisible
from palabre.core.testing import World

BIDI_CONTROLS = [chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


# --- Invisible characters (pure) ----------------------------------------------------------


@pytest.mark.parametrize("hidden", [*BIDI_CONTROLS, *ZERO_WIDTH, "\u200e", "\u200f", "\u00ad"])
def test_bidi_controls_and_zero_width_characters_are_removed(hidden: str) -> None:
    assert without_invisible(f"Le pa{hidden}rc est {hidden}sale.") == "Le parc est sale."


@pytest.mark.parametrize(
    "control", ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85"]
)
def test_control_characters_are_removed(control: str) -> None:
    assert without_invisible(f"Plus{control} de bancs") == "Plus de bancs"


def test_tabs_and_line_breaks_stay_and_unicode_line_separators_become_line_breaks() -> None:
    assert without_invisible("Un\tdeux\r\ntrois\nquatre") == "Un\tdeux\r\ntrois\nquatre"
    assert without_invisible("Un\u2028deux\u2029trois") == "Un\ndeux\ntrois"


def test_emoji_sequences_and_flags_keep_their_joiners_and_tags() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    scotland = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", with a ZWNJ
    text = f"Fête {family} {scotland} {persian}"
    assert without_invisible(text) == text


def test_tags_smuggled_after_ordinary_text_are_removed() -> None:
    assert without_invisible("Bonjour\U000e0041\U000e0042") == "Bonjour"


def test_invisible_characters_between_digits_become_the_space_a_reader_sees() -> None:
    assert without_invisible("0470\u200b12\u206634\ufeff56") == "0470 12 34 56"
    assert without_invisible("2\u200b\u200c0") == "2 0"


def test_ordinary_text_comes_back_unchanged() -> None:
    text = "L’été, à 19 h 30, « la fête » coûte 5 € — venez !"
    assert without_invisible(text) is text


# --- Through the board --------------------------------------------------------------------


def _post(world: World, text: str, **extra: str) -> Contribution:
    make_board(world.home, moderation=Moderation.POST)
    url = reverse("contributions:board", args=[world.home.slug])
    response = Client().post(url, {"key": "u" * 20, "text": text, **extra})
    assert response.status_code == 302
    return Contribution.objects.get()


@pytest.mark.django_db
def test_a_right_to_left_override_in_a_post_and_a_nickname_is_removed(world: World) -> None:
    contribution = _post(
        world, "Le parc est \u202efermé\u202c le soir.", author_name="\u202eeniosiov\u202c"
    )
    assert contribution.text == contribution.public_text == "Le parc est fermé le soir."
    assert contribution.author_name == "eniosiov"
    page = Client().get(reverse("contributions:board", args=[world.home.slug])).text
    assert "Le parc est fermé le soir." in page
    assert not any(control in page for control in BIDI_CONTROLS)


@pytest.mark.django_db
def test_a_nickname_of_invisible_characters_only_leaves_the_post_anonymous(
    world: World,
) -> None:
    contribution = _post(world, "Plus de bancs.", author_name="\u200b\u2060\u3164")
    assert contribution.author_name == ""


@pytest.mark.django_db
def test_a_post_of_invisible_characters_only_is_refused_with_a_clear_message(
    world: World,
) -> None:
    make_board(world.home, moderation=Moderation.POST)
    url = reverse("contributions:board", args=[world.home.slug])
    response = Client().post(url, {"key": "u" * 20, "text": "\u200b\u202e \u2060"})
    assert response.status_code == 400
    assert "Écrivez votre contribution." in response.text
    assert not Contribution.objects.exists()


@pytest.mark.django_db
def test_the_actions_remove_invisible_characters_whatever_calls_them(world: World) -> None:
    post = make_post(world.home, "Un banc\u202e ici", author_name="Zo\u200bé")
    assert (post.text, post.author_name) == ("Un banc ici", "Zoé")


# --- Masking through the public board -----------------------------------------------------

SPELLINGS = [
    ("０４７０ １２ ３４ ５６", "numéro de téléphone retiré"),
    ("jean.dupont@gmail．com", "e-mail retiré"),
    ("0 4 7 0 1 2 3 4 5 6", "numéro de téléphone retiré"),
    ("0.4.7.0.1.2.3.4.5.6", "numéro de téléphone retiré"),
    ("0-4-7-0-1-2-3-4-5-6", "numéro de téléphone retiré"),
    ("0/4/7/0/1/2/3/4/5/6", "numéro de téléphone retiré"),
    *[(zw.join("0470123456"), "numéro de téléphone retiré") for zw in ZERO_WIDTH],
    *[
        (bidi.join(["0470", "12", "34", "56"]), "numéro de téléphone retiré")
        for bidi in BIDI_CONTROLS
    ],
    ("BE71-0961-2345-6769", "compte bancaire retiré"),
    ("jean . dupont @ gmail . com", "e-mail retiré"),
    ("jean at gmail dot com", "e-mail retiré"),
    ("O47O 12 34 56", "numéro de téléphone retiré"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("spelling", "label"), SPELLINGS)
def test_an_anonymous_post_published_at_once_never_shows_personal_data_however_spelled(
    world: World, spelling: str, label: str
) -> None:
    contribution = _post(world, f"Pour la brocante, contactez-moi : {spelling}, merci !")
    assert contribution.status == Status.PUBLISHED
    shown = without_invisible(spelling)  # what a reader would have seen
    client = Client()
    for url in [
        reverse("contributions:board", args=[world.home.slug]),
        reverse("contributions:detail", args=[contribution.pk]),
        reverse("contributions:search") + "?q=brocante",
    ]:
        page = client.get(url).text
        assert "Pour la brocante, contactez-moi" in page
        assert spelling not in page
        assert shown not in page
        assert f"[{label}]" in page
    assert spelling not in contribution.public_text
    assert contribution.public_text == f"Pour la brocante, contactez-moi : {actions.MASK}, merci !"
