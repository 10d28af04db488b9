"""Expensive pages are not a lever: reloading a synthesis or a public PDF does the slow work
once, and any change to what it shows is seen at once (issue 13, item 8)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from palabre.contributions import actions
from palabre.contributions.models import Contribution, Reason, Theme
from palabre.contributions.tests.factories import make_post
from palabre.core import pdf as pdf_module
from palabre.core.testing import World, pdf_text
from palabre.themes import synthesis as engine
from palabre.workshops.models import Status
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


class Calls:
    """Count the calls to a module's function while still calling it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
        self.count = 0
        real: Callable[..., Any] = getattr(module, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)


def _posts(world: World) -> list[Contribution]:
    cleanliness = Theme.objects.get(slug="proprete")
    posts = [
        make_post(world.home, "Les poubelles débordent tous les lundis rue Haute."),
        make_post(world.home, "Les poubelles de la place débordent, plus de collectes."),
        make_post(world.home, "Des poubelles renversées près du parc tous les lundis."),
    ]
    for post in posts:
        post.themes.set([cleanliness])
    make_post(world.elsewhere, "Un marché le dimanche à Jambes.")
    return posts


def test_reloading_a_synthesis_analyses_the_texts_once_and_a_change_is_seen_at_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    posts = _posts(world)
    clustering = Calls(monkeypatch, engine, "cluster")
    url = reverse("contributions:neighbourhood_synthesis", args=["bomel"])

    def main() -> str:
        page = Client().get(url).text
        return page[page.index("<main") : page.index("</main>")]

    first = main()
    assert "3 contributions publiées" in first
    for _ in range(5):
        assert main() == first

    assert clustering.count == 1
    # Hiding a contribution is seen on the next load, and so is a new one.
    actions.hide(by=world.person("coordinator"), contribution=posts[0], reason=Reason.OFF_TOPIC)
    hidden = main()
    assert clustering.count == 2
    assert "2 contributions publiées" in hidden
    assert "tous les lundis rue Haute" not in hidden
    make_post(world.home, "Les bancs du parc sont cassés depuis l'hiver.")
    assert "3 contributions publiées" in main()
    assert clustering.count == 3


def test_the_same_synthesis_in_another_language_reuses_the_analysis(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _posts(world)
    clustering = Calls(monkeypatch, engine, "cluster")
    url = reverse("contributions:neighbourhood_synthesis", args=["bomel"])
    Client().get(url)
    dutch = Client(headers={"cookie": "django_language=nl"}).get(url).text
    assert clustering.count == 1
    assert 'lang="nl"' in dutch


def test_reloading_the_report_pdf_lays_it_out_once_until_what_it_shows_changes(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    posts = _posts(world)
    laying_out = Calls(monkeypatch, pdf_module, "layout")
    url = reverse("contributions:neighbourhood_report", args=["bomel"])

    first = Client().get(url).content
    assert Client().get(url).content == first
    assert laying_out.count == 1

    actions.hide(by=world.person("coordinator"), contribution=posts[1], reason=Reason.OFF_TOPIC)
    changed = Client().get(url).content
    assert laying_out.count == 2
    assert "plus de collectes" in pdf_text(first)
    assert "plus de collectes" not in pdf_text(changed)


def test_minutes_pdf_is_laid_out_once_and_again_when_the_minutes_change(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from palabre.workshops import actions as workshop_actions

    held = make_hosted_workshop(world, status=Status.HELD, days_from_now=-2)
    minutes = workshop_actions.draft_minutes(by=None, workshop=held)

    def save(decisions: str) -> None:
        found = type(minutes).objects.get(pk=minutes.pk)
        workshop_actions.save_minutes(
            by=None,
            minutes=found,
            version=found.version,
            introduction="",
            notes=[""] * len(found.discussion),
            decisions=decisions,
            next_steps="",
            publish=True,
        )

    save("Un banc rue de Bomel.")
    laying_out = Calls(monkeypatch, pdf_module, "layout")
    url = reverse("workshops:minutes_pdf", args=[held.pk])

    assert Client().get(url).content == Client().get(url).content
    assert laying_out.count == 1
    save("Deux bancs rue de Bomel.")
    assert "Deux bancs" in pdf_text(Client().get(url).content)
    assert laying_out.count == 2


def test_a_sign_in_sheet_with_names_and_phones_is_never_kept(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    workshop = make_hosted_workshop(world)
    laying_out = Calls(monkeypatch, pdf_module, "layout")
    client = Client()
    client.force_login(world.person("facilitator"))
    url = reverse("workshops:sign_in_sheet", args=[workshop.pk])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert laying_out.count == 2
