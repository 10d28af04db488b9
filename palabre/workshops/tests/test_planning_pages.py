"""The coordinator plans and changes workshops from the front office (issue 14, item 1)."""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palabre.accounts.models import Role
from palabre.accounts.tests.factories import make_user
from palabre.core.testing import World, sent_mail
from palabre.neighbourhoods.tests.factories import make_partner, make_venue
from palabre.workshops import actions
from palabre.workshops.models import Cycle, Registration, Status, Workshop
from palabre.workshops.tests.factories import make_cycle, make_hosted_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world: World) -> Cycle:
    return make_cycle(
        [world.home, world.elsewhere],
        slug="2027-2028",
        starts_on=date(2027, 9, 1),
        ends_on=date(2028, 6, 30),
    )


def _coordinator(world: World) -> Client:
    client = Client()
    client.force_login(world.person("coordinator"))
    return client


def _form(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "title": "Bomel : la place",
        "kind": "workshop",
        "neighbourhood": world.home.pk,
        "day": "2027-10-12",
        "starts": "18:30",
        "ends": "20:30",
        "venue": world.venue.pk,
        "partners": [world.partner_org.pk],
        "facilitators": [world.person("facilitator").pk],
        "capacity": "30",
        "theme": "",
        "description": "",
        "guiding_questions": "Qu'aimez-vous ici ?\n\n  Que changer ?  ",
        "key": "k" * 20,
    } | changes


def test_the_form_offers_the_cycles_places_and_only_staff_as_facilitators(
    world: World, cycle: Cycle
) -> None:
    elsewhere_hall = make_venue(neighbourhood=world.elsewhere, name="Salle de Jambes", slug="sj")
    make_venue(neighbourhood=world.hidden, name="Salle de Vedrin", slug="sv")
    page = _coordinator(world).get(reverse("workshops:new_workshop", args=[cycle.slug])).text
    assert '<optgroup label="Bomel">' in page
    assert '<optgroup label="Jambes">' in page
    assert elsewhere_hall.name in page
    assert "Salle de Vedrin" not in page  # not a neighbourhood of the cycle
    assert "places" in page  # capacity and accessibility in each venue's label
    assert world.person("facilitator").display_name in page
    assert world.person("coordinator").display_name in page
    assert world.person("resident").display_name not in page
    assert world.person("official").display_name not in page


def test_a_workshop_planned_from_the_form_is_saved_once(world: World, cycle: Cycle) -> None:
    client = _coordinator(world)
    url = reverse("workshops:new_workshop", args=[cycle.slug])
    first = client.post(url, _form(world))
    second = client.post(url, _form(world))
    workshop = Workshop.objects.get()
    assert first["Location"] == second["Location"] == workshop.get_absolute_url()
    assert (workshop.cycle, workshop.status, workshop.venue) == (cycle, Status.PLANNED, world.venue)
    assert workshop.guiding_questions == ["Qu'aimez-vous ici ?", "Que changer ?"]
    assert list(workshop.facilitators.all()) == [world.person("facilitator")]
    assert workshop.starts_at is not None
    assert workshop.starts_at.isoformat() == "2027-10-12T16:30:00+00:00"  # 18:30 in Brussels


