"""Planning next year by copying this year's cycle (issue 14, item 1)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World, error_summary
from palabre.workshops import actions
from palabre.workshops.actions import same_weekday_shift
from palabre.workshops.forms import next_years
from palabre.workshops.models import Cycle, Registration, Status, Workshop
from palabre.workshops.tests.factories import make_cycle, make_hosted_workshop, make_workshop

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BRUSSELS)


def _this_year(world: World) -> tuple[Cycle, Workshop]:
    cycle = make_cycle(
        [world.home, world.elsewhere],
        slug="2026-2027",
        name="Ateliers 2026–2027",
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 6, 30),
        workshops_per_neighbourhood=4,
    )
    # A Tuesday evening in winter time, held, with registrations and a description.
    held = make_hosted_workshop(
        world,
        cycle=cycle,
        title="Atelier de Bomel",
        theme="Propreté",
        capacity=25,
        description="On parle propreté.",
        translations={"nl": {"title": "Workshop in Bomel"}},
        status=Status.HELD,
        starts_at=_at(date(2026, 11, 10), 18, 30),
        ends_at=_at(date(2026, 11, 10), 20, 30),
        guiding_questions=["Qu'aimez-vous ici ?", "Que changer ?"],
    )
    Registration.objects.create(workshop=held, name="Amina", status="confirmed")
    make_hosted_workshop(
        world,
        cycle=cycle,
        title="Atelier annulé",
        status=Status.CANCELLED,
        starts_at=_at(date(2026, 12, 1), 18),
        ends_at=_at(date(2026, 12, 1), 20),
    )
    return cycle, held


def test_a_copy_keeps_weekday_local_time_and_everything_planned_but_not_the_people(
    world: World,
) -> None:
    source, held = _this_year(world)
    done = actions.duplicate_cycle(
        by=world.person("coordinator"),
        source=source,
        name="Ateliers 2027–2028",
        slug="2027-2028",
        starts_on=date(2027, 9, 1),
        ends_on=date(2028, 6, 30),
    )

    assert done.created
    assert done.workshops == 1  # the cancelled one is not copied
    cycle = Cycle.objects.get(slug="2027-2028")
    assert (cycle.starts_on, cycle.ends_on) == (date(2027, 9, 1), date(2028, 6, 30))
    assert cycle.duplicated_from == source
    assert set(cycle.neighbourhoods.all()) == {world.home, world.elsewhere}
    copy = cycle.workshops.get()
    starts = copy.starts_at.astimezone(BRUSSELS) if copy.starts_at else None
    # 52 weeks later: still a Tuesday, still 18:30 on the clock.
    assert starts == _at(date(2027, 11, 9), 18, 30)
    assert starts.weekday() == held.starts_at.astimezone(BRUSSELS).weekday()  # type: ignore[union-attr]
    assert copy.status == Status.PLANNED
    assert (copy.title, copy.description, copy.venue, copy.neighbourhood) == (
        "Atelier de Bomel",
        "On parle propreté.",
        world.venue,
        world.home,
    )
    assert (copy.kind, copy.theme, copy.capacity) == ("workshop", "Propreté", 25)
    assert copy.ends_at == _at(date(2027, 11, 9), 20, 30)
    assert cycle.workshops_per_neighbourhood == 4
    assert copy.guiding_questions == ["Qu'aimez-vous ici ?", "Que changer ?"]
    assert copy.texts_in("nl").title.value == "Workshop in Bomel"
    assert list(copy.partners.all()) == [world.partner_org]
    assert list(copy.facilitators.all()) == [world.person("facilitator")]
    assert not copy.registrations.exists()
    assert held.registrations.count() == 1  # the old cycle keeps its people


def test_summer_time_does_not_move_the_clock() -> None:
    # A workshop in late March, after the change to summer time, copied by 52 weeks.
    shift = same_weekday_shift(date(2026, 9, 1), date(2027, 9, 1))
    assert shift.days == 364
    assert actions._shifted(_at(date(2027, 3, 23), 18, 30), shift) == _at(date(2028, 3, 21), 18, 30)
    assert same_weekday_shift(date(2026, 9, 1), date(2026, 9, 4)).days == 0
    assert same_weekday_shift(date(2026, 9, 1), date(2026, 9, 5)).days == 7


def test_years_in_names_move_on() -> None:
    assert next_years("Ateliers 2026–2027") == "Ateliers 2027–2028"
    assert next_years("2026-2027") == "2027-2028"
    assert next_years("Cycle 12345 et 2026") == "Cycle 12345 et 2027"


def test_only_the_service_copies_a_cycle(world: World) -> None:
    source, _ = _this_year(world)
    for persona in ("facilitator", "resident", "official", "partner"):
        with pytest.raises(PermissionDenied):
            actions.duplicate_cycle(
                by=world.person(persona),
                source=source,
                name="Copie",
                slug="copie",
                starts_on=date(2027, 9, 1),
                ends_on=date(2028, 6, 30),
            )
    assert not Cycle.objects.filter(slug="copie").exists()


def test_the_page_copies_the_cycle_once_even_when_sent_twice(world: World) -> None:
    source, _ = _this_year(world)
    client = Client()
    client.force_login(world.person("coordinator"))
    url = reverse("workshops:duplicate_cycle", args=[source.slug])
    page = client.get(url).text
    # Next year's names and date are proposed.
    assert 'value="Ateliers 2027–2028"' in page
    assert 'value="2027-2028"' in page
    assert 'value="2027-09-01"' in page
    assert 'value="2028-06-30"' in page
    assert "Atelier de Bomel" in page
    assert "Atelier annulé" not in page
    form = {
        "name": "Ateliers 2027–2028",
        "slug": "2027-2028",
        "starts_on": "2027-09-01",
        "ends_on": "2028-06-30",
    }

    first = client.post(url, form)
    second = client.post(url, form, follow=True)

    assert first.status_code == 302
    assert first["Location"] == reverse("workshops:planning", args=["2027-2028"])
    assert Cycle.objects.filter(slug="2027-2028").count() == 1
    assert Workshop.objects.filter(cycle__slug="2027-2028").count() == 1
    assert "Cette copie avait déjà été faite" in second.text
    assert "Copié de Ateliers 2026–2027" in second.text


def test_a_short_name_already_used_is_refused_and_what_was_typed_stays(world: World) -> None:
    source, _ = _this_year(world)
    make_cycle([world.home], slug="2027-2028", name="Autre cycle")
    client = Client()
    client.force_login(world.person("coordinator"))
    url = reverse("workshops:duplicate_cycle", args=[source.slug])

    page = client.post(
        url,
        {
            "name": "Mon nouveau cycle",
            "slug": "2027-2028",
            "starts_on": "2027-09-01",
            "ends_on": "2028-06-30",
        },
    )

    assert page.status_code == 200
    assert "Le cycle «\u00a0Autre cycle\u00a0» utilise déjà ce nom court" in page.text
    assert 'value="Mon nouveau cycle"' in page.text
    assert Cycle.objects.filter(slug="2027-2028").get().name == "Autre cycle"
    assert not Workshop.objects.filter(cycle__slug="2027-2028").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slug", "2027 2028 !", "Utilisez seulement des lettres, des chiffres et des tirets"),
        ("starts_on", "0001-01-01", "Donnez une date entre 2000 et 2100"),
        ("starts_on", "demain", "Saisissez une date valide"),
        ("name", "", "Ce champ est obligatoire"),
        ("ends_on", "2027-08-31", "Un cycle ne peut pas se terminer avant de commencer"),
    ],
)
def test_bad_input_gets_a_clear_message(world: World, field: str, value: str, message: str) -> None:
    source, _ = _this_year(world)
    client = Client()
    client.force_login(world.person("coordinator"))
    form = {
        "name": "Ateliers 2027–2028",
        "slug": "2027-2028",
        "starts_on": "2027-09-01",
        "ends_on": "2028-06-30",
    }
    page = client.post(
        reverse("workshops:duplicate_cycle", args=[source.slug]), form | {field: value}
    )
    assert page.status_code == 200
    assert message in page.text
    assert Cycle.objects.count() == 1
    # The error summary takes the focus, so a phone scrolls to it (with or without JavaScript),
    # and links to the field in error (ADR 0061).
    tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', page.text)
    assert tag is not None
    assert 'aria-invalid="true"' in tag[0]
    assert error_summary(page.text) == [f"#id_{field}"]


def test_the_planning_page_offers_the_copy(world: World) -> None:
    source, _ = _this_year(world)
    client = Client()
    client.force_login(world.person("coordinator"))
    page = client.get(reverse("workshops:planning", args=[source.slug])).text
    assert reverse("workshops:duplicate_cycle", args=[source.slug]) in page


def test_every_workshop_is_copied_in_order_and_a_retry_says_how_many(world: World) -> None:
    source, _ = _this_year(world)
    make_workshop(
        cycle=source,
        kind="round_table",
        venue=world.venue,
        title="Table ronde",
        status=Status.HELD,
        starts_at=_at(date(2026, 10, 6), 19),
        ends_at=_at(date(2026, 10, 6), 21),
    )
    copy: dict[str, Any] = {
        "by": world.person("coordinator"),
        "source": source,
        "name": "Ateliers 2027–2028",
        "slug": "2027-2028",
        "starts_on": date(2027, 9, 1),
        "ends_on": date(2028, 6, 30),
    }
    # A first copy under another short name, then the one meant.
    other = actions.duplicate_cycle(**(copy | {"slug": "2027-2028-bis", "name": "Bis"}))
    done = actions.duplicate_cycle(**copy)
    assert (other.created, done.created, done.workshops) == (True, True, 2)
    copied = Cycle.objects.get(slug="2027-2028").workshops.order_by("pk")
    # Made in the order of the year: the October round table first.
    assert [w.title for w in copied] == ["Table ronde", "Atelier de Bomel"]
    assert copied[0].kind == "round_table"
    # Sent again: that copy, not the other one, with how many workshops it has.
    again = actions.duplicate_cycle(**copy)
    assert (again.created, again.workshops, again.cycle.slug) == (False, 2, "2027-2028")
