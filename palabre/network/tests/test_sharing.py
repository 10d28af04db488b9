"""What this city shares (issue 20, item 5): the service ticks playbooks, makes formats from
held workshops (with their translations, German included) and opens round tables."""

from __future__ import annotations

from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World, error_summary
from palabre.initiatives import actions as initiative_actions
from palabre.initiatives.tests.factories import STREET_PARTY
from palabre.network import actions
from palabre.network.models import Format, OpenEvent, SharedPlaybook
from palabre.workshops.models import EventKind, Status
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


def _coordinator(world: World) -> Client:
    client = Client()
    client.force_login(world.person("coordinator"))
    return client


def test_a_playbook_is_shared_in_its_language_then_no_longer(world: World) -> None:
    playbook = initiative_actions.import_playbook(by=world.person("coordinator"), text=STREET_PARTY)
    client = _coordinator(world)
    url = reverse("network:share_playbook", args=[playbook.pk])
    for _ in range(2):  # a double click shares once
        assert client.post(url, {"shared": "1", "language": "de"}).status_code == 302
    assert SharedPlaybook.objects.get().language == "de"
    page = unescape(client.get(reverse("network:index")).content.decode())
    assert '<span lang="de">(Deutsch)</span>' in page
    client.post(url, {"shared": ""})
    assert not SharedPlaybook.objects.exists()


def test_a_format_is_made_once_from_a_held_workshop(world: World) -> None:
    held = make_hosted_workshop(world, status=Status.HELD, days_from_now=-2)
    client = _coordinator(world)
    url = reverse("network:make_format", args=[held.pk])
    first = client.post(url)
    second = client.post(url)
    made = Format.objects.get()
    assert first["Location"] == second["Location"] == reverse("network:format", args=[made.pk])
    assert (made.duration_minutes, made.guiding_questions) == (150, held.guiding_questions)
    assert not made.shared


def test_a_workshop_not_held_gives_no_format(world: World) -> None:
    planned = make_hosted_workshop(world, status=Status.ANNOUNCED)
    response = _coordinator(world).post(reverse("network:make_format", args=[planned.pk]))
    assert response.status_code == 302
    assert not Format.objects.exists()


def test_a_formats_texts_are_edited_per_language_german_included(world: World) -> None:
    made = Format.objects.create(title="Bien vivre", duration_minutes=120, language="fr")
    client = _coordinator(world)
    url = reverse("network:format", args=[made.pk])
    response = client.post(
        url,
        {
            "duration_minutes": "90",
            "title_fr": "Bien vivre ensemble",
            "questions_fr": "Comment ?\n\nPourquoi ?",
            "title_de": "Gut zusammenleben",
            "questions_de": "Wie?",
        },
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.title, made.guiding_questions, made.duration_minutes) == (
        "Bien vivre ensemble",
        ["Comment ?", "Pourquoi ?"],
        90,
    )
    assert made.translations == {
        "de": {"title": "Gut zusammenleben", "guiding_questions": ["Wie?"]}
    }
    page = client.get(url).content.decode()
    assert 'lang="de"' in page


def test_a_format_without_its_title_keeps_what_was_typed(world: World) -> None:
    made = Format.objects.create(title="Bien vivre", duration_minutes=120, language="fr")
    response = _coordinator(world).post(
        reverse("network:format", args=[made.pk]),
        {"duration_minutes": "0", "title_fr": "", "title_nl": "Goed samenleven"},
    )
    assert response.status_code == 200
    assert error_summary(response.content.decode()) == ["#id_duration_minutes", "#id_title_fr"]
    assert 'value="Goed samenleven"' in response.content.decode()


def test_only_round_tables_and_symposiums_are_opened(world: World) -> None:
    workshop = make_hosted_workshop(world)
    with pytest.raises(PermissionDenied):
        actions.open_event(by=world.person("coordinator"), workshop=workshop, opened=True)
    event = make_hosted_workshop(world, kind=EventKind.ROUND_TABLE)
    client = _coordinator(world)
    client.post(reverse("network:open_event", args=[event.pk]), {"shared": "1"})
    client.post(reverse("network:open_event", args=[event.pk]), {"shared": "1"})
    assert OpenEvent.objects.get().workshop == event


def test_an_imported_playbook_is_not_shared_again(world: World) -> None:
    from palabre.network.models import ImportedPlaybook

    playbook = initiative_actions.import_playbook(by=world.person("coordinator"), text=STREET_PARTY)
    ImportedPlaybook.objects.create(
        playbook=playbook,
        source_city="Liège",
        source_feed_url="http://127.0.0.1:9/f",
        source_key="playbook-1",
        source_title="Fête de rue",
    )
    response = _coordinator(world).post(
        reverse("network:share_playbook", args=[playbook.pk]), {"shared": "1"}
    )
    assert response.status_code == 404
    assert not SharedPlaybook.objects.exists()


def test_the_service_only_shares(world: World) -> None:
    playbook = initiative_actions.import_playbook(by=world.person("coordinator"), text=STREET_PARTY)
    for persona in ("facilitator", "resident", "official"):
        with pytest.raises(PermissionDenied):
            actions.share_playbook(by=world.person(persona), playbook=playbook, shared=True)
