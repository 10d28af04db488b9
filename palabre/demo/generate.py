"""A generated city for load tests: tens of thousands of rows, deterministic, in minutes.

`generate_city(scale=1.0)` fills an empty database like a Walloon city of 110,000 inhabitants
that has used Palabre for a few years: 20,000 accounts, 100,000 contributions, 5,000 requests to
officials, 300 workshops, 2,000 citizen actions, participatory budgets with their ballots and
opinion conversations with their votes (issue 21, ADR 0078).

The few reference rows (neighbourhoods, partners, venues, cycles, departments, playbooks,
budget processes and their counting) go through the domain actions; the many rows are written
with `bulk_create`, field for field as the actions write them (derived fields such as the
masked text and search stems of a contribution, deadlines from the city's calendar, the hashed
private links), without their side effects: no email, text message or reminder is queued.

Deterministic: everything random is drawn from one `random.Random(seed)`, every date from the
`today` given (not the clock, which is held at `today` 12:00 while generating), so the same seed,
scale and day give the same rows with the same primary keys on a fresh database.
"""

from __future__ import annotations

import base64
import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from typing import Any, TypeVar
from unittest import mock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from palabre.accounts import actions as account_actions
from palabre.accounts.models import Competence, Role, User
from palabre.budgets import actions as budget_actions
from palabre.budgets import tally
from palabre.budgets.models import Ballot, BallotType, Channel, Envelope, Process, Voter
from palabre.contributions import actions as contribution_actions
from palabre.contributions.masking import find_personal_data
from palabre.contributions.models import Contribution, MeToo, Reason, Source, Theme
from palabre.contributions.models import Event as ContributionEvent
from palabre.contributions.models import EventKind as ContributionEventKind
from palabre.contributions.models import Status as ContributionStatus
from palabre.contributions.search import stems_for_search
from palabre.conversations.models import Conversation, Moderation, Participant, Statement, Vote
from palabre.demo.requests import DEPARTMENTS
from palabre.initiatives.models import Event as InitiativeEvent
from palabre.initiatives.models import Initiative, Playbook, Task, Volunteer
from palabre.initiatives.models import Status as InitiativeStatus
from palabre.initiatives.shipped import install_shipped_playbooks
from palabre.links.models import AccessLink, Purpose, hash_of, token_of
from palabre.neighbourhoods import actions as place_actions
from palabre.neighbourhoods.models import Neighbourhood, Partner, PartnerKind, Venue
from palabre.official_requests import actions as request_actions
from palabre.official_requests import calendar
from palabre.official_requests.models import AnswerKind, CabinetMember, Department, Request
from palabre.official_requests.models import Event as RequestEvent
from palabre.official_requests.models import Status as RequestStatus
from palabre.workshops import actions as workshop_actions
from palabre.workshops.models import (
    DEFAULT_GUIDING_QUESTIONS,
    Cycle,
    EventKind,
    Registration,
    RegistrationStatus,
    Workshop,
)
from palabre.workshops.models import Status as WorkshopStatus

BRUSSELS = ZoneInfo("Europe/Brussels")
DEFAULT_SEED = 21
# A fixed day, so that two runs without `today` agree; a load test passes the day it runs.
DEFAULT_TODAY = date(2026, 12, 1)
# Printed by the command; only a generated database has accounts with it.
GENERATED_PASSWORD = "palabre-ville-generee"  # noqa: S105 - documented, for load tests
BATCH = 2000

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Sizes:
    """How many of each the city has at a scale (1.0: a city of 110,000, issue 21)."""

    accounts: int
    contributions: int
    requests: int
    workshops: int
    initiatives: int
    voters: int
    conversations: int
    conversation_voters: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        def n(full: int, least: int) -> int:
            return max(least, round(full * scale))

        return cls(
            accounts=n(20_000, 60),
            contributions=n(100_000, 200),
            requests=n(5_000, 30),
            workshops=n(300, 16),
            initiatives=n(2_000, 12),
            voters=n(8_000, 30),
            conversations=n(24, 3),
            conversation_voters=n(400, 8),
        )


# Twelve quarters and former communes of Namur (../shared/docs/belgian-context.md): name,
# postcode, locality.
QUARTERS = [
    ("Bomel", "5000", "Namur"),
    ("Salzinnes", "5000", "Namur"),
    ("Jambes", "5100", "Jambes"),
    ("Saint-Servais", "5002", "Saint-Servais"),
    ("Bouge", "5004", "Bouge"),
    ("Herbatte", "5000", "Namur"),
    ("Les Balances", "5000", "Namur"),
    ("Plomcot", "5002", "Saint-Servais"),
    ("Wépion", "5100", "Wépion"),
    ("Erpent", "5101", "Erpent"),
    ("Vedrin", "5020", "Vedrin"),
    ("Belgrade", "5001", "Belgrade"),
]

STREETS = [
    "rue des Tilleuls",
    "rue de l'Église",
    "avenue de la Gare",
    "rue du Moulin",
    "rue des Écoles",
    "chaussée de Louvain",
    "rue Saint-Nicolas",
    "place communale",
    "rue de la Station",
    "rue des Champs",
    "rue Haute",
    "boulevard de la Meuse",
    "rue du Parc",
    "rue des Glycines",
]

FIRST_NAMES = [
    "Marie", "Nathalie", "Isabelle", "Sophie", "Julie", "Camille", "Léa", "Emma", "Chloé",
    "Fatima", "Aïcha", "Yasmina", "Leïla", "Fatou", "Aminata", "Lotte", "Anke", "Els", "Ana",
    "Monique", "Chantal", "Martine", "Nicole", "Rosa", "Giulia", "Agnieszka", "Olena", "Sarah",
    "Jean", "Luc", "Philippe", "Marc", "Thomas", "Nicolas", "Julien", "Maxime", "Hugo", "Louis",
    "Mohamed", "Youssef", "Karim", "Ahmed", "Ibrahim", "Moussa", "Koen", "Pieter", "Jan",
    "Jean-Pierre", "Michel", "André", "Giuseppe", "Mehmet", "Tomasz", "Dmytro", "Kevin", "Noah",
]  # fmt: skip

LAST_NAMES = [
    "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent", "Leclercq", "Lemaire",
    "Collard", "Piette", "Henrard", "Delvaux", "Wauthier", "Mathieu", "Renard", "Gilson",
    "Dethier", "Lambotte", "Gérard", "Hubert", "Janssens", "Peeters", "Maes", "Vermeulen",
    "Claes", "Goossens", "El Amrani", "Bensaïd", "Ouali", "Zeroual", "Diallo", "Mbuyi",
    "Kabongo", "Yilmaz", "Rossi", "Esposito", "Nowak", "Kowalski", "Shevchenko", "Ferreira",
]  # fmt: skip

