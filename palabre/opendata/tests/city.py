"""A small city with something in every dataset, public and hidden, with counts on both sides
of the suppression threshold (built through the apps' factories and actions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from palabre.budgets import actions as budget_actions
from palabre.budgets import tally
from palabre.budgets.models import Envelope
from palabre.budgets.tests.factories import envelope_of, make_process, make_voter
from palabre.conversations import actions as conversation_actions
from palabre.conversations.models import Conversation, MapState
from palabre.conversations.tests.factories import make_conversation, make_statements
from palabre.core.testing import World
from palabre.initiatives import actions as initiative_actions
from palabre.initiatives.models import Initiative
from palabre.initiatives.models import Status as InitiativeStatus
from palabre.initiatives.tests.factories import make_initiative
from palabre.official_requests import actions as request_actions
from palabre.official_requests.models import Request
from palabre.official_requests.tests.factories import make_request
from palabre.workshops.models import Registration, RegistrationStatus, Status, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

# Personal data planted in the city: none of it may reach a dataset.
RESIDENT_NAMES = ("Josiane Lambotte", "Kevin Delvaux")
RESIDENT_EMAIL = "josiane.lambotte@example.org"
RESIDENT_PHONE = "0470 12 34 56"


@dataclass
class OpenCity:
    world: World
    held: Workshop  # 6 people present
    small: Workshop  # 3 people present
    announced: Workshop
    planned: Workshop  # not public
    answered: Request
    draft: Request  # not public
    action: Initiative
    idea: Initiative  # not public (an idea, not in the showcase)
    envelope: Envelope
    conversation: Conversation
    draft_conversation: Conversation


def _came(workshop: Workshop, count: int) -> None:
    now = timezone.now()
    for number in range(count):
        name = RESIDENT_NAMES[number % 2]
        Registration.objects.create(
            workshop=workshop,
            name=f"{name} {number}",
            email=f"{number}.{RESIDENT_EMAIL}",
            phone=RESIDENT_PHONE,
            status=RegistrationStatus.CONFIRMED,
            checked_in_at=now,
        )


def _workshops(world: World) -> dict[str, Workshop]:
    held = make_hosted_workshop(
        world, title="Atelier de Bomel", status=Status.HELD, days_from_now=-3
    )
    _came(held, 6)
    small = make_hosted_workshop(
        world, title="=Petit atelier", status=Status.HELD, days_from_now=-2
    )
    _came(small, 3)
    announced = make_hosted_workshop(world, title="Atelier à venir", days_from_now=5)
    planned = make_hosted_workshop(world, title="Atelier en préparation", status=Status.PLANNED)
    return {"held": held, "small": small, "announced": announced, "planned": planned}


def _requests(world: World) -> dict[str, Request]:
    answered = make_request(world, sent=True)
    answered.refresh_from_db()
    request_actions.answer(
        by=world.person("official"),
        request=answered,
        kind="accepted",
        text="Le ralentisseur sera posé en juin.",
        version=answered.version,
    )
    draft = make_request(world)
    return {"answered": answered, "draft": draft}


def _initiatives(world: World, prefix: str = "") -> dict[str, Initiative]:
    action = make_initiative(world, f"{prefix}Fête de la rue Haute")
    initiative_actions.move(
        by=world.person("coordinator"), initiative=action, target=InitiativeStatus.PREPARATION
    )
    for number in range(5):
        initiative_actions.sign_up(
            by=None,
            initiative=action,
            name=f"{RESIDENT_NAMES[0]} {number}",
            email=f"{prefix}v{number}.{RESIDENT_EMAIL}",
            key=f"{prefix}volunteer-{number}",
        )
    idea = make_initiative(world, f"{prefix}Une idée encore floue")
    return {"action": action, "idea": idea}


def _budget(world: World) -> Envelope:
    process = make_process(world)
    bomel = envelope_of(process, world)
    first, second, _third = list(bomel.projects.order_by("position"))
    # Six voters choose the first project, two of them the second one too.
    for number in range(6):
        budget_actions.cast_ballot(
            voter=make_voter(world, process),
            envelope=bomel,
            project_ids=[first.pk, second.pk] if number < 2 else [first.pk],
        )
    coordinator = world.person("coordinator")
    budget_actions.close_vote(by=coordinator, process=process)
    tally.publish_results(
        by=coordinator, process=process, now=timezone.now() + timedelta(seconds=1)
    )
    bomel.refresh_from_db()
    return bomel


def _votes(card: int) -> dict[int, int]:
    """Two camps of ten: cards 1-10 agree with statements 1-4 and disagree with 5-8, cards 11-20
    the reverse; everyone agrees with statement 9."""
    first = card <= 10
    votes = {n: 1 if (n <= 4) == first else -1 for n in range(1, 9)}
    votes[9] = 1
    return votes


def _conversations() -> dict[str, Conversation]:
    conversation = make_conversation(slug="place-communale")
    statements = make_statements(conversation, 9)
    for card in range(1, 21):
        holder = conversation_actions.participant_for_card(conversation=conversation, number=card)
        for number, value in _votes(card).items():
            conversation_actions.cast_vote(
                participant=holder, statement=statements[number - 1], value=value
            )
    conversation_actions.propose_statement(
        conversation=conversation, text=f"Appelez-moi au {RESIDENT_PHONE}"
    )
    assert conversation_actions.refresh_map(conversation_id=conversation.pk) == MapState.READY
    draft = make_conversation(slug="brouillon", is_published=False)
    make_statements(draft, 2)
    return {"conversation": conversation, "draft_conversation": draft}


def make_open_city(world: World) -> OpenCity:
    """Build the city: every dataset with public rows and hidden ones."""
    found: dict[str, Any] = {
        **_workshops(world),
        **_requests(world),
        **_initiatives(world),
        "envelope": _budget(world),
        **_conversations(),
    }
    return OpenCity(world=world, **found)
