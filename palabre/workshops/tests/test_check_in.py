from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.workshops import actions, queries
from palabre.workshops.models import Registration, Status, Workshop
from palabre.workshops.printing import sign_in_sheet_pdf
from palabre.workshops.tests.factories import make_cycle, make_hosted_workshop, make_workshop

pytestmark = pytest.mark.django_db

KEY = "k" * 24


@pytest.fixture
def workshop(world: World) -> Workshop:
    return make_hosted_workshop(world, capacity=2)


def sign_up(workshop: Workshop, name: str, email: str = "") -> Registration:
    return actions.register(workshop=workshop, by=None, name=name, email=email).registration


def test_ticking_someone_twice_or_unticking_a_mistake_is_safe(
    workshop: Workshop, world: World
) -> None:
    amina = sign_up(workshop, "Amina", "amina@example.org")
    facilitator = world.person("facilitator")
    first = actions.set_arrival(by=facilitator, registration=amina, present=True)
    again = actions.set_arrival(by=facilitator, registration=amina, present=True)
    assert first.checked_in_at == again.checked_in_at
    undone = actions.set_arrival(by=facilitator, registration=amina, present=False)
    assert undone.checked_in_at is None


def test_someone_on_the_waiting_list_who_comes_gets_in(workshop: Workshop, world: World) -> None:
    for name in ("A", "B", "C"):
        sign_up(workshop, name)
    waiting = workshop.registrations.get(name="C")
    assert waiting.status == "waiting"
    arrived = actions.set_arrival(
        by=world.person("facilitator"), registration=waiting, present=True
    )
    assert arrived.status == "confirmed"


def test_a_walk_in_sent_twice_is_recorded_once(workshop: Workshop, world: World) -> None:
    facilitator = world.person("facilitator")
    first = actions.add_walk_in(by=facilitator, workshop=workshop, name="Marc", key=KEY)
    again = actions.add_walk_in(by=facilitator, workshop=workshop, name="Marc", key=KEY)
    assert first.pk == again.pk
    anonymous = actions.add_walk_in(by=facilitator, workshop=workshop, name="", key="a" * 24)
    assert anonymous.name == "Anonyme"
    assert workshop.registrations.filter(is_walk_in=True).count() == 2


def test_a_walk_in_with_the_email_of_a_registration_ticks_that_registration(
    workshop: Workshop, world: World
) -> None:
    amina = sign_up(workshop, "Amina", "amina@example.org")
    same = actions.add_walk_in(
        by=world.person("facilitator"),
        workshop=workshop,
        name="Amina B",
        email="Amina@Example.org",
        key=KEY,
    )
    assert same.pk == amina.pk
    assert same.checked_in_at is not None


def test_only_the_facilitators_and_the_service_check_people_in(
    workshop: Workshop, world: World
) -> None:
    amina = sign_up(workshop, "Amina")
    for persona in ("resident", "partner", "official"):
        with pytest.raises(PermissionDenied):
            actions.set_arrival(by=world.person(persona), registration=amina, present=True)


def test_returning_people_are_recognised_only_by_account_or_email(world: World) -> None:
    cycle = make_cycle([world.home])
    facilitator = world.person("facilitator")
    earlier = make_workshop(
        cycle=cycle,
        neighbourhood=world.home,
        venue=world.venue,
        days_from_now=-30,
        status=Status.HELD,
    )
    earlier.facilitators.set([facilitator])
    for name, email in (("Amina", "amina@example.org"), ("Marc", "")):
        person = Registration.objects.create(
            workshop=earlier, name=name, email=email, status="confirmed"
        )
        actions.set_arrival(by=facilitator, registration=person, present=True)
    today = make_workshop(cycle=cycle, neighbourhood=world.home, venue=world.venue, capacity=9)
    today.facilitators.set([facilitator])
    for name, email in (("Amina", "amina@example.org"), ("Marc", ""), ("Zoé", "zoe@example.org")):
        actions.set_arrival(by=facilitator, registration=sign_up(today, name, email), present=True)
    actions.add_walk_in(by=facilitator, workshop=today, name="Karim", key=KEY)
    sign_up(today, "Absent", "absent@example.org")
    figures = queries.attendance(today)
    # Marc has the same name but no email or account: he is not guessed to be the same Marc;
    # nobody was asked, so only Amina (by her email) is known to come back.
    assert (figures.registered, figures.present, figures.walk_ins) == (4, 4, 1)
    assert (figures.returning, figures.first_timers, figures.not_known) == (1, 0, 3)

    # At the door a walk-in answers both questions.
    actions.add_walk_in(
        by=facilitator,
        workshop=today,
        name="Fatou",
        key="f" * 24,
        channel="word_of_mouth",
        first_time=True,
    )
    figures = queries.attendance(today)
    assert (figures.present, figures.walk_ins) == (5, 2)
    assert (figures.returning, figures.first_timers, figures.not_known) == (1, 1, 3)


