"""Mistyped or hostile input on the citizen actions' pages gets a sentence, never a server
error: keys in links, dates in year 1, texts of megabytes (security findings L2 and L5)."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from palabre.contributions.tests.factories import make_post
from palabre.core.testing import World, error_summary
from palabre.initiatives import actions
from palabre.initiatives.models import Initiative, Playbook, Task
from palabre.initiatives.tests.factories import STREET_PARTY, make_initiative

pytestmark = pytest.mark.django_db

START = reverse("initiatives:start")
OUT_OF_RANGE = "Donnez une date entre 2000 et 2100."


def signed_in(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.person(persona))
    return client


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "", "-3", "1e3", "٣"])
def test_a_mistyped_contribution_in_the_link_is_a_404(world: World, value: str) -> None:
    response = signed_in(world, "facilitator").get(START, {"contribution": value})
    assert response.status_code == 404


def test_an_action_dated_in_year_1_is_refused_with_a_sentence(world: World) -> None:
    idea = make_post(world.home, "Une fête de rue ?")
    playbook = actions.import_playbook(by=world.person("coordinator"), text=STREET_PARTY)
    response = signed_in(world, "facilitator").post(
        f"{START}?contribution={idea.pk}",
        {"playbook": playbook.pk, "title": "Fête", "starts_on": "0001-01-05"},
    )
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.text
    assert not Initiative.objects.exists()


def test_a_task_due_in_year_1_is_refused_and_the_date_still_moves(world: World) -> None:
    initiative = make_initiative(world)
    rosa = actions.sign_up(by=None, initiative=initiative, name="Rosa").volunteer
    task = initiative.tasks.get(title="Toutes-boîtes aux voisins")
    client = signed_in(world, "resident")  # a lead
    refused = client.post(
        reverse("initiatives:update_task", args=[initiative.pk, task.pk]),
        {f"t{task.pk}-owner": rosa.pk, f"t{task.pk}-due_on": "0001-01-01"},
    )
    assert refused.status_code == 400
    assert OUT_OF_RANGE in refused.text
    assert Task.objects.get(pk=task.pk).due_on == date(2027, 5, 8)
    moved = client.post(
        reverse("initiatives:details", args=[initiative.pk]),
        {"details-title": "Fête de juin", "details-starts_on": "2027-06-05"},
    )
    assert moved.status_code == 302
    assert Task.objects.get(pk=task.pk).due_on == date(2027, 5, 22)


def test_an_action_cannot_be_moved_to_year_1(world: World) -> None:
    initiative = make_initiative(world)
    refused = signed_in(world, "resident").post(
        reverse("initiatives:details", args=[initiative.pk]),
        {"details-title": "Fête", "details-starts_on": "0001-01-05"},
    )
    assert refused.status_code == 400
    assert OUT_OF_RANGE in refused.text
    assert Initiative.objects.get(pk=initiative.pk).starts_on == date(2027, 5, 22)


def test_a_description_of_megabytes_is_refused_with_its_length(world: World) -> None:
    initiative = make_initiative(world)
    refused = signed_in(world, "resident").post(
        reverse("initiatives:details", args=[initiative.pk]),
        {"details-title": "Fête", "details-description": "A" * 2_400_000},
    )
    assert refused.status_code == 400
    assert "5000 caractères au plus (ce texte en a 2400000)" in refused.text
    assert Initiative.objects.get(pk=initiative.pk).description == initiative.description


@pytest.mark.parametrize(("field", "limit"), [("description", 5000), ("steps-0-description", 2000)])
def test_a_playbook_text_too_long_is_refused_with_its_length(
    world: World, field: str, limit: int
) -> None:
    data = {
        "title": "Accueil",
        "kind": "welcome",
        "description": "",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-0-title": "Préparer",
        "steps-0-days_before": "3",
        "steps-0-ORDER": "1",
        "budget-TOTAL_FORMS": "0",
        "budget-INITIAL_FORMS": "0",
    } | {field: "A" * (limit + 1)}
    response = signed_in(world, "coordinator").post(reverse("initiatives:playbook_new"), data)
    assert response.status_code == 200
    assert f"{limit} caractères au plus (ce texte en a {limit + 1})" in response.text
    assert not Playbook.objects.exists()


def test_im_in_without_a_first_name_answers_the_page_with_the_error_summary_and_the_email_kept(
    world: World,
) -> None:
    initiative = make_initiative(world)
    refused = Client().post(
        reverse("initiatives:sign_up", args=[initiative.pk]),
        {"key": "k" * 20, "name": " ", "email": "rosa@example.org"},
    )
    assert refused.status_code == 400
    assert error_summary(refused.text) == ["#id_name"]  # focused, with a link to the field
    assert (
        "Écrivez votre prénom, pour que les personnes qui organisent l'action sachent "
        "qui vous êtes." in unescape(refused.text)
    )
    assert 'value="rosa@example.org"' in refused.text
    assert refused.text.startswith("<!DOCTYPE html>")
    assert "<title>Erreur\u00a0: Fête de la rue Haute" in unescape(refused.text)
    assert not initiative.volunteers.exists()
