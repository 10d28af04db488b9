"""The service's settings as actions: the taxonomy of themes (added, renamed, ordered, taken out
of use, never deleted) and each neighbourhood's online board."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django_tasks_db.models import DBTaskResult

from palabre.contributions import actions
from palabre.contributions.models import Board, Moderation, Status, Theme
from palabre.contributions.taxonomy import DEFAULT_THEMES
from palabre.contributions.tests.factories import make_board, make_post
from palabre.core.testing import World
from palabre.themes import ThemeModel

pytestmark = pytest.mark.django_db

NOT_STAFF = ("anonymous", "resident", "facilitator", "partner", "official")


def order() -> list[str]:
    return list(Theme.objects.order_by("position", "name").values_list("name", flat=True))


def retrainings() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="train_theme_suggester").count()


def test_a_new_theme_comes_last_with_a_slug_made_from_its_name(world: World) -> None:
    added = actions.add_theme_to_taxonomy(
        by=world.person("coordinator"), name="  Jardins partagés "
    )
    assert (added.name, added.slug, added.is_active) == (
        "Jardins partagés",
        "jardins-partages",
        True,
    )
    assert order()[-1] == "Jardins partagés"
    assert added.position == len(DEFAULT_THEMES)


def test_a_name_another_theme_has_is_refused_with_a_reason_and_nothing_added(
    world: World,
) -> None:
    coordinator = world.person("coordinator")
    with pytest.raises(actions.ContributionError, match=r"s.appelle déjà «\xa0propreté\xa0»"):
        actions.add_theme_to_taxonomy(by=coordinator, name="propreté")
    # Same slug, other spelling: refused by the slug's constraint, naming the close theme.
    with pytest.raises(actions.ContributionError, match=r"«\xa0Propreté\xa0».*«\xa0propreté\xa0»"):
        actions.add_theme_to_taxonomy(by=coordinator, name="Propreté")
    assert Theme.objects.count() == len(DEFAULT_THEMES)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("   ", "Donnez un nom au thème."),
        ("x" * 81, "80 caractères au maximum"),
        ("!!! ???", "au moins une lettre ou un chiffre"),
    ],
)
def test_an_empty_too_long_or_letterless_name_is_refused(
    world: World, name: str, reason: str
) -> None:
    with pytest.raises(actions.ContributionError, match=reason):
        actions.add_theme_to_taxonomy(by=world.person("coordinator"), name=name)
    assert Theme.objects.count() == len(DEFAULT_THEMES)


def test_a_name_without_latin_letters_gets_a_slug_of_its_own_letters(world: World) -> None:
    added = actions.add_theme_to_taxonomy(by=world.person("coordinator"), name="ثقافة")
    assert added.slug == "ثقافة"


def test_only_the_service_changes_the_taxonomy_and_the_boards(world: World) -> None:
    theme = Theme.objects.get(slug="proprete")
    for persona in NOT_STAFF:
        by = world.user(persona)
        with pytest.raises(PermissionDenied):
            actions.add_theme_to_taxonomy(by=by, name="Nouveau")
        with pytest.raises(PermissionDenied):
            actions.rename_theme(by=by, theme=theme, name="Nouveau")
        with pytest.raises(PermissionDenied):
            actions.move_theme(by=by, theme=theme, up=True, seen_at=1)
        with pytest.raises(PermissionDenied):
            actions.set_theme_in_use(by=by, theme=theme, in_use=False)
        with pytest.raises(PermissionDenied):
            actions.save_board_settings(
                by=by, neighbourhood=world.home, is_open=True, moderation=Moderation.POST
            )
    theme.refresh_from_db()
    assert (theme.name, theme.position, theme.is_active) == ("propreté", 1, True)
    assert not Board.objects.exists()
    assert Theme.objects.count() == len(DEFAULT_THEMES)


def test_renaming_keeps_the_slug_and_the_tags_and_asks_for_a_retrained_suggester(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    theme = Theme.objects.get(slug="proprete")
    post = make_post(world.home, "Des poubelles partout.")
    post.themes.add(theme)
    with django_capture_on_commit_callbacks(execute=True):
        actions.rename_theme(
            by=world.person("administrator"), theme=theme, name="Propreté publique"
        )
    theme.refresh_from_db()
    assert (theme.name, theme.slug) == ("Propreté publique", "proprete")
    assert list(post.themes.all()) == [theme]
    assert retrainings() == 1


def test_renaming_to_the_same_name_changes_nothing_and_retrains_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    theme = Theme.objects.get(slug="proprete")
    with django_capture_on_commit_callbacks(execute=True):
        actions.rename_theme(by=world.person("coordinator"), theme=theme, name=" propreté ")
    assert retrainings() == 0


def test_a_rename_to_a_name_taken_or_almost_is_refused(world: World) -> None:
    theme = Theme.objects.get(slug="proprete")
    coordinator = world.person("coordinator")
    with pytest.raises(actions.ContributionError, match=r"s.appelle déjà «\xa0mobilité\xa0»"):
        actions.rename_theme(by=coordinator, theme=theme, name="mobilité")
    with pytest.raises(actions.ContributionError, match=r"«\xa0Mobilité\xa0».*«\xa0mobilité\xa0»"):
        actions.rename_theme(by=coordinator, theme=theme, name="Mobilité")
    theme.refresh_from_db()
    assert theme.name == "propreté"


def test_the_unique_constraint_refuses_a_name_taken_meanwhile(world: World) -> None:
    # The constraint, not a read before the write, keeps names unique.
    with pytest.raises(IntegrityError):
        Theme.objects.create(slug="autre", name="mobilité")


def test_the_retrained_suggester_knows_a_renamed_starting_theme_under_its_new_name(
    world: World,
) -> None:
    theme = Theme.objects.get(slug="proprete")
    actions.rename_theme(by=world.person("coordinator"), theme=theme, name="Propreté publique")
    names = ThemeModel.from_bytes(bytes(actions.train_suggester().data)).themes
    assert "Propreté publique" in names
    assert "propreté" not in names


def test_moving_a_theme_up_and_down_swaps_it_with_its_neighbour(world: World) -> None:
    coordinator = world.person("coordinator")
    before = order()
    mobility = Theme.objects.get(slug="mobilite")
    actions.move_theme(by=coordinator, theme=mobility, up=True, seen_at=2)
    assert order()[:3] == [before[0], "mobilité", before[1]]
    actions.move_theme(by=coordinator, theme=mobility, up=False, seen_at=1)
    assert order() == before


def test_moving_past_either_end_of_the_list_is_harmless(world: World) -> None:
    coordinator = world.person("coordinator")
    before = order()
    first = Theme.objects.get(name=before[0])
    last = Theme.objects.get(name=before[-1])
    actions.move_theme(by=coordinator, theme=first, up=True, seen_at=0)
    actions.move_theme(by=coordinator, theme=last, up=False, seen_at=len(before) - 1)
    assert order() == before


def test_a_second_click_on_the_same_move_button_moves_nothing_more(world: World) -> None:
    coordinator = world.person("coordinator")
    mobility = Theme.objects.get(slug="mobilite")
    actions.move_theme(by=coordinator, theme=mobility, up=True, seen_at=2)
    with pytest.raises(actions.ContributionError, match="L'ordre a changé"):
        actions.move_theme(by=coordinator, theme=mobility, up=True, seen_at=2)
    assert order().index("mobilité") == 1


def test_themes_sharing_a_position_get_one_each_when_one_moves(world: World) -> None:
    Theme.objects.update(position=0)  # as if all had been added through the admin
    before = order()  # by name
    second = Theme.objects.get(name=before[1])
    actions.move_theme(by=world.person("coordinator"), theme=second, up=True, seen_at=1)
    assert order() == [before[1], before[0], *before[2:]]
    assert list(Theme.objects.order_by("position").values_list("position", flat=True)) == list(
        range(len(before))
    )


def test_a_theme_out_of_use_keeps_its_contributions_and_is_offered_no_more(world: World) -> None:
    theme = Theme.objects.get(slug="proprete")
    post = make_post(world.home)
    post.themes.add(theme)
    coordinator = world.person("coordinator")
    actions.set_theme_in_use(by=coordinator, theme=theme, in_use=False)
    actions.set_theme_in_use(by=coordinator, theme=theme, in_use=False)  # twice: harmless
    theme.refresh_from_db()
    assert not theme.is_active
    assert list(post.themes.all()) == [theme]
    with pytest.raises(actions.ContributionError, match="plus utilisé"):
        actions.add_theme(by=coordinator, contribution=make_post(world.home), theme=theme)
    actions.set_theme_in_use(by=coordinator, theme=theme, in_use=True)
    theme.refresh_from_db()
    assert theme.is_active


def test_saving_the_settings_of_a_board_never_set_up_creates_it(world: World) -> None:
    board = actions.save_board_settings(
        by=world.person("coordinator"),
        neighbourhood=world.elsewhere,
        is_open=True,
        moderation=Moderation.PRE,
        prompt="  Qu'aimeriez-vous changer ?  ",
    )
    assert (board.is_open, board.moderation, board.prompt) == (
        True,
        Moderation.PRE,
        "Qu'aimeriez-vous changer ?",
    )
    again = actions.save_board_settings(
        by=world.person("administrator"),
        neighbourhood=world.elsewhere,
        is_open=False,
        moderation=Moderation.POST,
    )
    assert again.pk == board.pk
    assert Board.objects.count() == 1
    board.refresh_from_db()
    assert (board.is_open, board.moderation, board.prompt) == (False, Moderation.POST, "")


def test_the_moderation_chosen_decides_what_is_published_at_once(world: World) -> None:
    coordinator = world.person("coordinator")
    make_board(world.home, moderation=Moderation.PRE)
    pending = make_post(world.home, moderation=Moderation.PRE)
    actions.save_board_settings(
        by=coordinator, neighbourhood=world.home, is_open=True, moderation=Moderation.POST
    )
    assert actions.initial_status(world.home) == Status.PUBLISHED
    pending.refresh_from_db()
    assert pending.status == Status.PENDING  # what waited still waits for a moderator


@pytest.mark.parametrize(
    ("moderation", "prompt", "reason"),
    [("nobody", "", "Choisissez comment"), (Moderation.PRE, "x" * 301, "300 caractères")],
)
def test_an_unknown_moderation_or_a_too_long_question_is_refused(
    world: World, moderation: str, prompt: str, reason: str
) -> None:
    with pytest.raises(actions.ContributionError, match=reason):
        actions.save_board_settings(
            by=world.person("coordinator"),
            neighbourhood=world.home,
            is_open=True,
            moderation=moderation,
            prompt=prompt,
        )
    assert not Board.objects.exists()


def test_the_longest_name_and_question_allowed_are_kept_whole(world: World) -> None:
    coordinator = world.person("coordinator")
    long_name = "Jardins partagés " + "x" * 63  # 80 characters, the most allowed
    added = actions.add_theme_to_taxonomy(by=coordinator, name=long_name)
    assert added.name == long_name
    # Its slug is cut at 50 characters, never leaving a dash at the end.
    assert added.slug == "jardins-partages-" + "x" * 33
    cut = actions.add_theme_to_taxonomy(by=coordinator, name="a" * 49 + " bb")
    assert cut.slug == "a" * 49
    board = actions.save_board_settings(
        by=coordinator,
        neighbourhood=world.home,
        is_open=True,
        moderation=Moderation.PRE,
        prompt="q" * 300,
    )
    assert board.prompt == "q" * 300


def test_the_first_theme_of_an_empty_taxonomy_comes_first(world: World) -> None:
    Theme.objects.all().delete()
    added = actions.add_theme_to_taxonomy(by=world.person("coordinator"), name="Propreté")
    assert (added.position, order()) == (0, ["Propreté"])


def test_a_theme_renamed_or_taken_out_of_use_is_returned_as_it_now_is(world: World) -> None:
    theme = Theme.objects.get(slug="proprete")
    coordinator = world.person("coordinator")
    assert actions.rename_theme(by=coordinator, theme=theme, name="Rues propres").name == (
        "Rues propres"
    )
    assert actions.set_theme_in_use(by=coordinator, theme=theme, in_use=False).is_active is False
    gone = Theme.objects.get(slug="mobilite")
    Theme.objects.filter(pk=gone.pk).delete()
    with pytest.raises(actions.ContributionError, match=r"^Ce thème n'existe plus\.$"):
        actions.rename_theme(by=coordinator, theme=gone, name="Vélo")


def test_a_theme_may_change_its_own_capitals_but_not_take_a_renamed_theme_s_name(
    world: World,
) -> None:
    coordinator = world.person("coordinator")
    theme = Theme.objects.get(slug="proprete")
    assert actions.rename_theme(by=coordinator, theme=theme, name="Propreté").name == "Propreté"
    # "mobilité" renamed keeps its slug: only the unique name stops a second "Transports".
    actions.rename_theme(
        by=coordinator, theme=Theme.objects.get(slug="mobilite"), name="Transports"
    )
    with pytest.raises(actions.ContributionError, match=r"s.appelle déjà «\xa0Transports\xa0»"):
        actions.rename_theme(by=coordinator, theme=theme, name="Transports")
    assert Theme.objects.get(pk=theme.pk).name == "Propreté"


def test_the_suggester_learns_from_published_contributions_with_one_theme_only(
    world: World,
) -> None:
    shipped = actions.train_suggester().n_train
    for text in ("Les poubelles débordent rue de Bomel.", "Des sacs éventrés au coin."):
        make_post(world.home, text).themes.add(Theme.objects.get(slug="proprete"))
    two = make_post(world.home, "Des bancs et des poubelles sur la place.")
    two.themes.add(*Theme.objects.filter(slug__in=["proprete", "mobilite"]))
    make_post(world.home, "Sans thème.")
    assert actions.train_suggester().n_train == shipped + 2  # those with a single theme
