"""Details of the city's support the first tests left open (found by the mutation run of
2026-12-05, docs/mutation/initiatives.md): what a request made from a permit or a need says
(its title, why, the contributions it came from), asking from a page loaded before someone else
asked, and needs listed and marked met one at a time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from palabre.contributions.models import Moderation
from palabre.contributions.tests.factories import make_post
from palabre.core.testing import World
from palabre.initiatives import actions
from palabre.initiatives.models import Need, NeedKind, Playbook, Task
from palabre.initiatives.tests.factories import make_initiative
from palabre.official_requests.models import Request
from palabre.official_requests.tests.factories import make_department

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def test_a_permit_asked_of_the_city_says_what_for_when_and_from_what_residents_said(
    world: World,
) -> None:
    make_initiative(world)  # imports the playbook
    said = make_post(world.home, "Une fête de rue au printemps !")
    waiting = make_post(world.home, "Et un barbecue ?", moderation=Moderation.PRE)
    initiative = actions.start_initiative(
        by=world.person("facilitator"),
        neighbourhood=world.home,
        playbook=Playbook.objects.get(),
        title="Fête de la rue Piret",
        starts_on=date(2027, 5, 22),
        contributions=[said, waiting],
        leads=[world.person("resident")],
    )
    asked = actions.ask_city(
        by=world.person("resident"),
        initiative=initiative,
        department=make_department(world),
        asked="Fermer la rue le samedi 22 mai.",
        item=initiative.tasks.get(permit=True),
    )
    assert asked.title == "Demander la fermeture de la rue — Fête de la rue Piret"
    assert asked.why == (
        "Pour l'action citoyenne «\u00a0Fête de la rue Piret\u00a0» du samedi 22 mai 2027, "
        "portée par des habitants."
    )
    # Only what is published goes with the request (the other is still being moderated).
    assert list(asked.contributions.all()) == [said]


def test_a_need_of_an_action_without_a_date_says_what_for(world: World) -> None:
    initiative = make_initiative(world)
    lead = world.person("resident")
    actions.edit_details(
        by=lead, initiative=initiative, title=initiative.title, description="", starts_on=None
    )
    tables = actions.add_need(
        by=lead, initiative=initiative, kind=NeedKind.MATERIALS, description="Dix tables"
    )
    asked = actions.ask_city(
        by=lead,
        initiative=initiative,
        department=make_department(world, slug="evenements", name="Fêtes"),
        asked="Prêt de dix tables.",
        item=tables,
    )
    assert asked.title == "Dix tables — Fête de la rue Haute"
    assert (
        asked.why
        == "Pour l'action citoyenne «\u00a0Fête de la rue Haute\u00a0», portée par des habitants."
    )


@pytest.mark.parametrize("kind", ["task", "need"])
def test_asking_from_a_page_loaded_before_someone_else_asked_finds_their_request(
    world: World, kind: str
) -> None:
    initiative = make_initiative(world)
    lead = world.person("resident")
    department = make_department(world)
    item: Task | Need
    if kind == "task":
        item = initiative.tasks.get(permit=True)
    else:
        item = actions.add_need(
            by=lead, initiative=initiative, kind=NeedKind.ROOM, description="Une salle"
        )
    stale = type(item)._default_manager.get(pk=item.pk)  # loaded before the first ask
    first = actions.ask_city(
        by=lead, initiative=initiative, department=department, asked="Demande", item=item
    )
    again = actions.ask_city(
        by=world.person("coordinator"),
        initiative=initiative,
        department=department,
        asked="Demande",
        item=stale,
    )
    assert again == first
    assert list(Request.objects.all()) == [first]
    assert type(item)._default_manager.get(pk=item.pk).request == first


def test_a_need_is_listed_with_what_is_needed(world: World) -> None:
    initiative = make_initiative(world)
    client = Client()
    client.force_login(world.person("resident"))
    url = reverse("initiatives:add_need", args=[initiative.pk])
    client.post(url, {"need-kind": NeedKind.ROOM, "need-description": "Une salle pour 50"})
    assert list(initiative.needs.values_list("kind", "description")) == [
        (NeedKind.ROOM, "Une salle pour 50")
    ]


def test_a_need_marked_met_is_that_one_at_the_time_it_was_first_marked(world: World) -> None:
    initiative = make_initiative(world)
    lead = world.person("resident")
    room, tables = (
        actions.add_need(by=lead, initiative=initiative, kind=NeedKind.ROOM, description=text)
        for text in ("Une salle", "Des tables")
    )
    first = datetime(2027, 5, 1, 10, tzinfo=BRUSSELS)
    with time_machine.travel(first, tick=False):
        actions.mark_need_met(by=lead, need=room)
    with time_machine.travel(datetime(2027, 5, 3, 10, tzinfo=BRUSSELS), tick=False):
        actions.mark_need_met(by=lead, need=room)  # a second click changes nothing
    assert Need.objects.get(pk=room.pk).met_at == first
    assert Need.objects.get(pk=tables.pk).met_at is None
