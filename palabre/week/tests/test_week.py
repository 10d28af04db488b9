"""The service's Monday page (issue 14, item 6): what is late or due, what is missing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from palabre.callbacks.actions import ask_callback
from palabre.contributions.models import Moderation
from palabre.contributions.queries import moderation_queue
from palabre.contributions.tests.factories import make_post
from palabre.core.testing import World
from palabre.initiatives.models import Initiative, Need, NeedKind
from palabre.initiatives.tests.factories import make_initiative
from palabre.official_requests.models import Request
from palabre.official_requests.tests.factories import make_request
from palabre.workshops.models import Status
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db
URL = reverse("week:week")


def _late_and_due(world: World) -> tuple[Request, Request]:
    today = timezone.localdate()
    late, due = make_request(world, sent=True), make_request(world, sent=True)
    Request.objects.filter(pk=late.pk).update(
        title="Demande en retard", acknowledge_by=today - timedelta(days=3)
    )
    Request.objects.filter(pk=due.pk).update(
        title="Demande pour jeudi",
        acknowledge_by=today - timedelta(days=1),
        status="acknowledged",
        answer_by=today + timedelta(days=3),
    )
    return late, due


def _page(world: World) -> str:
    client = Client()
    client.force_login(world.person("coordinator"))
    return client.get(URL).text


def test_the_week_shows_what_is_late_due_missing_and_waiting(world: World) -> None:
    _late_and_due(world)
    make_request(world, sent=True)  # due in weeks: not shown
    make_hosted_workshop(
        world, title="Atelier sans animateur", days_from_now=10
    ).facilitators.clear()
    make_hosted_workshop(world, title="Atelier dans deux mois", days_from_now=60)
    make_post(world.home, "Un texte à relire.", moderation=Moderation.PRE)
    action = make_initiative(world)
    Need.objects.create(initiative=action, kind=NeedKind.ROOM, description="Une salle le samedi")
    Initiative.objects.filter(pk=action.pk).update(budget_requested=Decimal(150))

    page = _page(world)

    assert "1 demande en retard" in page
    assert page.index("Demande en retard") < page.index("Demande pour jeudi")
    assert "Atelier sans animateur" in page
    assert "un animateur" in page
    assert "invitations" in page
    assert "Atelier dans deux mois" not in page
    waiting = moderation_queue().count()
    assert f"{waiting} contributions attendent la modération" in page
    assert "Une salle le samedi" in page
    assert "150" in page


def test_an_empty_week_says_so(world: World) -> None:
    page = _page(world)
    assert "Rien n'arrive à échéance cette semaine." in page or "Rien n&#x27;arrive" in page
    assert "Aucune action n'attend la ville." in page or "Aucune action n&#x27;attend" in page


def test_the_week_reads_a_constant_number_of_queries(world: World) -> None:
    # One of each first, so that every section's queries run in both measures.
    _late_and_due(world)
    make_hosted_workshop(world, days_from_now=5, status=Status.PLANNED)
    make_post(world.home, "Un texte.", moderation=Moderation.PRE)
    first = make_initiative(world, title="Action")
    Need.objects.create(initiative=first, kind=NeedKind.PERMIT, description="Permis")
    ask_callback(key="first-callback-key-01", name="A", phone="+32470000001", language="fr")
    client = Client()
    client.force_login(world.person("coordinator"))
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(3):
        _late_and_due(world)
        make_hosted_workshop(world, days_from_now=6 + n, status=Status.PLANNED)
        make_post(world.home, f"Encore un texte {n}.", moderation=Moderation.PRE)
        action = make_initiative(world, title=f"Action {n}")
        Need.objects.create(initiative=action, kind=NeedKind.PERMIT, description=f"Permis {n}")
        ask_callback(
            key=f"more-callback-key-{n:02}", name="B", phone=f"+3247000001{n}", language="nl"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)


def test_remind_writes_to_the_addressee_once_a_day_and_comes_back_to_the_week(
    world: World,
) -> None:
    from palabre.core.testing import sent_mail

    late, _due = _late_and_due(world)
    client = Client()
    client.force_login(world.person("coordinator"))
    act = reverse("official_requests:act", args=[late.pk])
    page = client.get(URL).text
    assert f'action="{act}"' in page
    first = client.post(act, {"step": "remind", "back": "week"}, follow=True)
    assert first.redirect_chain[-1][0] == URL
    assert "Rappel envoyé" in first.text
    again = client.post(act, {"step": "remind", "back": "week"}, follow=True)
    assert "Déjà rappelée aujourd&#x27;hui" in again.text
    reminders = [m for m in sent_mail() if "Demande en retard" in m.subject]
    assert len(reminders) == 1
    assert reminders[0].to == [world.person("official").email, world.person("cabinet").email]
    late.refresh_from_db()
    assert late.events.filter(note__startswith="Rappel envoyé par le service").exists()


def test_only_the_service_reminds(world: World) -> None:
    late, _due = _late_and_due(world)
    act = reverse("official_requests:act", args=[late.pk])
    for persona in ("facilitator", "resident", "official"):
        client = Client()
        client.force_login(world.person(persona))
        response = client.post(act, {"step": "remind"})
        assert response.status_code in (403, 404), persona
    assert not late.nudges.exists()


def _many_late(world: World, n: int) -> None:
    today = timezone.localdate()
    for k in range(n):
        made = make_request(world, sent=True)
        Request.objects.filter(pk=made.pk).update(
            title=f"Retard {k:02}", acknowledge_by=today - timedelta(days=40 - k)
        )


def test_the_week_shows_the_oldest_late_requests_and_links_to_all_of_them(world: World) -> None:
    from palabre.week.views import SHOWN

    _many_late(world, SHOWN + 3)

    page = _page(world)

    assert f"{SHOWN + 3} demandes en retard" in page
    assert "Retard 00" in page
    assert f"Retard {SHOWN - 1:02}" in page
    assert f"Retard {SHOWN:02}" not in page  # the most recent ones wait one link away
    assert page.index("Retard 00") < page.index("Retard 01")
    tracker = reverse("official_requests:tracker")
    assert f'href="{tracker}?delai=retard"' in page
    listed = Client().get(tracker, {"delai": "retard"}).text
    assert all(f"Retard {k:02}" in listed for k in range(SHOWN + 3))


def test_the_week_never_reads_more_queries_however_long_its_lists(
    world: World, django_assert_max_num_queries: Any
) -> None:
    from palabre.week.views import SHOWN

    _many_late(world, SHOWN + 2)
    for n in range(SHOWN + 2):
        make_hosted_workshop(world, days_from_now=3 + n, status=Status.PLANNED)
        make_post(world.home, f"À relire {n}.", moderation=Moderation.PRE)
        action = make_initiative(world, title=f"Action {n}")
        Need.objects.create(initiative=action, kind=NeedKind.PERMIT, description=f"Permis {n}")
        ask_callback(
            key=f"many-callback-key-{n:02}", name="C", phone=f"+324700002{n:02}", language="fr"
        )
    client = Client()
    client.force_login(world.person("coordinator"))
    # Sessions, the user, then a count and a page of each list, the needs of the actions shown.
    with django_assert_max_num_queries(20):
        page = client.get(URL).text
    assert page.count('name="step" value="remind"') == SHOWN
    assert f"{SHOWN + 2} actions citoyennes attendent la ville" in page
    assert f'href="{reverse("week:city_support")}"' in page


def test_every_action_waiting_for_the_city_is_listed_page_by_page(
    world: World, django_assert_max_num_queries: Any
) -> None:
    from palabre.week.views import CITY_SUPPORT_PAGE

    for n in range(CITY_SUPPORT_PAGE + 1):
        action = make_initiative(world, title=f"Action {n:03}")
        Need.objects.create(initiative=action, kind=NeedKind.ROOM, description=f"Salle {n}")
    client = Client()
    client.force_login(world.person("coordinator"))
    url = reverse("week:city_support")
    with django_assert_max_num_queries(12):
        first = client.get(url).text
    assert "Action 000" in first
    assert f"Action {CITY_SUPPORT_PAGE:03}" not in first
    assert 'aria-current="page"' in first
    assert 'href="?page=2"' in first
    last = client.get(url, {"page": "2"}).text
    assert f"Action {CITY_SUPPORT_PAGE:03}" in last
    assert "Salle" in last
    for garbage in ("999", "abc", "-1", ""):
        assert client.get(url, {"page": garbage}).status_code == 200
