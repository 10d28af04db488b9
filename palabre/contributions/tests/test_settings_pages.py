"""The service's settings pages: the themes (/parole/themes/) and the online boards
(/parole/panneaux/): the HTTP contract, refusals that keep what was typed, query counts."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from palabre.contributions import actions
from palabre.contributions.models import Board, Contribution, Moderation, Theme
from palabre.contributions.taxonomy import DEFAULT_THEMES
from palabre.contributions.tests.factories import make_board, make_post
from palabre.core.testing import World, error_summary
from palabre.neighbourhoods.tests.factories import make_neighbourhood

pytestmark = pytest.mark.django_db

THEMES = reverse("contributions:themes")
BOARDS = reverse("contributions:boards")


def text(response: Any) -> str:
    """The page as a person reads it (the apostrophes of French escaped no more)."""
    return html.unescape(response.content.decode())


def signed_in(world: World, persona: str = "coordinator") -> Client:
    client = Client()
    client.force_login(world.person(persona))
    return client


def settings_of(world: World, slug: str | None = None) -> str:
    return reverse("contributions:board_settings", args=[slug or world.home.slug])


def names_in_order() -> list[str]:
    return list(Theme.objects.order_by("position", "name").values_list("name", flat=True))


# Themes --------------------------------------------------------------------------------------


def test_the_themes_page_counts_what_was_published_under_each_theme(world: World) -> None:
    propreté = Theme.objects.get(slug="proprete")
    for text in ["Des déchets au parc.", "Des tags sur le pont."]:
        make_post(world.home, text).themes.add(propreté)
    make_post(world.home, "En attente.", moderation=Moderation.PRE).themes.add(propreté)
    elsewhere = make_post(world.home, "Dans un quartier non publié.")
    elsewhere.themes.add(propreté)
    Contribution.objects.filter(pk=elsewhere.pk).update(neighbourhood=world.hidden)
    actions.set_theme_in_use(
        by=world.person("coordinator"), theme=Theme.objects.get(slug="culture"), in_use=False
    )

    staff = signed_in(world).get(THEMES).text
    section = staff[staff.index(f'id="theme-{propreté.pk}-name"') :][:2000]
    assert "3 contributions publiées" in section  # the unpublished neighbourhood's too
    assert "hors d'usage" in staff
    assert 'name="step" value="add"' in staff

    public = Client().get(THEMES).text
    section = public[public.index(f'id="theme-{propreté.pk}-name"') :][:500]
    assert "2 contributions publiées" in section
    assert ">culture<" not in public  # out of use: only the service sees it
    assert 'name="step"' not in public


def test_a_resident_reads_the_themes_but_cannot_change_them(world: World) -> None:
    resident = signed_in(world, "resident")
    page = resident.get(THEMES)
    assert page.status_code == 200
    assert 'name="step"' not in page.text
    culture = Theme.objects.get(slug="culture")
    refused = resident.post(THEMES, {"step": "out_of_use", "theme": culture.pk})
    assert refused.status_code == 403
    assert Client().post(THEMES, {"step": "add", "name": "Nouveau"}).status_code == 403
    culture.refresh_from_db()
    assert culture.is_active
    assert not Theme.objects.filter(name="Nouveau").exists()


def test_the_coordinator_adds_a_theme_and_a_duplicate_is_refused_next_to_the_field(
    world: World,
) -> None:
    client = signed_in(world)
    refused = client.post(THEMES, {"step": "add", "name": "propreté"})
    assert refused.status_code == 200
    assert "Un thème s'appelle déjà «\u00a0propreté\u00a0»" in text(refused)
    assert re.search(r'<input[^>]*name="name"[^>]*value="propreté"[^>]*id="id_name"', refused.text)
    assert error_summary(refused.text) == ["#id_name"]  # focused, with a link to the field
    assert Theme.objects.count() == len(DEFAULT_THEMES)

    added = client.post(THEMES, {"step": "add", "name": "Jardins partagés"}, follow=True)
    assert "Thème «\u00a0Jardins partagés\u00a0» ajouté en fin de liste" in added.text
    assert names_in_order()[-1] == "Jardins partagés"


def test_an_empty_name_is_refused_as_required(world: World) -> None:
    refused = signed_in(world).post(THEMES, {"step": "add", "name": "  "})
    assert refused.status_code == 200
    assert "Ce champ est obligatoire." in refused.text


def test_a_refused_rename_keeps_the_typed_name_in_an_open_box(world: World) -> None:
    propreté = Theme.objects.get(slug="proprete")
    client = signed_in(world)
    prefix = f"t{propreté.pk}"
    refused = client.post(
        THEMES, {"step": "rename", "theme": propreté.pk, f"{prefix}-name": "mobilité"}
    )
    assert refused.status_code == 200
    assert "Un thème s'appelle déjà «\u00a0mobilité\u00a0»" in text(refused)
    assert re.search(rf'name="{prefix}-name"[^>]*value="mobilité"', refused.text)
    assert "<details open>" in refused.text
    propreté.refresh_from_db()
    assert propreté.name == "propreté"

    renamed = client.post(
        THEMES, {"step": "rename", "theme": propreté.pk, f"{prefix}-name": "Propreté publique"}
    )
    assert renamed.status_code == 302
    assert renamed["Location"].endswith(f"#theme-{propreté.pk}")
    propreté.refresh_from_db()
    assert propreté.name == "Propreté publique"


def test_the_move_buttons_reorder_and_a_double_click_moves_once(world: World) -> None:
    mobility = Theme.objects.get(slug="mobilite")
    client = signed_in(world)
    page = client.get(THEMES).text
    assert page.count('name="step" value="up"') == len(DEFAULT_THEMES) - 1  # not the first
    data = {"step": "up", "theme": mobility.pk, "at": "2"}
    first = client.post(THEMES, data)
    second = client.post(THEMES, data, follow=True)
    assert first.status_code == 302
    assert "L'ordre a changé entre-temps" in text(second)
    assert names_in_order().index("mobilité") == 1


def test_taking_a_theme_out_of_use_and_back_says_what_happens_to_its_contributions(
    world: World,
) -> None:
    culture = Theme.objects.get(slug="culture")
    client = signed_in(world)
    taken = client.post(THEMES, {"step": "out_of_use", "theme": culture.pk}, follow=True)
    assert "les contributions déjà classées sous ce thème le gardent" in taken.text
    culture.refresh_from_db()
    assert not culture.is_active
    assert "Remettre" in taken.text
    client.post(THEMES, {"step": "in_use", "theme": culture.pk})
    culture.refresh_from_db()
    assert culture.is_active


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"step": "delete", "theme": "1"}, 400),
        ({"step": "up", "theme": "999999"}, 404),
        ({"step": "up", "theme": "99999999999999999999999"}, 404),
        ({"step": "rename", "theme": "abc"}, 404),
    ],
)
def test_a_forged_step_or_theme_gets_a_client_error(
    world: World, data: dict[str, str], status: int
) -> None:
    assert signed_in(world).post(THEMES, data).status_code == status


def test_a_forged_position_moves_nothing(world: World) -> None:
    mobility = Theme.objects.get(slug="mobilite")
    before = names_in_order()
    response = signed_in(world).post(THEMES, {"step": "up", "theme": mobility.pk, "at": "x"})
    assert response.status_code == 302
    assert names_in_order() == before


def test_the_themes_page_makes_the_same_queries_for_any_number_of_themes(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(world)
    with django_assert_max_num_queries(4):
        client.get(THEMES)
    coordinator = world.person("coordinator")
    for number in range(20):
        theme = actions.add_theme_to_taxonomy(by=coordinator, name=f"Thème {number}")
        make_post(world.home, f"Contribution {number}").themes.add(theme)
    with django_assert_max_num_queries(4):
        page = client.get(THEMES)
    assert "Thème 19" in page.text
    with django_assert_max_num_queries(1):
        Client().get(THEMES)


# Boards --------------------------------------------------------------------------------------


def test_the_boards_page_shows_every_neighbourhood_and_its_board_in_plain_words(
    world: World,
) -> None:
    make_board(world.home, is_open=True, moderation=Moderation.POST)
    Board.objects.filter(neighbourhood=world.home).update(prompt="Que changer dans votre rue ?")
    page = signed_in(world, "administrator").get(BOARDS).text
    rows = {
        name: page[page.index(f">{name}<") :].split("</tr>")[0]
        for name in ["Bomel", "Jambes", "Vedrin"]
    }
    assert "ouvert" in rows["Bomel"]
    assert "Après publication (modération a posteriori)" in rows["Bomel"]
    assert "Que changer dans votre rue ?" in rows["Bomel"]
    assert "fermé" in rows["Jambes"]
    assert "jamais configuré" in rows["Jambes"]
    assert "Avant publication (modération a priori)" in rows["Jambes"]
    assert "Quartier non publié" in rows["Vedrin"]
    assert settings_of(world, "vedrin") in page


def test_the_boards_page_makes_the_same_queries_for_any_number_of_neighbourhoods(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(world)
    with django_assert_max_num_queries(3):
        client.get(BOARDS)
    for number in range(15):
        place = make_neighbourhood(name=f"Quartier {number}", slug=f"quartier-{number}")
        if number % 2:
            make_board(place)
    with django_assert_max_num_queries(3):
        page = client.get(BOARDS)
    assert "Quartier 14" in page.text


def test_the_coordinator_opens_a_board_never_set_up(world: World) -> None:
    client = signed_in(world)
    page = text(client.get(settings_of(world, "jambes")))
    assert re.search(r'value="closed"[^>]*checked', page)
    assert re.search(r'value="pre"[^>]*checked', page)
    assert "avant que quiconque d'autre puisse la lire" in page  # each mode explained
    data = {"state": "open", "moderation": "pre", "prompt": "Bienvenue à Jambes : une idée ?"}
    response = client.post(settings_of(world, "jambes"), data)
    assert response.status_code == 302
    assert response["Location"] == BOARDS
    board = Board.objects.get(neighbourhood=world.elsewhere)
    assert (board.is_open, board.moderation, board.prompt) == (
        True,
        Moderation.PRE,
        "Bienvenue à Jambes : une idée ?",
    )
    again = client.post(settings_of(world, "jambes"), data, follow=True)  # double submit
    assert "Le panneau de Jambes est ouvert" in again.text
    assert Board.objects.filter(neighbourhood=world.elsewhere).count() == 1
    shown = Client().get(reverse("contributions:board", args=["jambes"])).text
    assert "Bienvenue à Jambes : une idée ?" in shown


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"state": "open", "moderation": "later", "prompt": "Gardez-moi"}, "moderation"),
        ({"state": "ajar", "moderation": "post", "prompt": "Gardez-moi"}, "state"),
        ({"state": "open", "moderation": "post", "prompt": "Gardez-moi" + "x" * 300}, "prompt"),
    ],
)
def test_a_refused_board_keeps_what_was_typed(
    world: World, data: dict[str, str], field: str
) -> None:
    make_board(world.home, is_open=False)
    response = signed_in(world).post(settings_of(world), data)
    assert response.status_code == 200
    assert "field--error" in response.text
    assert data["prompt"] in response.text
    assert "Gardez-moi" in response.text
    board = Board.objects.get(neighbourhood=world.home)
    assert not board.is_open


def read_board(slug: str, language: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    return text(client.get(reverse("contributions:board", args=[slug])))


def test_the_question_is_translated_and_each_reader_sees_their_language(world: World) -> None:
    question = "Que changer dans votre rue\u00a0?"
    client = signed_in(world)
    page = text(client.get(settings_of(world, "jambes")))
    assert 'name="prompt_nl"' in page
    assert 'name="prompt_fr"' not in page  # no translation into the question's own language
    data = {
        "state": "open",
        "moderation": "pre",
        "prompt": question,
        "language": "fr",
        "prompt_nl": "  Wat zou u veranderen in uw straat?  ",
        "prompt_en": "",
    }
    assert client.post(settings_of(world, "jambes"), data).status_code == 302
    board = Board.objects.get(neighbourhood=world.elsewhere)
    assert (board.language, board.translations) == (
        "fr",
        {"nl": {"prompt": "Wat zou u veranderen in uw straat?"}},  # nothing empty kept
    )
    assert '<h2 id="post-title">Wat zou u veranderen in uw straat?</h2>' in read_board(
        "jambes", "nl"
    )
    assert f'<h2 id="post-title"><span lang="fr">{question}</span></h2>' in read_board(
        "jambes", "en"
    )
    assert f'<h2 id="post-title">{question}</h2>' in read_board("jambes", "fr")
    # The settings page shows the translation saved, to change it.
    assert "Wat zou u veranderen in uw straat?</textarea>" in text(
        client.get(settings_of(world, "jambes"))
    )
    # Sent without a language (a page opened before translations existed): kept as it was.
    del data["language"]
    assert client.post(settings_of(world, "jambes"), data).status_code == 302
    board.refresh_from_db()
    assert board.language == "fr"


def test_a_translation_too_long_is_refused_in_the_reader_s_language_and_kept(
    world: World,
) -> None:
    make_board(world.home, is_open=False)
    client = signed_in(world)
    client.cookies["django_language"] = "nl"
    typed = "Wat zou u veranderen? " + "x" * 300
    data = {"state": "open", "moderation": "post", "prompt": "Une idée", "prompt_nl": typed}
    response = client.post(settings_of(world), data, headers={"accept-language": "nl"})
    assert response.status_code == 200
    assert error_summary(response.text)
    assert "tekens" in text(response)  # "at most 300 characters", in Dutch
    assert typed in text(response)
    board = Board.objects.get(neighbourhood=world.home)
    assert (board.is_open, board.translations) == (False, {})
    with pytest.raises(actions.ContributionError):  # the action checks it too
        actions.save_board_settings(
            by=world.person("coordinator"),
            neighbourhood=world.home,
            is_open=True,
            moderation="post",
            translations={"nl": {"prompt": typed}},
        )
    with pytest.raises(actions.ContributionError):
        actions.save_board_settings(
            by=world.person("coordinator"),
            neighbourhood=world.home,
            is_open=True,
            moderation="post",
            language="de",
        )
    assert not Board.objects.get(neighbourhood=world.home).is_open


def test_the_board_page_links_its_settings_for_the_service_only(world: World) -> None:
    board = reverse("contributions:board", args=[world.home.slug])
    assert settings_of(world) in signed_in(world).get(board).text
    assert settings_of(world) not in signed_in(world, "facilitator").get(board).text
    assert settings_of(world) not in Client().get(board).text


def test_the_moderation_page_links_both_settings_pages(world: World) -> None:
    page = signed_in(world).get(reverse("contributions:moderation")).text
    assert f'href="{THEMES}"' in page
    assert f'href="{BOARDS}"' in page


def test_the_board_s_language_and_translations_are_checked_by_the_action_itself(
    world: World,
) -> None:
    coordinator = world.person("coordinator")
    with pytest.raises(actions.ContributionError, match=r"^Choisissez une des langues du site\.$"):
        actions.save_board_settings(
            by=coordinator, neighbourhood=world.home, is_open=True, moderation="pre", language="de"
        )
    board = actions.save_board_settings(
        by=coordinator,
        neighbourhood=world.home,
        is_open=True,
        moderation="pre",
        prompt="Wat zou uw straat beter maken?",
        language="nl",
        # A language without its question, and one in the question's own language: neither kept.
        translations={"en": {}, "nl": {"prompt": "Een andere versie"}, "fr": {"prompt": "Quoi ?"}},
    )
    board.refresh_from_db()
    assert board.translations == {"fr": {"prompt": "Quoi ?"}}
    assert board.trust_facilitators is False  # unless said: trust is given, never assumed
