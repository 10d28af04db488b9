"""Working days and deadlines the Belgian way, over a calendar of closed days the city edits.

Pure functions (no Django): the closed days come from the database (`ClosedDay`), preset with
Belgium's legal public holidays (from the `holidays` package) and the days municipal
administrations usually close as well.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

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
# The same days in the site's other languages (the names the calendar stores are French).
LOCAL_NAMES_IN = {
    "nl": {
        (9, 27): "Feest van de Federatie Wallonië-Brussel",
        (11, 2): "Allerzielen",
        (11, 15): "Koningsfeest",
        (12, 26): "Tweede kerstdag",
    },
    "en": {
        (9, 27): "Wallonia-Brussels Federation Day",
        (11, 2): "All Souls' Day",
        (11, 15): "King's Feast",
        (12, 26): "Boxing Day",
    },
}
# The `holidays` package's names for the site's other languages.
HOLIDAY_LANGUAGES = {"nl": "nl", "en": "en_US"}


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


def name_in(day: date, name: str, language: str) -> str:
    """The name of a closed day in `language` when it is the French name Palabre preset; a
    name the city wrote itself stays as written."""
    if name != _preset_names(day.year, "fr").get(day):
        return name
    return _preset_names(day.year, language).get(day, name)


@lru_cache(maxsize=32)
def _preset_names(year: int, language: str) -> Mapping[date, str]:
    """The names of the days preset in `year`, in `language` (French for any other)."""
    if language not in LOCAL_NAMES_IN:
        return MappingProxyType(usual_closures(year))
    days = holidays.country_holidays("BE", years=year, language=HOLIDAY_LANGUAGES[language])
    names = dict(days.items())
    for (month, day), local in LOCAL_NAMES_IN[language].items():
        names.setdefault(date(year, month, day), local)
    return MappingProxyType(names)


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
