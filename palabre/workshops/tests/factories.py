from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from palabre.neighbourhoods.models import Neighbourhood
from palabre.workshops.models import Cycle, Status, Workshop

if TYPE_CHECKING:
    from palabre.core.testing import World

BRUSSELS = ZoneInfo("Europe/Brussels")
_cycles = itertools.count(1)


def evening(days_from_now: int) -> tuple[datetime, datetime]:
    """Return 18:30–21:00 in Brussels, `days_from_now` days from today."""
    day = timezone.localdate() + timedelta(days=days_from_now)
    return (
        datetime.combine(day, time(18, 30), tzinfo=BRUSSELS),
        datetime.combine(day, time(21, 0), tzinfo=BRUSSELS),
    )


def make_cycle(neighbourhoods: list[Neighbourhood], **fields: Any) -> Cycle:
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        **{
            "slug": "2027",
            "name": "Ateliers 2027",
            "starts_on": today.replace(day=1),
            "ends_on": date(today.year + 1, 12, 31),
            **fields,
        }
    )
    cycle.neighbourhoods.set(neighbourhoods)
    return cycle


def make_workshop(
    *, status: Status = Status.ANNOUNCED, days_from_now: int = 10, **fields: Any
) -> Workshop:
    starts_at, ends_at = evening(days_from_now)
    defaults: dict[str, Any] = {
        "title": "Atelier",
        "starts_at": starts_at,
        "ends_at": ends_at,
        "capacity": 3,
        "status": status,
    }
    if status == Status.CANCELLED:
        defaults["cancellation_reason"] = "Salle indisponible"
    return Workshop.objects.create(**(defaults | fields))


def make_hosted_workshop(world: World, **fields: Any) -> Workshop:
    """Return a workshop in the world's home neighbourhood and venue, hosted by its partner
    organisation and run by its facilitator persona (in a cycle of its own)."""
    cycle = fields.pop("cycle", None) or make_cycle([world.home], slug=f"cycle-{next(_cycles)}")
    workshop = make_workshop(cycle=cycle, neighbourhood=world.home, venue=world.venue, **fields)
    workshop.partners.set([world.partner_org])
    workshop.facilitators.set([world.person("facilitator")])
    return workshop
