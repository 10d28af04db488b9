"""Details of expenses and photos the first tests left open (found by the mutation run of
2026-12-05, docs/mutation/initiatives.md): a second expense or photo is recorded next to the
first, with what was typed and who added it; a photo without people keeps no consent."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World, jpeg_with_gps
from palabre.initiatives.models import Expense, InitiativePhoto
from palabre.initiatives.tests.factories import make_initiative

pytestmark = pytest.mark.django_db


def lead(world: World) -> Client:
    client = Client()
    client.force_login(world.person("resident"))  # the factory makes "resident" a lead
    return client


def expense(key: str, label: str, amount: str) -> dict[str, Any]:
    return {
        "expense-key": key,
        "expense-label": label,
        "expense-amount": amount,
        "expense-spent_on": "2027-05-20",
        "expense-receipt": SimpleUploadedFile("ticket.jpg", jpeg_with_gps()),
    }


def test_a_second_expense_is_recorded_with_its_label_and_who_added_it(world: World) -> None:
    initiative = make_initiative(world)
    url = reverse("initiatives:add_expense", args=[initiative.pk])
    client = lead(world)
    client.post(url, expense("a" * 20, "Location de tables", "120,50"))
    client.post(url, expense("b" * 20, "Gobelets", "15"))
    recorded = list(Expense.objects.values_list("label", "amount", "by"))
    resident = world.person("resident").pk
    assert recorded == [
        ("Location de tables", Decimal("120.50"), resident),
        ("Gobelets", Decimal("15.00"), resident),
    ]


def photo(key: str, description: str, **extra: Any) -> dict[str, Any]:
    return {
        "photo-key": key,
        "photo-image": SimpleUploadedFile("fete.jpg", jpeg_with_gps()),
        "photo-description": description,
        **extra,
    }


def test_a_second_photo_is_added_with_its_description_and_who_added_it(world: World) -> None:
    initiative = make_initiative(world)
    url = reverse("initiatives:add_photo", args=[initiative.pk])
    client = lead(world)
    client.post(url, photo("a" * 20, "Les tables dressées"))
    consent = {"photo-shows_people": "on", "photo-consent": "Formulaire signé"}
    client.post(url, photo("b" * 20, "Les voisins à table", **consent))
    added = list(
        InitiativePhoto.objects.values_list("description", "shows_people", "consent", "by")
    )
    resident = world.person("resident").pk
    assert added == [
        ("Les tables dressées", False, "", resident),
        ("Les voisins à table", True, "Formulaire signé", resident),
    ]


def test_a_photo_without_people_keeps_no_consent_typed_by_mistake(world: World) -> None:
    initiative = make_initiative(world)
    url = reverse("initiatives:add_photo", args=[initiative.pk])
    lead(world).post(url, photo("a" * 20, "La rue vide", **{"photo-consent": "Oral"}))
    assert InitiativePhoto.objects.get().consent == ""


def test_a_form_key_sent_on_another_action_s_page_asks_to_reload_and_saves_nothing(
    world: World,
) -> None:
    first = make_initiative(world)
    second = make_initiative(world, title="Une autre action")
    client = lead(world)
    key = "k" * 20
    client.post(reverse("initiatives:add_expense", args=[first.pk]), expense(key, "Tables", "10"))
    client.post(reverse("initiatives:add_photo", args=[first.pk]), photo(key, "Les tables"))
    # The second action has its own, under another key: a replayed key must not return them.
    own = "o" * 20
    client.post(reverse("initiatives:add_expense", args=[second.pk]), expense(own, "Nappes", "8"))
    client.post(reverse("initiatives:add_photo", args=[second.pk]), photo(own, "Les nappes"))
    for url, data in (
        (reverse("initiatives:add_expense", args=[second.pk]), expense(key, "Chaises", "5")),
        (reverse("initiatives:add_photo", args=[second.pk]), photo(key, "Les chaises")),
    ):
        refused = client.post(url, data)
        assert refused.status_code == 400
        assert "Ce formulaire a déjà été envoyé\u00a0: rechargez la page." in html.unescape(
            refused.text
        )
    assert (Expense.objects.count(), InitiativePhoto.objects.count()) == (2, 2)