# What residents say about each theme of the default taxonomy, completed with a street.
SAID: dict[str, list[str]] = {
    "cadre-de-vie": [
        "On aimerait plus de bancs pour s'asseoir",
        "Les façades abandonnées donnent une image triste du quartier",
        "Il manque un endroit où se retrouver le dimanche",
    ],
    "proprete": [
        "Les poubelles débordent le week-end",
        "Il y a des dépôts clandestins chaque semaine",
        "Les crottes de chien sur les trottoirs, ça ne va plus",
        "Il faudrait des collectes plus fréquentes",
    ],
    "mobilite": [
        "Les voitures roulent beaucoup trop vite",
        "Il manque un passage pour piétons devant l'école",
        "Le bus passe trop rarement le soir",
        "On voudrait une piste cyclable sécurisée",
        "Le stationnement est impossible pour les riverains",
    ],
    "securite": [
        "L'éclairage est insuffisant le soir",
        "On ne se sent pas en sécurité près du parking",
        "Le carrefour est dangereux pour les enfants",
    ],
    "lien-social": [
        "Les nouveaux venus restent seuls, il faudrait les accueillir",
        "Une fête de rue au printemps nous ferait du bien",
        "On ne connaît plus ses voisins",
        "Un repas partagé une fois par mois créerait du lien",
    ],
    "jeunesse": [
        "Les jeunes n'ont aucun lieu à eux le soir",
        "Un terrain multisports ouvert en été serait bienvenu",
        "L'école de devoirs manque de bénévoles",
    ],
    "aines": [
        "Les aînés se sentent isolés",
        "Il manque des bancs sur le chemin du marché pour les personnes âgées",
        "Un goûter entre générations serait une belle idée",
    ],
    "commerces": [
        "Les petits commerces ferment les uns après les autres",
        "On aimerait un marché hebdomadaire",
        "La boulangerie est le cœur du quartier, il faut la soutenir",
    ],
    "logement": [
        "Des logements restent vides depuis des années",
        "Les loyers augmentent trop vite pour les familles",
        "Les logements publics ont besoin de rénovation",
    ],
    "espaces-verts": [
        "Le parc mériterait plus d'entretien",
        "On voudrait planter des arbres",
        "Un potager collectif rapprocherait les voisins",
        "La plaine de jeux est en mauvais état",
    ],
    "culture": [
        "Une bibliothèque de rue ferait plaisir à tous",
        "On aimerait des concerts en plein air en été",
        "La maison de quartier pourrait accueillir des expositions",
    ],
}
BOARD_PROMPT = "Qu'est-ce qui rendrait la vie meilleure dans votre rue\u00a0?"
ENDINGS = ["", ".", " !", ", vraiment.", ", c'est urgent.", ", merci de nous écouter."]

REQUEST_TITLES: dict[str, list[tuple[str, str]]] = {
    "proprete": [
        ("Des collectes plus fréquentes", "Ajouter une collecte des déchets le lundi."),
        ("Des poubelles publiques en plus", "Installer des poubelles le long de {street}."),
    ],
    "mobilite": [
        ("Un passage pour piétons", "Tracer un passage pour piétons {street}."),
        ("Ralentir la circulation", "Installer des ralentisseurs {street}."),
    ],
    "securite": [
        ("Un meilleur éclairage", "Remplacer les lampadaires éteints {street}."),
    ],
    "espaces-verts": [
        ("Entretenir le parc", "Tondre et réparer les bancs du parc près de {street}."),
        ("Planter des arbres", "Planter des arbres d'alignement {street}."),
    ],
    "jeunesse": [
        ("Un lieu pour les jeunes", "Ouvrir un local pour les jeunes le vendredi soir."),
    ],
    "lien-social": [
        ("Soutenir la fête de quartier", "Prêter des tables et des barrières pour la fête."),
    ],
}
ANSWERS = {
    AnswerKind.ACCEPTED: "Accordé : le service s'en occupe dans les prochaines semaines.",
    AnswerKind.PLANNED: "Prévu au programme des travaux ; la date est indiquée ci-dessous.",
    AnswerKind.UNDER_STUDY: "À l'étude : le service technique rendra un avis au collège.",
    AnswerKind.REFUSED: "Refusé : le budget de cette année ne le permet pas ; "
    "la demande sera réexaminée l'an prochain.",
    AnswerKind.NOT_COMPETENT: "Ce point relève de la Région wallonne ; nous avons transmis.",
}

ACTION_TITLES = [
    "Fête de la rue {street}",
    "Grand nettoyage de printemps {street}",
    "Bacs à fleurs {street}",
    "Panneau d'expression à {place}",
    "Accueil des nouveaux habitants de {place}",
    "Potager partagé à {place}",
    "Goûter entre générations à {place}",
    "Boîte à livres {street}",
]

STATEMENTS = [
    "Le quartier est agréable à vivre.",
    "Il faut limiter la vitesse à 30 km/h dans tout le quartier.",
    "La Ville écoute les habitants.",
    "Il manque des lieux pour les jeunes.",
    "Je connais au moins trois voisins par leur prénom.",
    "Les trottoirs sont en bon état.",
    "Le budget participatif devrait financer des arbres.",
    "Les commerces de proximité doivent être soutenus par la Ville.",
    "Il faut plus de poubelles publiques.",
    "Les aînés sont bien accompagnés dans le quartier.",
    "Je me sens en sécurité le soir.",
    "Il faut un marché hebdomadaire.",
]


@dataclass(frozen=True)
class Login:
    """An account the load test signs in with."""

    role: str
    email: str
    name: str


