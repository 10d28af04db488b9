"""Delegation that tells and credits (issue 15, item 2): the mobility alderman passes a request
to the Service Voirie from his phone; the department is told at once, its agent answers from
his inbox, and the public page says the answer is the department's, written by its agent."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.official_requests.models import Request
from palabre.outbox.models import OutgoingMail
from tests.browser.conftest import PHONE, assert_accessible
from tests.browser.test_workshop_journeys import sign_in

TITLE = "Une traversée sûre devant l'école du Centre"


def test_the_alderman_delegates_and_the_department_answers(
    new_page: Callable[..., Page], page: Page, demo: Any
) -> None:
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(phone, "echevin.mobilite@palabre.example")
    phone.get_by_role("link", name="À traiter").click()
    phone.get_by_role("link", name=TITLE).click()
    section = phone.get_by_role("region", name="Réorienter ou déléguer")
    section.get_by_label(re.compile(r"^ou service")).select_option(label="Service Voirie")
    section.get_by_label("Pourquoi (affiché dans la chronologie)").fill("Dossier technique.")
    section.get_by_role("button", name="Réorienter").click()
    expect(phone.get_by_text("Service Voirie").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)
    told = OutgoingMail.objects.get(subject__startswith="Une demande qui vous est transmise")
    assert told.to == ["voirie@ville.example"]
    assert "Dossier technique." in told.body

    sign_in(page, "voirie@palabre.example")
    page.get_by_role("link", name="À traiter").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("combobox", name=re.compile(r"^Réponse")).select_option(label="Acceptée")
    page.get_by_label(re.compile(r"^Réponse écrite")).fill(
        "Un passage pour piétons éclairé sera tracé en avril."
    )
    page.get_by_role("button", name="Publier la réponse").click()
    answer = page.get_by_role("region", name="La réponse")
    expect(answer).to_contain_text("De Service Voirie, rédigée par Thomas Collard")
    assert_accessible(page)

    request = Request.objects.get(title=TITLE)
    phone.goto(f"/demandes/{request.pk}/")
    expect(phone.get_by_role("region", name="La réponse")).to_contain_text(
        "De Service Voirie, rédigée par Thomas Collard"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
