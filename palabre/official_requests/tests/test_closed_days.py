"""The calendar of closed days kept from the front office: one year at a time, legal holidays
preset once, the city's own closures added and removed by the service only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.official_requests import actions
from palabre.official_requests.models import ClosedDay, PresetYear
from palabre.official_requests.tests.factories import make_request

pytestmark = pytest.mark.django_db

URL = reverse("official_requests:closed_days")
NOT_STAFF = ("resident", "neighbour", "facilitator", "partner", "official")
WALLONIA_MONDAY = date(2027, 9, 20)  # the Monday of the Fêtes de Wallonie, Namur's closure


def _staff(world: World, persona: str = "coordinator") -> Client:
    client = Client()
    client.force_login(world.person(persona))
    return client


# Actions ---------------------------------------------------------------------------------------


def test_the_service_adds_a_local_closure_and_the_legal_holidays_of_its_year_are_preset(
    world: World,
) -> None:
    added = actions.add_closed_day(
        by=world.person("coordinator"), day=WALLONIA_MONDAY, name="  Fêtes de Wallonie "
    )
    assert (added.day, added.name) == (WALLONIA_MONDAY, "Fêtes de Wallonie")
    assert PresetYear.objects.filter(year=2027).exists()
    assert ClosedDay.objects.filter(day=date(2027, 7, 21)).exists()


def test_a_day_closed_already_is_refused_with_a_reason_not_a_server_error(world: World) -> None:
    coordinator = world.person("coordinator")
    actions.add_closed_day(by=coordinator, day=WALLONIA_MONDAY, name="Fêtes de Wallonie")
    with pytest.raises(actions.RequestError, match="déjà"):
        actions.add_closed_day(by=coordinator, day=WALLONIA_MONDAY, name="Encore")
    # A legal holiday of a year not preset yet is found closed too, under its own name.
    with pytest.raises(actions.RequestError):
        actions.add_closed_day(by=coordinator, day=date(2028, 7, 21), name="Fête")
    assert ClosedDay.objects.get(day=WALLONIA_MONDAY).name == "Fêtes de Wallonie"
    assert ClosedDay.objects.get(day=date(2028, 7, 21)).name == "Fête nationale"


def test_a_closed_day_without_a_name_is_refused(world: World) -> None:
    with pytest.raises(actions.RequestError, match=r"^Donnez le nom du jour fermé\.$"):
        actions.add_closed_day(by=world.person("coordinator"), day=WALLONIA_MONDAY, name="  ")
    assert not ClosedDay.objects.filter(day=WALLONIA_MONDAY).exists()


def test_removing_a_day_twice_changes_nothing_the_second_time(world: World) -> None:
    actions.ensure_calendar([2027])
    all_souls = ClosedDay.objects.get(day=date(2027, 11, 2))
    for persona in ("coordinator", "administrator"):
        actions.remove_closed_day(by=world.person(persona), closed_day=all_souls)
    assert not ClosedDay.objects.filter(day=date(2027, 11, 2)).exists()
    actions.ensure_calendar([2027])  # the year is preset: the removal stands
    assert not ClosedDay.objects.filter(day=date(2027, 11, 2)).exists()


@pytest.mark.parametrize("persona", NOT_STAFF)
def test_only_the_service_changes_the_calendar(world: World, persona: str) -> None:
    actions.ensure_calendar([2027])
    all_souls = ClosedDay.objects.get(day=date(2027, 11, 2))
    with pytest.raises(PermissionDenied):
        actions.add_closed_day(by=world.person(persona), day=WALLONIA_MONDAY, name="Fête")
    with pytest.raises(PermissionDenied):
        actions.remove_closed_day(by=world.person(persona), closed_day=all_souls)
    with pytest.raises(PermissionDenied):
        actions.add_closed_day(by=None, day=WALLONIA_MONDAY, name="Fête")
    assert not ClosedDay.objects.filter(day=WALLONIA_MONDAY).exists()
    assert ClosedDay.objects.filter(pk=all_souls.pk).exists()


def test_a_closure_added_counts_for_requests_sent_afterwards_not_for_those_already_sent(
    world: World,
) -> None:
    """The dates a request was sent with were given to its addressee: they stay."""
    coordinator = world.person("coordinator")
    brussels = ZoneInfo("Europe/Brussels")
    before = make_request(world)
    with time_machine.travel(datetime(2027, 9, 13, 10, tzinfo=brussels), tick=False):
        actions.send_request(by=coordinator, request=before, official=world.person("official"))
    before.refresh_from_db()
    # Ten working days after Monday 13 September 2027: Monday 27 is closed, so Tuesday 28.
    assert before.acknowledge_by == date(2027, 9, 28)

    actions.add_closed_day(by=coordinator, day=WALLONIA_MONDAY, name="Fêtes de Wallonie")
    after = make_request(world)
    with time_machine.travel(datetime(2027, 9, 13, 11, tzinfo=brussels), tick=False):
        actions.send_request(by=coordinator, request=after, official=world.person("official"))
    after.refresh_from_db()
    before.refresh_from_db()
    assert before.acknowledge_by == date(2027, 9, 28)
    assert after.acknowledge_by == date(2027, 9, 29)


# Views ------------------------------------------------------------------------------------------


def test_the_page_shows_the_current_year_preset_with_names_in_the_readers_language(
    world: World,
) -> None:
    with time_machine.travel(datetime(2027, 3, 1, 10, tzinfo=ZoneInfo("Europe/Brussels"))):
        page = _staff(world).get(URL).text
    client = _staff(world)
    assert "<h1>Jours fermés 2027</h1>" in page
    assert "mercredi 21 juillet 2027" in page
    assert "Fête nationale" in page
    assert "jours ouvrables" in page
    assert 'href="?annee=2026"' in page
    assert 'href="?annee=2028"' in page
    client.cookies["django_language"] = "nl"
    dutch = client.get(URL, {"annee": "2027"}).text
    assert "Nationale feestdag" in dutch
    assert "Allerzielen" in dutch
    assert "dinsdag 2 november 2027" in dutch


@pytest.mark.parametrize("bad", ["", "abc", "1999", "2101", "99999999999999999999999", "2027.5"])
def test_a_bad_year_shows_the_current_one(world: World, bad: str) -> None:
    with time_machine.travel(datetime(2027, 3, 1, 10, tzinfo=ZoneInfo("Europe/Brussels"))):
        page = _staff(world).get(URL, {"annee": bad})
    assert page.status_code == 200
    assert "<h1>Jours fermés 2027</h1>" in page.text


def test_the_first_and_last_years_link_only_inwards(world: World) -> None:
    client = _staff(world)
    first = client.get(URL, {"annee": "2000"}).text
    assert 'href="?annee=1999"' not in first
    assert 'href="?annee=2001"' in first
    last = client.get(URL, {"annee": "2100"}).text
    assert 'href="?annee=2101"' not in last
    assert 'href="?annee=2099"' in last


def test_adding_a_closure_redirects_to_its_year_with_a_message(world: World) -> None:
    client = _staff(world)
    answer = client.post(
        URL, {"step": "add", "annee": "2026", "day": "2027-09-20", "name": "Fêtes de Wallonie"}
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"{URL}?annee=2027"
    page = client.get(answer["Location"]).text
    assert "Fermé le lundi 20 septembre 2027\u00a0: Fêtes de Wallonie." in page
    assert ClosedDay.objects.filter(day=WALLONIA_MONDAY, name="Fêtes de Wallonie").exists()


def test_a_weekend_day_is_accepted_and_the_message_says_it_changes_no_deadline(
    world: World,
) -> None:
    client = _staff(world)
    answer = client.post(
        URL, {"step": "add", "day": "2027-09-18", "name": "Fêtes de Wallonie"}, follow=True
    )
    assert "jour de week-end" in answer.text
    assert ClosedDay.objects.filter(day=date(2027, 9, 18)).exists()


def test_a_duplicate_is_refused_next_to_the_date_and_what_was_typed_stays(world: World) -> None:
    client = _staff(world)
    page = client.post(
        URL, {"step": "add", "annee": "2026", "day": "2027-09-27", "name": "Fête de la FWB"}
    )
    assert page.status_code == 200
    assert "Ce jour est déjà fermé" in page.text
    assert 'value="2027-09-27"' in page.text
    assert 'value="Fête de la FWB"' in page.text
    assert "<h1>Jours fermés 2027</h1>" in page.text  # the year where the day closed already shows
    assert ClosedDay.objects.get(day=date(2027, 9, 27)).name.startswith("Fête de la Fédération")


@pytest.mark.parametrize(
    ("day", "name", "reason"),
    [
        ("", "Fête", "Donnez la date."),
        ("20/13/2027", "Fête", "Donnez une date valide."),
        ("1850-01-01", "Fête", "Donnez une date entre 2000 et 2100."),
        ("2027-09-20", "", "Donnez le nom du jour fermé."),
        ("2027-09-20", "x" * 101, "100 caractères"),
    ],
)
def test_bad_input_is_explained_and_kept(world: World, day: str, name: str, reason: str) -> None:
    page = _staff(world).post(URL, {"step": "add", "day": day, "name": name})
    assert page.status_code == 200
    assert reason in page.text.replace("&#x27;", "'")
    assert not ClosedDay.objects.filter(name="Fête").exists()


def test_removing_a_day_names_it_and_a_second_click_is_harmless(world: World) -> None:
    client = _staff(world)
    client.cookies["django_language"] = "nl"
    client.get(URL, {"annee": "2027"})
    all_souls = ClosedDay.objects.get(day=date(2027, 11, 2))
    data = {"step": "remove", "closed_day": all_souls.pk, "annee": "2027"}
    answer = client.post(URL, data, follow=True)
    assert "De stad werkt op dinsdag 2 november 2027 (Allerzielen)" in answer.text
    again = client.post(URL, data, follow=True)
    assert again.status_code == 200
    assert "Deze dag is geen sluitingsdag meer." in again.text
    assert not ClosedDay.objects.filter(pk=all_souls.pk).exists()


@pytest.mark.parametrize("bad", ["", "abc", "-1", "99999999999999999999999", "1 OR 1=1"])
def test_a_made_up_day_to_remove_removes_nothing(world: World, bad: str) -> None:
    actions.ensure_calendar([2027])
    count = ClosedDay.objects.count()
    answer = _staff(world).post(URL, {"step": "remove", "closed_day": bad, "annee": bad})
    assert answer.status_code == 302
    assert ClosedDay.objects.count() == count


def test_the_calendar_page_reads_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = _staff(world)
    client.get(URL, {"annee": "2027"})  # presets the year, sessions and the like, once
    with django_assert_max_num_queries(8) as few:
        client.get(URL, {"annee": "2027"})
    for day in range(1, 29):
        ClosedDay.objects.create(day=date(2027, 2, day), name=f"Fermeture {day}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(URL, {"annee": "2027"}).text
    assert "Fermeture 28" in page
