"""Demo participatory budgets: the 2026 vote of Bomel, Salzinnes and Jambes, finished and
published (about 3,600 generated ballots: voting codes, codes by email, in person, and paper
ballots keyed twice), and the 2027 vote, open now (a city-wide envelope and one per
neighbourhood, a few ballots, a batch of letters, paper ballots being keyed)."""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from palabre.accounts.models import User
from palabre.budgets import actions, idea_actions, tally
from palabre.budgets.models import Envelope, EventKind, Idea, Process, Project
from palabre.contributions.models import Contribution
from palabre.contributions.models import Status as ContributionStatus
from palabre.initiatives.models import Initiative
from palabre.neighbourhoods.models import Neighbourhood
from palabre.official_requests import actions as request_actions
from palabre.official_requests import calendar as request_calendar
from palabre.official_requests.models import (
    AnswerKind,
    Department,
    Progress,
    ReceivedVia,
    Request,
)

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


def _envelopes(
    coordinator: User,
    process: Process,
    places: dict[str, Neighbourhood],
    table: Sequence[tuple[str | None, int, list[tuple[str, int, str]]]],
) -> dict[str | None, Envelope]:
    """The process's envelopes (by neighbourhood slug; None: the whole city) and projects."""
    envelopes: dict[str | None, Envelope] = {}
    for slug, amount, projects in table:
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
    return envelopes


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
    envelopes = [
        (slug, envelope)
        for slug, envelope in _envelopes(coordinator, process, places, FINISHED).items()
        if slug is not None
    ]
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
    envelopes = _envelopes(coordinator, process, places, OPEN)
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
    """Create both votes once, and the 2026 vote's ideas and follow-up (running the loader
    again changes nothing)."""
    places = {n.slug: n for n in Neighbourhood.objects.all()}
    if not Process.objects.filter(slug="budget-participatif-2026").exists():
        _finished(coordinator, facilitator, places)
    if not Process.objects.filter(slug="budget-participatif-2027").exists():
        _open(coordinator, facilitator, places)
    _ideas_2026(coordinator, facilitator)


# The ideas of 2026 (issue 18, items 2, 3 and 7): from every door, checked by the departments,
# made into Bomel's projects; then every funded project carried out through a request.
IDEAS_2026 = [
    # (key, door, title, description, day proposed)
    (
        "benches",
        "online",
        "Des bancs au square de Bomel",
        "Pour s'asseoir à l'ombre en allant au marché, surtout pour les aînés.",
        date(2026, 3, 9),
    ),
    (
        "trees",
        "paper",
        "Planter des arbres au square",
        "Le square est brûlant l'été\u00a0: deux ou trois arbres près des jeux.",
        date(2026, 3, 21),
    ),
    (
        "duplicate",
        "online",
        "Des bancs au square svp",
        "Il n'y a nulle part où s'asseoir au square de Bomel.",
        date(2026, 3, 28),
    ),
    (
        "light",
        "workshop",
        "Éclairer le passage sous le chemin de fer",
        "Le passage sous les voies est sombre le soir\u00a0; on n'ose plus y passer.",
        date(2026, 4, 2),
    ),
    (
        "sport",
        "online",
        "Un terrain de sport pour les jeunes",
        "Rue d'Arquet, un terrain multisport ouvert à tous.",
        date(2026, 4, 11),
    ),
    (
        "garden",
        "citizen_action",
        "Un potager partagé derrière la maison de quartier",
        "Des bacs surélevés, des outils et un récupérateur d'eau\u00a0: environ 6\u202f500\u00a0€.",
        date(2026, 4, 18),
    ),
    (
        "pool",
        "online",
        "Une piscine couverte à Bomel",
        "Pour apprendre à nager sans aller jusqu'à Jambes.",
        date(2026, 4, 25),
    ),
]
# (idea, department, feasible cost or reasons)
REVIEWS_2026 = [
    ("benches", "espaces-verts", 7_000),
    ("trees", "espaces-verts", 5_000),
    ("light", "voirie", 15_000),
    ("sport", "urbanisme", 22_000),
    ("garden", "espaces-verts", 6_500),
    (
        "pool",
        "urbanisme",
        "Une piscine couverte coûte plus de huit millions d'euros, deux cents fois "
        "l'enveloppe du quartier\u00a0; la piscine de Jambes est à quinze minutes en bus.",
    ),
]
# Bomel's projects and the ideas they came from.
ORIGINS_2026 = {
    "Bancs et ombre au square de Bomel": ("benches", "trees"),
    "Éclairage du passage sous le chemin de fer": ("light",),
    "Un terrain multisport rue d'Arquet": ("sport",),
    "Potager partagé derrière la maison de quartier": ("garden",),
}
# Who carries out the funded projects no idea came with (put on the ballot before ideas were kept).
CARRIED_OUT_BY = {
    "Boîtes à livres dans trois rues": "cohesion-sociale",
    "Fresque sur le mur de la rue Bas-de-la-Place": "urbanisme",
    "Aire de jeux aux Balances": "espaces-verts",
    "Bancs et toilettes au parc Astrid": "voirie",
    "Abri vélos sécurisé place Wiertz": "voirie",
    "Fête des voisins des Balances": "evenements",
    "Plantations le long de la rue Patenier": "espaces-verts",
    "Traversée sécurisée avenue Jean Materne": "voirie",
    "Parcours santé en bord de Meuse": "espaces-verts",
    "Local pour les jeunes à la Plante": "cohesion-sociale",
    "Marché de producteurs le samedi": "evenements",
    "Nichoirs et hôtels à insectes": "espaces-verts",
    "Fontaines à eau sur l'esplanade": "voirie",
}


