"""Issue 3's whole journey, in order, never in the back-office: plan with a clash -> flyers
-> registration -> check-in -> minutes read on the neighbourhood page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from palabre.demo.loader import DEMO_PASSWORD
from palabre.neighbourhoods.models import Venue
from palabre.workshops.models import InvitationBatch, Workshop
from tests.browser.conftest import PHONE, assert_accessible


def signed_in(new_page: Callable[..., Page], email: str, **options: Any) -> Page:
    page = new_page(**options)
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Vous êtes connecté·e.")).to_be_visible()
    return page


def plan_workshop(
    page: Page, *, neighbourhood: str, venue: str, title: str, day: str, partner: str | None
) -> None:
    """Plan a workshop from the cycle's planning page, as the coordinator does (no back-office)."""
    page.goto("/ateliers/cycles/printemps-2027/")
    page.get_by_role("link", name="Planifier un atelier").click()
    page.get_by_label(re.compile(r"^Titre\b")).fill(title)
    page.get_by_label(re.compile(r"^Quartier\b")).select_option(label=neighbourhood)
    page.get_by_label(re.compile(r"^Jour\b")).fill(day)
    page.get_by_label(re.compile(r"^Début\b")).fill("18:30")
    page.get_by_label(re.compile(r"^Fin\b")).fill("21:00")
    hall = Venue.objects.get(name=venue)
    page.get_by_label(re.compile(r"^Lieu\b")).select_option(value=str(hall.pk))
    if partner:
        page.get_by_label(partner).check()
    page.get_by_label("Julien Lambotte").check()
    page.get_by_label("Capacité (personnes)").fill("30")
    page.get_by_role("button", name="Prévoir l'atelier").click()
    expect(page.get_by_text("Atelier prévu.")).to_be_visible()


