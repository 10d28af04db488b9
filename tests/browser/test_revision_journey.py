"""Answers that are never lost (issue 15, item 4): the mobility alderman moves the date of a
planned answer from his phone and revises the answer on his laptop; every refusal keeps what
he typed and shows why where he is looking; residents read what changed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.official_requests.models import Request
from tests.browser.conftest import PHONE, assert_accessible
from tests.browser.test_workshop_journeys import sign_in

TITLE = "Un éclairage le long du chemin vers la gare"


def test_the_alderman_moves_a_planned_date_then_revises_his_answer(
    new_page: Callable[..., Page], page: Page, demo: Any
) -> None:
    request = Request.objects.get(title=TITLE)
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(phone, "echevin.mobilite@palabre.example")
    phone.goto(f"/demandes/{request.pk}/")
    moving = phone.get_by_role("region", name="Déplacer la date prévue")
    moving.get_by_label(re.compile(r"^Nouvelle date prévue")).fill("2027-06-15")
    moving.get_by_role("button", name="Déplacer la date").focus()
    phone.keyboard.press("Enter")
    moving = phone.get_by_role("region", name="Déplacer la date prévue")
    expect(moving.get_by_text("Dites pourquoi la date change").first).to_be_in_viewport()
    expect(moving.get_by_label(re.compile(r"^Nouvelle date prévue"))).to_have_value("2027-06-15")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)
    moving.get_by_label(re.compile(r"^Pourquoi elle change")).fill(
        "Le fournisseur livre les lampadaires en mai."
    )
    moving.get_by_role("button", name="Déplacer la date").click()
    expect(phone.get_by_text("Date prévue déplacée ;")).to_be_visible()
    expect(phone.get_by_text("Le fournisseur livre les lampadaires en mai.")).to_be_visible()
    assert_accessible(phone)

    sign_in(page, "echevin.mobilite@palabre.example")
    page.goto(f"/demandes/{request.pk}/")
    reply = page.get_by_role("region", name="Votre réponse")
    # The planned date is there to revise, as moved from the phone.
    expect(reply.get_by_label(re.compile(r"^Prévu pour"))).to_have_value("2027-06-15")
    typed = "Les deux lampadaires sont commandés ; pose prévue en juin, avec un banc."
    reply.get_by_label(re.compile(r"^Réponse écrite")).fill(typed)
    reply.get_by_role("button", name="Publier la réponse revue").click()
    reply = page.get_by_role("region", name="Votre réponse")
    expect(reply.get_by_text("Dites en quelques mots ce qui change")).to_be_in_viewport()
    expect(reply.get_by_label(re.compile(r"^Réponse écrite"))).to_have_value(typed)
    assert_accessible(page)
    reply.get_by_label(re.compile(r"^Ce qui change")).fill("Un banc s'ajoute.")
    reply.get_by_role("button", name="Publier la réponse revue").click()
    expect(page.get_by_text("Réponse revue : Un banc s'ajoute.")).to_be_visible()
    expect(page.get_by_role("region", name="La réponse")).to_contain_text(typed)
