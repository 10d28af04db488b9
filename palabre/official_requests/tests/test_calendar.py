from __future__ import annotations

from datetime import date

import pytest

from palabre.official_requests.calendar import (
    add_calendar_days,
    add_working_days,
    legal_holidays,
    usual_closures,
)


def test_the_ten_legal_holidays_of_2027_are_known_with_their_french_names() -> None:
    days = legal_holidays(2027)
    weekdays_and_sundays = {
        date(2027, 1, 1): "Nouvel An",
        date(2027, 3, 29): "Lundi de Pâques",
        date(2027, 5, 1): "Fête du Travail",
        date(2027, 5, 6): "Ascension",
        date(2027, 5, 17): "Lundi de Pentecôte",
        date(2027, 7, 21): "Fête nationale",
        date(2027, 8, 15): "Assomption",
        date(2027, 11, 1): "Toussaint",
        date(2027, 11, 11): "Jour de l'Armistice",
        date(2027, 12, 25): "Noël",
    }
    assert weekdays_and_sundays.items() <= days.items()


def test_the_usual_local_closures_are_preset_too() -> None:
    days = usual_closures(2026)
    assert {date(2026, 9, 27), date(2026, 11, 2), date(2026, 11, 15), date(2026, 12, 26)} <= set(
        days
    )


def test_working_days_skip_weekends_and_closed_days() -> None:
    closed = set(usual_closures(2026)) | set(usual_closures(2027))
    # Sent Friday 23 October 2026: Monday 26 ... with All Saints (Sunday 1 Nov, not a weekday),
    # All Souls (Monday 2 Nov) and Armistice (Wednesday 11 Nov) closed.
    assert add_working_days(date(2026, 10, 23), 10, closed) == date(2026, 11, 9)
    assert add_working_days(date(2026, 10, 23), 10, set()) == date(2026, 11, 6)
    # Across Christmas and New Year: 24 Dec 2026 (Thursday) + 3 working days.
    assert add_working_days(date(2026, 12, 24), 3, closed) == date(2026, 12, 30)


def test_a_calendar_deadline_on_a_closed_day_moves_to_the_next_working_day() -> None:
    closed = set(usual_closures(2027))
    # 60 days after 22 March 2027 is Friday 21 May 2027: a working day.
    assert add_calendar_days(date(2027, 3, 22), 60, closed) == date(2027, 5, 21)
    # 60 days after 17 March 2027 is Sunday 16 May (Whit Sunday), then Whit Monday: Tuesday.
    assert add_calendar_days(date(2027, 3, 17), 60, closed) == date(2027, 5, 18)


def test_zero_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(date(2027, 1, 4), 0, set())