def test_the_whole_workshop_journey(new_page: Callable[..., Page], demo: Any) -> None:
    evening = timezone.localdate() + timedelta(days=7)
    day = evening.isoformat()

    # 1. The coordinator plans a cycle from the front office (it works without JavaScript) ...
    office = signed_in(new_page, "coordination@palabre.example", java_script_enabled=False)
    office.goto("/ateliers/cycles/")
    office.get_by_role("link", name="Créer un cycle").click()
    office.get_by_role("textbox", name="Nom (obligatoire)").fill("Printemps 2027")
    office.get_by_label(re.compile(r"^Nom court")).fill("printemps-2027")
    office.get_by_label(re.compile(r"^Commence le")).fill(timezone.localdate().isoformat())
    office.get_by_label(re.compile(r"^Se termine le")).fill(
        (evening + timedelta(days=60)).isoformat()
    )
    office.get_by_label(re.compile(r"^Ateliers prévus par quartier")).fill("1")
    office.get_by_label("Bomel", exact=True).check()
    office.get_by_label("Jambes", exact=True).check()
    office.get_by_role("button", name="Créer le cycle").click()
    expect(office.get_by_text("Cycle créé.")).to_be_visible()
    plan_workshop(
        office,
        neighbourhood="Bomel",
        venue="Salle polyvalente de la Maison de quartier",
        title="Printemps à Bomel",
        day=day,
        partner="Maison de quartier de Bomel",
    )
    plan_workshop(
        office,
        neighbourhood="Jambes",
        venue="Salle du Bord de Meuse",
        title="Printemps à Jambes",
        day=day,
        partner=None,
    )

    # ... and sees the mediator booked twice the same evening, and a workshop without partner.
    office.goto("/ateliers/cycles/printemps-2027/")
    flags = office.get_by_role("region", name="points à vérifier")
    expect(flags).to_contain_text("Conflit")
    expect(flags).to_contain_text("Julien Lambotte attendu·e dans les deux")
    expect(flags).to_contain_text("Sans partenaire — Printemps à Jambes")

    # 2. The coordinator announces the Bomel workshop and prints letterbox flyers.
    coordinator = signed_in(new_page, "coordination@palabre.example")
    bomel = Workshop.objects.get(title="Printemps à Bomel")
    coordinator.goto(bomel.get_absolute_url())
    coordinator.get_by_role("button", name="Annoncer et ouvrir les inscriptions").click()
    expect(coordinator.get_by_text("les inscriptions sont ouvertes")).to_be_visible()
    coordinator.goto("/ateliers/cycles/printemps-2027/")
    assert_accessible(coordinator)
    coordinator.goto(bomel.get_absolute_url())
    coordinator.get_by_role("link", name="Imprimer des invitations").click()
    coordinator.get_by_label("Canal").fill("Boîtes aux lettres rue de Bomel")
    coordinator.get_by_label("Format").select_option("a4x4")
    # 50 sheets are made at once; larger batches: test_large_invitations_journey.py
    coordinator.get_by_label("Exemplaires").fill("200")
    coordinator.get_by_role("button", name="Préparer").click()
    with coordinator.expect_download() as download:
        coordinator.get_by_role("link", name="Télécharger les invitations").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    # 3. A resident types the short address printed on the flyer and registers, no account.
    code = InvitationBatch.objects.get(workshop=bomel).code
    resident = new_page()
    resident.goto(f"/i/{code}")
    resident.get_by_label("Votre prénom ou un pseudonyme").fill("Amina")
    resident.get_by_label("Adresse e-mail").fill("amina@example.org")
    resident.get_by_role("button", name="S'inscrire").click()
    expect(resident.get_by_text("Vous êtes inscrit·e. À bientôt !")).to_be_visible()

    after_the_evening = datetime.combine(evening, time(21, 30), tzinfo=ZoneInfo("Europe/Brussels"))
    with time_machine.travel(after_the_evening, tick=True):
        # 4. On the evening, the facilitator checks people in on a phone and adds a walk-in.
        phone = signed_in(
            new_page,
            "mediateur@palabre.example",
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
        )
        phone.goto(bomel.get_absolute_url())
        phone.get_by_role("link", name="Accueillir les participants").click()
        phone.get_by_role("button", name="Arrivé·e : Amina").click()
        phone.get_by_label("Prénom (laissez vide").fill("Karim")
        phone.get_by_label("Est-ce votre premier atelier ?").select_option("yes")
        phone.get_by_role("button", name="Ajouter et cocher comme arrivé·e").click()
        expect(phone.get_by_role("status").filter(has_text="sans inscription")).to_contain_text(
            "2 personnes présentes (dont 1 sans inscription)"
        )
        assert_accessible(phone)

        # 5. The coordinator records it as held; the facilitator writes and publishes minutes.
        # A week later their session has ended (12 hours at most): they sign in again.
        coordinator = signed_in(new_page, "coordination@palabre.example")
        coordinator.goto(bomel.get_absolute_url())
        coordinator.get_by_role("button", name="Enregistrer comme tenu").click()
        coordinator.get_by_role("button", name="Oui, il a eu lieu").click()  # asked first
        expect(coordinator.get_by_text("L'atelier est enregistré comme tenu.")).to_be_visible()
        phone.goto(bomel.get_absolute_url())
        phone.get_by_role("link", name="Rédiger le compte rendu").click()
        expect(phone.get_by_label("Introduction")).to_have_value(
            "2 personnes ont participé à cet atelier\u00a0; 1 d'entre elles a dit que c'était sa "
            "première fois. "
            "Nous remercions Maison de quartier de Bomel de nous avoir accueillis."
        )
        phone.get_by_label("Que faudrait-il pour y arriver ?").fill("Plus de bancs rue de Bomel.")
        phone.get_by_role("button", name="Publier").click()
        expect(phone.get_by_text("Le compte rendu est publié.")).to_be_visible()

        # 6. Anyone reads the minutes from the neighbourhood page.
        resident.goto("/quartiers/bomel/")
        past = resident.get_by_role("region", name="Ateliers passés")
        past.get_by_role("link", name="Compte rendu de Printemps à Bomel").click()
        expect(resident.get_by_text("Plus de bancs rue de Bomel.")).to_be_visible()
        assert_accessible(resident)
