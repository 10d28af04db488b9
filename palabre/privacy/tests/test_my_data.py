"""A person downloads what Palabre holds about them, with an account or a private link."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from palabre.contributions import actions as contribution_actions
from palabre.contributions.models import Board, Reason
from palabre.contributions.tests.factories import make_post
from palabre.core.testing import World
from palabre.initiatives import actions as initiative_actions
from palabre.initiatives.tests.factories import STREET_PARTY
from palabre.official_requests import actions as request_actions
from palabre.official_requests.tests.factories import make_request
from palabre.workshops import actions as workshop_actions
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


def test_an_account_holder_downloads_their_registrations_words_and_tasks(world: World) -> None:
    resident = world.person("resident")
    workshop = make_hosted_workshop(world, title="Atelier de Bomel")
    workshop_actions.register(workshop=workshop, by=resident, name="Youssef", needs_childcare=True)
    coordinator = world.person("coordinator")
    playbook = initiative_actions.import_playbook(by=coordinator, text=STREET_PARTY)
    action = initiative_actions.start_initiative(
        by=coordinator, neighbourhood=world.home, playbook=playbook, title="Fête de la rue"
    )
    volunteer = initiative_actions.sign_up(by=resident, initiative=action).volunteer
    task = action.tasks.first()
    assert task is not None
    initiative_actions.take_task(volunteer=volunteer, task=task)
    board = Board.objects.create(neighbourhood=world.home, is_open=True, prompt="Et vous ?")
    said = contribution_actions.post_on_board(
        by=resident, board=board, text="Plus de bancs, appelez-moi au 0470 12 34 56", key="k1"
    ).contribution
    contribution_actions.hide(
        by=world.person("coordinator"),
        contribution=said,
        reason=Reason.OFF_TOPIC,
        note="Hors sujet",
    )
    contribution_actions.appeal(by=resident, contribution=said, text="C'est le sujet.")
    contribution_actions.say_me_too(by=resident, contribution=make_post(world.home, "Des arbres."))
    request = make_request(world, sent=True)
    request_actions.follow(by=resident, request=request, following=True)
    request_actions.follow_by_contact(request=request, email="resident@example.org", language="fr")
    request_actions.follow_by_contact(request=request, email="voisin@example.org", language="fr")
    # Someone else's data never appears.
    workshop_actions.register(workshop=workshop, by=None, name="Fatou", email="f@example.org")

    client = Client()
    client.force_login(resident)
    response = client.get(reverse("privacy:my_data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "resident@example.org"
    [registration] = data["workshop_registrations"]
    assert registration["workshop"] == "Atelier de Bomel"
    assert registration["needs"] == ["garderie"]
    [said] = data["contributions"]
    assert "0470 12 34 56" in said["said"]  # as they said it: it is their own data
    assert "0470 12 34 56" not in said["published_as"]
    assert said["appeals"][0]["text"] == "C'est le sujet."
    assert said["moderation_note"] == "Hors sujet"
    assert data["me_too"] == ["Des arbres."]
    assert data["requests_followed"] == [request.title]
    assert data["requests_followed_by_email"] == [{"request": request.title, "confirmed": False}]
    [joined] = data["citizen_actions"]
    assert joined["action"] == "Fête de la rue"
    assert [taken["title"] for taken in joined["tasks_taken"]] == [task.title]
    assert registration["private_link"]["email"] == "resident@example.org"
    assert "Fatou" not in response.content.decode()


def test_a_private_link_downloads_what_it_opens_and_a_dead_one_nothing(world: World) -> None:
    workshop = make_hosted_workshop(world)
    made = workshop_actions.register(
        workshop=workshop, by=None, name="Amina", email="amina@example.org", phone="0470 11 22 33"
    ).registration
    page = Client().get(reverse("workshops:registration", args=[made.token])).text
    url = reverse("privacy:link_data", args=[made.token])
    assert url in page
    data = json.loads(Client().get(url).content)
    assert data["workshop_registration"]["phone"] == "0470 11 22 33"
    assert Client().get(reverse("privacy:link_data", args=["x" * 43])).status_code == 404


def test_a_volunteer_and_an_author_download_through_their_links(world: World) -> None:
    coordinator = world.person("coordinator")
    playbook = initiative_actions.import_playbook(by=coordinator, text=STREET_PARTY)
    action = initiative_actions.start_initiative(
        by=coordinator, neighbourhood=world.home, playbook=playbook, title="Fête de la rue"
    )
    volunteer = initiative_actions.sign_up(
        by=None, initiative=action, name="Karim", email="karim@example.org"
    ).volunteer
    page = Client().get(reverse("initiatives:volunteer", args=[volunteer.token])).text
    assert reverse("privacy:link_data", args=[volunteer.token]) in page
    data = json.loads(Client().get(reverse("privacy:link_data", args=[volunteer.token])).content)
    assert data["citizen_action"]["email"] == "karim@example.org"
    said = make_post(world.home, "Plus de bancs.", author_name="Amina", email="amina@example.org")
    response = Client().get(reverse("privacy:link_data", args=[said.follow_token]))
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["contribution"]["contact_email"] == "amina@example.org"
    assert data["contribution"]["nickname"] == "Amina"
