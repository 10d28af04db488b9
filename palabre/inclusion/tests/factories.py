from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from django.utils import timezone

from palabre.core.testing import World
from palabre.inclusion.models import Answer, Entry, Population
from palabre.neighbourhoods.models import Neighbourhood
from palabre.workshops.models import Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

_keys = itertools.count(1)


def make_open_workshop(world: World, **fields: Any) -> Workshop:
    """A workshop of the world's home neighbourhood going on right now (questionnaire open)."""
    now = timezone.now()
    return make_hosted_workshop(
        world, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1), **fields
    )


def make_answers(workshop: Workshop, count: int, **fields: Any) -> list[Answer]:
    """`count` answers to `workshop`'s questionnaire saying `fields`."""
    fields.setdefault("entry", Entry.PHONE)
    return [
        Answer.objects.create(workshop=workshop, key=f"factory-key-{next(_keys):08d}", **fields)
        for _ in range(count)
    ]


def make_population(
    world: World, year: int = 2026, neighbourhood: Neighbourhood | None = None, **fields: Any
) -> Population:
    """The home neighbourhood's population: 1000 people, 10 % per band but 40 % 25-39."""
    values = {
        "under_18": 100,
        "from_18_to_24": 100,
        "from_25_to_39": 400,
        "from_40_to_54": 100,
        "from_55_to_64": 100,
        "from_65_to_79": 100,
        "from_80": 100,
        "source": "Statbel, 1 January 2026 (test)",
    } | fields
    return Population.objects.create(neighbourhood=neighbourhood or world.home, year=year, **values)
