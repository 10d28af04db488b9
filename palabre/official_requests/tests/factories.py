"""Typed builders of requests to officials for tests (through the actions)."""

from __future__ import annotations

from palabre.contributions.tests.factories import make_post
from palabre.core.testing import World
from palabre.official_requests import actions
from palabre.official_requests.models import Department, Request


def make_department(world: World, slug: str = "voirie", name: str = "Service Voirie") -> Department:
    department = Department.objects.create(slug=slug, name=name)
    department.competences.add(world.competence)
    return department


def make_request(world: World, *, sent: bool = False) -> Request:
    """A request drafted by the coordinator from two Bomel contributions; sent to the official."""
    evidence = [
        make_post(world.home, "Les voitures roulent trop vite rue de Bomel."),
        make_post(world.home, "Il faudrait un ralentisseur devant l'école."),
    ]
    request = actions.draft_request(
        by=world.person("coordinator"),
        neighbourhood=world.home,
        title="Un ralentisseur devant l'école",
        asked="Installer un ralentisseur rue de Bomel, devant l'école.",
        contributions=evidence,
    )
    if sent:
        actions.send_request(
            by=world.person("coordinator"), request=request, official=world.person("official")
        )
    return request
