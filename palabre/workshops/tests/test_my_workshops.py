"""Tonight's tools first (issue 17, item 2): a facilitator's "My workshops" page with today's
workshop on top, the team's tools above the public form on a workshop's page, and the
facilitator recording their own workshop as held once it has started."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.accounts.models import Role, User
from palabre.accounts.tests.factories import make_user
from palabre.core.testing import World
from palabre.workshops import actions
from palabre.workshops.models import Minutes, Status, Workshop
from palabre.workshops.tests.factories import BRUSSELS, make_hosted_workshop

pytestmark = pytest.mark.django_db

# A Tuesday afternoon: "today's" workshop starts at 18:30.
AFTERNOON = datetime(2026, 12, 8, 16, 0, tzinfo=BRUSSELS)
STARTED = datetime(2026, 12, 8, 19, 0, tzinfo=BRUSSELS)
MINE = reverse("workshops:mine")


@pytest.fixture(autouse=True)
def _tuesday() -> Iterator[None]:
    with time_machine.travel(AFTERNOON, tick=False):
        yield


def _client(user: User, language: str = "fr") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def _text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def _status_url(workshop: Workshop) -> str:
    return reverse("workshops:change_status", args=[workshop.pk])


def _another_facilitator() -> User:
    return make_user(role=Role.FACILITATOR, email="autre.mediateur@example.org")


def test_todays_workshop_comes_first_then_the_coming_ones_then_those_to_finish(
    world: World,
) -> None:
    make_hosted_workshop(world, days_from_now=3, title="Jambes dans trois jours")
    make_hosted_workshop(world, days_from_now=0, title="Bomel ce soir")
    make_hosted_workshop(
        world, days_from_now=-5, title="Tenu sans compte rendu", status=Status.HELD
    )
    make_hosted_workshop(world, days_from_now=-9, title="Jamais enregistré comme tenu")
    make_hosted_workshop(world, days_from_now=-20, title="Déjà publié", status=Status.REPORTED)
    make_hosted_workshop(
        world, days_from_now=-2, title="Annulé la semaine", status=Status.CANCELLED
    )

    page = _text(_client(world.person("facilitator")).get(MINE))

    order = [
        page.index(title)
        for title in (
            "Bomel ce soir",
            "Jambes dans trois jours",
            "Tenu sans compte rendu",
            "Jamais enregistré comme tenu",
        )
    ]
    assert order == sorted(order)
    today = page[page.index('class="card card--today"') : page.index('id="coming-title"')]
    assert "Bomel ce soir" in today
    assert "Accueillir les participants" in today
    assert "Noter ce qui se dit" in today
    assert "Imprimer ce qui s'est passé depuis la dernière fois (PDF)" in today
    assert "Télécharger la feuille de présence papier (PDF)" in today
    # Not started yet: when it can be recorded as held, no button before then.
    assert "Enregistrez-le ici comme tenu dès qu'il a commencé (18 h 30)." in today
    assert "Enregistrer comme tenu" not in today
    finish = page[page.index('id="to-finish-title"') :]
    assert "Rédiger le compte rendu" in finish
    assert "Enregistrer comme tenu" in finish  # the one never recorded as held
    assert "Déjà publié" not in page
    assert "Annulé la semaine" not in page


def test_only_the_persons_own_workshops_are_listed(world: World) -> None:
    make_hosted_workshop(world, days_from_now=0, title="Mon atelier")
    theirs = make_hosted_workshop(world, days_from_now=0, title="L'atelier d'un collègue")
    theirs.facilitators.set([_another_facilitator()])

    page = _text(_client(world.person("facilitator")).get(MINE))

    assert "Mon atelier" in page
    assert "L'atelier d'un collègue" not in page


def test_a_coordinator_sees_the_workshops_they_facilitate_and_a_way_to_all_the_others(
    world: World,
) -> None:
    coordinator = world.person("coordinator")
    mine = make_hosted_workshop(world, days_from_now=0, title="Table ronde du soir")
    mine.facilitators.add(coordinator)
    make_hosted_workshop(world, days_from_now=0, title="Celui du médiateur seul")

    page = _text(_client(coordinator).get(MINE))

    assert "Table ronde du soir" in page
    assert "Celui du médiateur seul" not in page
    assert reverse("workshops:cycles") in page


def test_nobody_else_has_the_page_and_the_menu_offers_it_to_those_who_do(world: World) -> None:
    for persona in ("resident", "partner", "official"):
        assert _client(world.person(persona)).get(MINE).status_code == 403
    assert Client().get(MINE).status_code == 403
    for persona in ("facilitator", "coordinator"):
        home = _text(_client(world.person(persona)).get("/"))
        assert f'href="{MINE}"' in home
    assert f'href="{MINE}"' not in _text(_client(world.person("resident")).get("/"))


def test_the_page_says_when_there_is_nothing_today(world: World) -> None:
    page = _text(_client(world.person("facilitator")).get(MINE))
    assert "Vous n'avez pas d'atelier aujourd'hui." in page
    assert "Aucun autre atelier n'est encore prévu pour vous." in page
    assert "Rien à terminer\u00a0: chaque atelier passé est enregistré comme tenu" in page


def test_the_facilitator_records_their_workshop_as_held_once_it_has_started(
    world: World,
) -> None:
    workshop = make_hosted_workshop(world, days_from_now=0)
    client = _client(world.person("facilitator"))
    with time_machine.travel(STARTED, tick=False):
        page = _text(client.get(MINE))
        assert "Enregistrer comme tenu" in page

        asked = client.post(_status_url(workshop), {"status": "held", "back": "mine"})

        assert "Cet atelier a-t-il eu lieu\u00a0?" in _text(asked)
        assert 'name="back" value="mine"' in _text(asked)
        assert Workshop.objects.get(pk=workshop.pk).status == Status.ANNOUNCED
        done = client.post(
            _status_url(workshop), {"status": "held", "confirm": "yes", "back": "mine"}
        )
        assert done["Location"] == MINE
        after = _text(client.get(MINE))
    assert Workshop.objects.get(pk=workshop.pk).status == Status.HELD
    assert "L'atelier est enregistré comme tenu." in after
    assert "Rédiger le compte rendu" in after
    assert "Annuler\u00a0: pas tenu" in after


def test_from_the_workshops_page_too_and_undone_the_same_evening(world: World) -> None:
    workshop = make_hosted_workshop(world, days_from_now=0)
    client = _client(world.person("facilitator"))
    with time_machine.travel(STARTED, tick=False):
        assert "Enregistrer comme tenu" in _text(client.get(workshop.get_absolute_url()))
        done = client.post(_status_url(workshop), {"status": "held", "confirm": "yes"})
        assert done["Location"] == workshop.get_absolute_url()
        page = _text(client.get(workshop.get_absolute_url()))
        assert "Rédiger le compte rendu" in page
        undone = client.post(_status_url(workshop), {"status": "undo_held"}, follow=True)
    assert "C'est annulé\u00a0: l'atelier est de nouveau annoncé." in _text(undone)
    assert Workshop.objects.get(pk=workshop.pk).status == Status.ANNOUNCED


def test_the_facilitator_writes_the_minutes_on_the_way_home(world: World) -> None:
    workshop = make_hosted_workshop(world, days_from_now=0)
    client = _client(world.person("facilitator"))
    with time_machine.travel(STARTED + timedelta(hours=2, minutes=30), tick=False):
        client.post(_status_url(workshop), {"status": "held", "confirm": "yes"})
        editor = client.get(reverse("workshops:edit_minutes", args=[workshop.pk]))
    assert editor.status_code == 200
    assert Minutes.objects.filter(workshop=workshop).exists()


def test_a_facilitator_of_another_workshop_is_refused(world: World) -> None:
    workshop = make_hosted_workshop(world, days_from_now=0)
    other = _another_facilitator()
    with time_machine.travel(STARTED, tick=False):
        for data in ({"status": "held"}, {"status": "held", "confirm": "yes"}):
            assert _client(other).post(_status_url(workshop), data).status_code == 403
        with pytest.raises(PermissionDenied):
            actions.mark_held(by=other, workshop=workshop)
    assert Workshop.objects.get(pk=workshop.pk).status == Status.ANNOUNCED


def test_before_it_starts_the_facilitator_is_told_from_when_in_their_language(
    world: World,
) -> None:
    workshop = make_hosted_workshop(world, days_from_now=0)
    facilitator = world.person("facilitator")
    url = _status_url(workshop)

    french = _client(facilitator).post(url, {"status": "held", "confirm": "yes"}, follow=True)
    dutch = _client(facilitator, "nl").post(url, {"status": "held"}, follow=True)

    assert (
        "L'atelier n'a pas encore commencé. Vous pourrez l'enregistrer comme tenu à partir du "
        "mardi 8 décembre 2026 à 18 h 30." in _text(french)
    )
    assert (
        "De workshop is nog niet begonnen. U kunt hem als gehouden registreren vanaf dinsdag "
        "8 december 2026 om 18.30 uur." in _text(dutch)
    )
    assert Workshop.objects.get(pk=workshop.pk).status == Status.ANNOUNCED
    with pytest.raises(PermissionDenied):  # the action checks again
        actions.mark_held(by=facilitator, workshop=workshop)


def test_a_double_tap_records_it_once(world: World) -> None:
    workshop = make_hosted_workshop(world, days_from_now=0)
    client = _client(world.person("facilitator"))
    confirmed = {"status": "held", "confirm": "yes", "back": "mine"}
    with time_machine.travel(STARTED, tick=False):
        client.post(_status_url(workshop), confirmed)
    held_at = Workshop.objects.get(pk=workshop.pk).held_at
    with time_machine.travel(STARTED + timedelta(seconds=2), tick=False):
        again = client.post(_status_url(workshop), confirmed, follow=True)
    assert again.redirect_chain == [(MINE, 302)]
    assert "Cet atelier est déjà enregistré comme tenu." in _text(again)
    assert Workshop.objects.get(pk=workshop.pk).held_at == held_at
    assert Workshop.objects.get(pk=workshop.pk).status == Status.HELD


def test_the_team_s_tools_come_before_the_public_registration_form(world: World) -> None:
    workshop = make_hosted_workshop(world, days_from_now=0)
    page = _text(_client(world.person("facilitator")).get(workshop.get_absolute_url()))
    tools = page.index('id="tools-title"')
    for tool in (
        "Accueillir les participants",
        "Noter ce qui se dit",
        "Imprimer ce qui s'est passé depuis la dernière fois (PDF)",
        "Télécharger la feuille de présence papier (PDF)",
        "Imprimer des invitations",
        "Voir les inscriptions",
    ):
        assert tools < page.index(tool) < page.index('id="registration"'), tool
    # The public content keeps its order, after the tools.
    assert page.index("De quoi nous parlerons") < page.index('id="registration"')
    assert tools < page.index("De quoi nous parlerons")
    resident = _text(_client(world.person("resident")).get(workshop.get_absolute_url()))
    assert 'id="tools-title"' not in resident
    assert "Accueillir les participants" not in resident


def _workshops_of_every_kind(world: World, copies: int) -> None:
    """`copies` workshops today, coming, held without minutes and never recorded as held."""
    for _copy in range(copies):
        for days, status in (
            (0, Status.ANNOUNCED),
            (4, Status.ANNOUNCED),
            (12, Status.PLANNED),
            (-3, Status.HELD),
            (-6, Status.ANNOUNCED),
        ):
            make_hosted_workshop(world, days_from_now=days, status=status)


QUERIES = 4  # the session, its user, the workshops with their counts, their facilitators


@pytest.mark.parametrize("copies", [1, 12])
def test_the_page_costs_the_same_queries_whatever_the_number_of_workshops(
    world: World, django_assert_max_num_queries: object, copies: int
) -> None:
    _workshops_of_every_kind(world, copies)
    client = _client(world.person("facilitator"))
    with django_assert_max_num_queries(QUERIES):  # type: ignore[operator]
        page = client.get(MINE)
    assert _text(page).count('class="card card--today"') == copies


def test_the_queries_are_the_same_for_one_and_for_many(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(world.person("facilitator"))
    counts = []
    for copies in (1, 10):
        _workshops_of_every_kind(world, copies)
        with CaptureQueriesContext(connection) as queries:
            client.get(MINE)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_service_still_records_any_workshop_on_its_day(world: World) -> None:
    workshop = make_hosted_workshop(world, days_from_now=0)
    held = actions.mark_held(by=world.person("coordinator"), workshop=workshop)  # before 18:30
    assert held.status == Status.HELD


def test_a_facilitator_records_through_the_action_once_started(world: World) -> None:
    workshop = make_hosted_workshop(world, days_from_now=0)
    facilitator = world.person("facilitator")
    with time_machine.travel(
        datetime.combine(AFTERNOON.date(), time(18, 31), tzinfo=BRUSSELS), tick=False
    ):
        held = actions.mark_held(by=facilitator, workshop=workshop)
        assert held.status == Status.HELD
        assert actions.undo_held(by=facilitator, workshop=held).status == Status.ANNOUNCED
