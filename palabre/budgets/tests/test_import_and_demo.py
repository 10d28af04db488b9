"""Ballots imported in bulk (a vote held elsewhere; the demo), and the demo's two votes."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palabre.budgets import actions, tally
from palabre.budgets.models import Ballot, Phase, Process
from palabre.budgets.tests.factories import PROJECTS, envelope_of, make_process
from palabre.core.testing import World

pytestmark = pytest.mark.django_db


def test_ballots_are_imported_only_while_counting_and_all_or_nothing(world: World) -> None:
    process = make_process(world)
    bomel = envelope_of(process, world)
    ids = {title: pk for pk, title in bomel.projects.values_list("pk", "title")}
    coordinator = world.person("coordinator")
    good = ("code", [ids[PROJECTS[0][0]]])
    with pytest.raises(actions.Refused, match="après la clôture du vote"):
        tally.import_ballots(by=coordinator, envelope=bomel, ballots=[good])
    actions.close_vote(by=coordinator, process=process)
    over = ("email", list(ids.values()))
    with pytest.raises(actions.Refused) as refused:
        tally.import_ballots(by=coordinator, envelope=bomel, ballots=[good, over, good])
    assert refused.value.message.startswith("Bulletin 2\u00a0: Vos choix coûtent")
    assert not Ballot.objects.exists()
    with pytest.raises(PermissionDenied):
        tally.import_ballots(by=world.person("facilitator"), envelope=bomel, ballots=[good])
    assert tally.import_ballots(by=coordinator, envelope=bomel, ballots=[good, good]) == 2
    assert Ballot.objects.filter(channel="code").count() == 2


def test_the_demo_has_a_published_vote_of_three_neighbourhoods_and_an_open_one() -> None:
    from palabre.demo import loader

    loader.load()
    finished = Process.objects.get(slug="budget-participatif-2026")
    now = timezone.now()
    assert finished.phase(now) == Phase.RESULTS
    results = [envelope.result for envelope in finished.envelopes.all()]
    assert [envelope.neighbourhood.slug for envelope in finished.envelopes.all()] == [  # type: ignore[union-attr]
        "bomel",
        "salzinnes",
        "jambes",
    ]
    assert sum(result["voters"] for result in results if result) > 3_000
    channels = {channel for result in results if result for channel in result["channels"]}
    assert channels == {"code", "email", "in_person", "paper"}
    # At least one neighbourhood where equal shares and "most votes wins" part ways.
    assert any(r["winners"] != r["most_votes"] for r in results if r)
    jambes = finished.envelopes.get(neighbourhood__slug="jambes")
    page = Client().get(reverse("budgets:results", args=[finished.slug, jambes.pk]))
    funded = re.findall(r'data-project-id="(\d+)"', page.content.decode())
    assert funded == jambes.result["winners"]  # type: ignore[index]

    running = Process.objects.get(slug="budget-participatif-2027")
    assert running.phase(now) == Phase.VOTE
    assert Ballot.objects.filter(envelope__process=running).count() == 48
    loader.load()  # a second run changes nothing
    assert Process.objects.count() == 2
