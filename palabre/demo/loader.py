"""Deterministic demo data for three Namur neighbourhoods, built through the domain actions.

Everything here is fictional: people, contacts and descriptions. Street names are plausible.
Running the loader twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from palabre.accounts import actions as account_actions
from palabre.accounts.models import Competence, Role, User
from palabre.contributions import actions as contribution_actions
from palabre.demo import budgets, conversations, inclusion, initiatives, network, requests, voices
from palabre.neighbourhoods import actions as place_actions
from palabre.neighbourhoods.models import Neighbourhood, Partner, PartnerContact, PartnerKind, Venue
from palabre.workshops import actions as workshop_actions
from palabre.workshops.models import Cycle, EventKind, Session, Status, Workshop

DEMO_PASSWORD = "palabre-demo-2027"  # noqa: S105 - printed to the person running the demo


def _square(points: list[tuple[float, float]]) -> dict[str, object]:
    ring = [list(p) for p in points]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


NEIGHBOURHOODS = [
    {
        "slug": "bomel",
        "name": "Bomel",
        "position": 1,
        "summary": "Un quartier dense et populaire au nord de la gare, où se côtoient "
        "des dizaines de nationalités.",
        "description": "Entre la gare et les hauteurs, Bomel mêle maisons ouvrières, petits "
        "immeubles et commerces de proximité. Les habitants y parlent de propreté, de "
        "circulation rue de Bomel, de places pour les jeunes et de la vie associative "
        "autour de la maison de quartier.",
        "boundary": _square(
            [
                (4.8560, 50.4745),
                (4.8660, 50.4730),
                (4.8745, 50.4760),
                (4.8735, 50.4830),
                (4.8625, 50.4850),
                (4.8545, 50.4805),
            ]
        ),
    },
    {
        "slug": "salzinnes",
        "name": "Salzinnes",
        "position": 2,
        "summary": "Un quartier résidentiel et étudiant, avec la cité sociale des Balances.",
        "description": "Salzinnes réunit des rues calmes de maisons de maître, des kots "
        "d'étudiants et, aux Balances, des logements publics où vivent beaucoup de familles "
        "et d'aînés. On y parle d'espaces verts, de stationnement, de sécurité le soir et de "
        "liens entre générations.",
        "boundary": _square(
            [
                (4.8360, 50.4610),
                (4.8480, 50.4585),
                (4.8560, 50.4620),
                (4.8545, 50.4680),
                (4.8450, 50.4705),
                (4.8370, 50.4670),
            ]
        ),
    },
    {
        "slug": "jambes",
        "name": "Jambes",
        "position": 3,
        "summary": "L'ancienne commune de la rive droite de la Meuse, commerçante et familiale.",
        "description": "Jambes vit autour de son avenue commerçante, de ses écoles et des "
        "bords de Meuse. Les habitants y évoquent la mobilité douce, l'accueil des nouveaux "
        "arrivants, la vie des commerces et les fêtes de quartier.",
        "boundary": _square(
            [
                (4.8700, 50.4560),
                (4.8820, 50.4520),
                (4.8960, 50.4560),
                (4.8950, 50.4640),
                (4.8800, 50.4665),
                (4.8690, 50.4620),
            ]
        ),
    },
]

PARTNERS = [
    (
        "maison-de-quartier-bomel",
        "Maison de quartier de Bomel",
        PartnerKind.NEIGHBOURHOOD_HOUSE,
        "Accueil, école de devoirs et activités pour tous les âges.",
        ["bomel"],
        ("Sophie Wauthier", "Coordinatrice", "contact@mq-bomel.example", "081/12.34.56"),
    ),
    (
        "comite-plateau-bomel",
        "Comité des habitants du Plateau",
        PartnerKind.RESIDENTS_COMMITTEE,
        "Des voisins bénévoles qui organisent la fête de rue chaque printemps.",
        ["bomel"],
        ("Ahmed Ouali", "Président", "", "0470 12 34 56"),
    ),
    (
        "locataires-balances",
        "Association des locataires des Balances",
        PartnerKind.TENANTS_ASSOCIATION,
        "Porte la voix des locataires auprès de la société de logement public.",
        ["salzinnes"],
        ("Monique Delvaux", "Secrétaire", "locataires.balances@example.org", ""),
    ),
    (
        "mj-salzinnes",
        "Maison des jeunes de Salzinnes",
        PartnerKind.YOUTH_CENTRE,
        "Ateliers, sport et projets menés par les jeunes de 12 à 26 ans.",
        ["salzinnes"],
        ("Kevin Mathieu", "Animateur", "mj.salzinnes@example.org", "081/23.45.67"),
    ),
    (
        "comite-jambes-centre",
        "Comité de quartier Jambes-Centre",
        PartnerKind.RESIDENTS_COMMITTEE,
        "Organise la brocante et l'accueil des nouveaux habitants.",
        ["jambes"],
        ("Isabelle Henrard", "Trésorière", "comite.jambes@example.org", ""),
    ),
    (
        "cpas-namur",
        "CPAS de Namur (antennes sociales)",
        PartnerKind.SOCIAL_WELFARE,
        "Les travailleurs sociaux de quartier relaient les ateliers auprès des familles.",
        ["bomel", "salzinnes", "jambes"],
        ("Fatima Zeroual", "Assistante sociale de quartier", "antennes@cpas.example", ""),
    ),
]

VENUES = [
    (
        "bomel",
        "maison-de-quartier-bomel",
        "salle-polyvalente-bomel",
        "Salle polyvalente de la Maison de quartier",
        "Rue de Bomel",
        "154",
        "5000",
        "Namur",
        60,
        True,
        True,
        True,
        "Bus 3 et 4, arrêt «\u00a0Bomel Église\u00a0». Gare de Namur à 10 minutes à pied.",
        "Entrée de plain-pied par la cour. Toilettes adaptées.",
        4.8648,
        50.4786,
    ),
    (
        "bomel",
        "comite-plateau-bomel",
        "local-plateau",
        "Local du Comité du Plateau",
        "Rue Piret-Pauchet",
        "27",
        "5000",
        "Namur",
        25,
        False,
        False,
        False,
        "Bus 4, arrêt «\u00a0Plateau\u00a0».",
        "Trois marches à l'entrée\u00a0; une rampe amovible peut être installée sur demande.",
        4.8690,
        50.4810,
    ),
    (
        "salzinnes",
        "locataires-balances",
        "salle-des-balances",
        "Salle communautaire des Balances",
        "Rue des Balances",
        "2",
        "5000",
        "Namur",
        45,
        True,
        False,
        True,
        "Bus 21, arrêt «\u00a0Les Balances\u00a0».",
        "Parking devant la salle.",
        4.8470,
        50.4630,
    ),
    (
        "salzinnes",
        "mj-salzinnes",
        "mj-salzinnes",
        "Maison des jeunes de Salzinnes",
        "Rue Patenier",
        "34",
        "5000",
        "Namur",
        35,
        True,
        True,
        False,
        "Bus 6 et 21, arrêt «\u00a0Salzinnes Patenier\u00a0».",
        "",
        4.8500,
        50.4660,
    ),
    (
        "jambes",
        "comite-jambes-centre",
        "salle-jambes-meuse",
        "Salle du Bord de Meuse",
        "Boulevard de la Meuse",
        "81",
        "5100",
        "Jambes",
        80,
        True,
        True,
        True,
        "Bus 5 et 9, arrêt «\u00a0Jambes Pont\u00a0». Navette fluviale en été.",
        "Ascenseur vers la salle de l'étage.",
        4.8760,
        50.4620,
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str


@dataclass(frozen=True)
class DemoUser:
    role: Role
    email: str
    name: str
    organisation: str = ""
    home_neighbourhood: str = ""
    official_title: str = ""
    portfolio: tuple[str, ...] = ()


USERS = [
    DemoUser(Role.ADMINISTRATOR, "admin@palabre.example", "Camille Dethier"),
    DemoUser(Role.COORDINATOR, "coordination@palabre.example", "Nadia Bensaïd"),
    DemoUser(Role.FACILITATOR, "mediateur@palabre.example", "Julien Lambotte"),
    DemoUser(
        Role.PARTNER,
        "partenaire@palabre.example",
        "Sophie Wauthier",
        organisation="maison-de-quartier-bomel",
    ),
    DemoUser(
        Role.OFFICIAL,
        "echevine@palabre.example",
        "Marie-Claire Gérard",
        official_title="Échevine de la cohésion sociale et de la participation citoyenne",
        portfolio=("cohesion-sociale", "participation-citoyenne", "jeunesse"),
    ),
    DemoUser(
        Role.OFFICIAL,
        "echevin.mobilite@palabre.example",
        "Olivier Piette",
        official_title="Échevin de la mobilité et des travaux",
        portfolio=("mobilite", "travaux", "proprete-publique"),
    ),
    # A city department's agent: answers the requests sent to the Service Voirie (demo/requests).
    DemoUser(
        Role.OFFICIAL,
        "voirie@palabre.example",
        "Thomas Collard",
        official_title="Agent technique, Service Voirie",
    ),
    # Prepares the alderwoman's answers (demo/requests: her cabinet; she publishes them).
    DemoUser(Role.CABINET, "cabinet.echevine@palabre.example", "Lotte Vermeulen"),
    DemoUser(
        Role.RESIDENT, "habitant@palabre.example", "Youssef El Amrani", home_neighbourhood="bomel"
    ),
    DemoUser(
        Role.RESIDENT,
        "habitante.jambes@palabre.example",
        "Chantal Lemaire",
        home_neighbourhood="jambes",
    ),
]


BRUSSELS = ZoneInfo("Europe/Brussels")

# (neighbourhood, venue, partner, day, title, theme, status to reach)
WORKSHOPS = [
    (
        "bomel",
        "salle-polyvalente-bomel",
        "maison-de-quartier-bomel",
        date(2026, 9, 22),
        "Bien vivre ensemble à Bomel — premier atelier",
        "Ce qui va, ce qui coince",
        Status.HELD,
    ),
    (
        "salzinnes",
        "salle-des-balances",
        "locataires-balances",
        date(2026, 10, 6),
        "Salzinnes et les Balances\u00a0: se parler entre voisins",
        "Lien entre générations",
        Status.HELD,
    ),
    (
        "jambes",
        "salle-jambes-meuse",
        "comite-jambes-centre",
        date(2026, 11, 17),
        "Jambes\u00a0: accueillir les nouveaux habitants",
        "Accueil des nouveaux arrivants",
        Status.HELD,
    ),
    (
        "bomel",
        "salle-polyvalente-bomel",
        "maison-de-quartier-bomel",
        date(2026, 12, 8),
        "Bomel\u00a0: propreté et espaces partagés",
        "Propreté, dépôts clandestins, plaine de jeux",
        Status.ANNOUNCED,
    ),
    (
        "salzinnes",
        "mj-salzinnes",
        "mj-salzinnes",
        date(2027, 1, 19),
        "Salzinnes\u00a0: une place pour les jeunes",
        "Jeunesse et espaces publics",
        Status.ANNOUNCED,
    ),
    (
        "jambes",
        "salle-jambes-meuse",
        "comite-jambes-centre",
        date(2027, 2, 9),
        "Jambes\u00a0: la fête de quartier, on s'y met\u00a0?",
        "Fête de quartier",
        Status.ANNOUNCED,
    ),
    (
        "bomel",
        "local-plateau",
        "comite-plateau-bomel",
        date(2027, 3, 16),
        "Bomel\u00a0: bilan de l'année et suites",
        "Ce que la Ville a répondu",
        Status.PLANNED,
    ),
    (
        "salzinnes",
        "salle-des-balances",
        "locataires-balances",
        date(2027, 4, 20),
        "Salzinnes\u00a0: bilan de l'année et suites",
        "Ce que la Ville a répondu",
        Status.PLANNED,
    ),
    (
        "jambes",
        "salle-jambes-meuse",
        "comite-jambes-centre",
        date(2027, 5, 11),
        "Jambes\u00a0: bilan de l'année et suites",
        "Ce que la Ville a répondu",
        Status.PLANNED,
    ),
]

DEMO_REGISTRATIONS = [
    ("Fatou", "fatou.diallo@example.org", True, False),
    ("Marc", "", False, True),
    ("Leïla", "leila.b@example.org", False, False),
    ("Jean-Pierre", "jp.collard@example.org", False, False),
]


ROUND_TABLE_PROGRAMME: list[tuple[time, time, str, list[workshop_actions.SpeakerGiven]]] = [
    (
        time(18, 30),
        time(19, 15),
        "Ce que les habitants ont dit cette année",
        [
            ("Julien Lambotte", "médiateur, service de cohésion sociale"),
            ("Sophie Wauthier", "Maison de quartier de Bomel"),
        ],
    ),
    (
        time(19, 15),
        time(20, 15),
        "Des demandes aux réponses\u00a0: la parole des élus",
        [
            ("Marie-Claire Gérard", "échevine de la cohésion sociale et de la participation"),
            ("Olivier Piette", "échevin de la mobilité et des travaux"),
        ],
    ),
    (
        time(20, 15),
        time(21, 0),
        "Financer les projets\u00a0: vers un budget participatif",
        [
            ("Nadia Bensaïd", "service de cohésion sociale"),
            ("Anne Lemaire", "sociologue, ULiège, budget participatif de Liège", "Liège"),
        ],
    ),
]


# The Dutch titles the service gave the round table's sessions (the session's translations
# page, issue 16): Dutch readers of its page read them; the room keeps its French name.
ROUND_TABLE_DUTCH = {
    "Ce que les habitants ont dit cette année": "Wat de bewoners dit jaar zeiden",
    "Des demandes aux réponses\u00a0: la parole des élus": (
        "Van verzoeken naar antwoorden: de schepenen aan het woord"
    ),
    "Financer les projets\u00a0: vers un budget participatif": (
        "Projecten financieren: op weg naar een burgerbudget"
    ),
}


def _evening(day: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(day, time(18, 30), tzinfo=BRUSSELS),
        datetime.combine(day, time(21, 0), tzinfo=BRUSSELS),
    )


# What the facilitator noted at the first workshops (fictional), under the five questions.
DEMO_MINUTES = {
    "bomel": (
        [
            "Un quartier vivant, où l'on se dit bonjour, mais où les nouveaux venus restent seuls.",
            "Pouvoir laisser les enfants jouer dehors\u00a0; se sentir chez soi dans la rue.",
            "Des poubelles qui ne débordent pas, un éclairage rue Piret-Pauchet, un lieu pour les "
            "jeunes le soir.",
            "Une fête de rue au printemps\u00a0; un panneau d'expression à la maison de quartier.",
            "Une douzaine de personnes prêtes à préparer la fête de rue.",
        ],
        "Relayer aux élus la demande d'éclairage et de collectes plus fréquentes.",
        "Deuxième atelier le 8 décembre\u00a0: propreté et espaces partagés.",
        ["Fatou", "Marc", "Leïla", "Karim", "Anonyme", "Rosa", "Ibrahim", "Nicole"],
    ),
    "salzinnes": (
        [
            "Calme, mais chacun chez soi\u00a0; les aînés des Balances se sentent isolés.",
            "Se connaître entre générations\u00a0; "
            "que les étudiants participent à la vie du quartier.",
            "Un banc et de l'ombre sur la place\u00a0; des activités communes jeunes-aînés.",
            "Un goûter intergénérationnel à la salle des Balances.",
            "La maison des jeunes propose d'animer le goûter.",
        ],
        "Organiser un goûter intergénérationnel avant l'été.",
        "Atelier du 19 janvier à la maison des jeunes.",
        ["Monique", "Paul", "Sarah", "Anonyme", "Gérard", "Yasmina"],
    ),
}


DEMO_UNNAMED_ARRIVALS = {"bomel": 17, "salzinnes": 12, "jambes": 15}
DEMO_CHANNELS = ["word_of_mouth", "partner", "word_of_mouth", "social_media", "other", "partner"]


def _report(workshop: Workshop, facilitator: User) -> None:
    assert workshop.neighbourhood is not None
    demo = DEMO_MINUTES.get(workshop.neighbourhood.slug)
    if demo is None:
        return
    notes, decisions, next_steps, people = demo
    # Those named in the minutes, then others who did not give a name; each said at the door
    # how they heard of it and, four in five, whether it was their first time.
    everyone = people + ["Anonyme"] * DEMO_UNNAMED_ARRIVALS[workshop.neighbourhood.slug]
    for index, name in enumerate(everyone):
        workshop_actions.add_walk_in(
            by=None,
            workshop=workshop,
            name=name,
            key=f"demo-{workshop.pk}-{index:04d}-arrival",
            channel=DEMO_CHANNELS[index % len(DEMO_CHANNELS)],
            first_time=None if index % 5 == 4 else index % 3 == 0,
            arrived_at=workshop.starts_at,
        )
    minutes = workshop_actions.draft_minutes(by=None, workshop=workshop)
    workshop_actions.save_minutes(
        by=None,
        minutes=minutes,
        version=minutes.version,
        introduction=minutes.introduction,
        notes=notes,
        decisions=decisions,
        next_steps=next_steps,
        publish=True,
    )


# The Dutch and English texts of the demo's workshops, as the service writes them for the
# flyers it prints in those languages (the workshop's texts page, issue 14).
WORKSHOP_TRANSLATIONS: dict[str, dict[str, dict[str, str]]] = {
    "Bien vivre ensemble à Bomel — premier atelier": {
        "nl": {
            "title": "Goed samenleven in Bomel — eerste workshop",
            "theme": "Wat goed gaat, wat wringt",
        },
        "en": {
            "title": "Living well together in Bomel — first workshop",
            "theme": "What works, what doesn't",
        },
    },
    "Salzinnes et les Balances\u00a0: se parler entre voisins": {
        "nl": {
            "title": "Salzinnes en les Balances: met de buren praten",
            "theme": "Band tussen generaties",
        },
        "en": {
            "title": "Salzinnes and les Balances: talking with the neighbours",
            "theme": "Between generations",
        },
    },
    "Jambes\u00a0: accueillir les nouveaux habitants": {
        "nl": {"title": "Jambes: nieuwe bewoners verwelkomen", "theme": "Onthaal van nieuwkomers"},
        "en": {"title": "Jambes: welcoming new residents", "theme": "Welcoming newcomers"},
    },
    "Bomel\u00a0: propreté et espaces partagés": {
        "nl": {
            "title": "Bomel: netheid en gedeelde ruimtes",
            "theme": "Netheid, sluikstort, speelplein",
        },
        "en": {
            "title": "Bomel: cleanliness and shared spaces",
            "theme": "Cleanliness, fly-tipping, playground",
        },
    },
    "Salzinnes\u00a0: une place pour les jeunes": {
        "nl": {
            "title": "Salzinnes: een plek voor jongeren",
            "theme": "Jongeren en de openbare ruimte",
        },
        "en": {
            "title": "Salzinnes: a place for young people",
            "theme": "Young people and public space",
        },
    },
    "Jambes\u00a0: la fête de quartier, on s'y met\u00a0?": {
        "nl": {"title": "Jambes: zullen we samen een buurtfeest maken?", "theme": "Buurtfeest"},
        "en": {"title": "Jambes: shall we organise a street party?", "theme": "Street party"},
    },
}


def _load_workshops(neighbourhoods: dict[str, Neighbourhood], partners: dict[str, Partner]) -> None:
    if Cycle.objects.filter(slug="2026-2027").exists():
        return
    cycle = workshop_actions.save_cycle(
        by=None,
        cycle=Cycle(
            slug="2026-2027",
            name="Ateliers 2026–2027",
            starts_on=date(2026, 9, 1),
            ends_on=date(2027, 6, 30),
        ),
        neighbourhoods=list(neighbourhoods.values()),
    )
    facilitator = User.objects.get(email="mediateur@palabre.example")
    venues = {v.slug: v for v in Venue.objects.all()}
    for area, venue, partner, day, title, theme, status in WORKSHOPS:
        starts_at, ends_at = _evening(day)
        workshop = workshop_actions.plan_workshop(
            by=None,
            workshop=Workshop(
                cycle=cycle,
                neighbourhood=neighbourhoods[area],
                venue=venues[venue],
                title=title,
                theme=theme,
                translations=WORKSHOP_TRANSLATIONS.get(title, {}),
                starts_at=starts_at,
                ends_at=ends_at,
                capacity=venues[venue].capacity,
            ),
            partners=[partners[partner]],
            facilitators=[facilitator],
        )
        if status != Status.PLANNED:
            # Past workshops went through the same life cycle as real ones.
            workshop_actions.announce_workshop(by=None, workshop=workshop)
            if status == Status.HELD:
                workshop_actions.mark_held(by=None, workshop=workshop)
                _report(workshop, facilitator)
            else:
                for name, email, childcare, step_free in DEMO_REGISTRATIONS:
                    workshop_actions.register(
                        workshop=workshop,
                        by=None,
                        name=name,
                        email=email,
                        needs_childcare=childcare,
                        needs_step_free_access=step_free,
                        channel="tract",
                    )
    starts_at, ends_at = _evening(date(2027, 3, 25))
    round_table = workshop_actions.plan_workshop(
        by=None,
        workshop=Workshop(
            cycle=cycle,
            kind=EventKind.ROUND_TABLE,
            venue=venues["salle-jambes-meuse"],
            title="Table ronde\u00a0: habitants, élus et services autour du bien vivre ensemble",
            theme="Construire des passerelles entre la parole des habitants et les décideurs",
            translations={
                "nl": {
                    "title": "Rondetafel: bewoners, schepenen en diensten over goed samenleven",
                    "theme": "Bruggen bouwen tussen wat bewoners zeggen en wie beslist",
                }
            },
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=80,
        ),
        partners=[partners["cpas-namur"]],
        facilitators=[facilitator, User.objects.get(email="coordination@palabre.example")],
    )
    workshop_actions.announce_workshop(by=None, workshop=round_table)
    for start, end, title, speakers in ROUND_TABLE_PROGRAMME:
        session = workshop_actions.add_session(
            by=None,
            workshop=round_table,
            session=Session(
                title=title,
                starts_at=datetime.combine(date(2027, 3, 25), start, tzinfo=BRUSSELS),
                ends_at=datetime.combine(date(2027, 3, 25), end, tzinfo=BRUSSELS),
                room="Salle du Bord de Meuse",
            ),
            speakers=speakers,
        )
        workshop_actions.set_session_texts(
            by=None, session=session, translations={"nl": {"title": ROUND_TABLE_DUTCH[title]}}
        )


def refusal() -> str | None:
    """Why the demo must not be loaded into this database, or None when it may.

    The demo creates an administrator whose password is printed in the README: it goes only into
    an empty database or one it made itself (its administrator is there), never into a city's.
    """
    if User.objects.filter(email=USERS[0].email).exists():
        return None
    accounts = User.objects.count()
    if accounts == 0 and not Neighbourhood.objects.exists():
        return None
    return (
        f"this database already holds a city's data ({accounts} account"
        f"{'s' if accounts != 1 else ''}) that the demo did not "
        "create. The demo adds accounts with a public password, so it only goes into an empty "
        "database or one it made: point PALABRE_DATABASE_URL (or PALABRE_VAR_DIR) at a new one."
    )


def load() -> list[DemoLogin]:
    """Create the demo neighbourhoods, partners, venues and accounts; return the logins."""
    account_actions.ensure_default_competences()
    contribution_actions.ensure_default_themes()
    neighbourhoods: dict[str, Neighbourhood] = {}
    for data in NEIGHBOURHOODS:
        existing = Neighbourhood.objects.filter(slug=data["slug"]).first()
        neighbourhoods[str(data["slug"])] = existing or place_actions.save_neighbourhood(
            by=None, neighbourhood=Neighbourhood(**data)
        )

    partners: dict[str, Partner] = {}
    for slug, name, kind, description, areas, contact in PARTNERS:
        partner = Partner.objects.filter(slug=slug).first()
        if partner is None:
            partner = place_actions.save_partner(
                by=None,
                partner=Partner(slug=slug, name=name, kind=kind, description=description),
                neighbourhoods=[neighbourhoods[area] for area in areas],
            )
            person, position, email, phone = contact
            place_actions.save_contact(
                by=None,
                contact=PartnerContact(
                    partner=partner, name=person, position=position, email=email, phone=phone
                ),
            )
        partners[slug] = partner

    for (
        area,
        host,
        slug,
        name,
        street,
        number,
        postcode,
        locality,
        capacity,
        step_free,
        loop,
        childcare,
        transport,
        notes,
        lon,
        lat,
    ) in VENUES:
        if not Venue.objects.filter(neighbourhood__slug=area, slug=slug).exists():
            place_actions.save_venue(
                by=None,
                venue=Venue(
                    neighbourhood=neighbourhoods[area],
                    host=partners[host],
                    slug=slug,
                    name=name,
                    street=street,
                    house_number=number,
                    postcode=postcode,
                    locality=locality,
                    capacity=capacity,
                    step_free_access=step_free,
                    hearing_loop=loop,
                    childcare_room=childcare,
                    public_transport=transport,
                    access_notes=notes,
                    longitude=lon,
                    latitude=lat,
                ),
            )

    logins = []
    for demo_user in USERS:
        user = User.objects.filter(email=demo_user.email).first()
        if user is None:
            user = account_actions.create_user(
                by=None,
                email=demo_user.email,
                display_name=demo_user.name,
                role=demo_user.role,
                password=DEMO_PASSWORD,
                organisation=partners.get(demo_user.organisation),
                home_neighbourhood=neighbourhoods.get(demo_user.home_neighbourhood),
                official_title=demo_user.official_title,
            )
            if demo_user.portfolio:
                account_actions.set_portfolio(
                    by=None,
                    official=user,
                    competences=list(Competence.objects.filter(slug__in=demo_user.portfolio)),
                )
        logins.append(DemoLogin(role=str(user.role), email=user.email, name=user.display_name))
    _load_workshops(neighbourhoods, partners)
    voices.load()
    requests.load()
    initiatives.load()
    budgets.load(
        coordinator=User.objects.get(email="coordination@palabre.example"),
        facilitator=User.objects.get(email="mediateur@palabre.example"),
    )
    conversations.load(coordinator=User.objects.get(email="coordination@palabre.example"))
    inclusion.load()
    network.load(coordinator=User.objects.get(email="coordination@palabre.example"))
    return logins
