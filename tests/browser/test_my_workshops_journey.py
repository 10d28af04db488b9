"""Tonight's tools first (issue 17, item 2), on a 390 x 844 phone: the demo's facilitator opens
"My workshops", finds tonight's workshop on top, opens check-in from there, records the
workshop as held once it has started, then writes the minutes on the bus home; with and
without JavaScript, every page checked by axe and none wider than the phone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from palabre.workshops.models import EventKind, Status, Workshop
from tests.browser.conftest import PHONE, assert_accessible
from tests.browser.test_workshop_journeys import sign_in

FACILITATOR = "mediateur@palabre.example"


def _started_tonight() -> Workshop:
    """A neighbourhood workshop of the demo's facilitator, moved to today and begun a little
    while ago (still today, whatever the hour the test runs)."""
    workshop = (
        Workshop.objects.filter(
            facilitators__email=FACILITATOR,
            status=Status.ANNOUNCED,
            kind=EventKind.WORKSHOP,
            neighbourhood__isnull=False,
        )
        .order_by("starts_at")
        .first()
    )
    assert workshop is not None
    now = timezone.localtime()
    midnight = datetime.combine(now.date(), time.min, tzinfo=now.tzinfo)
    starts_at = now - min(timedelta(minutes=30), (now - midnight) / 2)
    Workshop.objects.filter(pk=workshop.pk).update(
        starts_at=starts_at, ends_at=starts_at + timedelta(hours=2, minutes=30)
    )
    workshop.refresh_from_db()
    return workshop


def _phone(new_page: Callable[..., Page], *, javascript: bool = True) -> Page:
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=javascript)
    sign_in(phone, FACILITATOR)
    return phone


def _fits(page: Page) -> None:
    """Accessible, and no wider than the phone."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    assert_accessible(page)


def test_the_facilitator_runs_the_evening_from_my_workshops_on_a_phone(
    new_page: Callable[..., Page], demo: Any
) -> None:
    workshop = _started_tonight()
    phone = _phone(new_page)

    # From the menu: tonight's workshop on top, with its tools right there.
    phone.get_by_role("link", name="Mes ateliers").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mes ateliers")
    tonight = phone.locator(".card--today").first
    expect(tonight.get_by_role("heading", level=3)).to_have_text(workshop.title)
    first_card = phone.locator(".card").first
    expect(first_card).to_have_class("card card--today")
    expect(tonight.get_by_role("link", name="Noter ce qui se dit")).to_be_visible()
    expect(
        tonight.get_by_role("link", name="Imprimer ce qui s'est passé depuis la dernière fois")
    ).to_be_visible()
    expect(
        tonight.get_by_role("link", name="Télécharger la feuille de présence papier (PDF)")
    ).to_be_visible()
    _fits(phone)

    # Check-in, straight from there.
    tonight.get_by_role("link", name="Accueillir les participants").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Accueil")
    _fits(phone)
    phone.go_back()

    # Once it has started, the facilitator records it as held, after a confirmation.
    phone.locator(".card--today").first.get_by_role("button", name="Enregistrer comme tenu").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Cet atelier a-t-il eu lieu ?")
    _fits(phone)
    phone.get_by_role("button", name="Oui, il a eu lieu").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mes ateliers")
    expect(phone.get_by_text("L'atelier est enregistré comme tenu.")).to_be_visible()
    tonight = phone.locator(".card--today").first
    expect(tonight.get_by_role("button", name="Annuler : pas tenu")).to_be_visible()
    _fits(phone)
    assert Workshop.objects.get(pk=workshop.pk).status == Status.HELD

    # On the bus home: the minutes, written on the phone.
    tonight.get_by_role("link", name="Rédiger le compte rendu").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Rédiger le compte rendu")
    _fits(phone)
    phone.get_by_role("textbox").nth(1).fill("Plus de poubelles près de l'école.")
    phone.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(phone.get_by_text("Brouillon enregistré.")).to_be_visible()
    expect(phone.get_by_text("Plus de poubelles près de l'école.")).to_be_visible()
    _fits(phone)


def test_the_workshop_page_shows_the_tools_before_the_registration_form(
    new_page: Callable[..., Page], demo: Any
) -> None:
    workshop = _started_tonight()
    Workshop.objects.filter(pk=workshop.pk).update(
        starts_at=workshop.starts_at + timedelta(days=1),  # type: ignore[operator]
        ends_at=workshop.ends_at + timedelta(days=1),  # type: ignore[operator]
    )
    phone = _phone(new_page)
    phone.goto(workshop.get_absolute_url())
    tools = phone.get_by_role("heading", name="Outils pour cet atelier")
    check_in = phone.get_by_role("link", name="Accueillir les participants")
    register = phone.get_by_role("heading", name="S'inscrire", exact=True)
    expect(register).to_be_attached()
    tools_box, check_in_box, register_box = (
        tools.bounding_box(),
        check_in.bounding_box(),
        register.bounding_box(),
    )
    assert tools_box is not None
    assert check_in_box is not None
    assert register_box is not None
    assert tools_box["y"] < check_in_box["y"] < register_box["y"]
    # Check-in is within the first screen, not three screens down.
    assert check_in_box["y"] + check_in_box["height"] <= PHONE["height"]
    _fits(phone)


def test_my_workshops_without_javascript(new_page: Callable[..., Page], demo: Any) -> None:
    workshop = _started_tonight()
    phone = _phone(new_page, javascript=False)

    phone.get_by_role("link", name="Mes ateliers").click()
    tonight = phone.locator(".card--today").first
    expect(tonight.get_by_role("heading", level=3)).to_have_text(workshop.title)
    _fits(phone)
    tonight.get_by_role("link", name="Accueillir les participants").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Accueil")
    _fits(phone)
    phone.goto(workshop.get_absolute_url())
    expect(phone.get_by_role("heading", name="Outils pour cet atelier")).to_be_visible()
    _fits(phone)
    phone.get_by_role("button", name="Enregistrer comme tenu").click()
    _fits(phone)
    phone.get_by_role("button", name="Oui, il a eu lieu").click()
    expect(phone.get_by_text("L'atelier est enregistré comme tenu.")).to_be_visible()
    _fits(phone)
    phone.get_by_role("link", name="Rédiger le compte rendu").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Rédiger le compte rendu")
    _fits(phone)
    phone.get_by_role("link", name="Mes ateliers").click()
    expect(phone.locator(".card--today").first).to_contain_text("Tenu")
    _fits(phone)
