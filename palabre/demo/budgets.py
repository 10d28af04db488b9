"""Demo participatory budgets: the 2026 vote of Bomel, Salzinnes and Jambes, finished and
published (about 3,600 generated ballots: voting codes, codes by email, in person, and paper
ballots keyed twice), and the 2027 vote, open now (a city-wide envelope and one per
neighbourhood, a few ballots, a batch of letters, paper ballots being keyed)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from palabre.accounts.models import User
from palabre.budgets import actions, tally
from palabre.budgets.models import Envelope, Process
from palabre.neighbourhoods.models import Neighbourhood

BRUSSELS = ZoneInfo("Europe/Brussels")

# (neighbourhood, amount, [(title, cost, summary)]); the first projects are the most popular.
FINISHED = [
    (
        "bomel",
        40_000,
        [
            (
                "Bancs et ombre au square de Bomel",
                12_000,
                "Six bancs, deux arbres et une fontaine à eau.",
            ),
            (
                "Éclairage du passage sous le chemin de fer",
                15_000,
                "Des lampes LED et une fresque lumineuse.",
            ),
            (
                "Un terrain multisport rue d'Arquet",
                22_000,
                "Pour les jeunes, ouvert tous les jours.",
            ),
            (
                "Potager partagé derrière la maison de quartier",
                6_500,
                "Bacs surélevés accessibles en fauteuil.",
            ),
            (
                "Boîtes à livres dans trois rues",
                2_400,
                "Construites avec l'atelier bois de l'école.",
            ),
            (
                "Fresque sur le mur de la rue Bas-de-la-Place",
                8_000,
                "Peinte avec les enfants du quartier.",
            ),
        ],
    ),
    (
        "salzinnes",
        35_000,
        [
            ("Aire de jeux aux Balances", 18_000, "Rénovée, avec des jeux pour les tout-petits."),
            ("Bancs et toilettes au parc Astrid", 14_000, "Pour les aînés qui s'y promènent."),
            ("Abri vélos sécurisé place Wiertz", 9_500, "Vingt places, sous clé."),
            ("Fête des voisins des Balances", 3_000, "Tables, sono et repas partagé en juin."),
            (
                "Plantations le long de la rue Patenier",
                7_500,
                "Vingt arbres et des pieds d'arbres fleuris.",
            ),
        ],
    ),
    (
        "jambes",
        45_000,
        [
            (
                "Traversée sécurisée avenue Jean Materne",
                20_000,
                "Un plateau et un éclairage renforcé.",
            ),
            ("Parcours santé en bord de Meuse", 16_000, "Dix agrès et des panneaux d'exercices."),
            (
                "Local pour les jeunes à la Plante",
                24_000,
                "Aménagement d'un local prêté par la Ville.",
            ),
            ("Marché de producteurs le samedi", 5_000, "Tentes et signalétique pour un an."),
            ("Nichoirs et hôtels à insectes", 1_800, "Posés avec les écoles."),
            ("Fontaines à eau sur l'esplanade", 6_000, "Deux fontaines raccordées."),
        ],
    ),
]
# Voters per neighbourhood, online and on paper (each paper ballot keyed twice).
ONLINE = {"bomel": 1_150, "salzinnes": 880, "jambes": 1_320}
PAPER = {"bomel": 60, "salzinnes": 45, "jambes": 55}
CHANNELS = ["code"] * 6 + ["email"] * 3 + ["in_person"]

OPEN = [
    (
        None,
        60_000,
        [
            ("Des fontaines à eau dans les parcs", 18_000, "Huit fontaines raccordées."),
            (
                "Une navette gratuite le samedi",
                35_000,
                "Entre les quartiers et le centre, un an d'essai.",
            ),
            ("Des toilettes publiques accessibles", 28_000, "Deux blocs, ouverts de 7 h à 22 h."),
            (
                "Des bancs sur les trajets des aînés",
                9_000,
                "Trente bancs là où les aînés s'arrêtent.",
            ),
        ],
    ),
    (
        "bomel",
        30_000,
        [
            ("Un préau pour la cour de l'école", 21_000, "Pour jouer à l'abri."),
            ("Des bacs à fleurs rue de Bomel", 6_000, "Entretenus par les riverains."),
            ("Un frigo solidaire", 4_500, "À la maison de quartier."),
        ],
    ),
    (
        "salzinnes",
        30_000,
        [
            (
                "Un jardin intergénérationnel",
                12_000,
                "Aux Balances, entre l'école et la résidence.",
            ),
            ("Des tables de pique-nique au parc", 5_000, "Six tables, dont deux accessibles."),
            ("Un terrain de pétanque éclairé", 9_000, "Avec deux bancs."),
        ],
    ),
    (
        "jambes",
        30_000,
        [
            ("Une piste de skate", 26_000, "Au bord de la Meuse."),
            ("Des arceaux vélos devant les commerces", 4_000, "Quarante arceaux."),
            ("Une grainothèque à la bibliothèque", 1_500, "Et des ateliers de semis."),
        ],
    ),
]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=BRUSSELS)


def _ballots(chooser: random.Random, envelope: Envelope, count: int) -> list[list[int]]:
    """`count` ballots within the envelope from three camps of different sizes: most want the
    first projects, a third the middle ones, a few the last ones."""
    projects = list(envelope.projects.order_by("position"))
    camps = [projects[:2], projects[2:4], projects[4:]]
    ballots = []
    for _ in range(count):
        roll = chooser.random()
        camp = camps[0] if roll < 0.55 else camps[1] if roll < 0.85 else camps[2]
        pool = camp + chooser.sample(projects, k=1)
        chosen = chooser.sample(pool, k=chooser.randint(1, len(pool)))
        while sum(p.cost for p in chosen) > envelope.amount:
            chosen.pop()
        ballots.append(sorted({p.pk for p in chosen}))
    return ballots


def _finished(coordinator: User, facilitator: User, places: dict[str, Neighbourhood]) -> None:
    opens, closes = _at(date(2026, 9, 14), 9), _at(date(2026, 10, 4), 20)
    process = actions.create_process(
        by=coordinator,
        slug="budget-participatif-2026",
        title="Budget participatif 2026",
        description="120 000 € pour des projets proposés par les habitants de Bomel, "
        "Salzinnes et Jambes, vérifiés par les services de la Ville et choisis par un vote.",
        ideas=(date(2026, 3, 1), date(2026, 4, 30)),
        review_until=date(2026, 6, 30),
        vote=(opens, closes),
    )
    chooser = random.Random(2026)
    envelopes = []
    for slug, amount, projects in FINISHED:
        envelope = actions.add_envelope(
            by=coordinator, process=process, neighbourhood=places[slug], amount=amount
        )
        for position, (title, cost, summary) in enumerate(projects):
            actions.add_project(
                by=coordinator,
                envelope=envelope,
                title=title,
                cost=cost,
                summary=summary,
                position=position,
            )
        envelopes.append((slug, envelope))
    actions.freeze_rules(by=coordinator, process=process, now=opens - timedelta(days=3))
    counting = closes + timedelta(days=1)
    for slug, envelope in envelopes:
        online = _ballots(chooser, envelope, ONLINE[slug])
        tally.import_ballots(
            by=coordinator,
            envelope=envelope,
            ballots=[(chooser.choice(CHANNELS), ballot) for ballot in online],
            now=counting,
        )
        for number, ballot in enumerate(_ballots(chooser, envelope, PAPER[slug]), start=1):
            for person in (facilitator, coordinator):
                tally.key_paper_ballot(
                    by=person, envelope=envelope, number=number, project_ids=ballot, now=counting
                )
    tally.publish_results(by=coordinator, process=process, now=_at(date(2026, 10, 12), 11))


def _open(coordinator: User, facilitator: User, places: dict[str, Neighbourhood]) -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    process = actions.create_process(
        by=coordinator,
        slug="budget-participatif-2027",
        title="Budget participatif 2027",
        description="150 000 € : 60 000 € pour toute la ville et 30 000 € par quartier. "
        "Votez pour la ville et pour le quartier où vous habitez.",
        ideas=(today - timedelta(days=150), today - timedelta(days=90)),
        review_until=today - timedelta(days=20),
        vote=(_at(today - timedelta(days=5), 9), _at(today + timedelta(days=16), 20)),
    )
    envelopes: dict[str | None, Envelope] = {}
    for slug, amount, projects in OPEN:
        envelope = actions.add_envelope(
            by=coordinator,
            process=process,
            neighbourhood=places[slug] if slug else None,
            amount=amount,
        )
        for position, (title, cost, summary) in enumerate(projects):
            actions.add_project(
                by=coordinator,
                envelope=envelope,
                title=title,
                cost=cost,
                summary=summary,
                position=position,
            )
        envelopes[slug] = envelope
    actions.freeze_rules(by=coordinator, process=process, now=_at(today - timedelta(days=6), 10))
    chooser = random.Random(2027)
    codes = list(
        actions.make_codes(by=coordinator, process=process, label="Lettres — Bomel", count=60)
        .codes.order_by("pk")
        .values_list("code", flat=True)
    )
    for code in codes[:24]:
        voter = actions.redeem_code(process=process, code=code)
        for slug in (None, "bomel"):
            ballot = _ballots(chooser, envelopes[slug], 1)[0]
            actions.cast_ballot(voter=voter, envelope=envelopes[slug], project_ids=ballot)
    bomel = envelopes["bomel"]
    for number, ballot in enumerate(_ballots(chooser, bomel, 4), start=1):
        tally.key_paper_ballot(by=facilitator, envelope=bomel, number=number, project_ids=ballot)
    # Ballot 1 read differently by the coordinator: a difference to settle.
    other = list(bomel.projects.values_list("pk", flat=True))[-1:]
    tally.key_paper_ballot(by=coordinator, envelope=bomel, number=1, project_ids=other)


def load(coordinator: User, facilitator: User) -> None:
    """Create both votes once (running the loader again changes nothing)."""
    places = {n.slug: n for n in Neighbourhood.objects.all()}
    if not Process.objects.filter(slug="budget-participatif-2026").exists():
        _finished(coordinator, facilitator, places)
    if not Process.objects.filter(slug="budget-participatif-2027").exists():
        _open(coordinator, facilitator, places)
