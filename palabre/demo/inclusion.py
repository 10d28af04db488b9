"""Demo inclusion figures (issue 20, item 2): anonymous questionnaires for the demo's held
workshops, answered on phones and keyed from paper, and the population of the demo
neighbourhoods. Drawn with a fixed seed, so the demo is the same every time; the population
figures are fictional (shaped like Statbel's, and said to be fictional)."""

from __future__ import annotations

import random
from datetime import timedelta

from palabre.accounts.models import Role, User
from palabre.inclusion import actions
from palabre.inclusion.actions import Said
from palabre.inclusion.models import Answer, Language, Population, Residence
from palabre.neighbourhoods.models import Neighbourhood
from palabre.workshops.models import Status, Workshop

SOURCE = "Chiffres fictifs de démonstration (forme Statbel, population au 1er janvier 2026)"
# Population on 1 January 2026: under 18, 18-24, 25-39, 40-54, 55-64, 65-79, 80+; then
# Belgian, other EU, outside the EU. Fictional, in the proportions of Namur's quarters.
POPULATION = {
    "bomel": ((1210, 610, 1380, 1150, 640, 560, 190), (4530, 520, 690)),
    "salzinnes": ((1530, 1240, 2050, 1710, 1060, 1020, 430), (8080, 560, 400)),
    "jambes": ((3420, 1510, 4020, 3810, 2360, 2530, 1080), (16890, 900, 940)),
}
AGES = ["0-17", "18-24", "25-39", "40-54", "55-64", "65-79", "80+", ""]
# Who comes to the evening workshops: many 40-79, few young adults (what the figures should
# make visible), some who keep their age.
AGE_WEIGHTS = [1, 2, 10, 20, 20, 26, 6, 6]
OTHER_LANGUAGES = [
    Language.ARABIC,
    Language.BERBER,
    Language.TURKISH,
    Language.ITALIAN,
    Language.PORTUGUESE,
    Language.ROMANIAN,
    Language.LINGALA,
    Language.SWAHILI,
    Language.DARI,
    Language.UKRAINIAN,
    Language.SPANISH,
]
HEARD = ["printed", "word_of_mouth", "partner", "social_media", "city_site", "other", ""]
HEARD_WEIGHTS = [30, 25, 20, 8, 5, 3, 9]


def _said(chooser: random.Random, home: Neighbourhood | None) -> Said:
    languages: list[str] = []
    draw = chooser.random()
    if draw < 0.9:
        languages.append(Language.FRENCH)
    if draw > 0.55:
        languages.append(chooser.choice(OTHER_LANGUAGES))
    if chooser.random() < 0.04:
        languages.append(Language.DUTCH)
    if chooser.random() < 0.05:
        languages = []  # rather not say
    where = chooser.random()
    residence, place = (
        (Residence.NEIGHBOURHOOD, home)
        if where < 0.72 and home is not None
        else (Residence.CITY, None)
        if where < 0.88
        else (Residence.OUTSIDE, None)
        if where < 0.93
        else ("", None)
    )
    first = chooser.random()
    return Said(
        age_band=chooser.choices(AGES, AGE_WEIGHTS)[0],
        first_time=True if first < 0.45 else (False if first < 0.9 else None),
        languages=tuple(languages),
        residence=residence,
        neighbourhood=place,
        heard=chooser.choices(HEARD, HEARD_WEIGHTS)[0],
    )


def _answers(workshop: Workshop, facilitator: User, chooser: random.Random) -> None:
    assert workshop.starts_at is not None
    count = chooser.randint(18, 30)
    home = (
        workshop.neighbourhood
        if workshop.neighbourhood and workshop.neighbourhood.is_published
        else None
    )
    for index in range(count):
        said = _said(chooser, home)
        if said.is_blank:
            continue
        key = f"demo-{chooser.getrandbits(128):032x}"
        if index % 3 == 2:  # a third on paper, keyed by the facilitator after the evening
            actions.key_paper(by=facilitator, workshop=workshop, said=said, key=key)
        else:
            actions.answer(
                workshop=workshop,
                said=said,
                key=key,
                now=workshop.starts_at + timedelta(minutes=chooser.randint(-20, 150)),
            )


def load() -> None:
    """Add the answers of the held workshops and the population figures, once (running it
    again changes nothing)."""
    coordinator = User.objects.filter(role=Role.COORDINATOR).order_by("pk").first()
    if coordinator is None:
        return
    for slug, (ages, nationalities) in POPULATION.items():
        place = Neighbourhood.objects.filter(slug=slug).first()
        if place is None or Population.objects.filter(neighbourhood=place, year=2026).exists():
            continue
        actions.save_population(
            by=coordinator,
            neighbourhood=place,
            year=2026,
            by_age=dict(zip(AGES[:-1], ages, strict=True)),
            by_nationality=dict(
                zip(("belgian", "other_eu", "outside_eu"), nationalities, strict=True)
            ),
            source=SOURCE,
        )
    held = Workshop.objects.filter(
        status__in=[Status.HELD, Status.REPORTED], starts_at__isnull=False
    ).order_by("starts_at", "pk")
    for workshop in held:
        if Answer.objects.filter(workshop=workshop).exists():
            continue
        chooser = random.Random(f"inclusion-{workshop.title}")
        _answers(workshop, coordinator, chooser)