def _lamps() -> SimpleUploadedFile:
    """A drawn picture of new lamps (no real photo in the repository)."""
    image = Image.new("RGB", (900, 600), "#2b3a4a")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 420, 900, 600), fill="#6b6b6b")  # the passage's floor
    for index in range(5):
        x = 80 + index * 180
        draw.rectangle((x, 140, x + 12, 420), fill="#cfcfcf")  # posts
        draw.ellipse((x - 24, 110, x + 36, 160), fill="#f7d96b")  # lights
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("eclairage.png", buffer.getvalue(), content_type="image/png")


def _ideas_2026(coordinator: User, facilitator: User) -> None:
    """The finished vote's story before and after it: ideas from every door (one merged, one
    not feasible with its reasons, the others checked and made into Bomel's projects), then
    its funded projects carried out through requests, one with a progress update."""
    process = Process.objects.filter(slug="budget-participatif-2026").first()
    if process is None or process.ideas.exists():
        return
    bomel = Neighbourhood.objects.get(slug="bomel")
    resident = User.objects.get(email="habitant@palabre.example")
    roads_agent = User.objects.get(email="voirie@palabre.example")
    departments = {d.slug: d for d in Department.objects.all()}
    published = Contribution.objects.filter(
        neighbourhood=bomel, status=ContributionStatus.PUBLISHED
    ).order_by("pk")
    said = published.filter(public_text__icontains="éclairage").first() or published.first()
    garden = Initiative.objects.filter(neighbourhood=bomel, title__icontains="potager").first()
    ideas: dict[str, Idea] = {}
    for key, door, title, description, day in IDEAS_2026:
        now = _at(day, 18)
        if door == "paper":
            idea = idea_actions.transcribe_paper_idea(
                by=facilitator,
                process=process,
                title=title,
                description=description,
                neighbourhood=bomel,
                key=f"demo-2026-{key}",
                now=now,
            )
        elif door == "workshop" and said is not None:
            idea = idea_actions.idea_from_contribution(
                by=facilitator,
                process=process,
                contribution=said,
                title=title,
                description=description,
                now=now,
            )
        elif door == "citizen_action" and garden is not None:
            idea = idea_actions.ask_funding(
                by=coordinator,
                process=process,
                initiative=garden,
                title=title,
                description=description,
                now=now,
            )
        else:
            idea = idea_actions.propose_idea(
                by=resident if key == "benches" else None,
                process=process,
                title=title,
                description=description,
                neighbourhood=bomel,
                key=f"demo-2026-{key}",
                now=now,
            )
        Idea.objects.filter(pk=idea.pk).update(created_at=now)
        ideas[key] = idea
    idea_actions.merge_ideas(
        by=coordinator,
        duplicate=ideas["duplicate"],
        keep=ideas["benches"],
        now=_at(date(2026, 5, 4), 10),
    )
    for key, slug, answer in REVIEWS_2026:
        idea, department = ideas[key], departments[slug]
        review = idea_actions.send_for_review(
            by=coordinator, idea=idea, department=department, now=_at(date(2026, 5, 5), 9)
        )
        answering = roads_agent if department.members.filter(pk=roads_agent.pk).exists() else None
        idea_actions.record_estimate(
            by=answering or coordinator,
            idea=idea,
            feasible=isinstance(answer, int),
            cost_estimate=answer if isinstance(answer, int) else None,
            reasons=answer if isinstance(answer, str) else "",
            received_via="" if answering else ReceivedVia.EMAIL,
        )
        _backdate_review(review, sent=_at(date(2026, 5, 5), 9), answered=_at(date(2026, 6, 2), 15))
    for title, keys in ORIGINS_2026.items():
        project = Project.objects.get(envelope__process=process, title=title)
        idea_actions.record_origin(by=coordinator, project=project, ideas=[ideas[k] for k in keys])
    process.events.filter(kind=EventKind.IDEAS_MERGED).update(at=_at(date(2026, 5, 4), 10))
    process.events.filter(kind=EventKind.PROJECT_MADE).update(at=_at(date(2026, 6, 15), 11))

    # Carried out: each funded project is a request to its department, one already under way.
    idea_actions.follow_funded_projects(by=coordinator, process=process)
    for project in idea_actions.funded_projects(process):
        carrier = CARRIED_OUT_BY.get(project.title, "")
        if project.follow_up_id is None and carrier in departments:
            idea_actions.follow_project(
                by=coordinator, project=project, department=departments[carrier]
            )
    lit = (
        Project.objects.filter(
            envelope__process=process, title__startswith="Éclairage", follow_up__isnull=False
        )
        .select_related("follow_up")
        .first()
    )
    if lit is not None and lit.follow_up is not None:
        request = lit.follow_up
        request_actions.answer(
            by=roads_agent,
            request=request,
            kind=AnswerKind.ACCEPTED,
            text="Le Service Voirie pose huit lampes LED dans le passage cet hiver.",
            version=request.version,
        )
        request_actions.post_update(
            by=roads_agent,
            request=request,
            note="Les lampes sont posées\u00a0; la fresque lumineuse suit au printemps.",
            progress=Progress.STARTED,
            photo=_lamps(),
        )


def _backdate_review(request: Request, *, sent: datetime, answered: datetime) -> None:
    """Demo only: the review requests were sent and answered in the spring of 2026."""
    day = timezone.localdate(sent)
    closed = request_actions.closed_days()
    Request.objects.filter(pk=request.pk).update(
        created_at=sent,
        sent_at=sent,
        answered_at=answered,
        acknowledge_by=request_calendar.add_working_days(
            day, settings.REQUEST_ACKNOWLEDGE_WORKING_DAYS, closed
        ),
        answer_by=request_calendar.add_calendar_days(day, settings.REQUEST_ANSWER_DAYS, closed),
    )
    request.events.filter(status__in=["drafted", "sent"]).update(at=sent)
    request.events.exclude(status__in=["drafted", "sent"]).update(at=answered)
