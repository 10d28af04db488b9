"""The coordinator writes the programme of the demo's round table in the front office (issue
14): a session added from the keyboard after a refused end time, another changed and one taken
out on a phone in Dutch; the event's page shows what residents will read."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.workshops.models import Session, Workshop
from tests.browser.conftest import assert_accessible, expect_error_summary
from tests.browser.test_workshop_journeys import sign_in, signed_in_phone_in_dutch

ROUND_TABLE = "Table ronde\u00a0: habitants, élus et services autour du bien vivre ensemble"


def test_the_coordinator_adds_a_session_to_the_round_table(page: Page, demo: Any) -> None:
    event = Workshop.objects.get(title=ROUND_TABLE)
    sign_in(page, "coordination@palabre.example")
    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Programme : séances et intervenant·e·s").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme")
    expect(page.get_by_role("heading", name="3 séances")).to_be_visible()
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Titre de la séance")).fill("Questions de la salle")
    page.get_by_label(re.compile(r"^Début")).fill("20:15")
    page.get_by_label(re.compile(r"^Fin")).fill("20:00")
    speakers = page.get_by_label("Intervenant·e·s, un·e par ligne")
    speakers.fill("Julien Lambotte, médiateur")
    page.get_by_role("button", name="Ajouter au programme").focus()
    page.keyboard.press("Enter")
    expect_error_summary(page, "Une séance doit se terminer après avoir commencé.")
    expect(page.get_by_label(re.compile(r"^Titre de la séance"))).to_have_value(
        "Questions de la salle"
    )
    expect(speakers).to_have_value("Julien Lambotte, médiateur")
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Fin")).fill("20:45")
    page.get_by_role("button", name="Ajouter au programme").click()
    expect(page.get_by_text("« Questions de la salle » est au programme.")).to_be_visible()
    expect(page.get_by_role("heading", name="4 séances")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Retour à la page de l'évènement").click()
    expect(page.get_by_role("heading", name="Questions de la salle")).to_be_visible()


def test_on_a_phone_in_dutch_a_session_is_changed_and_another_taken_out(
    new_page: Callable[..., Page], demo: Any
) -> None:
    event = Workshop.objects.get(title=ROUND_TABLE)
    phone = signed_in_phone_in_dutch(new_page, "coordination@palabre.example")
    phone.goto(f"/ateliers/{event.pk}/programme/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Programma")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)

    first = Session.objects.filter(workshop=event).order_by("starts_at").first()
    assert first is not None
    phone.get_by_role(
        "link", name=re.compile(rf"^Wijzigen\s*: {re.escape(' '.join(first.title.split()))}$")
    ).click()
    phone.get_by_label(re.compile(r"^Zaal")).fill("Grote zaal")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    phone.get_by_role("button", name="Opslaan").click()
    expect(phone.get_by_text(f"“{first.title}” opgeslagen.")).to_be_visible()

    last = Session.objects.filter(workshop=event).order_by("starts_at").last()
    assert last is not None
    phone.get_by_role(
        "button",
        name=re.compile(
            rf"^Van het programma halen\s*: {re.escape(' '.join(last.title.split()))}$"
        ),
    ).click()
    expect(
        phone.get_by_role("heading", name=f"“{last.title}” van het programma halen?")
    ).to_be_focused()
    assert_accessible(phone)
    phone.get_by_role("button", name="Ja, van het programma halen").click()
    expect(phone.get_by_text(f"“{last.title}” is van het programma gehaald.")).to_be_visible()
    expect(phone.get_by_role("heading", name="2 sessies")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert Session.objects.get(pk=first.pk).room == "Grote zaal"
