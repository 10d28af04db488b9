"""The demo's inclusion figures: answers for the held workshops and fictional population."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from palabre.inclusion.models import Answer, Entry, Population
from palabre.inclusion.queries import reach
from palabre.workshops.models import Status, Workshop

pytestmark = pytest.mark.django_db


def test_the_demo_has_answers_for_each_held_workshop_and_the_population() -> None:
    from palabre.demo import inclusion, loader

    loader.load()
    inclusion.load()
    held = Workshop.objects.filter(status__in=[Status.HELD, Status.REPORTED])
    assert held.exists()
    for workshop in held:
        assert 15 <= Answer.objects.filter(workshop=workshop).count() <= 30
    assert Answer.objects.filter(entry=Entry.PAPER).exists()
    assert Population.objects.count() == 3
    assert all("fictifs" in row.source for row in Population.objects.all())
    answers = sorted(Answer.objects.values_list("age_band", "heard", "entry"))

    inclusion.load()  # again: nothing added
    assert sorted(Answer.objects.values_list("age_band", "heard", "entry")) == answers

    with translation.override("en"):
        found = reach(start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert found.total is not None
    assert found.total >= 45
    assert found.ages
    assert "25 to 39" in found.missed  # the evening workshops miss the young parents
