"""Every write on a citizen action re-checks who acts, whatever page called it: each action is
called directly by people it must refuse. The reads hide what belongs to an unpublished
neighbourhood, and `steerable_initiatives` agrees with `can_steer`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from palabre.accounts.models import Role
from palabre.accounts.tests.factories import make_user
from palabre.core.testing import World, jpeg_with_gps
from palabre.initiatives import actions, queries
from palabre.initiatives.models import Initiative, InitiativePhoto, NeedKind, Status, Task
from palabre.initiatives.permissions import can_steer
from palabre.initiatives.tests.factories import STREET_PARTY, make_initiative
from palabre.official_requests.models import Request
from palabre.official_requests.tests.factories import make_department
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db

# Neither leads nor the service; the facilitator persona runs no workshop in Bomel and did not
# start the action (the coordinator did).
REFUSED = ("anonymous", "neighbour", "partner", "official", "facilitator")


def _action(world: World) -> Initiative:
    return make_initiative(world, started_by="coordinator")


def _move(world: World, initiative: Initiative, by: Any) -> None:
    actions.move(by=by, initiative=initiative, target=Status.PREPARATION)


def _edit_details(world: World, initiative: Initiative, by: Any) -> None:
    actions.edit_details(
        by=by, initiative=initiative, title="Autre titre", description="", starts_on=None
    )


def _add_task(world: World, initiative: Initiative, by: Any) -> None:
    actions.add_task(by=by, initiative=initiative, title="Louer la sono", due_on=None)


def _update_task(world: World, initiative: Initiative, by: Any) -> None:
    task = initiative.tasks.get(permit=False)
    actions.update_task(by=by, task=task, owner=None, due_on=None, done=True)


def _make_lead(world: World, initiative: Initiative, by: Any) -> None:
    rosa = make_user(email="rosa@example.org")
    volunteer = actions.sign_up(by=rosa, initiative=initiative).volunteer
    actions.make_lead(by=by, volunteer=volunteer)


def _add_need(world: World, initiative: Initiative, by: Any) -> None:
    actions.add_need(by=by, initiative=initiative, kind=NeedKind.ROOM, description="Salle")


def _mark_need_met(world: World, initiative: Initiative, by: Any) -> None:
    lead = world.person("resident")
    need = actions.add_need(by=lead, initiative=initiative, kind=NeedKind.ROOM, description="Salle")
    actions.mark_need_met(by=by, need=need)


def _ask_city(world: World, initiative: Initiative, by: Any) -> None:
    actions.ask_city(
        by=by,
        initiative=initiative,
        department=make_department(world),
        asked="Fermer la rue Haute le 22 mai.",
        item=initiative.tasks.get(permit=True),
    )


def _set_budget(world: World, initiative: Initiative, by: Any) -> None:
    actions.set_budget(
        by=by, initiative=initiative, requested=Decimal(150), granted=initiative.budget_granted
    )


def _add_expense(world: World, initiative: Initiative, by: Any) -> None:
    actions.add_expense(
        by=by,
        initiative=initiative,
        label="Tables",
        amount=Decimal(40),
        spent_on=date(2027, 5, 20),
        receipt=SimpleUploadedFile("ticket.jpg", jpeg_with_gps()),
        key="k" * 20,
    )


def _add_photo(world: World, initiative: Initiative, by: Any) -> None:
    actions.add_photo(
        by=by,
        initiative=initiative,
        image=SimpleUploadedFile("fete.jpg", jpeg_with_gps()),
        description="Les tables",
        shows_people=False,
        consent="",
        key="p" * 20,
    )


def _publish_report(world: World, initiative: Initiative, by: Any) -> None:
    lead = world.person("resident")
    actions.move(by=lead, initiative=initiative, target=Status.PREPARATION)
    actions.move(by=lead, initiative=initiative, target=Status.HAPPENING)
    actions.publish_report(by=by, initiative=initiative, text="Une belle fête.")


STEERING: dict[str, Callable[[World, Initiative, Any], None]] = {
    "move": _move,
    "edit_details": _edit_details,
    "add_task": _add_task,
    "update_task": _update_task,
    "make_lead": _make_lead,
    "add_need": _add_need,
    "mark_need_met": _mark_need_met,
    "ask_city": _ask_city,
    "set_budget": _set_budget,
    "add_expense": _add_expense,
    "add_photo": _add_photo,
    "publish_report": _publish_report,
}


@pytest.mark.parametrize("persona", REFUSED)
@pytest.mark.parametrize("name", STEERING)
def test_each_steering_action_refuses_whoever_does_not_steer_the_action(
    world: World, name: str, persona: str
) -> None:
    initiative = _action(world)
    with pytest.raises(PermissionDenied):
        STEERING[name](world, initiative, world.user(persona))


@pytest.mark.parametrize("name", STEERING)
def test_each_steering_action_lets_a_facilitator_who_runs_a_workshop_in_the_neighbourhood(
    world: World, name: str
) -> None:
    # The positive side of the test above: the same call passes once the facilitator works there.
    make_hosted_workshop(world)
    STEERING[name](world, _action(world), world.person("facilitator"))


@pytest.mark.parametrize("name", STEERING)
def test_each_steering_action_lets_the_facilitator_who_started_the_action(
    world: World, name: str
) -> None:
    STEERING[name](world, make_initiative(world), world.person("facilitator"))


def test_a_facilitator_who_became_a_resident_no_longer_steers_what_they_started(
    world: World,
) -> None:
    initiative = make_initiative(world)
    facilitator = world.person("facilitator")
    facilitator.role = Role.RESIDENT
    facilitator.save(update_fields=["role"])
    with pytest.raises(PermissionDenied):
        _add_task(world, initiative, facilitator)


def test_a_lead_cannot_record_the_budget_the_city_granted(world: World) -> None:
    initiative = _action(world)
    with pytest.raises(PermissionDenied):
        actions.set_budget(
            by=world.person("resident"),
            initiative=initiative,
            requested=Decimal(150),
            granted=Decimal(150),
        )
    initiative.refresh_from_db()
    assert initiative.budget_granted is None


def test_ask_city_refuses_an_item_of_another_action(world: World) -> None:
    mine, other = _action(world), make_initiative(world, "Fête de la rue Basse")
    with pytest.raises(PermissionDenied):
        actions.ask_city(
            by=world.person("resident"),
            initiative=mine,
            department=make_department(world),
            asked="Fermer la rue.",
            item=other.tasks.get(permit=True),
        )
    assert not Request.objects.exists()


@pytest.mark.parametrize("persona", ["resident", "neighbour", "facilitator", "partner", "official"])
def test_only_the_service_and_facilitators_start_an_action_or_the_service_imports_playbooks(
    world: World, persona: str
) -> None:
    playbook = actions.import_playbook(by=world.person("coordinator"), text=STREET_PARTY)
    with pytest.raises(PermissionDenied):
        actions.import_playbook(by=world.person(persona), text=STREET_PARTY)
    if persona == "facilitator":
        return  # facilitators start actions (the test above shows they steer them)
    with pytest.raises(PermissionDenied):
        actions.start_initiative(
            by=world.person(persona), neighbourhood=world.home, playbook=playbook, title="Fête"
        )


def _volunteer_elsewhere(world: World) -> tuple[Any, Task]:
    """A volunteer of one action, and a task of another."""
    mine = make_initiative(world)
    other = make_initiative(world, "Fête de la rue Basse")
    volunteer = actions.sign_up(by=None, initiative=mine, name="Rosa").volunteer
    return volunteer, other.tasks.get(permit=False)


@pytest.mark.parametrize("act", [actions.take_task, actions.release_task, actions.finish_task])
def test_a_volunteer_cannot_touch_a_task_of_another_action(
    world: World, act: Callable[..., object]
) -> None:
    volunteer, task = _volunteer_elsewhere(world)
    with pytest.raises(PermissionDenied):
        act(volunteer=volunteer, task=task)
    task.refresh_from_db()
    assert (task.owner_id, task.done_at) == (None, None)


def test_a_volunteer_cannot_finish_a_task_someone_else_took(world: World) -> None:
    initiative = make_initiative(world)
    rosa = actions.sign_up(by=None, initiative=initiative, name="Rosa").volunteer
    marc = actions.sign_up(by=None, initiative=initiative, name="Marc").volunteer
    task = initiative.tasks.get(permit=False)
    actions.take_task(volunteer=rosa, task=task)
    with pytest.raises(PermissionDenied):
        actions.finish_task(volunteer=marc, task=task)
    task.refresh_from_db()
    assert task.done_at is None


# Reads ----------------------------------------------------------------------------------------


def _hidden_action(world: World) -> Initiative:
    """An action in the unpublished neighbourhood, led by the resident, with a photo."""
    playbook = actions.import_playbook(by=world.person("coordinator"), text=STREET_PARTY)
    initiative = actions.start_initiative(
        by=world.person("coordinator"),
        neighbourhood=world.hidden,
        playbook=playbook,
        title="Fête cachée",
        leads=[world.person("resident")],
    )
    _add_photo(world, initiative, world.person("coordinator"))
    return initiative


@pytest.mark.parametrize("persona", ["anonymous", "resident", "facilitator", "partner"])
def test_an_action_of_an_unpublished_neighbourhood_is_seen_by_the_service_only(
    world: World, persona: str
) -> None:
    hidden = _hidden_action(world)
    shown = make_initiative(world)
    user = world.user(persona)
    assert list(queries.visible_initiatives(user)) == [shown]
    assert hidden not in queries.steerable_initiatives(user)
    assert not queries.visible_photos(user).filter(initiative=hidden).exists()
    service = world.person("coordinator")
    assert set(queries.visible_initiatives(service)) == {hidden, shown}
    assert hidden in queries.steerable_initiatives(service)
    assert queries.visible_photos(service).filter(initiative=hidden).exists()


def test_the_photos_of_a_published_action_are_visible_to_everyone(world: World) -> None:
    initiative = make_initiative(world)
    _add_photo(world, initiative, world.person("resident"))
    assert list(queries.visible_photos(None)) == list(InitiativePhoto.objects.all())
    assert queries.visible_photos(None).exists()


def test_steerable_initiatives_agrees_with_can_steer_for_every_persona(world: World) -> None:
    started_by_facilitator = make_initiative(world, "Lancée par l'animatrice")
    by_the_coordinator = _action(world)
    elsewhere = actions.start_initiative(
        by=world.person("coordinator"),
        neighbourhood=world.elsewhere,
        playbook=by_the_coordinator.playbook,  # type: ignore[arg-type]
        title="À Jambes",
        leads=[world.person("neighbour")],
    )
    other_facilitator = make_user(role=Role.FACILITATOR, email="autre@example.org")
    make_hosted_workshop(world).facilitators.set([other_facilitator])
    everyone = [*world.people.values(), other_facilitator]
    steered = {}
    for user in everyone:
        found = set(queries.steerable_initiatives(user))
        predicate = {
            i for i in (started_by_facilitator, by_the_coordinator, elsewhere) if can_steer(user, i)
        }
        assert found == predicate, user
        steered[user.email if user else "anonymous"] = found
    assert steered["facilitator@example.org"] == {started_by_facilitator}
    assert steered["autre@example.org"] == {started_by_facilitator, by_the_coordinator}
    assert steered["resident@example.org"] == {started_by_facilitator, by_the_coordinator}
    assert steered["neighbour@example.org"] == {elsewhere}
    assert steered["coordinator@example.org"] == {
        started_by_facilitator,
        by_the_coordinator,
        elsewhere,
    }
    assert steered["anonymous"] == set()
