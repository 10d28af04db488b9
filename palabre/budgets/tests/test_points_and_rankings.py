"""Points ballots and rankings: checked in the voter's words, sent without JavaScript through
the review step, counted by the engine and recounted by pabutools from the published file."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pabutools.election import Additive_Borda_Sat, Additive_Cardinal_Sat
from pabutools.election.pabulib import parse_pabulib
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

from palabre.budgets import actions, tally
from palabre.budgets.models import Ballot, Envelope, Process
from palabre.budgets.tests.factories import PROJECTS, envelope_of, make_process, make_voter
from palabre.budgets.tests.test_recount import TIE
from palabre.core.testing import World

pytestmark = pytest.mark.django_db


def _points(world: World) -> Process:
    return make_process(world, ballot_type="cumulative", points=5)


def _ids(envelope: Envelope) -> list[int]:
    return [envelope.projects.get(title=title).pk for title, _ in PROJECTS]


def test_a_points_ballot_keeps_its_points_and_refuses_too_many(world: World) -> None:
    process = _points(world)
    bomel = envelope_of(process, world)
    first, second, third = _ids(bomel)
    voter = make_voter(world, process)
    with pytest.raises(actions.Refused) as refused:
        actions.cast_ballot(voter=voter, envelope=bomel, points={first: 4, second: 2})
    assert refused.value.message == (
        "Vous avez donné 6 points, mais vous avez 5 points à partager. Reprenez-en."
    )
    with pytest.raises(actions.Refused, match="au moins un projet"):
        actions.cast_ballot(voter=voter, envelope=bomel, points={first: 0})
    actions.cast_ballot(voter=voter, envelope=bomel, points={third: 2, first: 3})
    stored = Ballot.objects.get()
    assert stored.choices == f"{first}:3,{third}:2"
    assert stored.points == {first: 3, third: 2}


def test_a_ranking_keeps_its_order_and_refuses_a_project_twice(world: World) -> None:
    process = make_process(world, ballot_type="ranking", max_choices=2)
    bomel = envelope_of(process, world)
    first, second, third = _ids(bomel)
    voter = make_voter(world, process)
    with pytest.raises(actions.Refused, match="au plus 2 projets"):
        actions.cast_ballot(voter=voter, envelope=bomel, project_ids=[first, second, third])
    with pytest.raises(actions.Refused, match="classé deux fois"):
        actions.cast_ballot(voter=voter, envelope=bomel, project_ids=[third, third])
    actions.cast_ballot(voter=voter, envelope=bomel, project_ids=[third, first])
    assert Ballot.objects.get().choices == f"{third},{first}"


def test_points_are_given_without_javascript_through_the_review_step(world: World) -> None:
    process = _points(world)
    bomel = envelope_of(process, world)
    first, second, _ = _ids(bomel)
    url = reverse("budgets:ballot", args=[process.slug, make_voter(world, process).token, bomel.pk])
    client = Client()
    over = client.post(url, {f"points-{first}": "4", f"points-{second}": "3", "step": "review"})
    assert over.status_code == 400
    html = over.content.decode()
    assert "7 points donnés\u00a0: vous en avez 5. Reprenez-en." in html
    assert f'name="points-{first}" value="4"' in html
    review = client.post(url, {f"points-{first}": "4", f"points-{second}": "1", "step": "review"})
    assert "5 de vos 5 points donnés." in review.content.decode()
    client.post(url, {f"points-{first}": "4", f"points-{second}": "1", "step": "confirm"})
    assert Ballot.objects.get().points == {first: 4, second: 1}
    again = client.get(url).content.decode()
    assert f'name="points-{first}" value="4"' in again


def test_places_are_given_without_javascript_and_two_same_places_refused(world: World) -> None:
    process = make_process(world, ballot_type="ranking", max_choices=3)
    bomel = envelope_of(process, world)
    first, second, third = _ids(bomel)
    url = reverse("budgets:ballot", args=[process.slug, make_voter(world, process).token, bomel.pk])
    client = Client()
    same = client.post(url, {f"rank-{first}": "1", f"rank-{second}": "1", "step": "review"})
    assert same.status_code == 400
    assert "Deux projets ont la même place" in same.content.decode()
    client.post(
        url,
        {f"rank-{first}": "3", f"rank-{second}": "1", f"rank-{third}": "2", "step": "confirm"},
    )
    assert Ballot.objects.get().project_ids == [second, third, first]
    again = client.get(url).content.decode()
    assert re.search(rf'name="rank-{second}"[^>]*>.*?<option value="1" selected', again, re.S)


def _camps(world: World, process: Process, envelope: Envelope, kind: str) -> None:
    ids = list(envelope.projects.order_by("pk").values_list("pk", flat=True))
    camps = [ids[:3], ids[3:5], ids[5:]]
    chooser = random.Random(11)
    for n in range(50):
        camp = camps[0] if n % 10 < 6 else camps[1] if n % 10 < 9 else camps[2]
        picked = chooser.sample(camp, chooser.randint(1, len(camp)))
        voter = make_voter(world, process)
        if kind == "cumulative":
            points = {pk: chooser.randint(1, 3) for pk in picked[:2]}
            actions.cast_ballot(voter=voter, envelope=envelope, points=points)
        else:
            actions.cast_ballot(voter=voter, envelope=envelope, project_ids=picked[:3])


@pytest.mark.parametrize(
    ("kind", "sat"), [("cumulative", Additive_Cardinal_Sat), ("ranking", Additive_Borda_Sat)]
)
def test_pabutools_recounts_points_and_rankings_to_the_same_winners(
    world: World, tmp_path: Path, kind: str, sat: Any
) -> None:
    coordinator = world.person("coordinator")
    process = make_process(world, frozen=False, ballot_type=kind, points=6, max_choices=3)
    envelope = actions.add_envelope(
        by=coordinator, process=process, neighbourhood=world.elsewhere, amount=30_000
    )
    for n, cost in enumerate([9_000, 7_000, 6_500, 8_000, 5_000, 4_000, 12_000]):
        actions.add_project(by=coordinator, envelope=envelope, title=f"Projet {n}", cost=cost)
    actions.freeze_rules(by=coordinator, process=process)
    _camps(world, process, envelope, kind)
    actions.close_vote(by=coordinator, process=process)
    tally.publish_results(by=coordinator, process=process)
    client = Client()
    html = client.get(reverse("budgets:results", args=[process.slug, envelope.pk])).content
    funded = re.findall(r'<li data-project-id="([^"]+)"', html.decode())
    path = tmp_path / "recount.pb"
    path.write_bytes(
        client.get(reverse("budgets:recount", args=[process.slug, envelope.pk])).content
    )
    instance, profile = parse_pabulib(str(path))
    shares = method_of_equal_shares(
        instance,
        profile.as_multiprofile(),
        sat_class=sat,
        tie_breaking=TIE,
        voter_budget_increment=1,
    )
    recounted = greedy_utilitarian_welfare(
        instance, profile, sat_class=sat, tie_breaking=TIE, initial_budget_allocation=shares
    )
    assert len(funded) >= 3
    assert [str(project.name) for project in recounted] == funded
