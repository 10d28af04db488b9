"""The service starts a budget from its pages: calendar and ballot, envelopes, projects."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from palabre.budgets.models import Envelope, Process, Project
from palabre.budgets.tests.factories import envelope_of, make_process
from palabre.core.testing import World

pytestmark = pytest.mark.django_db

CALENDAR = {
    "title": "Budget participatif 2028",
    "slug": "bp-2028",
    "ideas_from": "2027-03-01",
    "ideas_until": "2027-04-30",
    "review_until": "2027-06-30",
    "vote_opens_on": "2027-09-13",
    "vote_opens_time": "09:00",
    "vote_closes_on": "2027-10-03",
    "vote_closes_time": "20:00",
    "rule": "mes-add1",
    "ballot_type": "ranking",
    "max_choices": "3",
    "minimum_age": "16",
}


def _coordinator(world: World) -> Client:
    client = Client()
    client.force_login(world.person("coordinator"))
    return client


def test_the_coordinator_starts_a_budget_with_envelopes_and_projects(world: World) -> None:
    client = _coordinator(world)
    created = client.post(reverse("budgets:new_process"), CALENDAR)
    assert created["Location"] == reverse("budgets:manage", args=["bp-2028"])
    process = Process.objects.get(slug="bp-2028")
    assert (process.ballot_type, process.max_choices) == ("ranking", 3)
    assert process.vote_opens_at.isoformat() == "2027-09-13T07:00:00+00:00"  # 09:00 in Namur
    url = reverse("budgets:add_envelope", args=["bp-2028"])
    client.post(url, {"neighbourhood": world.home.pk, "amount": "25000"})
    again = client.post(url, {"neighbourhood": world.home.pk, "amount": "1000"})
    assert again.status_code == 400
    assert "Ce budget a déjà une enveloppe pour Bomel." in again.content.decode()
    envelope = Envelope.objects.get(process=process)
    client.post(
        reverse("budgets:add_project", args=["bp-2028"]),
        {"envelope": envelope.pk, "title": "Un banc", "cost": "900"},
    )
    assert Project.objects.get(envelope=envelope).cost == 900


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"vote_opens_on": "2027-06-01"}, "Le vote s&#x27;ouvre après l&#x27;analyse"),
        ({"vote_closes_on": "2027-09-01"}, "Le vote se clôture après son ouverture."),
        ({"ideas_until": "2027-02-01"}, "Mettez les dates dans l&#x27;ordre"),
        ({"slug": "nouveau"}, "Ce nom court est utilisé par le site"),
        ({"ballot_type": "cumulative"}, "Indiquez combien de points chaque votant partage."),
    ],
)
def test_a_budget_with_a_wrong_calendar_or_ballot_is_refused_in_words(
    world: World, change: dict[str, str], message: str
) -> None:
    refused = _coordinator(world).post(reverse("budgets:new_process"), CALENDAR | change)
    assert refused.status_code == 400
    assert message in refused.content.decode()
    assert not Process.objects.exists()


def test_a_short_name_taken_is_refused_and_nothing_else_changes(world: World) -> None:
    make_process(world, slug="bp-2028")
    refused = _coordinator(world).post(reverse("budgets:new_process"), CALENDAR)
    assert refused.status_code == 400
    assert "Un autre budget a ce nom court" in refused.content.decode()
    assert Process.objects.count() == 1


def test_no_envelope_or_project_is_added_to_a_frozen_ballot(world: World) -> None:
    process = make_process(world)
    client = _coordinator(world)
    envelope = client.post(
        reverse("budgets:add_envelope", args=[process.slug]),
        {"neighbourhood": world.elsewhere.pk, "amount": "5000"},
    )
    assert "Le bulletin est figé" in envelope.content.decode()
    project = client.post(
        reverse("budgets:add_project", args=[process.slug]),
        {"envelope": envelope_of(process, world).pk, "title": "Un banc", "cost": "900"},
    )
    assert "Le bulletin est figé" in project.content.decode()
    assert process.envelopes.count() == 2
