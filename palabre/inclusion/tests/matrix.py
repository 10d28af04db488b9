from datetime import timedelta
from typing import Any

from django.utils import timezone

from palabre.core.testing import MatrixRow, World, everyone, only
from palabre.inclusion.models import Population
from palabre.workshops.models import Status
from palabre.workshops.tests.factories import make_hosted_workshop

SERVICE = ("coordinator", "administrator")
TEAM = ("facilitator", *SERVICE)


def tonight(world: World) -> dict[str, int]:
    """A workshop going on now: its questionnaire is open."""
    now = timezone.now()
    workshop = make_hosted_workshop(
        world, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    return {"pk": workshop.pk}


def long_ago(world: World) -> dict[str, int]:
    """A workshop held a month ago: its questionnaire is closed."""
    workshop = make_hosted_workshop(world, days_from_now=-30, status=Status.HELD)
    return {"pk": workshop.pk}


def planned(world: World) -> dict[str, int]:
    """A workshop not announced yet: only the service and its facilitators see it."""
    workshop = make_hosted_workshop(world, status=Status.PLANNED)
    return {"pk": workshop.pk}


def one_sheet(world: World) -> dict[str, Any]:
    return {"key": "matrix-inclusion-key-0001", "age_band": "65-79", "languages": ["fr", "ar"]}


def figures(world: World) -> dict[str, Any]:
    return {
        "neighbourhood": world.home.pk,
        "year": 2026,
        "under_18": 800,
        "from_18_to_24": 400,
        "from_25_to_39": 900,
        "from_40_to_54": 850,
        "from_55_to_64": 500,
        "from_65_to_79": 450,
        "from_80": 150,
        "source": "Statbel, 1 January 2026",
    }


def with_population(world: World) -> dict[str, int]:
    Population.objects.create(
        neighbourhood=world.home,
        year=2026,
        under_18=1,
        from_18_to_24=1,
        from_25_to_39=1,
        from_40_to_54=1,
        from_55_to_64=1,
        from_65_to_79=1,
        from_80=1,
        source="Statbel",
    )
    return {}


ROWS = [
    MatrixRow("inclusion:questionnaire", everyone(200), kwargs=tonight),
    MatrixRow("inclusion:questionnaire", everyone(200), kwargs=long_ago, state="closed"),
    MatrixRow(
        "inclusion:questionnaire",
        only(200, (*TEAM, "partner"), otherwise=404),
        kwargs=planned,
        state="planned",
    ),
    MatrixRow(
        "inclusion:questionnaire",
        everyone(302),
        method="post",
        kwargs=tonight,
        data=one_sheet,
        state="answered",
    ),
    MatrixRow("inclusion:thanks", everyone(200), kwargs=tonight),
    MatrixRow("inclusion:share", only(200, TEAM, otherwise=404), kwargs=tonight),
    MatrixRow("inclusion:paper_pdf", only(200, TEAM, otherwise=404), kwargs=tonight),
    MatrixRow("inclusion:paper", only(200, TEAM, otherwise=404), kwargs=long_ago),
    MatrixRow(
        "inclusion:paper",
        only(302, TEAM, otherwise=404),
        method="post",
        kwargs=long_ago,
        data=one_sheet,
        state="a sheet",
    ),
    MatrixRow("inclusion:reach", only(200, SERVICE, otherwise=403)),
    MatrixRow("inclusion:reach_csv", only(200, SERVICE, otherwise=403)),
    MatrixRow("inclusion:population", only(200, SERVICE, otherwise=403), kwargs=with_population),
    MatrixRow(
        "inclusion:population",
        only(302, SERVICE, otherwise=403),
        method="post",
        data=figures,
        state="figures",
    ),
]
