"""Working days and deadlines the Belgian way, over a calendar of closed days the city edits.

Pure functions (no Django): the closed days come from the database (`ClosedDay`), preset with
Belgium's legal public holidays (from the `holidays` package) and the days municipal
administrations usually close as well.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date, timedelta

import holidays

# Days Walloon municipal administrations usually close besides the legal holidays (the city
# confirms or changes them): Fête de la Fédération Wallonie-Bruxelles, All Souls' Day, the
# King's Day, and the day after Christmas.
USUAL_LOCAL_CLOSURES = ((9, 27), (11, 2), (11, 15), (12, 26))
LOCAL_NAMES = {
    (9, 27): "Fête de la Fédération Wallonie-Bruxelles",
    (11, 2): "Jour des défunts",
    (11, 15): "Fête du Roi",
    (12, 26): "Lendemain de Noël",
}


def legal_holidays(year: int) -> dict[date, str]:
    """Belgium's legal public holidays of `year` that fall on a weekday or not, in French.

    Easter Sunday and Whit Sunday are Sundays anyway; they are kept for completeness.
    """
    return dict(holidays.country_holidays("BE", years=year, language="fr").items())


def usual_closures(year: int) -> dict[date, str]:
    """The legal holidays and the usual local closures of `year`, by date."""
    days = legal_holidays(year)
    for month, day in USUAL_LOCAL_CLOSURES:
        days.setdefault(date(year, month, day), LOCAL_NAMES[(month, day)])
    return dict(sorted(days.items()))


def is_working_day(day: date, closed: Collection[date]) -> bool:
    """Monday to Friday and not a closed day."""
    return day.weekday() < 5 and day not in closed


def working_days_after(start: date, closed: Collection[date]) -> Iterator[date]:
    """The working days strictly after `start`, in order."""
    day = start
    while True:
        day += timedelta(days=1)
        if is_working_day(day, closed):
            yield day


def add_working_days(start: date, count: int, closed: Collection[date]) -> date:
    """The `count`-th working day after `start` (the day something was sent is not counted)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    days = working_days_after(start, closed)
    for _ in range(count - 1):
        next(days)
    return next(days)


def add_calendar_days(start: date, count: int, closed: Collection[date]) -> date:
    """`count` calendar days after `start`; a deadline falling on a weekend or a closed day
    moves to the next working day (as the Judicial Code does for legal time limits)."""
    due = start + timedelta(days=count)
    if is_working_day(due, closed):
        return due
    return next(working_days_after(due, closed))


def subtract_working_days(end: date, count: int, closed: Collection[date]) -> date:
    """The `count`-th working day before `end` (`end` itself is not counted)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    day, found = end, 0
    while found < count:
        day -= timedelta(days=1)
        found += is_working_day(day, closed)
    return day
