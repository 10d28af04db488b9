"""Knowing who came and how, in the browser (issue 14, item 5): at the door a facilitator on a
320 px phone in Dutch adds a walk-in who says how she heard of it; after the evening the
coordinator enters the paper sign-in sheet with the keyboard, then reads and filters the figures,
also without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from palabre.workshops.models import Registration, Status, Workshop
from tests.browser.conftest import LAPTOP, assert_accessible, expect_error_summary
from tests.browser.test_workshop_journeys import sign_in


def test_who_came_and_how_from_the_door_to_the_figures(
    new_page: Callable[..., Page], demo: Any
) -> None:
    workshop = Workshop.objects.filter(status=Status.ANNOUNCED, kind="workshop").first()
    assert workshop is not None
    began = timezone.now() - timedelta(hours=1)
    Workshop.objects.filter(pk=workshop.pk).update(
        starts_at=began, ends_at=began + timedelta(hours=2)
    )

    phone = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    sign_in(phone, "mediateur@palabre.example")
    phone.goto(f"/ateliers/{workshop.pk}/accueil/")
    phone.get_by_label("Langue", exact=True).select_option("nl")
    phone.get_by_role("button", name="Changer").click()
    phone.get_by_label(re.compile(r"^Voornaam")).fill("Nadia")
    phone.get_by_label("Hoe hebt u ervan gehoord?").select_option("word_of_mouth")
    phone.get_by_label("Is het uw eerste workshop?").select_option("yes")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    phone.get_by_role("button", name=re.compile("Toevoegen")).click()
    expect(phone.get_by_text("eerste keer: 1", exact=False)).to_be_visible()
    nadia = Registration.objects.get(workshop=workshop, name="Nadia")
    assert (nadia.channel, nadia.first_time) == ("word_of_mouth", True)

    laptop = new_page(viewport=LAPTOP)
    sign_in(laptop, "coordination@palabre.example")
    laptop.goto(f"/ateliers/{workshop.pk}/accueil/")
    laptop.get_by_role(
        "link", name="Après la soirée : encoder la feuille de présence papier"
    ).focus()
    laptop.keyboard.press("Enter")
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Encoder la feuille de présence")
    assert_accessible(laptop)
    first = laptop.get_by_role("group", name=re.compile("^Personne 1 de la feuille"))
    first.get_by_label(re.compile("^Nom ou pseudonyme")).fill("Jean-Luc")
    first.get_by_label("Première fois ?").select_option("no")
    laptop.get_by_role("button", name="Enregistrer la feuille de présence").focus()
    laptop.keyboard.press("Enter")
    expect(laptop.get_by_text("La feuille de présence est encodée")).to_be_visible()
    jules = Registration.objects.get(workshop=workshop, name="Jean-Luc")
    assert (jules.is_walk_in, jules.first_time) == (True, False)

    laptop.goto("/ateliers/cycles/")
    laptop.get_by_role("link", name=re.compile("^Qui est venu et comment")).click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Qui est venu et comment")
    expect(
        laptop.get_by_role("rowheader", name="Bouche-à-oreille (un voisin, un ami)")
    ).to_be_visible()
    assert_accessible(laptop)
    laptop.get_by_label("Premier jour").fill("2030-01-01")
    laptop.get_by_label("Dernier jour").fill("2029-01-01")
    laptop.get_by_role("button", name="Afficher").click()
    expect_error_summary(laptop, "Le dernier jour ne peut pas être avant le premier jour.")
    assert_accessible(laptop)

    narrow = new_page(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    sign_in(narrow, "coordination@palabre.example")
    narrow.goto("/ateliers/chiffres/")
    expect(narrow.get_by_role("heading", name="Par atelier")).to_be_visible()
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 320
    narrow.get_by_label("Langue", exact=True).select_option("nl")
    narrow.get_by_role("button", name="Changer").click()
    expect(narrow.get_by_role("heading", level=1)).to_have_text("Wie kwam en hoe")
    expect(
        narrow.get_by_role("rowheader", name="Mond-tot-mondreclame (een buur, een vriend)")
    ).to_be_visible()
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 320
