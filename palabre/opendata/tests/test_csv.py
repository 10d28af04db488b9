"""The CSV files: one per dataset, UTF-8 with a BOM, never a formula, small counts left empty."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.opendata.datasets import BY_ID
from palabre.opendata.tests.city import OpenCity, make_open_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(world: World) -> OpenCity:
    return make_open_city(world)


def table(dataset: str) -> list[dict[str, str]]:
    response = Client().get(reverse("opendata:csv", kwargs={"dataset": dataset}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="palabre-{dataset}.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert rows, "an empty table"
    assert list(rows[0]) == list(BY_ID[dataset].columns)
    return rows


def test_a_workshop_title_that_looks_like_a_formula_is_written_as_text(city: OpenCity) -> None:
    rows = {int(row["id"]): row for row in table("workshops")}
    assert rows[city.small.pk]["title"] == "'=Petit atelier"
    assert rows[city.small.pk]["present"] == ""
    assert rows[city.small.pk]["present_suppressed"] == "true"
    assert rows[city.held.pk]["present"] == "6"
    assert city.planned.pk not in rows


def test_requests_list_their_themes_and_answer(city: OpenCity) -> None:
    [row] = table("requests")
    assert row["id"] == str(city.answered.pk)
    assert row["answer_text"] == "Le ralentisseur sera posé en juin."
    city.answered.refresh_from_db()
    assert city.answered.sent_at is not None
    assert row["sent_at"] == city.answered.sent_at.isoformat()


def test_citizen_actions_give_the_number_of_volunteers(city: OpenCity) -> None:
    [row] = table("citizen-actions")
    assert (row["title"], row["volunteers"]) == ("Fête de la rue Haute", "5")


def test_budget_results_have_one_line_per_project(city: OpenCity) -> None:
    rows = [row for row in table("budget-results") if row["envelope"] == str(city.envelope.pk)]
    assert [(r["project_title"], r["votes"], r["funded"]) for r in rows] == [
        ("Bancs au parc Louise-Marie", "6", "true"),
        ("Fresque rue Bas-de-la-Place", "", "true"),
        ("Potager partagé", "", "false"),
    ]
    assert {r["voters"] for r in rows} == {"6"}


def test_opinion_maps_have_one_line_per_statement_and_group(city: OpenCity) -> None:
    rows = table("opinion-maps")
    assert len(rows) == 9 * 3  # everyone, group A, group B
    last = [r for r in rows if r["statement_text"] == "Affirmation 9"]
    assert [(r["group"], r["group_size"], r["agree"], r["disagree"]) for r in last] == [
        ("all", "20", "20", ""),
        ("A", "10", "10", ""),
        ("B", "10", "10", ""),
    ]


def test_an_unknown_dataset_is_not_found(city: OpenCity) -> None:
    assert Client().get(reverse("opendata:csv", kwargs={"dataset": "people"})).status_code == 404


def test_a_csv_file_takes_the_same_few_queries_whatever_its_length(
    city: OpenCity, django_assert_max_num_queries: object
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from palabre.opendata.tests import city as builder

    client = Client()
    url = reverse("opendata:csv", kwargs={"dataset": "workshops"})
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    builder._workshops(city.world)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before) <= 10
