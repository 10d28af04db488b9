"""The service's translations of a round table's or symposium's sessions (issue 16, item 5): the
title, room and description written in the other languages, shown on the event's page to
readers of those languages; the original, marked with its language, where there is none."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from palabre.core.testing import World
from palabre.workshops import actions
from palabre.workshops.models import EventKind, Session, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db

DUTCH_TITLE = "Samen wonen"
DUTCH_DESCRIPTION = "Hoe delen we een gebouw?\nMet de bewoners van Bomel."


@pytest.fixture
def event(world: World) -> Workshop:
    found = make_hosted_workshop(world, days_from_now=20)
    Workshop.objects.filter(pk=found.pk).update(kind=EventKind.SYMPOSIUM)
    found.refresh_from_db()
    return found


def add(event: Workshop, title: str = "Habiter ensemble", hours: int = 0) -> Session:
    assert event.starts_at is not None
    return actions.add_session(
        by=None,
        workshop=event,
        session=Session(
            title=title,
            starts_at=event.starts_at + timedelta(hours=hours),
            ends_at=event.starts_at + timedelta(hours=hours, minutes=50),
            room="Salle des mariages",
            description="Comment partager un immeuble\u00a0?",
        ),
        speakers=[("Anne Dupont", "sociologue, UNamur")],
    )


@pytest.fixture
def session(event: Workshop) -> Session:
    return add(event)


def client_of(world: World, persona: str = "coordinator", *, language: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    if persona != "anonymous":
        client.force_login(world.person(persona))
    return client


def url_of(session: Session) -> str:
    return reverse("workshops:session_texts", args=[session.workshop_id, session.pk])


def form(**changes: Any) -> dict[str, Any]:
    return {
        "title_nl": DUTCH_TITLE,
        "room_nl": "",
        "description_nl": DUTCH_DESCRIPTION,
        "title_en": "",
        "room_en": "",
        "description_en": "",
    } | changes


def translate(world: World, session: Session, **changes: Any) -> Any:
    return client_of(world).post(url_of(session), form(**changes))


def page_of(world: World, event: Workshop, language: str, persona: str = "anonymous") -> str:
    response = client_of(world, persona, language=language).get(event.get_absolute_url())
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_service_translates_a_session_and_each_reader_sees_their_language(
    world: World, event: Workshop, session: Session
) -> None:
    programme = reverse("workshops:programme", args=[event.pk])
    listed = html.unescape(client_of(world).get(programme).content.decode())
    assert f'href="{url_of(session)}"' in listed  # the way there, from the programme
    assert 'Traduire<span class="visually-hidden">\u00a0: Habiter ensemble</span>' in listed
    assert translate(world, session)["Location"] == programme
    session.refresh_from_db()
    # Empty translations are not kept: they would hide the original.
    assert session.translations == {
        "nl": {"title": DUTCH_TITLE, "description": DUTCH_DESCRIPTION},
    }
    dutch = page_of(world, event, "nl")
    assert f"<h3>{DUTCH_TITLE}</h3>" in dutch
    assert "<p>Hoe delen we een gebouw?<br>Met de bewoners van Bomel.</p>" in dutch
    assert '<span lang="fr">Salle des mariages</span>' in dutch  # no Dutch room: the original
    assert "Habiter ensemble" not in dutch
    english = page_of(world, event, "en")
    assert '<h3><span lang="fr">Habiter ensemble</span></h3>' in english
    assert '<p lang="fr">Comment partager un immeuble\u00a0?</p>' in english
    french = page_of(world, event, "fr")
    assert "<h3>Habiter ensemble</h3>" in french
    assert "<p>Comment partager un immeuble\u00a0?</p>" in french
    assert DUTCH_TITLE not in french
    # Sent again (a retry): the same translations.
    assert translate(world, session).status_code == 302
    session.refresh_from_db()
    assert session.translations == {
        "nl": {"title": DUTCH_TITLE, "description": DUTCH_DESCRIPTION},
    }


def test_emptied_translations_are_dropped_and_the_original_comes_back(
    world: World, event: Workshop, session: Session
) -> None:
    translate(world, session, room_en="Wedding room")
    translate(world, session, title_nl="", description_nl="", room_en="   ")
    session.refresh_from_db()
    assert session.translations == {}
    assert '<h3><span lang="fr">Habiter ensemble</span></h3>' in page_of(world, event, "nl")


def test_the_form_shows_what_was_saved_and_the_original(world: World, session: Session) -> None:
    translate(world, session)
    page = html.unescape(client_of(world, language="nl").get(url_of(session)).content.decode())
    assert "<h1>De sessie in de andere talen</h1>" in page
    assert f'value="{DUTCH_TITLE}"' in page
    assert '<legend lang="nl">Nederlands</legend>' in page
    assert '<legend lang="en">English</legend>' in page
    assert '<div lang="fr">' in page
    assert "Salle des mariages" in page
    assert 'name="title_fr"' not in page  # no translation into the original's language
    assert 'id="id_language"' not in page  # the language is the event's


def test_the_sessions_of_an_event_written_in_dutch_are_translated_into_french(
    world: World, event: Workshop, session: Session
) -> None:
    Workshop.objects.filter(pk=event.pk).update(language="nl")
    session = Session.objects.get(pk=session.pk)
    assert session.language == "nl"
    page = client_of(world).get(url_of(session)).content.decode()
    assert 'name="title_fr"' in page
    assert 'name="title_nl"' not in page
    translate(world, session, title_fr="Habiter ensemble, en français")
    session.refresh_from_db()
    # The Dutch "translation" sent with it is not kept: Dutch is the original.
    assert session.translations == {"fr": {"title": "Habiter ensemble, en français"}}
    event.refresh_from_db()
    assert "<h3>Habiter ensemble, en français</h3>" in page_of(world, event, "fr")


def test_bad_input_says_why_in_the_reader_s_language_and_keeps_what_was_typed(
    world: World, session: Session
) -> None:
    response = client_of(world, language="nl").post(url_of(session), form(title_nl="x" * 201))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Hoogstens 200 tekens (deze tekst heeft er 201): maak hem korter." in page
    assert 'class="error-summary"' in page
    assert "x" * 201 in page  # the title typed is still there to shorten
    assert DUTCH_DESCRIPTION in page
    session.refresh_from_db()
    assert session.translations == {}


def test_only_the_service_translates_even_calling_the_action(
    world: World, session: Session
) -> None:
    for persona in ("facilitator", "partner", "resident"):
        assert client_of(world, persona).post(url_of(session), form()).status_code == 403
        with pytest.raises(PermissionDenied):
            actions.set_session_texts(
                by=world.person(persona),
                session=session,
                translations={"nl": {"title": DUTCH_TITLE}},
            )
    session.refresh_from_db()
    assert session.translations == {}


def test_a_session_of_another_event_is_not_found(
    world: World, event: Workshop, session: Session
) -> None:
    other = make_hosted_workshop(world, days_from_now=30)
    url = reverse("workshops:session_texts", args=[other.pk, session.pk])
    assert client_of(world).post(url, form()).status_code == 404
    session.refresh_from_db()
    assert session.translations == {}


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_the_event_s_page_in_dutch_reads_as_many_queries_for_one_session_as_for_four(
    world: World, event: Workshop, session: Session
) -> None:
    reader = client_of(world, "anonymous", language="nl")
    reader.get(event.get_absolute_url())  # the first visit opens the session: not counted
    with CaptureQueriesContext(connection) as one:
        reader.get(event.get_absolute_url())
    for hours in (1, 2, 3):
        translated = add(event, f"Séance {hours}", hours)
        actions.set_session_texts(
            by=None, session=translated, translations={"nl": {"title": f"Sessie {hours}"}}
        )
    with CaptureQueriesContext(connection) as four:
        page = reader.get(event.get_absolute_url())
    assert "<h3>Sessie 3</h3>" in page.content.decode()
    assert len(four) == len(one)


def test_a_translation_into_the_session_s_own_language_is_not_kept(
    world: World, session: Session
) -> None:
    assert session.language == "fr"
    actions.set_session_texts(
        by=world.person("coordinator"),
        session=session,
        translations={"fr": {"title": "Une autre version"}, "nl": {"title": DUTCH_TITLE}},
    )
    session.refresh_from_db()
    assert session.translations == {"nl": {"title": DUTCH_TITLE}}


def test_the_back_office_does_not_show_translations_as_raw_json(
    world: World, event: Workshop, session: Session
) -> None:
    admin = Client()
    admin.force_login(world.person("administrator"))
    for page in (
        reverse("admin:workshops_workshop_change", args=[event.pk]),
        reverse("admin:workshops_session_change", args=[session.pk]),
    ):
        response = admin.get(page)
        assert response.status_code == 200, page
        assert 'name="translations"' not in response.text, page
