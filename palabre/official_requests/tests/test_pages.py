from __future__ import annotations

import html
import logging
import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from palabre.core.testing import World, pdf_text
from palabre.official_requests import actions
from palabre.official_requests.models import Status
from palabre.official_requests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_answering_a_request_that_is_not_yours_is_a_404_and_logged(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    item = make_request(world, sent=True)
    client = Client()
    client.force_login(world.person("facilitator"))
    with caplog.at_level(logging.WARNING, logger="palabre.security"):
        response = client.post(
            reverse("official_requests:act", args=[item.pk]),
            {"step": "answer", "kind": "accepted", "text": "Oui", "version": 1},
        )
    assert response.status_code == 404
    assert any(record.message == "refused answer" for record in caplog.records)
    item.refresh_from_db()
    assert item.status == Status.SENT


def test_private_notes_never_reach_residents(world: World) -> None:
    item = make_request(world, sent=True)
    actions.add_note(
        by=world.person("coordinator"), request=item, note="Budget serré.", public=False
    )
    actions.add_note(
        by=world.person("coordinator"), request=item, note="Visite prévue.", public=True
    )
    url = reverse("official_requests:detail", args=[item.pk])
    resident = Client()
    resident.force_login(world.person("resident"))
    page = resident.get(url).text
    assert "Visite prévue." in page
    assert "Budget serré." not in page
    official = Client()
    official.force_login(world.person("official"))
    assert "Budget serré." in official.get(url).text


def test_the_answer_shows_on_the_contribution_it_came_from(world: World) -> None:
    item = make_request(world, sent=True)
    client = Client()
    client.force_login(world.person("official"))
    url = reverse("official_requests:act", args=[item.pk])
    client.post(url, {"step": "acknowledge"})
    response = client.post(
        url,
        {
            "step": "answer",
            "kind": "planned",
            "text": "Pose en avril.",
            "version": 1,
            "planned_for": "2027-04-15",
        },
    )
    assert response.status_code == 302
    contribution = item.contributions.first()
    assert contribution is not None
    page = Client().get(reverse("contributions:detail", args=[contribution.pk])).text
    assert "Un ralentisseur devant l&#x27;école" in page
    assert "Pose en avril." in page


def test_a_stale_answer_is_refused_with_a_conflict_message(world: World) -> None:
    item = make_request(world, sent=True)
    client = Client()
    client.force_login(world.person("official"))
    url = reverse("official_requests:act", args=[item.pk])
    first = {"step": "answer", "kind": "accepted", "text": "Oui.", "version": 1}
    client.post(url, first)
    page = client.post(url, first | {"text": "Non."}, follow=True).text
    assert "entre-temps" in page
    item.refresh_from_db()
    assert item.answer_text == "Oui."


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_the_tracker_reads_a_constant_number_of_queries(world: World) -> None:
    make_request(world, sent=True)
    url = reverse("official_requests:tracker")
    Client().get(url)
    with CaptureQueriesContext(connection) as few:
        Client().get(url)
    for _ in range(5):
        make_request(world, sent=True)
    with CaptureQueriesContext(connection) as many:
        Client().get(url)
    assert len(many) == len(few)


def test_the_tracker_shows_fifty_requests_a_page(world: World) -> None:
    for _ in range(51):
        make_request(world, sent=True)
    first = Client().get(reverse("official_requests:tracker")).text
    assert first.count("Un ralentisseur devant l&#x27;école</a>") == 50
    assert "51 demandes" in first
    assert "Page 1 sur 2" in first
    second = Client().get(reverse("official_requests:tracker"), {"page": 2}).text
    assert second.count("Un ralentisseur devant l&#x27;école</a>") == 1


def test_the_since_last_time_sheet_lists_requests_with_their_answers(world: World) -> None:

    item = make_request(world, sent=True)
    actions.answer(
        by=world.person("official"),
        request=item,
        kind="planned",
        text="Pose prévue en avril.",
        version=1,
        planned_for=date(2027, 4, 15),
    )
    response = Client().get(reverse("official_requests:since_last_time", args=["bomel"]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Un ralentisseur devant l'école" in text
    assert "Pose prévue en avril." in text
    assert "15 avril 2027" in text


def test_an_answer_refused_for_a_conflict_keeps_what_the_official_typed(world: World) -> None:
    item = make_request(world, sent=True)
    official = Client()
    official.force_login(world.person("official"))
    url = reverse("official_requests:act", args=[item.pk])
    first = {"step": "answer", "kind": "accepted", "text": "Oui, en mars.", "version": 1}
    assert official.post(url, first).status_code == 302
    # A colleague's page still shows version 1: their long answer is refused, not lost.
    typed = "Nous étudions la question avec le service Voirie et répondrons en avril."
    response = official.post(url, {**first, "kind": "under_study", "text": typed})
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert typed in page
    assert "Quelqu'un d'autre a modifié cette réponse" in page
    item.refresh_from_db()
    assert item.answer_text == "Oui, en mars."
    # The form now carries the current version: sending it again replaces the answer on purpose.
    again = official.post(
        url,
        {
            **first,
            "kind": "under_study",
            "text": typed,
            "version": item.version,
            "what_changed": "Précisé.",
        },
    )
    assert again.status_code == 302
    item.refresh_from_db()
    assert item.answer_text == typed


def test_an_empty_answer_is_explained_on_the_page_and_nothing_is_published(world: World) -> None:
    item = make_request(world, sent=True)
    official = Client()
    official.force_login(world.person("official"))
    response = official.post(
        reverse("official_requests:act", args=[item.pk]),
        {"step": "answer", "kind": "", "text": "Mon brouillon", "version": 1},
    )
    assert response.status_code == 200
    assert "Mon brouillon" in response.text
    assert "n'a pas été publiée" in html.unescape(response.text)


def test_the_service_finds_its_drafts_and_a_new_request_button_on_the_tracker(
    world: World,
) -> None:
    draft = make_request(world)
    make_request(world, sent=True)
    url = reverse("official_requests:tracker")
    staff = Client()
    staff.force_login(world.person("coordinator"))
    page = staff.get(url).text
    assert "Brouillons du service" in page
    assert reverse("official_requests:detail", args=[draft.pk]) in page
    assert reverse("official_requests:draft") in page
    # Nobody else sees that drafts exist.
    for persona in ("resident", "official", "facilitator"):
        other = Client()
        other.force_login(world.person(persona))
        seen = other.get(url).text
        assert "Brouillons du service" not in seen
        assert reverse("official_requests:detail", args=[draft.pk]) not in seen
    # The drafts list reads a fixed number of queries.
    with CaptureQueriesContext(connection) as few:
        staff.get(url)
    for _ in range(4):
        make_request(world)
    with CaptureQueriesContext(connection) as many:
        staff.get(url)
    assert len(many) == len(few)


def test_the_drafts_come_twenty_at_a_time_beside_the_requests_pages(world: World) -> None:
    """A city's service may keep a hundred drafts: the tracker shows the newest twenty and
    links to the others, keeping the requests' own page and filters."""
    drafts = [make_request(world) for _ in range(23)]
    staff = Client()
    staff.force_login(world.person("coordinator"))
    url = reverse("official_requests:tracker")
    first = staff.get(url, {"quartier": world.home.slug}).text
    shown = re.findall(r'<li><a href="/demandes/(\d+)/">', first)
    assert [int(pk) for pk in shown] == [d.pk for d in reversed(drafts)][:20]
    nav = re.search(r'<nav aria-label="Pages des brouillons".*?</nav>', first, re.S)
    assert nav is not None
    assert f"?quartier={world.home.slug}&amp;brouillons=2#drafts-title" in nav.group(0)
    second = staff.get(url, {"quartier": world.home.slug, "brouillons": "2"}).text
    shown = re.findall(r'<li><a href="/demandes/(\d+)/">', second)
    assert [int(pk) for pk in shown] == [d.pk for d in reversed(drafts)][20:]
    # A page number made up or out of range shows a page, never an error.
    for made_up in ("x", "99", "-1"):
        assert staff.get(url, {"brouillons": made_up}).status_code == 200
