"""The programme of a round table or symposium from the front office (issue 14): sessions and
speakers added, changed and taken out without the back-office."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palabre.core.testing import World
from palabre.workshops import actions
from palabre.workshops.models import EventKind, Session, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world: World) -> Workshop:
    found = make_hosted_workshop(world, days_from_now=20)
    Workshop.objects.filter(pk=found.pk).update(kind=EventKind.SYMPOSIUM)
    found.refresh_from_db()
    return found


@pytest.fixture
def coordinator(world: World) -> Client:
    client = Client()
    client.force_login(world.person("coordinator"))
    return client


def _day(event: Workshop) -> str:
    assert event.starts_at is not None
    return timezone.localtime(event.starts_at).date().isoformat()


def _session(event: Workshop, **fields: str) -> dict[str, str]:
    return {
        "title": "Habiter ensemble",
        "day": _day(event),
        "starts": "14:00",
        "ends": "15:30",
        "room": "Salle des mariages",
        "speakers": "Anne Dupont, sociologue, UNamur\nMarc Lejeune",
    } | fields


def test_the_coordinator_adds_a_session_with_its_speakers(
    event: Workshop, coordinator: Client
) -> None:
    url = reverse("workshops:programme", args=[event.pk])
    page = coordinator.post(url, _session(event), follow=True)
    assert "«\u00a0Habiter ensemble\u00a0» est au programme." in unescape(page.text)
    session = Session.objects.get()
    assert timezone.localtime(session.starts_at).strftime("%H:%M") == "14:00"
    assert [(s.name, s.affiliation) for s in session.speakers.all()] == [
        ("Anne Dupont", "sociologue, UNamur"),
        ("Marc Lejeune", ""),
    ]
    public = Client().get(event.get_absolute_url()).text
    assert "Habiter ensemble" in public
    assert "Anne Dupont" in public


def test_the_same_session_sent_twice_is_added_once(event: Workshop, coordinator: Client) -> None:
    url = reverse("workshops:programme", args=[event.pk])
    coordinator.post(url, _session(event))
    again = coordinator.post(url, _session(event))
    assert again.status_code == 200
    assert "Cette séance est déjà au programme" in unescape(again.text)
    assert Session.objects.count() == 1


def test_a_session_ending_before_it_starts_is_explained_and_what_was_typed_stays(
    event: Workshop, coordinator: Client
) -> None:
    url = reverse("workshops:programme", args=[event.pk])
    page = coordinator.post(url, _session(event, ends="13:00"))
    assert "Une séance doit se terminer après avoir commencé." in unescape(page.text)
    assert 'value="Habiter ensemble"' in page.text
    assert "Anne Dupont, sociologue, UNamur" in page.text
    assert not Session.objects.exists()


def test_a_speaker_line_too_long_is_refused(event: Workshop, coordinator: Client) -> None:
    url = reverse("workshops:programme", args=[event.pk])
    page = coordinator.post(url, _session(event, speakers="N" * 151))
    assert "trop long" in unescape(page.text)
    assert not Session.objects.exists()


def test_a_session_is_changed_and_its_speakers_replaced(
    world: World, event: Workshop, coordinator: Client
) -> None:
    assert event.starts_at is not None
    session = actions.add_session(
        by=world.person("coordinator"),
        workshop=event,
        session=Session(
            title="Ouverture",
            starts_at=event.starts_at,
            ends_at=event.starts_at + timedelta(hours=1),
        ),
        speakers=[("Échevine", "Cohésion sociale")],
    )
    url = reverse("workshops:edit_session", args=[event.pk, session.pk])
    form = coordinator.get(url).text
    assert "Échevine, Cohésion sociale" in form
    coordinator.post(url, _session(event, title="Mot d'accueil", speakers="Léa Martin"))
    session.refresh_from_db()
    assert session.title == "Mot d'accueil"
    assert [s.name for s in session.speakers.all()] == ["Léa Martin"]


def test_a_session_is_taken_out_after_a_confirmation_and_twice_is_harmless(
    world: World, event: Workshop, coordinator: Client
) -> None:
    assert event.starts_at is not None
    session = actions.add_session(
        by=world.person("coordinator"),
        workshop=event,
        session=Session(
            title="Ouverture",
            starts_at=event.starts_at,
            ends_at=event.starts_at + timedelta(hours=1),
        ),
    )
    url = reverse("workshops:programme", args=[event.pk])
    asked = coordinator.post(url, {"step": "remove", "session": session.pk})
    assert "Retirer «\u00a0Ouverture\u00a0» du programme\u00a0?" in unescape(asked.text)
    assert Session.objects.exists()
    coordinator.post(url, {"step": "remove_confirmed", "session": session.pk})
    assert not Session.objects.exists()
    again = coordinator.post(url, {"step": "remove_confirmed", "session": session.pk}, follow=True)
    assert "Cette séance n'est plus au programme." in unescape(again.text)


def test_a_session_of_another_event_is_not_found(
    world: World, event: Workshop, coordinator: Client
) -> None:
    other = make_hosted_workshop(world, days_from_now=30)
    assert other.starts_at is not None
    session = Session.objects.create(
        workshop=other,
        title="Ailleurs",
        starts_at=other.starts_at,
        ends_at=other.starts_at + timedelta(hours=1),
    )
    assert (
        coordinator.get(reverse("workshops:edit_session", args=[event.pk, session.pk])).status_code
        == 404
    )
    coordinator.post(
        reverse("workshops:programme", args=[event.pk]),
        {"step": "remove_confirmed", "session": session.pk},
    )
    assert Session.objects.filter(pk=session.pk).exists()


def test_only_the_service_changes_a_programme(world: World, event: Workshop) -> None:
    assert event.starts_at is not None
    session = Session(
        title="X", starts_at=event.starts_at, ends_at=event.starts_at + timedelta(hours=1)
    )
    for persona in ("facilitator", "partner", "resident", "official"):
        with pytest.raises(PermissionDenied):
            actions.add_session(by=world.person(persona), workshop=event, session=session)
    assert not Session.objects.exists()


def test_the_programme_page_reads_a_constant_number_of_queries(
    world: World, event: Workshop, coordinator: Client, django_assert_max_num_queries: object
) -> None:
    assert event.starts_at is not None
    for n in range(5):
        actions.add_session(
            by=None,
            workshop=event,
            session=Session(
                title=f"Session {n}",
                starts_at=event.starts_at + timedelta(hours=n),
                ends_at=event.starts_at + timedelta(hours=n, minutes=50),
            ),
            speakers=[(f"Personne {n}", "rôle"), (f"Autre {n}", "")],
        )
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        coordinator.get(reverse("workshops:programme", args=[event.pk]))
