from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from palabre.contributions.tests.factories import make_post
from palabre.core.testing import World
from palabre.initiatives import actions
from palabre.initiatives.models import Event, Initiative, Playbook, Status, Task, Volunteer
from palabre.initiatives.playbooks import PlaybookError
from palabre.initiatives.tests.factories import STREET_PARTY

pytestmark = pytest.mark.django_db


def street_party(world: World) -> Playbook:
    return actions.import_playbook(by=world.person("coordinator"), text=STREET_PARTY)


def test_export_then_import_into_an_empty_instance_recreates_the_playbook(world: World) -> None:
    original = street_party(world)
    exported = actions.export_playbook(original)
    before = actions.playbook_data(original)
    Playbook.objects.all().delete()  # an empty instance
    again = actions.import_playbook(by=world.person("administrator"), text=exported)
    assert actions.playbook_data(again) == before
    assert actions.export_playbook(again) == exported


def test_a_bad_file_changes_nothing(world: World) -> None:
    street_party(world)
    broken = STREET_PARTY.replace("days_before = 14", "days_before = -3")
    with pytest.raises(PlaybookError, match="Ligne 12"):
        actions.import_playbook(by=world.person("coordinator"), text=broken)
    assert [s.days_before for s in Playbook.objects.get().steps.all()] == [42, 14]
    with pytest.raises(PermissionDenied):
        actions.import_playbook(by=world.person("facilitator"), text=STREET_PARTY)


def test_an_initiative_from_the_street_party_playbook_gets_dated_tasks(world: World) -> None:
    idea = make_post(world.home, "Et si on faisait une fête de rue au printemps ?")
    initiative = actions.start_initiative(
        by=world.person("facilitator"),
        neighbourhood=world.home,
        playbook=street_party(world),
        title="Fête de la rue Piret-Pauchet",
        starts_on=date(2027, 5, 22),
        contributions=[idea],
        leads=[world.person("resident")],
    )
    tasks = list(initiative.tasks.values_list("title", "due_on", "permit", "department"))
    assert tasks == [
        ("Demander la fermeture de la rue", date(2027, 4, 10), True, "voirie"),
        ("Toutes-boîtes aux voisins", date(2027, 5, 8), False, ""),
    ]
    # The contribution knows what came of it.
    assert list(Initiative.objects.filter(contributions=idea)) == [initiative]


def test_signing_up_twice_is_idempotent_with_or_without_an_account(world: World) -> None:
    initiative = actions.start_initiative(
        by=world.person("coordinator"),
        neighbourhood=world.home,
        playbook=street_party(world),
        title="Fête",
    )
    first = actions.sign_up(by=None, initiative=initiative, name="Rosa", email="Rosa@example.org")
    again = actions.sign_up(by=None, initiative=initiative, name="Rosa B", email="rosa@example.org")
    assert first.created
    assert not again.created
    assert first.volunteer.pk == again.volunteer.pk
    neighbour = world.person("neighbour")
    assert actions.sign_up(by=neighbour, initiative=initiative).created
    assert not actions.sign_up(by=neighbour, initiative=initiative).created
    assert Volunteer.objects.count() == 2
    with pytest.raises(actions.InitiativeError):
        actions.sign_up(by=None, initiative=initiative, name=" ")


def test_a_task_is_taken_once(world: World) -> None:
    initiative = actions.start_initiative(
        by=world.person("coordinator"),
        neighbourhood=world.home,
        playbook=street_party(world),
        title="Fête",
    )
    rosa = actions.sign_up(by=None, initiative=initiative, name="Rosa").volunteer
    marc = actions.sign_up(by=None, initiative=initiative, name="Marc", email="m@example.org")
    task = Task.objects.filter(initiative=initiative).first()
    assert task is not None
    actions.take_task(volunteer=rosa, task=task)
    actions.take_task(volunteer=rosa, task=task)  # again: still hers
    with pytest.raises(actions.InitiativeError):
        actions.take_task(volunteer=marc.volunteer, task=task)


def test_an_abandoned_initiative_keeps_its_whole_history(world: World) -> None:
    initiative = actions.start_initiative(
        by=world.person("coordinator"),
        neighbourhood=world.home,
        playbook=street_party(world),
        title="Fête",
        leads=[world.person("resident")],
    )
    lead = world.person("resident")
    actions.move(by=lead, initiative=initiative, target=Status.PREPARATION)
    with pytest.raises(actions.InitiativeError):
        actions.move(by=lead, initiative=initiative, target=Status.ABANDONED)  # no reason
    with pytest.raises(actions.InitiativeError):
        actions.move(by=lead, initiative=initiative, target=Status.DONE)  # skips "happening"
    with pytest.raises(PermissionDenied):
        actions.move(by=world.person("neighbour"), initiative=initiative, target=Status.HAPPENING)
    actions.move(
        by=lead, initiative=initiative, target=Status.ABANDONED, reason="Pas de salle disponible."
    )
    story = list(Event.objects.filter(initiative=initiative).values_list("status", "reason"))
    assert story == [
        ("idea", ""),
        ("preparation", ""),
        ("abandoned", "Pas de salle disponible."),
    ]
    assert initiative.tasks.count() == 2  # nothing deleted


def test_the_contribution_page_tells_what_came_of_it(world: World) -> None:
    from django.test import Client
    from django.urls import reverse

    idea = make_post(world.home, "Une fête des voisins, ce serait bien.")
    actions.start_initiative(
        by=world.person("facilitator"),
        neighbourhood=world.home,
        playbook=street_party(world),
        title="Fête des voisins de la rue Haute",
        contributions=[idea],
    )
    page = Client().get(reverse("contributions:detail", args=[idea.pk])).text
    assert "Fête des voisins de la rue Haute</a> — Idée" in page