@dataclass
class Report:
    """What was written: rows per table and seconds per stage, in order."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    # Seconds spent writing each table (bulk inserts only; making the rows is in `seconds`).
    writing: dict[str, float] = field(default_factory=dict)
    logins: list[Login] = field(default_factory=list)


class NotEmpty(Exception):
    """The database already holds a city: the generator never writes over one."""


def has_city() -> bool:
    """Whether the database already holds people, places or what they said."""
    return any(
        model.objects.exists()
        for model in (User, Neighbourhood, Workshop, Contribution, Request, Initiative)
    )


@contextmanager
def _clock_at(moment: datetime) -> Iterator[None]:
    # The actions and `auto_now_add` fields read the time through django.utils.timezone.now:
    # held at `moment`, the rows they write do not depend on when the generator runs.
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def generate_city(
    *,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    city_name: str = "Namur",
    today: date = DEFAULT_TODAY,
    password: str = GENERATED_PASSWORD,
    progress: Callable[[str, int, float], None] | None = None,
) -> Report:
    """Fill an empty database with a generated city; refuse (NotEmpty) one that has data."""
    if has_city():
        raise NotEmpty("the database already holds data: generate a city into an empty one")
    city = _City(
        scale=scale,
        seed=seed,
        name=city_name,
        today=today,
        password=password,
        progress=progress,
    )
    with _clock_at(_at(today, 12)), transaction.atomic():
        city.build()
    return city.report


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, clock_time(hour, minute), tzinfo=BRUSSELS)


class _City:
    """The generation's state: the random draws, the rows written so far, the report."""

    def __init__(
        self,
        *,
        scale: float,
        seed: int,
        name: str,
        today: date,
        password: str,
        progress: Callable[[str, int, float], None] | None,
    ) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.sizes = Sizes.at(scale)
        self.name = name
        self.domain = f"{slugify(name) or 'ville'}.example"
        self.today = today
        self.now = _at(today, 12)
        self.password = password
        self.progress = progress
        self.report = Report()
        self.references: set[str] = set()
        self.said_cache: dict[str, dict[str, Any]] = {}

    # Helpers --------------------------------------------------------------------------------

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        before = dict(self.report.rows)
        yield
        seconds = time.perf_counter() - started
        self.report.seconds[name] = seconds
        if self.progress is not None:
            written = sum(self.report.rows.values()) - sum(before.values())
            self.progress(name, written, seconds)

    def bulk(self, model: type[M], rows: Sequence[M], label: str = "") -> list[M]:
        started = time.perf_counter()
        created = model._default_manager.bulk_create(rows, batch_size=BATCH)
        key = label or model._meta.label
        self.report.rows[key] = self.report.rows.get(key, 0) + len(rows)
        self.report.writing[key] = self.report.writing.get(key, 0.0) + time.perf_counter() - started
        return created

    def count(self, label: str, rows: int) -> None:
        self.report.rows[label] = self.report.rows.get(label, 0) + rows

    def token(self, nbytes: int = 18) -> str:
        return base64.urlsafe_b64encode(self.rng.randbytes(nbytes)).decode().rstrip("=")

    def link(self, purpose: Purpose, *, email: str, at: datetime) -> AccessLink:
        """A private link as links.actions.create_link makes it, drawn from the seed."""
        while True:
            letters = "".join(self.rng.choice("ABCDEFGHJKMNPRSTUVWXYZ") for _ in range(3))
            reference = f"{letters}-{self.rng.randrange(10_000):04d}"
            if reference not in self.references:
                self.references.add(reference)
                break
        nonce = self.token()
        return AccessLink(
            purpose=purpose,
            nonce=nonce,
            generation=0,
            token_hash=hash_of(token_of(nonce, 0)),
            reference=reference,
            email=email,
            language=settings.LANGUAGE_CODE,
            created_at=at,
            expires_at=at + timedelta(days=settings.PRIVATE_LINK_DAYS),
        )

    def moment_between(self, start: datetime, end: datetime) -> datetime:
        span = max(0, int((end - start).total_seconds()))
        return start + timedelta(seconds=self.rng.randrange(span + 1))

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def prepared(self, text: str) -> dict[str, Any]:
        # What contributions.actions derives from a text (its `_prepared`): the same text is
        # said often, so it is derived once.
        found = self.said_cache.get(text)
        if found is None:
            personal_data = [
                {"start": f.start, "end": f.end, "kind": str(f.kind), "state": "masked"}
                for f in find_personal_data(text)
            ]
            public_text = contribution_actions.public_version(text, personal_data)
            found = {
                "text": text,
                "personal_data": personal_data,
                "public_text": public_text,
                "search_stems": stems_for_search(public_text),
            }
            self.said_cache[text] = found
        return found

    # The city -------------------------------------------------------------------------------

    def build(self) -> None:
        with self.stage("places"):
            self.places()
        with self.stage("accounts"):
            self.accounts()
        with self.stage("workshops"):
            self.workshops()
        with self.stage("registrations"):
            self.registrations()
        with self.stage("contributions"):
            self.contributions()
        with self.stage("minutes"):
            self.minutes()
        with self.stage("requests"):
            self.requests()
        with self.stage("initiatives"):
            self.initiatives()
        with self.stage("budgets"):
            self.budgets()
        with self.stage("conversations"):
            self.conversations()

    def places(self) -> None:
        account_actions.ensure_default_competences()
        contribution_actions.ensure_default_themes()
        self.themes = list(Theme.objects.order_by("position", "pk"))
        self.theme_by_slug = {theme.slug: theme for theme in self.themes}
        self.neighbourhoods: list[Neighbourhood] = []
        self.partners: dict[int, list[Partner]] = {}
        self.venues: dict[int, list[Venue]] = {}
        for position, (quarter, postcode, locality) in enumerate(QUARTERS, start=1):
            # A hexagon on a grid of four columns around the city centre.
            lon = 4.80 + (position - 1) % 4 * 0.03
            lat = 50.44 + (position - 1) // 4 * 0.02
            ring = [
                [
                    round(lon + 0.012 * math.cos(math.pi / 3 * k), 5),
                    round(lat + 0.008 * math.sin(math.pi / 3 * k), 5),
                ]
                for k in range(6)
            ]
            place = place_actions.save_neighbourhood(
                by=None,
                neighbourhood=Neighbourhood(
                    slug=slugify(quarter),
                    name=quarter,
                    position=position,
                    summary=f"Un quartier de {self.name} où les habitants se retrouvent "
                    "autour de la maison de quartier.",
                    description=f"{quarter} mêle maisons ouvrières, petits immeubles et "
                    "commerces de proximité. On y parle de propreté, de mobilité, de places "
                    "pour les jeunes et de liens entre voisins.",
                    boundary={"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
                ),
            )
            self.neighbourhoods.append(place)
            house = place_actions.save_partner(
                by=None,
                partner=Partner(
                    slug=f"maison-de-quartier-{place.slug}",
                    name=f"Maison de quartier de {quarter}",
                    kind=PartnerKind.NEIGHBOURHOOD_HOUSE,
                    description="Accueil, école de devoirs et activités pour tous les âges.",
                ),
                neighbourhoods=[place],
            )
            committee = place_actions.save_partner(
                by=None,
                partner=Partner(
                    slug=f"comite-{place.slug}",
                    name=f"Comité de quartier de {quarter}",
                    kind=PartnerKind.RESIDENTS_COMMITTEE,
                    description="Des voisins bénévoles qui organisent la fête de quartier.",
                ),
                neighbourhoods=[place],
            )
            self.partners[place.pk] = [house, committee]
            self.venues[place.pk] = [
                place_actions.save_venue(
                    by=None,
                    venue=Venue(
                        neighbourhood=place,
                        host=host,
                        slug=slug,
                        name=name,
                        street=self.rng.choice(STREETS).capitalize(),
                        house_number=str(self.rng.randint(1, 180)),
                        postcode=postcode,
                        locality=locality,
                        capacity=capacity,
                        step_free_access=step_free,
                        childcare_room=step_free,
                        public_transport=f"Bus {self.rng.randint(1, 30)}, arrêt "
                        f"«\u00a0{quarter}\u00a0».",
                        longitude=round(lon, 5),
                        latitude=round(lat, 5),
                    ),
                )
                for host, slug, name, capacity, step_free in (
                    (house, "salle-polyvalente", f"Salle polyvalente de {quarter}", 60, True),
                    (committee, "local-du-comite", f"Local du comité de {quarter}", 25, False),
                )
            ]
        self.cpas = place_actions.save_partner(
            by=None,
            partner=Partner(
                slug="cpas",
                name=f"CPAS de {self.name} (antennes sociales)",
                kind=PartnerKind.SOCIAL_WELFARE,
                description="Les travailleurs sociaux relaient les ateliers auprès des familles.",
            ),
            neighbourhoods=self.neighbourhoods,
        )
        self.count("places", len(self.neighbourhoods) * 5 + 1)

    def accounts(self) -> None:
        # One hash for every account (hashing 20,000 passwords would take hours), with a salt
        # drawn from the seed so that two runs write the same hash.
        hashed = make_password(self.password, salt=f"city{self.seed}")
        staff: list[tuple[Role, str, str, dict[str, Any]]] = [
            (Role.ADMINISTRATOR, "admin", self.person(), {}),
            (Role.COORDINATOR, "coordination", self.person(), {}),
            (Role.COORDINATOR, "coordination.2", self.person(), {}),
        ]
        for index, place in enumerate(self.neighbourhoods, start=1):
            staff.append((Role.FACILITATOR, f"mediateur.{index:02d}", self.person(), {}))
            staff.append(
                (
                    Role.PARTNER,
                    f"partenaire.{index:02d}",
                    self.person(),
                    {"organisation": self.partners[place.pk][0]},
                )
            )
        portfolios = [
            ("Échevin·e de la cohésion sociale", ("cohesion-sociale", "participation-citoyenne")),
            ("Échevin·e de la mobilité et des travaux", ("mobilite", "travaux")),
            ("Échevin·e de la propreté publique", ("proprete-publique", "espaces-verts")),
            ("Échevin·e de la jeunesse et des sports", ("jeunesse", "sports")),
            ("Échevin·e du logement", ("logement", "urbanisme")),
            ("Échevin·e de la culture", ("culture", "commerce")),
        ]
        for index, (title, _slugs) in enumerate(portfolios, start=1):
            staff.append(
                (Role.OFFICIAL, f"echevin.{index:02d}", self.person(), {"official_title": title})
            )
        for slug, name, _email, _competences in DEPARTMENTS:
            staff.append(
                (
                    Role.OFFICIAL,
                    f"agent.{slug}",
                    self.person(),
                    {"official_title": f"Agent, {name}"},
                )
            )
        staff.append((Role.CABINET, "cabinet.01", self.person(), {}))
        users = [
            User(
                email=f"{local}@{self.domain}",
                display_name=name,
                role=role,
                password=hashed,
                date_joined=self.now - timedelta(days=4 * 365),
                **extra,
            )
            for role, local, name, extra in staff
        ]
        residents = max(0, self.sizes.accounts - len(users))
        for number in range(1, residents + 1):
            users.append(
                User(
                    email=f"habitant.{number:05d}@{self.domain}",
                    display_name=self.person(),
                    role=Role.RESIDENT,
                    password=hashed,
                    home_neighbourhood=self.rng.choice(self.neighbourhoods),
                    preferred_language=self.rng.choices(["fr", "nl", "en"], [90, 7, 3])[0],
                    date_joined=self.moment_between(self.now - timedelta(days=4 * 365), self.now),
                )
            )
        created = self.bulk(User, users)
        by_role: dict[str, list[User]] = {}
        for user in created:
            by_role.setdefault(user.role, []).append(user)
        self.coordinator = by_role[Role.COORDINATOR][0]
        self.facilitators = by_role[Role.FACILITATOR]
        self.aldermen = by_role[Role.OFFICIAL][: len(portfolios)]
        self.agents = by_role[Role.OFFICIAL][len(portfolios) :]
        self.residents = by_role[Role.RESIDENT]
        competences = {c.slug: c for c in Competence.objects.all()}
        through = User.portfolio.through
        self.bulk(
            through,
            [
                through(user_id=official.pk, competence_id=competences[slug].pk)
                for official, (_title, slugs) in zip(self.aldermen, portfolios, strict=True)
                for slug in slugs
            ],
            "accounts.User_portfolio",
        )
        self.departments: list[Department] = []
        for (slug, name, email, wanted), agent in zip(DEPARTMENTS, self.agents, strict=True):
            department = Department.objects.create(slug=slug, name=name, email=email)
            department.competences.set([competences[c] for c in wanted if c in competences])
            department.members.add(agent)
            self.departments.append(department)
        CabinetMember.objects.create(
            official=self.aldermen[0], collaborator=by_role[Role.CABINET][0], added_at=self.now
        )
        self.count("official_requests.Department", len(self.departments))
        self.report.logins = [
            Login(role=str(user.role), email=user.email, name=user.display_name)
            for user in created
            if user.role != Role.RESIDENT
        ] + [
            Login(role=str(user.role), email=user.email, name=user.display_name)
            for user in self.residents[:3]
        ]

    def workshops(self) -> None:
        season = self.today.year if self.today.month >= 9 else self.today.year - 1
        years = list(range(season - 3, season + 1))
        self.cycles = [
            workshop_actions.save_cycle(
                by=None,
                cycle=Cycle(
                    slug=f"{year}-{year + 1}",
                    name=f"Ateliers {year}–{year + 1}",
                    starts_on=date(year, 9, 1),
                    ends_on=date(year + 1, 6, 30),
                    workshops_per_neighbourhood=max(
                        1, self.sizes.workshops // (len(years) * len(self.neighbourhoods))
                    ),
                ),
                neighbourhoods=self.neighbourhoods,
            )
            for year in years
        ]
        rows: list[Workshop] = []
        partners: list[tuple[int, int]] = []  # (row index, partner pk)
        facilitators: list[tuple[int, int]] = []
        per_cycle = self.sizes.workshops // len(self.cycles)
        for cycle_index, cycle in enumerate(self.cycles):
            count = per_cycle if cycle_index else self.sizes.workshops - per_cycle * 3
            span = (cycle.ends_on - cycle.starts_on).days
            for number in range(count):
                place = self.neighbourhoods[number % len(self.neighbourhoods)]
                round_table = number == count - 1
                day = cycle.starts_on + timedelta(days=14 + span * number // max(1, count))
                day += timedelta(days=(1 - day.weekday()) % 7)  # a Tuesday
                venue = self.venues[place.pk][number % 2]
                starts = _at(day, 18, 30)
                theme = self.rng.choice(self.themes)
                if starts < self.now:
                    status = (
                        WorkshopStatus.CANCELLED
                        # At least one, whatever the scale: every state has a page to test.
                        if self.rng.random() < 0.04 or (cycle_index, number) == (0, 1)
                        else WorkshopStatus.HELD
                    )
                elif day < self.today + timedelta(days=60):
                    status = WorkshopStatus.ANNOUNCED
                else:
                    status = WorkshopStatus.PLANNED
                kind = EventKind.ROUND_TABLE if round_table else EventKind.WORKSHOP
                rows.append(
                    Workshop(
                        cycle=cycle,
                        kind=kind,
                        neighbourhood=None if round_table else place,
                        venue=venue,
                        title=(
                            f"Table ronde {cycle.starts_on.year}\u00a0: habitants, élus et services"
                            if round_table
                            else f"{place.name}\u00a0: {theme.name}, parlons-en"
                        ),
                        theme=theme.name.capitalize(),
                        description="Un atelier ouvert à toutes et tous, sans inscription "
                        "obligatoire. Accueil des enfants prévu.",
                        starts_at=starts,
                        ends_at=_at(day, 21),
                        capacity=venue.capacity,
                        status=status,
                        cancellation_reason=(
                            "Salle indisponible (dégât des eaux)."
                            if status == WorkshopStatus.CANCELLED
                            else ""
                        ),
                        held_at=starts + timedelta(hours=3)
                        if status == WorkshopStatus.HELD
                        else None,
                        created_at=_at(cycle.starts_on - timedelta(days=20), 10),
                    )
                )
                index = len(rows) - 1
                partners.append((index, self.partners[place.pk][number % 2].pk))
                if round_table:
                    partners.append((index, self.cpas.pk))
                facilitators.append((index, self.facilitators[number % len(self.facilitators)].pk))
        self.workshop_rows = self.bulk(Workshop, rows)
        partner_through = Workshop.partners.through
        self.bulk(
            partner_through,
            [
                partner_through(workshop_id=self.workshop_rows[i].pk, partner_id=pk)
                for i, pk in partners
            ],
            "workshops.Workshop_partners",
        )
        facilitator_through = Workshop.facilitators.through
        self.bulk(
            facilitator_through,
            [
                facilitator_through(workshop_id=self.workshop_rows[i].pk, user_id=pk)
                for i, pk in facilitators
            ],
            "workshops.Workshop_facilitators",
        )
        self.facilitator_of = {self.workshop_rows[i].pk: pk for i, pk in facilitators}

    def registrations(self) -> None:
        rows: list[Registration] = []
        links: list[AccessLink | None] = []
        channels = ["word_of_mouth", "partner", "social_media", "other"]
        for workshop in self.workshop_rows:
            if workshop.status not in (WorkshopStatus.HELD, WorkshopStatus.ANNOUNCED):
                continue
            assert workshop.starts_at is not None
            held = workshop.status == WorkshopStatus.HELD
            registered = self.rng.randint(workshop.capacity // 4, workshop.capacity // 2 + 2)
            people = self.rng.sample(self.residents, k=min(registered, len(self.residents)))
            for index, person in enumerate(people):
                # Registered before the workshop, and before today for those still to come.
                at = min(
                    workshop.starts_at - timedelta(days=self.rng.randint(1, 30)),
                    self.now - timedelta(hours=self.rng.randint(1, 72)),
                )
                came = held and self.rng.random() < 0.75
                rows.append(
                    Registration(
                        workshop=workshop,
                        user=person,
                        name=person.display_name,
                        email=person.email,
                        needs_childcare=self.rng.random() < 0.1,
                        needs_step_free_access=self.rng.random() < 0.05,
                        status=RegistrationStatus.CONFIRMED
                        if index < workshop.capacity
                        else RegistrationStatus.WAITING,
                        channel=self.rng.choice(channels),
                        first_time=self.rng.random() < 0.4 if came else None,
                        checked_in_at=workshop.starts_at + timedelta(minutes=index % 20)
                        if came
                        else None,
                        created_at=at,
                    )
                )
                links.append(self.link(Purpose.REGISTRATION, email=person.email, at=at))
            if held:
                for index in range(self.rng.randint(3, 15)):
                    rows.append(
                        Registration(
                            workshop=workshop,
                            name="Anonyme" if index % 3 else self.rng.choice(FIRST_NAMES),
                            status=RegistrationStatus.CONFIRMED,
                            is_walk_in=True,
                            checked_in_at=workshop.starts_at,
                            key=f"city-{workshop.pk}-{index:04d}-arrival",
                            channel=self.rng.choice(channels),
                            first_time=None if index % 5 == 4 else index % 3 == 0,
                            created_at=workshop.starts_at,
                        )
                    )
                    links.append(None)
        saved = iter(self.bulk(AccessLink, [link for link in links if link is not None]))
        for row, link in zip(rows, links, strict=True):
            if link is not None:
                row.link = next(saved)
        self.bulk(Registration, rows)

    def contributions(self) -> None:
        held = [
            w for w in self.workshop_rows if w.status == WorkshopStatus.HELD and w.neighbourhood
        ]
        moderators = [self.coordinator, *self.facilitators[:2]]
        facilitator = {user.pk: user for user in self.facilitators}
        slugs = [slug for slug in SAID if slug in self.theme_by_slug]
        rows: list[Contribution] = []
        theme_links: list[tuple[int, int]] = []
        events: list[tuple[int, ContributionEventKind, Any, datetime, str, str]] = []
        start = self.now - timedelta(days=3 * 365)
        for place in self.neighbourhoods:
            contribution_actions.save_board_settings(
                by=self.coordinator,
                neighbourhood=place,
                is_open=True,
                moderation="pre",
                prompt=BOARD_PROMPT,
            )
        for number in range(self.sizes.contributions):
            slug = self.rng.choice(slugs)
            text = (
                f"{self.rng.choice(SAID[slug])} {self.rng.choice(STREETS)}"
                f"{self.rng.choice(ENDINGS)}"
            )
            roll = self.rng.random()
            author: User | None = None
            captured_by: User | None = None
            workshop: Workshop | None = None
            question = ""
            if roll < 0.65 and held:
                workshop = self.rng.choice(held)
                assert workshop.starts_at is not None
                assert workshop.neighbourhood is not None
                source = Source.WORKSHOP
                place = workshop.neighbourhood
                question = self.rng.choice(DEFAULT_GUIDING_QUESTIONS)
                captured_by = facilitator[self.facilitator_of[workshop.pk]]
                at = workshop.starts_at + timedelta(minutes=self.rng.randint(10, 140))
                submitter: User | None = captured_by
            elif roll < 0.9:
                author = self.rng.choice(self.residents)
                source = Source.ONLINE
                question = BOARD_PROMPT  # what post_on_board notes
                place = author.home_neighbourhood or self.neighbourhoods[0]
                at = self.moment_between(start, self.now - timedelta(hours=1))
                submitter = author
            else:
                source = Source.PAPER
                place = self.rng.choice(self.neighbourhoods)
                captured_by = self.facilitators[place.position % len(self.facilitators)]
                at = self.moment_between(start, self.now - timedelta(hours=1))
                submitter = captured_by
            fate = self.rng.random()
            status = (
                ContributionStatus.PENDING
                if fate < 0.04 and at > self.now - timedelta(days=30)
                else ContributionStatus.HIDDEN
                if fate < 0.07
                else ContributionStatus.PUBLISHED
            )
            reviewed = None if status == ContributionStatus.PENDING else at + timedelta(days=1)
            reason = self.rng.choice([Reason.OFF_TOPIC, Reason.DUPLICATE, Reason.INSULT])
            derived = self.prepared(text)
            rows.append(
                Contribution(
                    neighbourhood=place,
                    workshop=workshop,
                    question=question,
                    source=source,
                    author=author,
                    author_name="" if author or self.rng.random() < 0.5 else self.person(),
                    captured_by=captured_by,
                    status=status,
                    reviewed_at=reviewed,
                    hidden_reason=reason if status == ContributionStatus.HIDDEN else "",
                    submission_key=f"city-{self.seed}-{number:06d}",
                    created_at=at,
                    **derived,
                )
            )
            theme_links.append((number, self.theme_by_slug[slug].pk))
            if self.rng.random() < 0.25:
                other = self.rng.choice(self.themes)
                if other.slug != slug:
                    theme_links.append((number, other.pk))
            events.append((number, ContributionEventKind.SUBMITTED, submitter, at, "", ""))
            if derived["personal_data"]:
                kinds = ", ".join(sorted({item["kind"] for item in derived["personal_data"]}))
                events.append((number, ContributionEventKind.MASKED, None, at, "", kinds))
            if reviewed is not None:
                moderator = self.rng.choice(moderators)
                events.append(
                    (number, ContributionEventKind.PUBLISHED, moderator, reviewed, "", "")
                )
                if status == ContributionStatus.HIDDEN:
                    events.append(
                        (
                            number,
                            ContributionEventKind.HIDDEN,
                            moderator,
                            reviewed + timedelta(hours=2),
                            reason,
                            "",
                        )
                    )
        self.contribution_rows = self.bulk(Contribution, rows)
        through = Contribution.themes.through
        self.bulk(
            through,
            [
                through(contribution_id=self.contribution_rows[i].pk, theme_id=pk)
                for i, pk in theme_links
            ],
            "contributions.Contribution_themes",
        )
        self.bulk(
            ContributionEvent,
            [
                ContributionEvent(
                    contribution=self.contribution_rows[i],
                    kind=kind,
                    by=by,
                    at=at,
                    reason=reason,
                    note=note,
                )
                for i, kind, by, at, reason, note in events
            ],
        )
        self.themes_of: dict[int, list[int]] = {}
        for i, pk in theme_links:
            self.themes_of.setdefault(self.contribution_rows[i].pk, []).append(pk)
        published = [c for c in self.contribution_rows if c.status == ContributionStatus.PUBLISHED]
        self.published_by_place: dict[int, list[Contribution]] = {}
        for contribution in published:
            self.published_by_place.setdefault(contribution.neighbourhood_id, []).append(
                contribution
            )
        # "Me too": a few on most published contributions, one per person.
        me_too: list[MeToo] = []
        for contribution in published:
            if self.rng.random() < 0.3:
                for person in self.rng.sample(self.residents, k=self.rng.randint(1, 3)):
                    if person.pk != contribution.author_id:
                        me_too.append(
                            MeToo(
                                contribution=contribution,
                                user=person,
                                created_at=contribution.created_at + timedelta(days=2),
                            )
                        )
        self.bulk(MeToo, me_too)

    def minutes(self) -> None:
        # A third of the past cycles' workshops have published minutes (they become
        # "reported"), drafted and saved through the actions like the facilitator's.
        past = [
            w
            for w in self.workshop_rows
            if w.status == WorkshopStatus.HELD
            and w.cycle_id != self.cycles[-1].pk
            and w.kind == EventKind.WORKSHOP
        ]
        chosen = past[::3]
        for workshop in chosen:
            minutes = workshop_actions.draft_minutes(by=None, workshop=workshop)
            workshop_actions.save_minutes(
                by=None,
                minutes=minutes,
                version=minutes.version,
                introduction=minutes.introduction,
                notes=[part["notes"] or "Pas de remarque." for part in minutes.discussion],
                decisions="Relayer aux élus les demandes les plus souvent entendues.",
                next_steps=minutes.next_steps,
                publish=True,
            )
        self.count("workshops.Minutes", len(chosen))

    def requests(self) -> None:
        request_actions.ensure_calendar(range(self.today.year - 4, self.today.year + 2))
        closed = request_actions.closed_days()
        statuses = [
            (RequestStatus.DRAFTED, 4),
            (RequestStatus.SENT, 10),
            (RequestStatus.ACKNOWLEDGED, 14),
            (RequestStatus.ANSWERED, 36),
            (RequestStatus.IN_PROGRESS, 14),
            (RequestStatus.DONE, 22),
        ]
        kinds = list(ANSWERS)
        start = self.now - timedelta(days=3 * 365)
        rows: list[Request] = []
        events: list[tuple[int, dict[str, Any]]] = []
        evidence: list[tuple[int, int]] = []
        themes: list[tuple[int, int]] = []
        topics = [slug for slug in REQUEST_TITLES if slug in self.theme_by_slug]
        for number in range(self.sizes.requests):
            status = (
                statuses[number][0]  # every status at least once, whatever the scale
                if number < len(statuses)
                else self.rng.choices([s for s, _w in statuses], [w for _s, w in statuses])[0]
            )
            place = self.rng.choice(self.neighbourhoods)
            slug = self.rng.choice(topics)
            title, asked = self.rng.choice(REQUEST_TITLES[slug])
            street = self.rng.choice(STREETS)
            # Requests still waiting are recent; those answered come from the last three years.
            waiting = status in (
                RequestStatus.DRAFTED,
                RequestStatus.SENT,
                RequestStatus.ACKNOWLEDGED,
            )
            created = self.moment_between(
                self.now - timedelta(days=90) if waiting else start,
                self.now - timedelta(days=10 if waiting else 60),
            )
            to_department = self.rng.random() < 0.5
            official = None if to_department else self.rng.choice(self.aldermen)
            department = self.rng.choice(self.departments) if to_department else None
            request = Request(
                neighbourhood=place,
                title=f"{title} ({place.name})",
                asked=asked.format(street=street),
                why="Demandé par les habitants à l'atelier et sur le panneau d'expression.",
                status=status,
                created_by=self.coordinator,
                created_at=created,
                language=settings.LANGUAGE_CODE,
                answer_language=settings.LANGUAGE_CODE,
            )
            events.append((number, {"status": RequestStatus.DRAFTED, "at": created}))
            if status != RequestStatus.DRAFTED:
                sent = created + timedelta(hours=self.rng.randint(1, 48))
                day = timezone.localdate(sent)
                request.official = official
                request.department = department
                request.sent_at = sent
                request.acknowledge_by = calendar.add_working_days(
                    day, settings.REQUEST_ACKNOWLEDGE_WORKING_DAYS, closed
                )
                request.answer_by = calendar.add_calendar_days(
                    day, settings.REQUEST_ANSWER_DAYS, closed
                )
                events.append(
                    (
                        number,
                        {
                            "status": RequestStatus.SENT,
                            "at": sent,
                            "official": official,
                            "department": department,
                        },
                    )
                )
                # Answered ones went through every step; a few sent ones are late (the
                # deadlines page has something to show).
                steps = [s for s, _w in statuses]
                reached = steps.index(status)
                moment = sent
                answerer = (
                    official
                    if department is None
                    else self.agents[self.departments.index(department)]
                )
                for step in steps[steps.index(RequestStatus.ACKNOWLEDGED) : reached + 1]:
                    limit = self.now - timedelta(hours=1)
                    moment = min(limit, moment + timedelta(days=self.rng.randint(1, 25)))
                    event: dict[str, Any] = {"status": step, "at": moment, "by": answerer}
                    if step == RequestStatus.ACKNOWLEDGED:
                        request.acknowledged_at = moment
                    elif step == RequestStatus.ANSWERED:
                        kind = self.rng.choice(kinds)
                        request.answer_kind = kind
                        request.answer_text = ANSWERS[kind]
                        request.answered_at = moment
                        request.answer_from_official = official
                        request.answer_from_department = department
                        request.answered_by = answerer
                        request.version = 2
                        if kind == AnswerKind.PLANNED:
                            request.planned_for = timezone.localdate(moment) + timedelta(
                                days=self.rng.randint(30, 200)
                            )
                        event["note"] = ANSWERS[kind]
                    elif step == RequestStatus.DONE:
                        request.done_at = moment
                    events.append((number, event))
            rows.append(request)
            themes.append((number, self.theme_by_slug[slug].pk))
            pool = self.published_by_place.get(place.pk, [])
            for contribution in self.rng.sample(pool, k=min(len(pool), self.rng.randint(1, 3))):
                evidence.append((number, contribution.pk))
        # Answered requests need an answer kind: the constraint holds for every status past
        # "acknowledged" (in progress and done were answered on the way).
        self.request_rows = self.bulk(Request, rows)
        self.bulk(
            RequestEvent,
            [
                RequestEvent(
                    request=self.request_rows[i], by=fields.pop("by", self.coordinator), **fields
                )
                for i, fields in events
            ],
        )
        theme_through = Request.themes.through
        self.bulk(
            theme_through,
            [theme_through(request_id=self.request_rows[i].pk, theme_id=pk) for i, pk in themes],
            "official_requests.Request_themes",
        )
        evidence_through = Request.contributions.through
        self.bulk(
            evidence_through,
            [
                evidence_through(request_id=self.request_rows[i].pk, contribution_id=pk)
                for i, pk in evidence
            ],
            "official_requests.Request_contributions",
        )
        # A request takes the themes of its contributions too (draft_request).
        extra = sorted(
            {
                (self.request_rows[i].pk, theme)
                for i, pk in evidence
                for theme in self.themes_of.get(pk, [])
            }
            - {(self.request_rows[i].pk, pk) for i, pk in themes}
        )
        self.bulk(
            theme_through,
            [theme_through(request_id=r, theme_id=t) for r, t in extra],
            "official_requests.Request_themes",
        )

    def initiatives(self) -> None:
        install_shipped_playbooks(self.coordinator)
        playbooks = list(Playbook.objects.prefetch_related("steps", "budget").order_by("pk"))
        paths = {
            InitiativeStatus.IDEA: (),
            InitiativeStatus.PREPARATION: (InitiativeStatus.PREPARATION,),
            InitiativeStatus.HAPPENING: (InitiativeStatus.PREPARATION, InitiativeStatus.HAPPENING),
            InitiativeStatus.DONE: (
                InitiativeStatus.PREPARATION,
                InitiativeStatus.HAPPENING,
                InitiativeStatus.DONE,
            ),
            InitiativeStatus.PAUSED: (InitiativeStatus.PREPARATION, InitiativeStatus.PAUSED),
            InitiativeStatus.ABANDONED: (InitiativeStatus.ABANDONED,),
        }
        weights = [20, 20, 10, 35, 8, 7]
        start = self.now - timedelta(days=3 * 365)
        rows: list[Initiative] = []
        plans: list[tuple[Playbook, InitiativeStatus, datetime, list[User]]] = []
        origins: list[tuple[int, int]] = []
        for number in range(self.sizes.initiatives):
            status = (
                list(paths)[number]  # every status at least once, whatever the scale
                if number < len(paths)
                else self.rng.choices(list(paths), weights)[0]
            )
            place = self.rng.choice(self.neighbourhoods)
            playbook = self.rng.choice(playbooks)
            # Actions under way were started this year; done or abandoned ones, any year.
            under_way = status in (
                InitiativeStatus.IDEA,
                InitiativeStatus.PREPARATION,
                InitiativeStatus.HAPPENING,
            )
            created = self.moment_between(
                self.now - timedelta(days=180) if under_way else start,
                self.now - timedelta(days=7 if under_way else 150),
            )
            starts_on = timezone.localdate(created) + timedelta(days=self.rng.randint(30, 120))
            if status in (InitiativeStatus.IDEA, InitiativeStatus.PREPARATION):
                starts_on = max(starts_on, self.today + timedelta(days=self.rng.randint(5, 90)))
            elif status == InitiativeStatus.HAPPENING:
                starts_on = self.today + timedelta(days=self.rng.randint(-2, 10))
            pool = self.published_by_place.get(place.pk, [])
            origin = self.rng.choice(pool) if pool and self.rng.random() < 0.6 else None
            planned = sum((line.amount for line in playbook.budget.all()), Decimal(0))
            rows.append(
                Initiative(
                    neighbourhood=place,
                    kind=playbook.kind,
                    title=self.rng.choice(ACTION_TITLES).format(
                        street=self.rng.choice(STREETS), place=place.name
                    ),
                    description=playbook.description,
                    playbook=playbook,
                    starts_on=starts_on,
                    status=status,
                    workshop_id=origin.workshop_id if origin else None,
                    created_by=self.facilitators[place.position % len(self.facilitators)],
                    budget_requested=planned or None,
                    budget_granted=planned
                    if planned and status in (InitiativeStatus.HAPPENING, InitiativeStatus.DONE)
                    else None,
                    report="Une belle journée : une cinquantaine de voisins sont venus."
                    if status == InitiativeStatus.DONE
                    else "",
                    reported_at=_at(starts_on + timedelta(days=3), 18)
                    if status == InitiativeStatus.DONE
                    else None,
                    created_at=created,
                )
            )
            if origin is not None:
                origins.append((number, origin.pk))
            leads = self.rng.sample(self.residents, k=self.rng.randint(1, 2))
            plans.append((playbook, status, created, leads))
        self.initiative_rows = self.bulk(Initiative, rows)
        origin_through = Initiative.contributions.through
        self.bulk(
            origin_through,
            [
                origin_through(initiative_id=self.initiative_rows[i].pk, contribution_id=pk)
                for i, pk in origins
            ],
            "initiatives.Initiative_contributions",
        )
        lead_through = Initiative.leads.through
        self.bulk(
            lead_through,
            [
                lead_through(initiative_id=initiative.pk, user_id=lead.pk)
                for initiative, (_p, _s, _c, leads) in zip(self.initiative_rows, plans, strict=True)
                for lead in leads
            ],
            "initiatives.Initiative_leads",
        )
        events: list[InitiativeEvent] = []
        volunteers: list[Volunteer] = []
        links: list[AccessLink] = []
        for initiative, (_playbook, status, created, leads) in zip(
            self.initiative_rows, plans, strict=True
        ):
            events.append(
                InitiativeEvent(
                    initiative=initiative,
                    status=InitiativeStatus.IDEA,
                    by=initiative.created_by,
                    at=created,
                )
            )
            moment = created
            for step in paths[status]:
                moment = min(self.now, moment + timedelta(days=self.rng.randint(3, 30)))
                events.append(
                    InitiativeEvent(
                        initiative=initiative,
                        status=step,
                        by=leads[0],
                        at=moment,
                        reason="Les bénévoles ne sont plus disponibles cet été."
                        if step in (InitiativeStatus.PAUSED, InitiativeStatus.ABANDONED)
                        else "",
                    )
                )
            if status == InitiativeStatus.ABANDONED:
                continue
            signed_up: set[int] = set()
            for person in [*leads, *self.rng.sample(self.residents, k=self.rng.randint(1, 6))]:
                if person.pk in signed_up:
                    continue
                signed_up.add(person.pk)
                at = created + timedelta(days=self.rng.randint(0, 20))
                volunteers.append(
                    Volunteer(
                        initiative=initiative,
                        user=person,
                        name=person.display_name,
                        email=person.email,
                        language=person.preferred_language,
                        created_at=at,
                    )
                )
                links.append(self.link(Purpose.VOLUNTEER, email=person.email, at=at))
        self.bulk(InitiativeEvent, events)
        for volunteer, link in zip(volunteers, self.bulk(AccessLink, links), strict=True):
            volunteer.link = link
        saved = self.bulk(Volunteer, volunteers)
        helpers: dict[int, list[Volunteer]] = {}
        for volunteer in saved:
            helpers.setdefault(volunteer.initiative_id, []).append(volunteer)
        tasks: list[Task] = []
        for initiative, (playbook, status, _created, _leads) in zip(
            self.initiative_rows, plans, strict=True
        ):
            assert initiative.starts_on is not None
            crew = helpers.get(initiative.pk, [])
            for planned_step in playbook.steps.all():
                due = initiative.starts_on - timedelta(days=planned_step.days_before)
                finished = status == InitiativeStatus.DONE or (
                    status != InitiativeStatus.IDEA and due < self.today
                )
                tasks.append(
                    Task(
                        initiative=initiative,
                        title=planned_step.title,
                        due_on=due,
                        permit=planned_step.permit,
                        department=planned_step.department,
                        owner=self.rng.choice(crew) if crew and self.rng.random() < 0.6 else None,
                        done_at=_at(due, 17) if finished else None,
                    )
                )
        self.bulk(Task, tasks)

    def budgets(self) -> None:
        staff = self.coordinator
        places = self.neighbourhoods
        season = self.today.year
        finished = self.process(
            slug=f"budget-participatif-{season - 1}",
            title=f"Budget participatif {season - 1}",
            ideas=(date(season - 1, 3, 1), date(season - 1, 4, 30)),
            review_until=date(season - 1, 6, 30),
            vote=(_at(date(season - 1, 9, 14), 9), _at(date(season - 1, 10, 4), 20)),
        )
        open_vote = self.process(
            slug=f"budget-participatif-{season}",
            title=f"Budget participatif {season}",
            ideas=(self.today - timedelta(days=150), self.today - timedelta(days=90)),
            review_until=self.today - timedelta(days=20),
            vote=(_at(self.today - timedelta(days=5), 9), _at(self.today + timedelta(days=16), 20)),
        )
        for process, voters in (
            (finished, self.sizes.voters * 6 // 10),
            (open_vote, self.sizes.voters - self.sizes.voters * 6 // 10),
        ):
            envelopes: dict[int | None, Envelope] = {
                None: budget_actions.add_envelope(
                    by=staff, process=process, neighbourhood=None, amount=60_000
                )
            }
            for place in places:
                envelopes[place.pk] = budget_actions.add_envelope(
                    by=staff, process=process, neighbourhood=place, amount=20_000
                )
            costs: dict[int, list[tuple[int, int]]] = {}
            for envelope in envelopes.values():
                area = envelope.neighbourhood
                name = area.name if area is not None else "toute la ville"
                titles = [
                    ("Des arbres le long des rues", 9_000),
                    ("Une plaine de jeux rénovée", 12_000),
                    ("Des bancs et des tables de pique-nique", 4_000),
                    ("Une boîte à livres", 1_500),
                    ("Un potager collectif", 6_000),
                    ("Des bacs à fleurs", 3_000),
                    ("Un éclairage solaire du sentier", 8_000),
                ]
                scale = envelope.amount // 20_000
                costs[envelope.pk] = [
                    (
                        budget_actions.add_project(
                            by=staff,
                            envelope=envelope,
                            title=f"{title} ({name})",
                            cost=cost * scale,
                            summary="Proposé par des habitants, vérifié par les services.",
                            position=position,
                        ).pk,
                        cost * scale,
                    )
                    for position, (title, cost) in enumerate(titles)
                ]
            budget_actions.freeze_rules(
                by=staff, process=process, now=process.vote_opens_at - timedelta(days=3)
            )
            self.ballots(process, envelopes, costs, voters)
            if process is finished:
                tally.publish_results(
                    by=staff, process=process, now=process.vote_closes_at + timedelta(days=8)
                )
        self.count("budgets.Envelope", Envelope.objects.count())

    def process(
        self,
        *,
        slug: str,
        title: str,
        ideas: tuple[date, date],
        review_until: date,
        vote: tuple[datetime, datetime],
    ) -> Process:
        return budget_actions.create_process(
            by=self.coordinator,
            slug=slug,
            title=title,
            description="Des projets proposés par les habitants, vérifiés par les services "
            "de la Ville et choisis par un vote : un vote pour la ville, un pour son quartier.",
            ideas=ideas,
            review_until=review_until,
            vote=vote,
            ballot_type=BallotType.APPROVAL_BUDGET,
        )

    def ballots(
        self,
        process: Process,
        envelopes: dict[int | None, Envelope],
        costs: dict[int, list[tuple[int, int]]],
        count: int,
    ) -> None:
        # Each voter casts a city-wide ballot and one in the neighbourhood they live in, as
        # cast_ballot writes them: canonical choices within the envelope's money.
        now = min(self.now, process.vote_closes_at)
        voters: list[Voter] = []
        places: list[int] = []
        for number in range(count):
            place = self.rng.choice(self.neighbourhoods)
            voters.append(
                Voter(
                    process=process,
                    key=f"import:city-{self.seed}:{number}",
                    channel=self.rng.choices(
                        [Channel.CODE, Channel.EMAIL, Channel.IN_PERSON], [50, 40, 10]
                    )[0],
                    token=self.token(32),
                    neighbourhood=place,
                )
            )
            places.append(place.pk)
        saved = self.bulk(Voter, voters)
        receipts: set[str] = set()
        ballots: list[Ballot] = []
        for voter, home in zip(saved, places, strict=True):
            for key in (None, home):
                envelope = envelopes[key]
                chosen: list[int] = []
                spent = 0
                projects = costs[envelope.pk]
                # Popular projects first: most voters like the first ones.
                for pk, cost in projects:
                    if (
                        self.rng.random() < 0.55 - 0.05 * len(chosen)
                        and spent + cost <= envelope.amount
                    ):
                        chosen.append(pk)
                        spent += cost
                if not chosen:
                    chosen.append(projects[self.rng.randrange(len(projects))][0])
                while True:
                    receipt = self.rng.randbytes(6).hex().upper()
                    if receipt not in receipts:
                        receipts.add(receipt)
                        break
                ballots.append(
                    Ballot(
                        envelope=envelope,
                        voter=voter,
                        choices=",".join(map(str, sorted(chosen))),
                        channel=voter.channel,
                        receipt=receipt,
                        cast_at=self.moment_between(process.vote_opens_at, now),
                    )
                )
        self.bulk(Ballot, ballots)

    def conversations(self) -> None:
        rows: list[Conversation] = []
        for number in range(self.sizes.conversations):
            place = self.neighbourhoods[number % len(self.neighbourhoods)]
            opens = self.now - timedelta(days=20 + 30 * number)
            rows.append(
                Conversation(
                    title=f"{place.name}\u00a0: qu'en pensez-vous\u00a0? ({number + 1})",
                    slug=f"{place.slug}-avis-{number + 1}",
                    neighbourhood=place,
                    opens_at=opens,
                    closes_at=opens + timedelta(days=45),
                    created_at=opens - timedelta(days=3),
                    is_published=True,
                )
            )
        conversations = self.bulk(Conversation, rows)
        statements: list[Statement] = []
        for conversation in conversations:
            assert conversation.opens_at is not None
            for index, text in enumerate(STATEMENTS):
                statements.append(
                    Statement(
                        conversation=conversation,
                        text=text,
                        written_at=conversation.opens_at - timedelta(hours=index + 1),
                        moderation=Moderation.ACCEPTED,
                    )
                )
        saved = self.bulk(Statement, statements)
        participants: list[Participant] = []
        for conversation in conversations:
            assert conversation.opens_at is not None
            for card in range(1, self.sizes.conversation_voters + 1):
                participants.append(
                    Participant(
                        conversation=conversation, card=card, created_at=conversation.opens_at
                    )
                )
        people = self.bulk(Participant, participants)
        by_conversation: dict[int, list[Statement]] = {}
        for statement in saved:
            by_conversation.setdefault(statement.conversation_id, []).append(statement)
        votes: list[Vote] = []
        for participant in people:
            leaning = self.rng.choice([1, -1])
            for index, statement in enumerate(by_conversation[participant.conversation_id]):
                if self.rng.random() < 0.3:
                    continue
                agree = (index % 2 == 0) == (leaning == 1)
                value = self.rng.choices([1 if agree else -1, 0, -1 if agree else 1], [70, 10, 20])[
                    0
                ]
                votes.append(
                    Vote(
                        participant=participant,
                        statement=statement,
                        value=value,
                        voted_at=participant.created_at + timedelta(hours=index),
                    )
                )
        self.bulk(Vote, votes)
