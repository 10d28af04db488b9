"""Typed builders of participatory budgets for tests (through the actions)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from palabre.budgets import actions
from palabre.budgets.models import Envelope, Process, Voter
from palabre.core.testing import World

# Bomel's ballot: 10,000 € for three projects that cannot all be funded.
PROJECTS = [("Bancs au parc Louise-Marie", 3_000), ("Fresque rue Bas-de-la-Place", 5_000)]
PROJECTS += [("Potager partagé", 4_000)]


def make_process(
    world: World,
    *,
    slug: str = "budget-2027",
    frozen: bool = True,
    ballot_type: str = "approval-budget",
    max_choices: int | None = None,
    points: int | None = None,
    rule: str = "mes-add1",
) -> Process:
    """A budget whose vote is open (when `frozen`): a city-wide envelope of 20,000 € with two
    projects and a Bomel envelope of 10,000 € with `PROJECTS`."""
    coordinator = world.person("coordinator")
    now = timezone.now()
    today = timezone.localdate(now)
    process = actions.create_process(
        by=coordinator,
        slug=slug,
        title="Budget participatif 2027",
        ideas=(today - timedelta(days=90), today - timedelta(days=60)),
        review_until=today - timedelta(days=10),
        vote=(now - timedelta(days=1), now + timedelta(days=14)),
        rule=rule,
        ballot_type=ballot_type,
        max_choices=max_choices,
        points=points,
    )
    city = actions.add_envelope(by=coordinator, process=process, neighbourhood=None, amount=20_000)
    for position, (title, cost) in enumerate(
        [("Fontaines à eau", 12_000), ("Vélos partagés", 15_000)]
    ):
        actions.add_project(
            by=coordinator, envelope=city, title=title, cost=cost, position=position
        )
    home = actions.add_envelope(
        by=coordinator, process=process, neighbourhood=world.home, amount=10_000
    )
    for position, (title, cost) in enumerate(PROJECTS):
        actions.add_project(
            by=coordinator, envelope=home, title=title, cost=cost, position=position
        )
    if frozen:
        actions.freeze_rules(by=coordinator, process=process)
    process.refresh_from_db()
    return process


def envelope_of(process: Process, world: World | None = None) -> Envelope:
    """The process's Bomel envelope (or the city-wide one when `world` is None)."""
    if world is None:
        return process.envelopes.get(neighbourhood__isnull=True)
    return process.envelopes.get(neighbourhood=world.home)


def make_voter(world: World, process: Process) -> Voter:
    """A voter who typed a fresh voting code."""
    batch = actions.make_codes(
        by=world.person("coordinator"), process=process, label="Tests", count=1
    )
    return actions.redeem_code(process=process, code=batch.codes.get().code)
