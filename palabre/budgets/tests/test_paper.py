"""Paper ballots: keyed twice, blind, by two different people; differences settled by a
coordinator before the count; the paper tally shown apart on the results."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.budgets import actions, tally
from palabre.budgets.models import Envelope, PaperEntry, Process
from palabre.budgets.tests.factories import PROJECTS, envelope_of, make_process
from palabre.core.testing import World

pytestmark = pytest.mark.django_db


def _pk(envelope: Envelope, index: int) -> int:
    return envelope.projects.get(title=PROJECTS[index][0]).pk


def _key(world: World, persona: str, envelope: Envelope, number: int, *indexes: int) -> PaperEntry:
    return tally.key_paper_ballot(
        by=world.person(persona),
        envelope=envelope,
        number=number,
        project_ids=[_pk(envelope, i) for i in indexes],
    )


def _closed(world: World) -> tuple[Process, Envelope]:
    process = make_process(world)
    actions.close_vote(by=world.person("coordinator"), process=process)
    return process, envelope_of(process, world)


def test_two_people_agree_and_the_paper_ballot_is_counted_apart(world: World) -> None:
    process, bomel = _closed(world)
    for number, indexes in [(1, (0, 2)), (2, (0,)), (3, (1,))]:
        _key(world, "facilitator", bomel, number, *indexes)
        _key(world, "coordinator", bomel, number, *indexes)
    tally.key_paper_ballot(
        by=world.person("facilitator"), envelope=bomel, number=4, project_ids=[], spoilt=True
    )
    tally.key_paper_ballot(
        by=world.person("coordinator"), envelope=bomel, number=4, project_ids=[], spoilt=True
    )
    # Over the envelope: read the same by both, counted for no project.
    _key(world, "facilitator", bomel, 5, 0, 1, 2)
    _key(world, "coordinator", bomel, 5, 0, 1, 2)
    tally.publish_results(by=world.person("coordinator"), process=process)
    bomel.refresh_from_db()
    result = bomel.result
    assert result is not None
    assert result["voters"] == 3
    assert result["channels"] == {"paper": 3}
    assert result["paper"] == {
        "counted": 3,
        "spoilt": 1,
        "invalid": 1,
        "votes": {str(_pk(bomel, 0)): 2, str(_pk(bomel, 2)): 1, str(_pk(bomel, 1)): 1},
    }
    assert bomel.recount.count("\n") > 0


def test_the_same_person_cannot_key_a_ballot_twice_but_a_resend_is_harmless(world: World) -> None:
    _, bomel = _closed(world)
    first = _key(world, "facilitator", bomel, 7, 0)
    assert _key(world, "facilitator", bomel, 7, 0) == first
    with pytest.raises(actions.Refused, match="déjà saisi le bulletin n°\u00a07"):
        _key(world, "facilitator", bomel, 7, 1)
    assert PaperEntry.objects.count() == 1


def test_a_third_keying_is_refused(world: World) -> None:
    _, bomel = _closed(world)
    _key(world, "facilitator", bomel, 3, 0)
    _key(world, "coordinator", bomel, 3, 0)
    with pytest.raises(actions.Refused, match="déjà été saisi deux fois"):
        _key(world, "administrator", bomel, 3, 0)


def test_a_difference_stops_the_count_until_a_coordinator_settles_it(world: World) -> None:
    process, bomel = _closed(world)
    _key(world, "facilitator", bomel, 12, 0)
    _key(world, "coordinator", bomel, 12, 1)
    _key(world, "facilitator", bomel, 13, 2)
    with pytest.raises(actions.Refused) as refused:
        tally.publish_results(by=world.person("coordinator"), process=process)
    assert refused.value.message == (
        "Bomel\u00a0: 2 bulletins papier ne sont pas encore validés (saisis une seule fois, ou "
        "deux saisies différentes)\u00a0: n°\u00a012, 13."
    )
    with pytest.raises(PermissionDenied):
        tally.resolve_paper_ballot(
            by=world.person("facilitator"), envelope=bomel, number=12, project_ids=[]
        )
    tally.resolve_paper_ballot(
        by=world.person("coordinator"), envelope=bomel, number=12, project_ids=[_pk(bomel, 1)]
    )
    _key(world, "administrator", bomel, 13, 2)
    tally.publish_results(by=world.person("coordinator"), process=process)
    bomel.refresh_from_db()
    assert bomel.result is not None
    assert bomel.result["paper"]["votes"] == {str(_pk(bomel, 1)): 1, str(_pk(bomel, 2)): 1}


def test_nothing_to_resolve_where_the_keyings_agree(world: World) -> None:
    _, bomel = _closed(world)
    _key(world, "facilitator", bomel, 1, 0)
    _key(world, "coordinator", bomel, 1, 0)
    with pytest.raises(actions.Refused, match="aucune différence"):
        tally.resolve_paper_ballot(
            by=world.person("coordinator"), envelope=bomel, number=1, project_ids=[]
        )


@pytest.mark.parametrize("persona", ["resident", "partner", "official"])
def test_only_staff_key_paper_ballots(world: World, persona: str) -> None:
    _, bomel = _closed(world)
    with pytest.raises(PermissionDenied):
        _key(world, persona, bomel, 1, 0)


def test_paper_cannot_change_once_the_results_are_published(world: World) -> None:
    process, bomel = _closed(world)
    tally.publish_results(by=world.person("coordinator"), process=process)
    with pytest.raises(actions.Refused, match="Les résultats sont publiés"):
        _key(world, "facilitator", bomel, 1, 0)


def test_a_blank_ballot_with_a_project_ticked_is_refused_by_the_form(world: World) -> None:
    _, bomel = _closed(world)
    client = Client()
    client.force_login(world.person("facilitator"))
    url = reverse("budgets:paper", args=["budget-2027", bomel.pk])
    refused = client.post(url, {"number": "4", "projects": [_pk(bomel, 0)], "spoilt": "on"})
    assert refused.status_code == 400
    assert "aucun projet coché\u00a0: décochez" in refused.content.decode()
    assert not PaperEntry.objects.exists()
    saved = client.post(url, {"number": "4", "projects": [_pk(bomel, 0)]}, follow=True)
    assert "Bulletin n°\u00a04 enregistré (première saisie)." in saved.content.decode()


def test_paper_ballots_with_points_are_keyed_settled_and_counted(world: World) -> None:
    process = make_process(world, ballot_type="cumulative", points=5)
    actions.close_vote(by=world.person("coordinator"), process=process)
    bomel = envelope_of(process, world)
    first, second = _pk(bomel, 0), _pk(bomel, 1)
    for persona in ("facilitator", "coordinator"):
        tally.key_paper_ballot(
            by=world.person(persona), envelope=bomel, number=1, project_ids=[], points={first: 3}
        )
    tally.key_paper_ballot(
        by=world.person("facilitator"), envelope=bomel, number=2, project_ids=[], points={first: 4}
    )
    tally.key_paper_ballot(
        by=world.person("coordinator"),
        envelope=bomel,
        number=2,
        project_ids=[],
        points={first: 4, second: 4},
    )
    client = Client()
    client.force_login(world.person("coordinator"))
    page = client.get(reverse("budgets:paper_differences", args=[process.slug, bomel.pk]))
    assert f"{PROJECTS[0][0]} (4) · {PROJECTS[1][0]} (4)" in page.content.decode()
    settled = client.post(
        reverse("budgets:resolve_paper", args=[process.slug, bomel.pk, 2]),
        {"r2-number": "2", f"r2-points-{first}": "4", f"r2-points-{second}": "4"},
    )
    assert settled.status_code == 302
    tally.publish_results(by=world.person("coordinator"), process=process)
    bomel.refresh_from_db()
    assert bomel.result is not None
    # Ballot 2 gives 8 of 5 points: read the same by all, counted for no project.
    assert bomel.result["paper"] == {
        "counted": 1,
        "spoilt": 0,
        "invalid": 1,
        "votes": {str(first): 1},
    }
    assert "vote_type;cumulative\n" in bomel.recount
