"""Who may do what with the inclusion questionnaire. Pure predicates."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from palabre.accounts.permissions import is_staff_member
from palabre.workshops.models import Status, Workshop
from palabre.workshops.permissions import can_check_in

# The phone questionnaire is open from this long before the start...
OPENS_BEFORE = timedelta(hours=2)
# ...until this long after the end (people answer on the bus home, or the next day).
CLOSES_AFTER = timedelta(days=2)


def opens_at(workshop: Workshop) -> datetime | None:
    """When the phone questionnaire of `workshop` opens (None: the workshop has no date)."""
    return workshop.starts_at - OPENS_BEFORE if workshop.starts_at else None


def closes_at(workshop: Workshop) -> datetime | None:
    """When the phone questionnaire of `workshop` closes (None: the workshop has no date)."""
    end = workshop.ends_at or workshop.starts_at
    return end + CLOSES_AFTER if end else None


def is_open(workshop: Workshop, now: datetime | None = None) -> bool:
    """Whether residents may answer `workshop`'s questionnaire on a phone now."""
    start, end = opens_at(workshop), closes_at(workshop)
    moment = now or timezone.now()
    return (
        workshop.status in (Status.ANNOUNCED, Status.HELD, Status.REPORTED)
        and start is not None
        and end is not None
        and start <= moment < end
    )


def can_key_paper(user: Any, workshop: Workshop) -> bool:
    """Whether `user` prints `workshop`'s paper questionnaire and keys the sheets (its
    facilitators and the service): the people who welcome at the door."""
    return can_check_in(user, workshop)


def can_see_reach(user: Any) -> bool:
    """Whether `user` sees who the workshops reach and types the population figures."""
    return is_staff_member(user)
