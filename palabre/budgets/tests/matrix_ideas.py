"""The ideas' pages (idea_urls.py) x every persona."""

from __future__ import annotations

import secrets
from typing import Any

from palabre.core.testing import MatrixRow, World, everyone, only

STAFF = ("coordinator", "administrator")
BRINGERS = ("facilitator", *STAFF)
# Who steers the citizen action of `_initiative`: its lead, the facilitator who started it, the
# service.
STEERERS = ("resident", *BRINGERS)
# Who says whether an idea in review is feasible: the department's member, the service.
ESTIMATORS = ("official", *STAFF)


def _taking(world: World) -> dict[str, Any]:
    from palabre.budgets.tests.idea_factories import make_ideas_process

    return {"slug": make_ideas_process(world).slug}


def _hidden(world: World) -> dict[str, Any]:
    from palabre.budgets.models import Process

    found = _taking(world)
    Process.objects.filter(slug=found["slug"]).update(is_published=False)
    return found


def _idea(world: World) -> dict[str, Any]:
    from palabre.budgets.models import Process
    from palabre.budgets.tests.idea_factories import propose

    found = _taking(world)
    process = Process.objects.get(slug=found["slug"])
    propose(world, process, "Un banc au parc")
    return found | {"pk": propose(world, process, "Des bancs au parc Louise-Marie").pk}


def _in_review(world: World) -> dict[str, Any]:
    from palabre.budgets import idea_actions
    from palabre.budgets.models import Idea
    from palabre.budgets.tests.idea_factories import make_reviewing_department

    found = _idea(world)
    idea_actions.send_for_review(
        by=world.person("coordinator"),
        idea=Idea.objects.get(pk=found["pk"]),
        department=make_reviewing_department(world),
    )
    return found


def _feasible(world: World) -> dict[str, Any]:
    from palabre.budgets import idea_actions
    from palabre.budgets.models import Idea

    found = _in_review(world)
    idea_actions.record_estimate(
        by=world.person("official"),
        idea=Idea.objects.get(pk=found["pk"]),
        feasible=True,
        cost_estimate=2_500,
    )
    return {"slug": found["slug"]}


def _with_ideas(world: World) -> dict[str, Any]:
    return {"slug": _idea(world)["slug"]}


def _contribution(world: World) -> dict[str, Any]:
    from palabre.contributions.tests.factories import make_post

    return _taking(world) | {"contribution": make_post(world.home).pk}


def _initiative(world: World) -> dict[str, Any]:
    from palabre.initiatives.tests.factories import make_initiative

    return _taking(world) | {"initiative": make_initiative(world).pk}


def _published(world: World) -> dict[str, Any]:
    """Results published: a funded project made of a feasible idea, and a funded one put on
    the ballot by hand (no department known for it)."""
    from palabre.budgets import actions, idea_actions
    from palabre.budgets.models import Idea, Process
    from palabre.budgets.tests.idea_factories import vote_and_publish

    found = _feasible(world)
    process = Process.objects.get(slug=found["slug"])
    coordinator = world.person("coordinator")
    idea_actions.make_project(
        by=coordinator,
        process=process,
        ideas=Idea.objects.filter(status="feasible"),
        envelope=process.envelopes.get(neighbourhood=world.home),
        title="Des bancs au parc",
    )
    actions.add_project(
        by=coordinator,
        envelope=process.envelopes.get(neighbourhood=None),
        title="Des fontaines",
        cost=4_000,
    )
    vote_and_publish(world, process)
    return found


def _by_hand(world: World) -> dict[str, Any]:
    from palabre.budgets.models import Project

    found = _published(world)
    return found | {"project": Project.objects.get(title="Des fontaines").pk}


def _idea_data(world: World) -> dict[str, Any]:
    return {
        "key": secrets.token_urlsafe(24),
        "title": "Une fontaine à eau",
        "description": "Au parc Louise-Marie, près des jeux.",
        "place": str(world.home.pk),
    }


def _other_idea(world: World) -> dict[str, Any]:
    from palabre.budgets.models import Idea

    return {"keep": Idea.objects.get(title="Un banc au parc").pk}


def _department(world: World) -> dict[str, Any]:
    from palabre.official_requests.models import Department

    department, _ = Department.objects.get_or_create(slug="voirie", name="Service Voirie")
    return {"department": department.pk}


