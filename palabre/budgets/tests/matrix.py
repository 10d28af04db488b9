from __future__ import annotations

from typing import Any

from palabre.budgets.tests.matrix_ideas import ROWS as IDEA_ROWS
from palabre.core.testing import MatrixRow, World, everyone, only

STAFF = ("coordinator", "administrator")
KEYERS = ("facilitator", *STAFF)


def _open(world: World) -> dict[str, Any]:
    from palabre.budgets.tests.factories import make_process

    return {"slug": make_process(world).slug}


def _unpublished(world: World) -> dict[str, Any]:
    from palabre.budgets.models import Process
    from palabre.budgets.tests.factories import make_process

    process = make_process(world)
    Process.objects.filter(pk=process.pk).update(is_published=False)
    return {"slug": process.slug}


def _preparing(world: World) -> dict[str, Any]:
    from palabre.budgets.tests.factories import make_process

    return {"slug": make_process(world, frozen=False).slug}


def _voter(world: World) -> dict[str, Any]:
    from palabre.budgets.tests.factories import make_process, make_voter

    process = make_process(world)
    return {"slug": process.slug, "token": make_voter(world, process).token}


def _ballot(world: World) -> dict[str, Any]:
    from palabre.budgets.tests.factories import envelope_of, make_process, make_voter

    process = make_process(world)
    voter = make_voter(world, process)
    return {"slug": process.slug, "token": voter.token, "envelope": envelope_of(process, world).pk}


def _bomel_projects(world: World) -> dict[str, Any]:
    from palabre.budgets.models import Project

    return {"projects": [Project.objects.filter(envelope__neighbourhood=world.home).first().pk]}  # type: ignore[union-attr]


def _published(world: World) -> dict[str, Any]:
    from palabre.budgets import actions, tally
    from palabre.budgets.tests.factories import envelope_of, make_process, make_voter

    process = make_process(world)
    bomel = envelope_of(process, world)
    actions.cast_ballot(
        voter=make_voter(world, process),
        envelope=bomel,
        project_ids=[bomel.projects.first().pk],  # type: ignore[union-attr]
    )
    coordinator = world.person("coordinator")
    actions.close_vote(by=coordinator, process=process)
    tally.publish_results(by=coordinator, process=process)
    return {"slug": process.slug, "envelope": bomel.pk}


def _batch(world: World) -> dict[str, Any]:
    from palabre.budgets import actions
    from palabre.budgets.tests.factories import make_process

    process = make_process(world)
    batch = actions.make_codes(
        by=world.person("coordinator"), process=process, label="Lettres", count=2
    )
    return {"slug": process.slug, "batch": batch.pk}


def _envelope(world: World) -> dict[str, Any]:
    from palabre.budgets.tests.factories import envelope_of, make_process

    process = make_process(world)
    return {"slug": process.slug, "envelope": envelope_of(process, world).pk}


def _difference(world: World) -> dict[str, Any]:
    from palabre.budgets import tally
    from palabre.budgets.models import Envelope

    found = _envelope(world)
    envelope = Envelope.objects.get(pk=found["envelope"])
    first, second = envelope.projects.all()[:2]
    for persona, project in (("facilitator", first), ("administrator", second)):
        tally.key_paper_ballot(
            by=world.person(persona), envelope=envelope, number=9, project_ids=[project.pk]
        )
    return {**found, "number": 9}


