"""A paper plan B that round-trips (issue 17, item 5): one printed capture sheet per guiding
question with the workshop's code, typed in afterwards under the question with that code."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from palabre.contributions.models import Contribution, Source
from palabre.core.testing import World
from palabre.workshops.models import Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db

QUESTIONS = ["Ce qui va bien ?", "Ce qui manque ?", "Qui veut s'y mettre ?"]


@pytest.fixture
def workshop(world: World) -> Workshop:
    return make_hosted_workshop(world, days_from_now=-1, guiding_questions=QUESTIONS)


@pytest.fixture
def facilitator(world: World) -> Client:
    client = Client()
    client.force_login(world.person("facilitator"))
    return client


def test_one_sheet_per_question_carries_the_workshops_code(
    workshop: Workshop, facilitator: Client, tmp_path: Path
) -> None:
    response = facilitator.get(reverse("contributions:capture_sheets", args=[workshop.pk]))
    assert response.headers["Content-Type"] == "application/pdf"
    path = tmp_path / "sheets.pdf"
    path.write_bytes(response.content)
    for number, question in enumerate(QUESTIONS, start=1):
        page = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert f"A{workshop.pk}-Q{number}" in page
        assert question in page
        assert f"question {number} sur 3" in page.lower()
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Pages:           3" in info.stdout


def test_the_sheets_typed_in_land_under_their_questions_once(
    workshop: Workshop, facilitator: Client, world: World
) -> None:
    url = reverse("contributions:type_in_sheets", args=[workshop.pk])
    page = facilitator.get(url).text
    assert f"Feuille A{workshop.pk}-Q2" in page
    key = page.split('name="key" value="')[1].split('"')[0]
    typed = {
        "key": key,
        "question_0": "Le parc est propre\r\n\r\nLes voisins se parlent",
        "question_2": "Karim, pour la fête",
    }
    first = facilitator.post(url, typed)
    again = facilitator.post(url, typed)  # sent twice: the same key
    assert first.status_code == again.status_code == 302
    stored = Contribution.objects.filter(workshop=workshop).order_by("pk")
    assert [(c.question, c.text) for c in stored] == [
        ("Ce qui va bien ?", "Le parc est propre"),
        ("Ce qui va bien ?", "Les voisins se parlent"),
        ("Qui veut s'y mettre ?", "Karim, pour la fête"),
    ]
    assert {c.source for c in stored} == {Source.PAPER}
    assert {c.captured_by for c in stored} == {world.person("facilitator")}


def test_nothing_typed_is_refused_and_nobody_else_types_in(
    workshop: Workshop, facilitator: Client, world: World
) -> None:
    url = reverse("contributions:type_in_sheets", args=[workshop.pk])
    response = facilitator.post(url, {"key": "k" * 20, "question_1": "  \r\n "})
    assert response.status_code == 200
    assert "Tapez au moins une contribution." in response.text
    assert not Contribution.objects.exists()
    for persona in ("resident", "partner"):
        other = Client()
        other.force_login(world.person(persona))
        assert other.get(url).status_code == 404
        assert (
            other.get(reverse("contributions:capture_sheets", args=[workshop.pk])).status_code
            == 404
        )