def _project_data(world: World) -> dict[str, Any]:
    from palabre.budgets.models import Envelope, Idea

    return {
        "ideas": [Idea.objects.get(status="feasible").pk],
        "envelope": Envelope.objects.get(neighbourhood=world.home).pk,
        "title": "Des bancs au parc",
        "cost": "",
    }


def _follow_data(world: World) -> dict[str, Any]:
    from palabre.budgets.models import Project
    from palabre.official_requests.models import Department

    project = Project.objects.get(title="Des fontaines")
    return {
        f"project-{project.pk}-department": Department.objects.get(slug="voirie").pk,
        f"project-{project.pk}-neighbourhood": world.home.pk,
    }


ROWS = [
    MatrixRow("budgets:ideas", everyone(200), kwargs=_with_ideas),
    MatrixRow(
        "budgets:ideas", only(200, STAFF, otherwise=404), kwargs=_hidden, state="draft process"
    ),
    MatrixRow("budgets:idea", everyone(200), kwargs=_idea),
    MatrixRow("budgets:idea", everyone(200), kwargs=_in_review, state="in review"),
    MatrixRow("budgets:propose_idea", everyone(200), kwargs=_taking),
    MatrixRow(
        "budgets:propose_idea",
        everyone(302),
        kwargs=_taking,
        method="post",
        data=_idea_data,
        state="an idea, with or without an account",
    ),
    MatrixRow(
        "budgets:propose_idea",
        everyone(400),
        kwargs=_taking,
        method="post",
        data=lambda w: _idea_data(w) | {"title": ""},
        state="no title",
    ),
    MatrixRow("budgets:paper_idea", only(200, BRINGERS, otherwise=403), kwargs=_taking),
    MatrixRow(
        "budgets:paper_idea",
        only(302, BRINGERS, otherwise=403),
        kwargs=_taking,
        method="post",
        data=_idea_data,
    ),
    MatrixRow(
        "budgets:idea_from_contribution", only(200, BRINGERS, otherwise=403), kwargs=_contribution
    ),
    MatrixRow(
        "budgets:idea_from_contribution",
        only(302, BRINGERS, otherwise=403),
        kwargs=_contribution,
        method="post",
        data=lambda w: {"title": "Des bancs près de l'arrêt", "description": ""},
        state="the second one finds the first",
    ),
    MatrixRow("budgets:ask_funding", only(200, STEERERS, otherwise=403), kwargs=_initiative),
    MatrixRow(
        "budgets:ask_funding",
        only(302, STEERERS, otherwise=403),
        kwargs=_initiative,
        method="post",
        data=lambda w: {"title": "Tables pour la fête", "description": "Vingt tables, 400 €."},
    ),
    MatrixRow(
        "budgets:merge_idea",
        only(302, STAFF, otherwise=403),
        kwargs=_idea,
        method="post",
        data=_other_idea,
    ),
    MatrixRow(
        "budgets:send_for_review",
        only(302, STAFF, otherwise=403),
        kwargs=_idea,
        method="post",
        data=_department,
    ),
    MatrixRow(
        "budgets:record_estimate",
        only(302, ESTIMATORS, otherwise=403),
        kwargs=_in_review,
        method="post",
        data=lambda w: {"verdict": "feasible", "cost_estimate": "2000", "received_via": "email"},
    ),
    MatrixRow("budgets:projects", everyone(200), kwargs=_with_ideas, state="before the vote"),
    MatrixRow("budgets:projects", everyone(200), kwargs=_published, state="results published"),
    MatrixRow("budgets:make_project", only(200, STAFF, otherwise=403), kwargs=_feasible),
    MatrixRow(
        "budgets:make_project",
        only(302, STAFF, otherwise=403),
        kwargs=_feasible,
        method="post",
        data=_project_data,
        state="the same form twice makes one",
    ),
    MatrixRow(
        "budgets:follow_projects",
        only(302, STAFF, otherwise=403),
        kwargs=_published,
        method="post",
    ),
    MatrixRow(
        "budgets:follow_project",
        only(302, STAFF, otherwise=403),
        kwargs=_by_hand,
        method="post",
        data=_follow_data,
    ),
]
