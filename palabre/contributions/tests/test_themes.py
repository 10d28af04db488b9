"""Themes: who tags a contribution, what the suggester learns from, when it is retrained, and
the starting taxonomy (mutation run of contributions.actions, 2026-12-05)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from palabre.contributions import actions
from palabre.contributions.models import Moderation, Status, Theme
from palabre.contributions.taxonomy import DEFAULT_THEMES
from palabre.contributions.tests.factories import make_post
from palabre.core.testing import World
from palabre.themes import ThemeModel, builtin
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


def test_a_moderator_tags_a_board_post_and_a_reader_cannot_tag_a_workshop_note(
    world: World,
) -> None:
    propreté = Theme.objects.get(slug="proprete")
    post = make_post(world.home)  # no workshop: only the service tags it
    actions.add_theme(by=world.person("coordinator"), contribution=post, theme=propreté)
    assert list(post.themes.all()) == [propreté]

    note = actions.capture(
        by=world.person("facilitator"),
        workshop=make_hosted_workshop(world),
        question=0,
        text="Plus de bancs.",
        key="c" * 20,
    ).contribution
    assert note.status == Status.PUBLISHED  # post-moderation, as the board above
    for persona in ["resident", "partner", "official"]:
        with pytest.raises(PermissionDenied):
            actions.add_theme(by=world.person(persona), contribution=note, theme=propreté)
    assert not note.themes.exists()


def test_the_suggester_learns_from_published_contributions_with_exactly_one_theme(
    world: World,
) -> None:
    gardens = Theme.objects.create(slug="jardins", name="jardins partagés", position=20)
    markets = Theme.objects.create(slug="marches", name="marchés", position=21)
    pending = make_post(world.elsewhere, "Un potager au pied des tours.", moderation=Moderation.PRE)
    pending.themes.set([markets])
    two_themes = make_post(world.home, "Un marché bio au jardin.")
    two_themes.themes.set([gardens, markets])
    one_theme = make_post(world.home, "Des bacs à légumes partagés dans la cour.")
    one_theme.themes.set([gardens])

    suggester = actions.train_suggester()

    assert suggester.n_train == len(builtin("train").texts) + 1
    themes = ThemeModel.from_bytes(bytes(suggester.data)).themes
    assert "jardins partagés" in themes
    assert "marchés" not in themes


def test_a_suggester_is_asked_for_at_most_once_in_ten_minutes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    def asked() -> int:
        return DBTaskResult.objects.filter(task_path__endswith="train_theme_suggester").count()

    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            actions.request_suggester()
            actions.request_suggester()
        assert asked() == 1
        clock.move_to(start + timedelta(minutes=9))
        with django_capture_on_commit_callbacks(execute=True):
            actions.request_suggester()
        assert asked() == 1
        clock.move_to(start + timedelta(minutes=11))
        with django_capture_on_commit_callbacks(execute=True):
            actions.request_suggester()
        assert asked() == 2


def test_an_emptied_taxonomy_gets_its_starting_themes_back_in_order() -> None:
    Theme.objects.all().delete()
    actions.ensure_default_themes()
    actions.ensure_default_themes()  # twice: nothing more
    assert list(Theme.objects.values_list("slug", "name", "position")) == [
        (slug, name, position) for position, (slug, name) in enumerate(DEFAULT_THEMES)
    ]
