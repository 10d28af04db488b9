"""Knowing who came and how (issue 14, item 5): walk-ins answer "how did you hear about it?" and
"first time?", the paper sign-in sheet is entered after the evening in one screen, and the
figures per workshop, neighbourhood and cycle are shown and exported with a period filter."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from palabre.core.testing import World
from palabre.workshops import actions
from palabre.workshops.models import Registration, Status, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def evening(world: World) -> Workshop:
    """Yesterday's workshop (announced, not yet recorded as held): two registered, one of them
    ticked at the door."""
    workshop = make_hosted_workshop(world, title="Bomel, hier soir", days_from_now=-1)
    Registration.objects.create(
        workshop=workshop, name="Amina", email="amina@example.org", status="confirmed"
    )
    ticked = Registration.objects.create(
        workshop=workshop, name="Marc", status="confirmed", checked_in_at=timezone.now()
    )
    ticked.refresh_from_db()
    return workshop


def client_of(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.person(persona))
    return client


def sheet_url(workshop: Workshop) -> str:
    return reverse("workshops:enter_sign_in_sheet", kwargs={"pk": workshop.pk})


def sheet(workshop: Workshop, **answers: str) -> dict[str, str]:
    """The form as a browser sends it for the people on the page: nothing ticked or answered
    unless given (a select always sends its value, an unticked box nothing)."""
    data: dict[str, str] = {}
    for person in workshop.registrations.all():
        data |= {f"first_time_{person.pk}": "", f"channel_{person.pk}": ""}
    for row in range(6):
        data[f"new_key_{row}"] = f"sheet-{workshop.pk}-row-{row}-key"
    return data | answers


def test_the_paper_sheet_is_entered_in_one_screen_and_twice_changes_nothing(
    world: World, evening: Workshop
) -> None:
    batch = actions.prepare_invitations(
        by=None, workshop=evening, label="Boîtes aux lettres", print_format="a4x4",
        copies=8, language="fr",
    )  # fmt: skip
    amina = evening.registrations.get(name="Amina")
    marc = evening.registrations.get(name="Marc")
    page = client_of(world, "facilitator").get(sheet_url(evening))
    assert page.status_code == 200
    assert "Boîtes aux lettres" in page.content.decode()  # the workshop's channel is offered
    data = sheet(
        evening,
        **{
            f"present_{amina.pk}": "on",
            f"first_time_{amina.pk}": "yes",
            f"channel_{amina.pk}": batch.code,
            f"present_{marc.pk}": "on",
            f"first_time_{marc.pk}": "no",  # no email: the facilitator recognised him
            "new_name_0": "Fatou",
            "new_first_time_0": "yes",
            "new_channel_0": "word_of_mouth",
            "new_first_time_1": "no",  # a name left blank on the paper, but an answer
        },
    )
    for _attempt in range(2):
        response = client_of(world, "facilitator").post(sheet_url(evening), data)
        assert response.status_code == 302
    people = {p.name: p for p in evening.registrations.all()}
    assert set(people) == {"Amina", "Marc", "Fatou", "Anonyme"}
    assert people["Amina"].checked_in_at == evening.starts_at  # came: at the workshop's start
    assert (people["Amina"].first_time, people["Amina"].channel) == (True, batch.code)
    assert people["Marc"].first_time is False
    assert (people["Fatou"].is_walk_in, people["Fatou"].channel) == (True, "word_of_mouth")
    page = client_of(world, "facilitator").get(
        reverse("workshops:check_in", kwargs={"pk": evening.pk})
    )
    # Amina and Fatou said first time; Marc and the anonymous one came before.
    assert "4 personnes présentes (dont 2 sans inscription)" in page.content.decode()
    assert (
        "première fois\u00a0: 2, déjà venues\u00a0: 2, pas demandé\u00a0: 0"
        in page.content.decode()
    )


def test_unticking_on_the_sheet_undoes_an_arrival(world: World, evening: Workshop) -> None:
    marc = evening.registrations.get(name="Marc")
    client_of(world, "coordinator").post(sheet_url(evening), sheet(evening))
    marc.refresh_from_db()
    assert marc.checked_in_at is None


def test_a_forged_channel_or_answer_is_refused_with_a_message_and_nothing_changes(
    world: World, evening: Workshop
) -> None:
    amina = evening.registrations.get(name="Amina")
    data = sheet(
        evening,
        **{
            f"present_{amina.pk}": "on",
            f"channel_{amina.pk}": "someone-elses",
            "new_name_0": "Fatou",
            "new_first_time_0": "perhaps",
        },
    )
    response = client_of(world, "coordinator").post(
        sheet_url(evening), data, headers={"accept-language": "nl"}
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert 'value="Fatou"' in response.content.decode()  # what was typed stays
    amina.refresh_from_db()
    assert amina.checked_in_at is None
    assert not evening.registrations.filter(name="Fatou").exists()


def test_a_sheet_is_entered_only_once_the_workshop_has_begun(world: World) -> None:
    coming = make_hosted_workshop(world, days_from_now=3)
    response = client_of(world, "coordinator").post(
        sheet_url(coming), sheet(coming, new_name_0="Fatou")
    )
    assert response.status_code == 200
    assert "une fois l&#x27;atelier commencé" in response.content.decode()
    assert not coming.registrations.exists()


def test_only_who_welcomes_people_enters_the_sheet(world: World, evening: Workshop) -> None:
    other = make_hosted_workshop(world, days_from_now=-2)
    other.facilitators.set([])
    for persona, status in (("partner", 404), ("resident", 404), ("facilitator", 404)):
        response = client_of(world, persona).post(sheet_url(other), sheet(other, new_name_0="X"))
        assert response.status_code == status, persona
    assert not other.registrations.exists()


def test_walk_ins_say_how_they_heard_and_whether_it_is_their_first_time(
    world: World, evening: Workshop
) -> None:
    url = reverse("workshops:check_in", kwargs={"pk": evening.pk})
    data = {
        "walk_in": "1",
        "name": "Karim",
        "channel": "social_media",
        "first_time": "yes",
        "key": "w" * 24,
    }
    for _attempt in range(2):
        assert client_of(world, "facilitator").post(url, data).status_code == 302
    karim = evening.registrations.get(name="Karim")
    assert (karim.channel, karim.first_time, karim.is_walk_in) == ("social_media", True, True)


def figures_url(**query: Any) -> str:
    return reverse("workshops:figures") + ("?" + "&".join(f"{k}={v}" for k, v in query.items()))


def test_figures_per_workshop_neighbourhood_and_cycle_with_a_period_and_as_csv(
    world: World, evening: Workshop
) -> None:
    older = make_hosted_workshop(world, title="Bomel, le mois passé", days_from_now=-40)
    older.status = Status.REPORTED
    older.save()
    amina = evening.registrations.get(name="Amina")
    Registration.objects.create(
        workshop=older, name="Amina", email="amina@example.org", status="confirmed",
        checked_in_at=older.starts_at,
    )  # fmt: skip
    actions.set_arrival(by=None, registration=amina, present=True)
    make_hosted_workshop(world, title="Pas encore", days_from_now=5)
    coordinator = client_of(world, "coordinator")
    page = coordinator.get(figures_url()).content.decode()
    assert "Bomel, hier soir" in page
    assert "Bomel, le mois passé" in page
    assert "Pas encore" not in page  # not taken place
    # Amina is recognised by her email from the older workshop.
    assert (
        "3 personnes présentes (dont 0 sans inscription) · 3 inscriptions · "
        "première fois\u00a0: 0, déjà venues\u00a0: 1" in page
    )

    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    recent = coordinator.get(figures_url(start=since)).content.decode()
    assert "Bomel, hier soir" in recent
    assert "Bomel, le mois passé" not in recent

    exported = coordinator.get(figures_url(start=since, format="csv"))
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["niveau", "date", "cycle", "quartier", "atelier"]
    workshop_rows = [row for row in rows[1:] if row[0] == "atelier"]
    assert [row[4] for row in workshop_rows] == ["Bomel, hier soir"]
    assert workshop_rows[0][5:] == ["2", "2", "0", "0", "1", "1"]
    assert rows[-1][0] == "total"


def test_a_period_that_ends_before_it_starts_is_refused(world: World) -> None:
    page = client_of(world, "coordinator").get(
        figures_url(start="2027-03-01", end="2027-02-01"), headers={"accept-language": "nl"}
    )
    assert page.status_code == 200
    assert "De laatste dag kan niet voor de eerste dag liggen." in page.content.decode()


def test_a_title_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(
    world: World, evening: Workshop
) -> None:
    Workshop.objects.filter(pk=evening.pk).update(title='=HYPERLINK("http://x")')
    exported = client_of(world, "coordinator").get(figures_url(format="csv"))
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[1][4] == '\'=HYPERLINK("http://x")'


def test_the_figures_page_costs_the_same_queries_for_two_or_twelve_workshops(
    world: World,
) -> None:
    coordinator = client_of(world, "coordinator")

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coordinator.get(figures_url()).status_code == 200
        return len(captured)

    for days in (-3, -4):
        workshop = make_hosted_workshop(world, days_from_now=days)
        Registration.objects.create(
            workshop=workshop, name="Marc", status="confirmed",
            checked_in_at=workshop.starts_at, channel="word_of_mouth",
        )  # fmt: skip
    queries_for_page()  # the first page of a session also reads the session's user
    few = queries_for_page()
    for days in range(-30, -20):
        workshop = make_hosted_workshop(world, days_from_now=days)
        Registration.objects.create(
            workshop=workshop, name="Amina", email="amina@example.org", status="confirmed",
            checked_in_at=workshop.starts_at, channel="partner",
        )  # fmt: skip
    assert queries_for_page() == few


def test_the_page_lists_a_page_of_workshops_and_counts_them_all(world: World) -> None:
    from palabre.workshops.queries import FIGURES_PER_PAGE

    for days in range(-FIGURES_PER_PAGE - 3, -1):
        workshop = make_hosted_workshop(world, title=f"Atelier {-days}", days_from_now=days)
        Registration.objects.create(
            workshop=workshop, name="Amina", email="amina@example.org", status="confirmed",
            checked_in_at=workshop.starts_at, first_time=True,
        )  # fmt: skip
    coordinator = client_of(world, "coordinator")
    first = coordinator.get(figures_url()).content.decode()
    assert first.split("figure-list")[1].split("</ul>")[0].count("<li>") == FIGURES_PER_PAGE
    assert 'rel="next"' in first
    # Every workshop is in the totals: Amina came each time, the first time said so.
    held = FIGURES_PER_PAGE + 2
    in_all = f"{held} personnes présentes (dont 0 sans inscription) · {held} inscriptions"
    assert in_all in first
    assert f"première fois\u00a0: 1, déjà venues\u00a0: {held - 1}" in first
    last = coordinator.get(figures_url(page=2)).content.decode()
    assert last.split("figure-list")[1].split("</ul>")[0].count("<li>") == 2
    assert in_all in last
    exported = coordinator.get(figures_url(format="csv", page=2))
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len([row for row in rows if row[0] == "atelier"]) == held  # the CSV has them all