ROWS = [
    MatrixRow("budgets:index", everyone(200)),
    MatrixRow("budgets:new_process", only(200, STAFF, otherwise=403)),
    MatrixRow(
        "budgets:add_envelope",
        only(302, ("coordinator",), otherwise=403) | {"administrator": 400},
        kwargs=_preparing,
        method="post",
        data=lambda w: {"neighbourhood": w.elsewhere.pk, "amount": "5000"},
        state="then the same place again",
    ),
    MatrixRow(
        "budgets:add_project",
        only(302, STAFF, otherwise=403),
        kwargs=_preparing,
        method="post",
        data=lambda w: {
            "envelope": w.home.budget_envelopes.get().pk,
            "title": "Un banc",
            "cost": "900",
        },
    ),
    MatrixRow("budgets:process", everyone(200), kwargs=_open, state="vote open"),
    MatrixRow(
        "budgets:process", only(200, STAFF, otherwise=404), kwargs=_unpublished, state="draft"
    ),
    MatrixRow("budgets:enter_code", everyone(200), kwargs=_open),
    MatrixRow(
        "budgets:enter_code",
        everyone(400),
        kwargs=_open,
        method="post",
        data=lambda w: {"code": "AAAA-BBBB-CCCC"},
        state="unknown code",
    ),
    MatrixRow("budgets:by_message", everyone(200), kwargs=_open),
    MatrixRow(
        "budgets:by_message",
        everyone(400),
        kwargs=_open,
        method="post",
        data=lambda w: {"address": "rosa@"},
        state="an incomplete address",
    ),
    MatrixRow(
        "budgets:message_code", everyone(302), kwargs=_open, state="no code asked: back to ask"
    ),
    MatrixRow("budgets:in_person", only(302, KEYERS, otherwise=403), kwargs=_open, method="post"),
    MatrixRow("budgets:receipt", everyone(200), kwargs=_open),
    MatrixRow(
        "budgets:receipt",
        everyone(400),
        kwargs=_open,
        method="post",
        data=lambda w: {"receipt": "AAAA"},
        state="unknown receipt",
    ),
    MatrixRow("budgets:voter", everyone(200), kwargs=_voter, state="private link"),
    MatrixRow("budgets:ballot", everyone(200), kwargs=_ballot, state="private link"),
    MatrixRow(
        "budgets:ballot",
        everyone(200),
        kwargs=_ballot,
        method="post",
        data=lambda w: {**_bomel_projects(w), "step": "review"},
        state="review step",
    ),
    MatrixRow("budgets:results", everyone(200), kwargs=_published),
    MatrixRow("budgets:recount", everyone(200), kwargs=_published),
    MatrixRow("budgets:manage", only(200, STAFF, otherwise=403), kwargs=_open),
    MatrixRow("budgets:paper", only(200, KEYERS, otherwise=403), kwargs=_envelope),
    MatrixRow(
        "budgets:paper",
        only(302, KEYERS, otherwise=403) | {"administrator": 400},
        kwargs=_envelope,
        method="post",
        data=lambda w: {**_bomel_projects(w), "number": "1"},
        state="a first then a second keying, then refused",
    ),
    MatrixRow(
        "budgets:paper_differences",
        only(200, KEYERS, otherwise=403),
        kwargs=lambda w: {k: v for k, v in _difference(w).items() if k != "number"},
    ),
    MatrixRow(
        "budgets:resolve_paper",
        only(302, STAFF, otherwise=403),
        kwargs=_difference,
        method="post",
        data=lambda w: {**_bomel_projects(w), "number": "9"},
    ),
    MatrixRow("budgets:paper_ballot", only(200, KEYERS, otherwise=403), kwargs=_envelope),
    MatrixRow(
        "budgets:set_rules",
        only(302, STAFF, otherwise=403),
        kwargs=_preparing,
        method="post",
        data=lambda w: {"rule": "greedy", "ballot_type": "approval-budget"},
    ),
    MatrixRow("budgets:freeze", only(302, STAFF, otherwise=403), kwargs=_preparing, method="post"),
    MatrixRow(
        "budgets:make_codes",
        only(302, STAFF, otherwise=403),
        kwargs=_open,
        method="post",
        data=lambda w: {"label": "Lettres Bomel", "count": "3"},
    ),
    MatrixRow("budgets:code_letters", only(200, STAFF, otherwise=403), kwargs=_batch),
    MatrixRow("budgets:close", only(302, STAFF, otherwise=403), kwargs=_open, method="post"),
    MatrixRow("budgets:publish", only(302, STAFF, otherwise=403), kwargs=_open, method="post"),
]
ROWS += IDEA_ROWS
