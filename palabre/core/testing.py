"""Test support shared by every app: personas and the permission matrix's row type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from palabre.accounts.models import Competence, Role, User
from palabre.accounts.tests.factories import UserFactory
from palabre.neighbourhoods.models import Neighbourhood, Partner, Venue
from palabre.neighbourhoods.tests.factories import (
    NeighbourhoodFactory,
    PartnerContactFactory,
    PartnerFactory,
    VenueFactory,
)

# Every persona of the permission matrix, in the order the tables are written.
PERSONAS = (
    "anonymous", "resident", "neighbour", "facilitator", "coordinator", "partner", "official",
    "administrator",
)


@dataclass
class World:
    """A small city: two published neighbourhoods, one hidden, people in every role."""

    home: Neighbourhood
    elsewhere: Neighbourhood
    hidden: Neighbourhood
    partner_org: Partner
    venue: Venue
    hidden_venue: Venue
    competence: Competence
    people: dict[str, User | None] = field(default_factory=dict)

    def user(self, persona: str) -> User | None:
        return self.people[persona]


def build_world() -> World:
    """Create the personas and the places they act on."""
    home = NeighbourhoodFactory(name="Bomel", slug="bomel")
    elsewhere = NeighbourhoodFactory(name="Jambes", slug="jambes")
    hidden = NeighbourhoodFactory(name="Vedrin", slug="vedrin", is_published=False)
    partner_org = PartnerFactory(name="Maison de quartier de Bomel", neighbourhoods=[home])
    PartnerContactFactory(partner=partner_org)
    venue = VenueFactory(neighbourhood=home, host=partner_org, slug="salle-bomel")
    hidden_venue = VenueFactory(neighbourhood=home, slug="salle-cachee", is_published=False)
    people: dict[str, User | None] = {
        "anonymous": None,
        "resident": UserFactory(role=Role.RESIDENT, home_neighbourhood=home,
                                email="resident@example.org"),
        "neighbour": UserFactory(role=Role.RESIDENT, home_neighbourhood=elsewhere,
                                 email="neighbour@example.org"),
        "facilitator": UserFactory(role=Role.FACILITATOR, email="facilitator@example.org"),
        "coordinator": UserFactory(role=Role.COORDINATOR, email="coordinator@example.org"),
        "partner": UserFactory(role=Role.PARTNER, organisation=partner_org,
                               email="partner@example.org"),
        "official": UserFactory(role=Role.OFFICIAL, official_title="Échevine",
                                email="official@example.org"),
        "administrator": UserFactory(role=Role.ADMINISTRATOR, email="administrator@example.org"),
    }
    competence = Competence.objects.get(slug="mobilite")
    return World(home, elsewhere, hidden, partner_org, venue, hidden_venue, competence, people)


Expected = dict[str, int]


def everyone(status: int) -> Expected:
    """Return the same expected status for every persona."""
    return dict.fromkeys(PERSONAS, status)


def only(status: int, allowed: tuple[str, ...], otherwise: int) -> Expected:
    """Return `status` for the `allowed` personas and `otherwise` for the rest."""
    return {persona: status if persona in allowed else otherwise for persona in PERSONAS}


@dataclass(frozen=True)
class MatrixRow:
    """One URL in one state: how to build its arguments, and the status each persona gets."""

    url_name: str
    expected: Expected
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    method: str = "get"
    data: Callable[[World], dict[str, Any]] = lambda world: {}
    state: str = ""

    def __post_init__(self) -> None:
        missing = set(PERSONAS) - set(self.expected)
        if missing:
            raise ValueError(f"{self.url_name}: no expected status for {sorted(missing)}")
