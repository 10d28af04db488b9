"""The demo's conversations (issue 19, item 8)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palabre.conversations.models import Conversation, MapState, Moderation

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_finished_workshop_conversation_and_an_open_one_online() -> None:
    from palabre.demo import conversations, loader

    loader.load()
    now = timezone.now()
    bomel = Conversation.objects.get(slug=conversations.BOMEL_SLUG)
    assert bomel.workshop is not None
    assert bomel.neighbourhood is not None
    assert bomel.neighbourhood.slug == "bomel"
    assert bomel.workshop.neighbourhood == bomel.neighbourhood
    assert not bomel.is_open(now)
    assert bomel.closes_at is not None
    assert bomel.closes_at < now
    phones = bomel.participants.exclude(device="").count()
    cards = bomel.participants.filter(card__isnull=False).count()
    assert (phones, cards) == (28, 10)
    assert bomel.opinion_map.state == MapState.READY
    data = json.loads(Client().get(reverse("conversations:map_json", args=[bomel.slug])).content)
    assert data["group_count"] >= 2
    assert data["consensus"]["agree"]

    salzinnes = Conversation.objects.get(slug=conversations.SALZINNES_SLUG)
    assert salzinnes.is_open(now)
    assert salzinnes.is_published
    assert salzinnes.opinion_map.state == MapState.READY
    pending = salzinnes.statements.get(moderation=Moderation.PENDING)
    assert "0478" not in pending.text
    page = Client().get(reverse("conversations:conversation", args=[salzinnes.slug]))
    assert page.context["state"] == "open"
    assert page.context["next"] is not None
    loader.load()  # a second run changes nothing
    assert Conversation.objects.count() == 2
