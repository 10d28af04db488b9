"""Typed builders of ideas, their review and their projects for tests (through the actions)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

from palabre.budgets import actions, idea_actions, tally
from palabre.budgets.models import Idea, Process
from palabre.core.testing import World
from palabre.official_requests.models import Department


def make_ideas_process(world: World, *, slug: str = "budget-2028", taking: bool = True) -> Process:
    """A budget before its vote, taking ideas (or, not `taking`, in its feasibility review):
    a city-wide envelope of 20,000 € and a Bomel one of 10,000 €, no project yet."""
    coordinator = world.person("coordinator")
    now = timezone.now()
    today = timezone.localdate(now)
    ideas = (today - timedelta(days=10), today + timedelta(days=20))
    if not taking:
        ideas = (today - timedelta(days=60), today - timedelta(days=30))
    process = actions.create_process(
        by=coordinator,
        slug=slug,
        title="Budget participatif 2028",
        ideas=ideas,
        review_until=today + timedelta(days=40),
        vote=(now + timedelta(days=50), now + timedelta(days=70)),
    )
    actions.add_envelope(by=coordinator, process=process, neighbourhood=None, amount=20_000)
    actions.add_envelope(by=coordinator, process=process, neighbourhood=world.home, amount=10_000)
    return process


def make_reviewing_department(world: World) -> Department:
    """The Service Voirie, whose member is the official persona."""
    department = Department.objects.create(slug="voirie", name="Service Voirie")
    department.members.add(world.person("official"))
    return department


def propose(
    world: World, process: Process, title: str = "Des bancs rue de Bomel", *, home: bool = True
) -> Idea:
    """An idea proposed online by the resident (for Bomel, or the whole city)."""
    return idea_actions.propose_idea(
        by=world.person("resident"),
        process=process,
        title=title,
        description=f"{title}, pour s'asseoir en allant au marché.",
        neighbourhood=world.home if home else None,
        key=secrets.token_urlsafe(24),
    )


def feasible(world: World, idea: Idea, department: Department, cost: int = 3_000) -> Idea:
    """`idea` sent to `department` and found feasible by its member, at `cost`."""
    idea_actions.send_for_review(by=world.person("coordinator"), idea=idea, department=department)
    return idea_actions.record_estimate(
        by=world.person("official"), idea=idea, feasible=True, cost_estimate=cost
    )


def vote_and_publish(world: World, process: Process) -> None:
    """Freeze, vote for the cheapest projects of each envelope that fit, close and publish."""
    coordinator = world.person("coordinator")
    actions.freeze_rules(by=coordinator, process=process)
    process.refresh_from_db()
    voting = process.vote_opens_at + timedelta(hours=1)
    batch = actions.make_codes(by=coordinator, process=process, label="Lettres", count=1)
    voter = actions.redeem_code(process=process, code=batch.codes.get().code, now=voting)
    for envelope in process.envelopes.all():
        chosen, total = [], 0
        for project in envelope.projects.order_by("cost"):
            if total + project.cost <= envelope.amount:
                chosen.append(project.pk)
                total += project.cost
        if chosen:
            actions.cast_ballot(voter=voter, envelope=envelope, project_ids=chosen, now=voting)
    closing = process.vote_closes_at + timedelta(hours=1)
    actions.close_vote(by=coordinator, process=process, now=closing)
    tally.publish_results(by=coordinator, process=process, now=closing)
    process.refresh_from_db()
