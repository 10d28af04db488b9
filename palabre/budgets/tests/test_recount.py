"""The published result recounted by someone else: the .pb file linked from the result page,
read and counted by pabutools (the reference implementation, a test-only dependency), gives
the funded projects the page lists, in the same order."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pabutools.election import Cost_Sat
from pabutools.election.pabulib import parse_pabulib
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule

from palabre.budgets import actions, tally
from palabre.budgets.models import Envelope, Process
from palabre.budgets.tests.factories import make_process, make_voter
from palabre.core.testing import World

pytestmark = pytest.mark.django_db

# The tie rule Palabre counts with: cheaper first, then more supporters, then the id as text.
TIE = TieBreakingRule(
    lambda inst, prof, proj: (
        proj.cost,
        -sum(prof.multiplicity(b) for b in prof if proj in b),
        str(proj.name),
    )
)


def _vote(world: World, process: Process, envelope: Envelope, voters: int, seed: int) -> None:
    """`voters` ballots from three camps of different sizes, each within the envelope."""
    ids = list(envelope.projects.order_by("pk").values_list("pk", flat=True))
    camps = [ids[:3], ids[3:5], ids[5:]]
    chooser = random.Random(seed)
    for n in range(voters):
        camp = camps[0] if n % 10 < 6 else camps[1] if n % 10 < 9 else camps[2]
        chosen = chooser.sample(camp, chooser.randint(1, len(camp)))
        actions.cast_ballot(voter=make_voter(world, process), envelope=envelope, project_ids=chosen)


def _published(world: World, rule: str) -> tuple[str, list[str], bytes]:
    process = make_process(world, frozen=False, rule=rule)
    coordinator = world.person("coordinator")
    envelope = actions.add_envelope(
        by=coordinator, process=process, neighbourhood=world.elsewhere, amount=30_000
    )
    for n, cost in enumerate([9_000, 7_000, 6_500, 8_000, 5_000, 4_000, 12_000]):
        actions.add_project(by=coordinator, envelope=envelope, title=f"Projet {n}", cost=cost)
    actions.freeze_rules(by=coordinator, process=process)
    _vote(world, process, envelope, voters=60, seed=7)
    actions.close_vote(by=coordinator, process=process)
    tally.publish_results(by=coordinator, process=process)
    client = Client()
    page = client.get(reverse("budgets:results", args=[process.slug, envelope.pk]))
    html = page.content.decode()
    funded = re.findall(r'<li data-project-id="([^"]+)"', html)
    link = re.search(r'href="([^"]+\.pb)"', html)
    assert link is not None, "the result page links no .pb file"
    recount = client.get(link.group(1))
    assert recount.status_code == 200
    return html, funded, recount.content


def _pabutools(tmp_path: Path, text: bytes, rule: str) -> list[str]:
    path = tmp_path / "recount.pb"
    path.write_bytes(text)
    instance, profile = parse_pabulib(str(path))
    chosen: Any
    if rule == "greedy":
        chosen = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat, tie_breaking=TIE)
    else:  # Add1, then greedy completion of what is left (as the page says)
        shares = method_of_equal_shares(
            instance,
            profile.as_multiprofile(),
            sat_class=Cost_Sat,
            tie_breaking=TIE,
            voter_budget_increment=1,
        )
        chosen = greedy_utilitarian_welfare(
            instance,
            profile,
            sat_class=Cost_Sat,
            tie_breaking=TIE,
            initial_budget_allocation=shares,
        )
    return [str(project.name) for project in chosen]


@pytest.mark.parametrize("rule", ["mes-add1", "greedy"])
def test_pabutools_recounts_the_published_file_to_the_same_winners_in_the_same_order(
    world: World, tmp_path: Path, rule: str
) -> None:
    _, funded, text = _published(world, rule)
    assert len(funded) >= 3
    assert _pabutools(tmp_path, text, rule) == funded


def test_the_published_file_names_nobody_and_keeps_every_ballot(world: World) -> None:
    _, _, text = _published(world, "mes-add1")
    lines = text.decode().splitlines()
    votes = lines[lines.index("VOTES") + 2 :]
    assert len(votes) == 60
    assert [line.split(";")[0] for line in votes] == [str(n) for n in range(1, 61)]
    assert "code:" not in text.decode()


def test_mes_funds_the_small_camp_that_most_votes_wins_leaves_out(world: World) -> None:
    html, _, _ = _published(world, "mes-add1")
    envelope = Envelope.objects.get(neighbourhood=world.elsewhere)
    result = envelope.result
    assert result is not None
    # 60 % of the voters want projects 0–2, 30 % projects 3–4, 10 % projects 5–6: most votes
    # wins gives the majority camp its three projects before the others get one.
    assert set(result["winners"]) != set(result["most_votes"])
    assert "Voici ce que cela aurait financé\u00a0:" in html
