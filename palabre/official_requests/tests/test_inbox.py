"""The addressee's inbox as a to-do list (issue 15, item 1): late first, then due this week,
then later, each with its next step and both deadlines; decided requests under "done"; filters
by neighbourhood and theme; a constant number of queries."""

from __future__ import annotations

import html
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from palabre.contributions.models import Theme
from palabre.core.testing import World
from palabre.official_requests import actions
from palabre.official_requests.models import Request
from palabre.official_requests.tests.factories import make_request

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=BRUSSELS)


def sent_on(world: World, day: date, title: str) -> Request:
    item = make_request(world)
    Request.objects.filter(pk=item.pk).update(title=title)
    with time_machine.travel(at(day), tick=False):
        actions.send_request(
            by=world.person("coordinator"), request=item, official=world.person("official")
        )
    item.refresh_from_db()
    return item


def answered(world: World, item: Request, day: date, kind: str) -> None:
    with time_machine.travel(at(day), tick=False):
        item.refresh_from_db()
        official = world.person("official")
        actions.answer(by=official, request=item, kind=kind, text="Réponse.", version=item.version)


def inbox_page(world: World, today: date, **query: Any) -> str:
    client = Client()
    with time_machine.travel(at(today), tick=False):
        client.force_login(world.person("official"))  # a session opened that day
        return html.unescape(client.get(reverse("official_requests:portal"), query).text)


def test_late_first_then_this_week_then_later_with_the_next_step(world: World) -> None:
    sent_on(world, date(2027, 1, 4), "Ancienne demande oubliée")  # not acknowledged: late
    studied = sent_on(world, date(2027, 1, 5), "Demande à l'étude")
    answered(world, studied, date(2027, 1, 8), "under_study")  # still needs a decision
    sent_on(world, date(2027, 3, 1), "Demande de cette semaine")  # acknowledgement due soon
    decided = sent_on(world, date(2027, 1, 6), "Demande tranchée")
    answered(world, decided, date(2027, 1, 9), "accepted")
    page = inbox_page(world, today=date(2027, 3, 10))
    late = page.index("En retard\u00a0: à faire d'abord")
    week = page.index("À faire dans la semaine")
    assert late < page.index("Ancienne demande oubliée") < week
    assert late < page.index("Demande à l'étude") < week  # "under study" is no decision
    assert week < page.index("Demande de cette semaine")
    assert "Demande tranchée" not in page  # decided: under the "done" tab
    assert "Prochaine étape\u00a0: accuser réception" in page
    assert "Prochaine étape\u00a0: répondre par une décision" in page
    assert "Accusé de réception pour le" in page
    assert "réponse pour le" in page
    done = inbox_page(world, today=date(2027, 3, 10), vue="faits")
    assert "Demande tranchée" in done
    assert "Ancienne demande oubliée" not in done


def test_the_inbox_filters_by_neighbourhood_and_theme(world: World) -> None:
    here = sent_on(world, date(2027, 3, 1), "Demande à Bomel")
    elsewhere = sent_on(world, date(2027, 3, 1), "Demande ailleurs")
    Request.objects.filter(pk=elsewhere.pk).update(neighbourhood=world.elsewhere)
    page = inbox_page(world, today=date(2027, 3, 2), neighbourhood=world.home.pk)
    assert "Demande à Bomel" in page
    assert "Demande ailleurs" not in page
    theme = Theme.objects.create(slug="mobilite-douce", name="Mobilité douce")
    here.themes.set([theme])
    elsewhere.themes.clear()
    page = inbox_page(world, today=date(2027, 3, 2), theme=theme.pk)
    assert "Demande à Bomel" in page
    assert "Demande ailleurs" not in page
    # A neighbourhood that does not exist is explained, and the list is shown unfiltered.
    page = inbox_page(world, today=date(2027, 3, 2), neighbourhood="999999")
    assert "Sélectionnez un choix valide" in page


def test_the_inbox_makes_a_constant_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    client = Client()
    client.force_login(world.person("official"))
    sent_on(world, date(2027, 3, 1), "Première")
    url = reverse("official_requests:portal")
    client.get(url)
    with django_assert_num_queries(6) as first:
        client.get(url)
    for number in range(4):
        sent_on(world, date(2027, 3, 1), f"Demande {number}")
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_a_request_whose_work_started_offers_no_answer_form_that_would_refuse(
    world: World,
) -> None:
    item = sent_on(world, date(2027, 3, 1), "Travaux commencés")
    answered(world, item, date(2027, 3, 2), "accepted")
    with time_machine.travel(at(date(2027, 3, 3)), tick=False):
        actions.start_work(by=world.person("official"), request=item)
        client = Client()
        client.force_login(world.person("official"))
        page = client.get(reverse("official_requests:detail", args=[item.pk])).text
    assert 'value="answer"' not in page  # the life cycle refuses an answer now
    assert 'value="done"' in page  # what can still be done is offered
