"""Demo opinion conversations (issue 19, item 8): the one held at the first Bomel workshop,
voted on phones and on paper cards in the room and closed since, and an open one online about
Salzinnes' streets. Votes are drawn from fixed opinion profiles with a fixed seed, so the demo
is the same every time; the maps are computed as the worker would."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from palabre.accounts.models import User
from palabre.conversations import actions
from palabre.conversations.models import Conversation, Moderation, Statement
from palabre.neighbourhoods.models import Neighbourhood
from palabre.workshops.models import Workshop

BOMEL_SLUG = "place-de-bomel"
SALZINNES_SLUG = "rues-de-salzinnes"

# Each statement with the chance of agreeing for each opinion profile (the rest disagrees
# or passes): "families", "night-life", "elders". Fictional, as everything in the demo.
BOMEL = [
    ("Il faut plus de bancs à l'ombre sur la place de Bomel.", (0.9, 0.8, 0.95)),
    ("La plaine de jeux doit être clôturée.", (0.9, 0.2, 0.6)),
    ("Les terrasses des cafés devraient fermer à 22 h en semaine.", (0.7, 0.1, 0.85)),
    ("Le marché du samedi devrait revenir sur la place.", (0.8, 0.75, 0.9)),
    ("Il faut interdire les voitures sur la place le dimanche.", (0.8, 0.7, 0.2)),
    ("Un éclairage plus fort rendrait la place plus sûre le soir.", (0.75, 0.4, 0.9)),
    ("La place manque d'arbres.", (0.85, 0.8, 0.8)),
    ("Les jeunes ont besoin d'un endroit à eux, même s'il fait du bruit.", (0.4, 0.95, 0.3)),
    ("Des toilettes publiques sont nécessaires sur la place.", (0.85, 0.7, 0.95)),
    ("La maison de quartier devrait rester ouverte le soir.", (0.5, 0.9, 0.4)),
]
BOMEL_PROFILES = [0] * 14 + [1] * 12 + [2] * 12  # 28 phones, then 10 paper cards (shuffled)
SALZINNES = [
    ("Les rues autour de l'école doivent passer à 20 km/h.", (0.9, 0.4)),
    ("Il faut des rangs vélo accompagnés pour aller à l'école.", (0.85, 0.5)),
    ("Le stationnement devant l'école devrait être interdit de 8 h à 9 h.", (0.8, 0.2)),
    ("Les trottoirs de la rue des Brasseurs sont trop étroits.", (0.85, 0.8)),
    ("Les enfants devraient pouvoir jouer dans la rue une fois par mois.", (0.75, 0.3)),
    ("Un passage pour piétons manque près du parc Marie-Louise.", (0.8, 0.75)),
    ("Il faut plus de contrôles de vitesse plutôt que des casse-vitesse.", (0.3, 0.8)),
    ("Les camionnettes de livraison bloquent les trottoirs.", (0.8, 0.7)),
]
SALZINNES_PROFILES = [0] * 26 + [1] * 19


def _vote(chooser: random.Random, agree: float) -> int:
    draw = chooser.random()
    if draw < agree:
        return 1
    return 0 if draw > 0.9 + agree / 10 else -1


def _votes(
    conversation: Conversation,
    statements: list[Statement],
    chances: list[tuple[float, ...]],
    profiles: list[int],
    *,
    cards: int,
    start: datetime,
    chooser: random.Random,
) -> None:
    """Phones then paper cards vote, each with its profile's chances, between `start` and an
    hour later (a card's votes as typed in after the evening)."""
    for index, profile in enumerate(profiles):
        if index < len(profiles) - cards:
            voter = actions.participant_for_device(
                conversation=conversation, token=f"demo-phone-{conversation.slug}-{index:04d}"
            )
        else:
            voter = actions.participant_for_card(
                conversation=conversation, number=index - (len(profiles) - cards) + 1
            )
        order = list(range(len(statements)))
        chooser.shuffle(order)
        for position, number in enumerate(order):
            actions.cast_vote(
                participant=voter,
                statement=statements[number],
                value=_vote(chooser, chances[number][profile]),
                at=start + timedelta(minutes=index + position),
            )


def _bomel(coordinator: User) -> None:
    workshop = Workshop.objects.filter(
        neighbourhood__slug="bomel", title__contains="premier atelier"
    ).first()
    if workshop is None or workshop.starts_at is None or workshop.ends_at is None:
        return
    conversation = actions.create_conversation(
        by=coordinator,
        title="Que voulons-nous pour la place de Bomel ?",
        slug=BOMEL_SLUG,
        statements=[text for text, _chances in BOMEL],
        workshop=workshop,
        neighbourhood=workshop.neighbourhood,
        opens_at=workshop.starts_at,
        closes_at=workshop.ends_at + timedelta(days=2),
        is_published=True,
    )
    statements = list(conversation.statements.order_by("pk"))
    Statement.objects.filter(conversation=conversation).update(written_at=workshop.starts_at)
    chooser = random.Random(19)
    profiles = list(BOMEL_PROFILES)
    chooser.shuffle(profiles)
    # The votes came in while it was open: the demo reopens it while writing them as they came
    # (dated that evening), then closes it again.
    Conversation.objects.filter(pk=conversation.pk).update(closes_at=timezone.now() + timedelta(1))
    conversation.refresh_from_db()
    _votes(
        conversation,
        statements,
        [chances for _text, chances in BOMEL],
        profiles,
        cards=10,
        start=workshop.starts_at + timedelta(minutes=20),
        chooser=chooser,
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        closes_at=workshop.ends_at + timedelta(days=2)
    )
    actions.refresh_map(conversation_id=conversation.pk)


def _salzinnes(coordinator: User) -> None:
    place = Neighbourhood.objects.filter(slug="salzinnes").first()
    now = timezone.now()
    conversation = actions.create_conversation(
        by=coordinator,
        title="Comment rendre les rues de Salzinnes plus sûres pour les enfants ?",
        slug=SALZINNES_SLUG,
        statements=[text for text, _chances in SALZINNES],
        neighbourhood=place,
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=23),
        is_published=True,
    )
    statements = list(conversation.statements.order_by("pk"))
    Statement.objects.filter(conversation=conversation).update(written_at=now - timedelta(days=5))
    chooser = random.Random(2027)
    profiles = list(SALZINNES_PROFILES)
    chooser.shuffle(profiles)
    _votes(
        conversation,
        statements,
        [chances for _text, chances in SALZINNES],
        profiles,
        cards=0,
        start=now - timedelta(days=4),
        chooser=chooser,
    )
    # A resident's statement accepted, and one waiting for the team (with a phone number
    # masked before anyone reads it).
    accepted = actions.propose_statement(
        conversation=conversation, text="Il faudrait un agent au carrefour de l'école le matin."
    )
    actions.moderate_statement(by=coordinator, statement=accepted, accept=True)
    actions.propose_statement(
        conversation=conversation,
        text="Les voitures roulent trop vite rue Patenier, appelez-moi au 0478 12 34 56.",
    )
    actions.refresh_map(conversation_id=conversation.pk)
    assert conversation.statements.filter(moderation=Moderation.PENDING).count() == 1


def load(coordinator: User) -> None:
    """Create both conversations once (running the loader again changes nothing)."""
    if not Conversation.objects.filter(slug=BOMEL_SLUG).exists():
        _bomel(coordinator)
    if not Conversation.objects.filter(slug=SALZINNES_SLUG).exists():
        _salzinnes(coordinator)