def test_the_check_in_screen_finds_ticks_and_adds_people(
    workshop: Workshop, world: World, django_assert_num_queries: Any
) -> None:
    sign_up(workshop, "Amina")
    sign_up(workshop, "Marc")
    client = Client()
    client.force_login(world.person("facilitator"))
    url = reverse("workshops:check_in", args=[workshop.pk])
    page = client.get(url, {"q": "ami"}).text
    assert "Amina" in page
    assert "Marc" not in page
    amina = workshop.registrations.get(name="Amina")
    response = client.post(f"{url}?q=ami", {"registration": amina.pk, "present": "yes"})
    assert response["Location"] == f"{url}?q=ami"
    amina.refresh_from_db()
    assert amina.checked_in_at is not None
    client.post(url, {"walk_in": "1", "name": "Karim", "email": "", "key": KEY})
    client.post(url, {"walk_in": "1", "name": "Karim", "email": "", "key": KEY})
    assert workshop.registrations.filter(name="Karim").count() == 1
    client.get(url)
    with django_assert_num_queries(8):
        client.get(url)
    for name in ("P1", "P2", "P3"):
        sign_up(workshop, name)
    with django_assert_num_queries(8):
        client.get(url)


def test_the_sign_in_sheet_lists_registrations_and_blank_lines(
    workshop: Workshop, tmp_path: Path
) -> None:
    sign_up(workshop, "Amina")
    sign_up(workshop, "Marc")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(
        sign_in_sheet_pdf(
            workshop, list(queries.arrivals(workshop)), queries.lettered_channels(workshop)
        )
    )
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "pts (A4)" in info.stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Feuille de présence" in text
    assert "Amina" in text
    assert "Marc" in text
    assert "@" not in text  # contact details are never printed for the room to see


def test_a_tick_sent_from_a_phones_queue_gets_a_short_reply_with_the_figures(
    workshop: Workshop, world: World
) -> None:
    amina = sign_up(workshop, "Amina")
    client = Client()
    client.force_login(world.person("facilitator"))
    url = reverse("workshops:check_in", args=[workshop.pk])
    queued = {"X-Palabre-Queue": "1"}
    response = client.post(url, {"registration": amina.pk, "present": "yes"}, headers=queued)
    assert response.status_code == 200
    reply = response.json()
    assert reply["ok"] is True
    assert "1 personne présente" in reply["figures"]
    assert len(response.content) < 1000  # a phone on slow 3G gets a line, not a page
    amina.refresh_from_db()
    assert amina.checked_in_at is not None


def test_a_walk_in_address_is_kept_in_lower_case(world: World) -> None:
    workshop = make_hosted_workshop(world)
    person = actions.add_walk_in(
        by=world.person("facilitator"),
        workshop=workshop,
        name="Karim",
        email="  Karim@Example.ORG ",
        key="c" * 24,
    )
    assert (person.email, person.status) == ("karim@example.org", "confirmed")


def test_the_sign_in_sheet_prints_needs_first_times_lines_for_the_room_and_lettered_boxes(
    world: World, tmp_path: Path
) -> None:
    workshop = make_hosted_workshop(world, capacity=60)
    amina, marc, _ = (sign_up(workshop, name) for name in ("Amina", "Marc", "Zoé"))
    Registration.objects.filter(pk=amina.pk).update(needs_childcare=True, first_time=True)
    Registration.objects.filter(pk=marc.pk).update(needs_step_free_access=True, first_time=False)
    channels = queries.lettered_channels(workshop)
    path = tmp_path / "sheet.pdf"
    path.write_bytes(sign_in_sheet_pdf(workshop, list(queries.arrivals(workshop)), channels))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "garderie" in text
    assert "accès sans marche" in text
    rows = {line.split()[1]: line for line in text.splitlines() if line.strip().startswith("☐ ")}
    assert " oui " in rows["Amina"]
    assert " non " in rows["Marc"]
    # 60 places, 3 registered: 57 free lines and 5 more for walk-ins, each with the boxes.
    assert text.count("☐A") == 3 + 57 + 5
    first_answer = channels[1][1]
    assert first_answer.startswith("A — ")
    assert first_answer.replace(" — ", " = ", 1) in text.replace("\n", " ")
