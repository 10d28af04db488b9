"""Issue 6 (first part): residents say "I'm in" to a citizen action and pick tasks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.core.testing import build_world
from palabre.initiatives.models import Volunteer
from palabre.initiatives.tests.factories import make_initiative
from tests.browser.conftest import assert_accessible


def test_two_residents_sign_up_and_take_tasks(
    page: Page, new_page: Callable[..., Page], page_without_js: Page, transactional_db: Any
) -> None:
    initiative = make_initiative(build_world())
    page.goto(f"/actions/{initiative.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fête de la rue Haute")
    assert_accessible(page)
    page.get_by_label("Prénom").fill("Rosa")
    page.get_by_role("button", name="J'en suis").click()
    expect(page.get_by_role("status")).to_contain_text("vous en êtes")
    page.get_by_role("button", name="Je m'en charge : Toutes-boîtes aux voisins").click()
    expect(page.get_by_role("status")).to_contain_text("La tâche est à vous")
    assert_accessible(page)
    private = page.url

    other = page_without_js  # a second resident, without JavaScript
    other.goto(f"/actions/{initiative.pk}/")
    other.get_by_label("Prénom").fill("Marc")
    other.get_by_label("E-mail").fill("marc@example.org")
    other.get_by_role("button", name="J'en suis").click()
    other.get_by_role("button", name="Je m'en charge : Demander la fermeture de la rue").click()
    expect(other.get_by_text("La tâche est à vous")).to_be_visible()

    # Signing up again with the same address finds the first sign-up, and sends its link to
    # that address rather than showing it to whoever typed it.
    other.goto(f"/actions/{initiative.pk}/")
    other.get_by_label("Prénom").fill("Marc B.")
    other.get_by_label("E-mail").fill("MARC@example.org")
    other.get_by_role("button", name="J'en suis").click()
    expect(other.get_by_text("Cette adresse est déjà inscrite à cette action.")).to_be_visible()
    expect(other.get_by_role("heading", level=1)).to_have_text("Fête de la rue Haute")
    assert Volunteer.objects.filter(initiative=initiative).count() == 2
    assert "/actions/benevole/" in private


def test_a_facilitator_turns_a_contribution_into_a_citizen_action(
    page: Page, transactional_db: Any
) -> None:
    from palabre.accounts.models import Role
    from palabre.accounts.tests.factories import make_user
    from palabre.contributions.tests.factories import make_post
    from palabre.initiatives import actions
    from palabre.initiatives.tests.factories import STREET_PARTY

    world = build_world()
    actions.import_playbook(by=world.person("coordinator"), text=STREET_PARTY)
    idea = make_post(world.home, "Et si on faisait une fête de rue au printemps ?")
    make_user(role=Role.FACILITATOR, email="animatrice@example.org", password="un-long-secret")
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill("animatrice@example.org")
    page.get_by_label("Mot de passe").fill("un-long-secret")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"/parole/{idea.pk}/")
    page.get_by_role("link", name="Lancer une action citoyenne à partir de celle-ci").click()
    assert_accessible(page)
    page.get_by_label("Guide pratique").select_option(label="Fête de rue")
    page.get_by_label("Titre").fill("Fête de printemps rue Haute")
    page.get_by_label("Date").fill("2027-05-22")
    page.get_by_role("button", name="La lancer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fête de printemps rue Haute")
    expect(page.get_by_text("Et si on faisait une fête de rue au printemps ?")).to_be_visible()
    expect(page.get_by_text("10 avril 2027")).to_be_visible()  # the road closure, 6 weeks ahead
    page.goto(f"/parole/{idea.pk}/")
    expect(page.get_by_role("link", name="Fête de printemps rue Haute")).to_be_visible()
    assert_accessible(page)