def test_a_workshop_without_a_date_yet_is_listed_on_the_planning(
    world: World, cycle: Cycle
) -> None:
    client = _coordinator(world)
    client.post(
        reverse("workshops:new_workshop", args=[cycle.slug]),
        _form(world, day="", starts="", ends="", venue="", facilitators=[]),
    )
    page = client.get(reverse("workshops:planning", args=[cycle.slug])).text
    assert "Sans date" in page
    assert "Sans animateur" in page
    assert "Bomel : la place" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day": "2029-01-09"}, "Choisissez un jour dans le cycle"),
        ({"ends": "17:00"}, "Un atelier doit se terminer après avoir commencé"),
        ({"starts": ""}, "Donnez le jour, le début et la fin, ou aucun des trois"),
        ({"neighbourhood": ""}, "Choisissez le quartier de l"),
        ({"capacity": "0"}, "supérieure ou égale à 1"),
        ({"guiding_questions": "\n".join(f"Q{n} ?" for n in range(11))}, "Au plus 10 questions"),
        ({"guiding_questions": " \n "}, "Écrivez au moins une question guide"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(
    world: World, cycle: Cycle, changes: dict[str, Any], message: str
) -> None:
    page = _coordinator(world).post(
        reverse("workshops:new_workshop", args=[cycle.slug]), _form(world, **changes)
    )
    assert page.status_code == 200
    assert message in page.text
    assert 'value="Bomel : la place"' in page.text
    assert not Workshop.objects.exists()


def test_a_venue_or_partner_of_another_neighbourhood_is_refused(world: World, cycle: Cycle) -> None:
    jambes_hall = make_venue(neighbourhood=world.elsewhere, name="Salle de Jambes", slug="sj")
    jambes_partner = make_partner(name="Jambes Jeunes", neighbourhoods=[world.elsewhere])
    page = _coordinator(world).post(
        reverse("workshops:new_workshop", args=[cycle.slug]),
        _form(world, venue=jambes_hall.pk, partners=[jambes_partner.pk]),
    )
    assert "Salle de Jambes est à Jambes, pas à Bomel." in page.text
    assert "Ne travaille pas à Bomel\u00a0: Jambes Jeunes." in page.text
    assert not Workshop.objects.exists()


def test_moving_an_announced_workshop_tells_registrants(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    workshop = make_hosted_workshop(world, days_from_now=20)
    assert workshop.cycle is not None
    actions.register(workshop=workshop, by=None, name="Amina", email="amina@example.org")
    Registration.objects.create(workshop=workshop, name="Sans adresse", status="confirmed")
    sent_mail().clear()
    client = _coordinator(world)
    url = reverse("workshops:edit_workshop", args=[workshop.pk])
    page = client.get(url).text
    assert "reçoit un e-mail avec les nouvelles informations" in page
    assert workshop.starts_at is not None
    next_day = timezone.localdate(workshop.starts_at) + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            _form(
                world,
                title=workshop.title,
                day=next_day.isoformat(),
                starts="19:00",
                key="",
                version=workshop.version,
            ),
        )
    assert response.status_code == 302
    mails = sent_mail()
    assert [m.to for m in mails] == [["amina@example.org"]]
    assert "19:00" in str(mails[0].body)


def test_a_workshop_that_took_place_is_not_changed(world: World) -> None:
    workshop = make_hosted_workshop(world, status=Status.HELD, days_from_now=-3)
    response = _coordinator(world).get(
        reverse("workshops:edit_workshop", args=[workshop.pk]), follow=True
    )
    assert "a été annulé ne se modifie plus" in response.text
    assert Workshop.objects.get(pk=workshop.pk).status == Status.HELD


def test_only_staff_facilitate_even_when_posting_an_id(world: World, cycle: Cycle) -> None:
    official = make_user(email="echevin@example.org", role=Role.OFFICIAL)
    for outsider in (official, world.person("resident")):
        page = _coordinator(world).post(
            reverse("workshops:new_workshop", args=[cycle.slug]),
            _form(world, facilitators=[outsider.pk]),
        )
        assert "Sélectionnez un choix valide" in page.text
    assert not Workshop.objects.exists()


def test_the_service_creates_a_cycle_once_from_the_front_office(world: World) -> None:
    client = _coordinator(world)
    url = reverse("workshops:new_cycle")
    form = {
        "name": "Ateliers 2030",
        "slug": "2030",
        "starts_on": "2030-09-01",
        "ends_on": "2031-06-30",
        "workshops_per_neighbourhood": "3",
        "neighbourhoods": [world.home.pk, world.elsewhere.pk],
    }
    refused = client.post(url, form | {"ends_on": "2030-01-01", "neighbourhoods": []})
    assert "Un cycle ne peut pas se terminer avant de commencer." in refused.text
    assert "Choisissez au moins un quartier." in refused.text
    assert not Cycle.objects.filter(slug="2030").exists()

    first = client.post(url, form)
    again = client.post(url, form)

    assert first["Location"] == again["Location"] == reverse("workshops:planning", args=["2030"])
    cycle = Cycle.objects.get(slug="2030")
    assert set(cycle.neighbourhoods.all()) == {world.home, world.elsewhere}
    taken = client.post(url, form | {"name": "Un autre"})
    assert "Le cycle «\u00a0Ateliers 2030\u00a0» utilise déjà ce nom court" in taken.text


def test_two_editors_never_overwrite_each_other_and_the_second_keeps_what_she_typed(
    world: World,
) -> None:
    workshop = make_hosted_workshop(world, title="Bomel : la place", days_from_now=20)
    assert workshop.cycle is not None
    day = timezone.localdate(workshop.starts_at).isoformat()
    url = reverse("workshops:edit_workshop", args=[workshop.pk])
    first, second = _coordinator(world), Client()
    second.force_login(make_user(email="coord2@example.org", role=Role.COORDINATOR))
    opened = second.get(url).text
    assert 'name="version" value="1"' in opened
    same = {"day": day, "venue": world.venue.pk, "version": "1", "key": ""}
    assert first.post(url, _form(world, title="Bomel : la grand-place", **same)).status_code == 302

    refused = second.post(url, _form(world, capacity="45", **same))
    page = html.unescape(refused.text)
    assert "Quelqu'un d'autre a modifié cet atelier pendant que vous le modifiiez." in page
    assert "Titre\u00a0: Bomel : la grand-place" in page
    assert "Capacité (personnes)\u00a0: 30" in page  # hers is 45
    assert "Lieu\u00a0:" not in page  # what nobody changed is not listed
    assert 'value="45"' in page  # what she typed is still in the form
    assert 'name="version" value="2"' in page
    stored = Workshop.objects.get(pk=workshop.pk)
    assert (stored.title, stored.capacity, stored.version) == ("Bomel : la grand-place", 30, 2)

    # Having compared, she saves again: her version goes through.
    again = second.post(url, _form(world, capacity="45", **same | {"version": "2"}))
    assert again.status_code == 302
    stored.refresh_from_db()
    assert (stored.title, stored.capacity, stored.version) == ("Bomel : la place", 45, 3)
