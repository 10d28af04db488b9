"""A dialogue with the neighbourhood (issue 15, item 5): the alderwoman asks the neighbourhood a
question from her laptop; a Dutch-speaking resident without an account replies from a 320 px
phone; the mediator types in the replies written on paper; the alderwoman reads them all under
her question."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.official_requests.models import Event, EventKind, Reply, Request
from tests.browser.conftest import PHONE, assert_accessible
from tests.browser.test_workshop_journeys import sign_in

TITLE = "Une salle pour un goûter intergénérationnel"
QUESTION = "Quel samedi du mois vous arrange le mieux ?"
NARROW = {"width": 320, "height": 640}


def _no_wider_than(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_alderwoman_asks_and_reads_replies_given_online_and_on_paper(
    new_page: Callable[..., Page], page: Page, demo: Any
) -> None:
    request = Request.objects.get(title=TITLE)
    sign_in(page, "echevine@palabre.example")
    page.goto(f"/demandes/{request.pk}/")
    page.get_by_label(re.compile(r"^Une question en retour au quartier")).fill(QUESTION)
    page.get_by_role("button", name="Poser la question au quartier").click()
    expect(page.get_by_text("Question publiée : les habitants")).to_be_visible()
    asked = page.get_by_role("region", name="Questions au quartier")
    expect(asked.get_by_text(QUESTION)).to_be_visible()
    expect(asked.get_by_text("0 réponse pour l'instant")).to_be_visible()
    assert_accessible(page)
    question = Event.objects.get(request=request, kind=EventKind.QUESTION)

    # A resident of Salzinnes, no account, Dutch, on a small phone, from the link in the email.
    phone = new_page(viewport=NARROW, is_mobile=True, has_touch=True)
    phone.goto(f"/demandes/{request.pk}/questions/{question.pk}/repondre/")
    phone.get_by_label("Langue", exact=True).select_option("nl")
    phone.get_by_role("button", name="Changer").click()
    expect(phone.get_by_role("heading", name="De vraag beantwoorden")).to_be_visible()
    phone.get_by_role("button", name="Mijn antwoord versturen").click()
    expect(
        phone.get_by_text("Schrijf uw antwoord voordat u het verstuurt.").first
    ).to_be_in_viewport()
    _no_wider_than(phone, NARROW["width"])
    assert_accessible(phone)
    phone.get_by_label(re.compile(r"^Uw antwoord")).fill("De tweede zaterdag, na de markt.")
    phone.get_by_role("button", name="Mijn antwoord versturen").click()
    expect(phone.get_by_text("Bedankt. Uw antwoord staat nu onder de vraag.")).to_be_visible()
    expect(phone.get_by_text("De tweede zaterdag, na de markt.")).to_be_visible()
    expect(phone.get_by_text("1 antwoord tot nu toe")).to_be_visible()
    _no_wider_than(phone, NARROW["width"])
    assert_accessible(phone)

    # The mediator types in what was written on the sheet at the office.
    mediator = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(mediator, "mediateur@palabre.example")
    mediator.goto(f"/demandes/{request.pk}/")
    mediator.get_by_role("link", name="Taper des réponses écrites sur papier").click()
    mediator.get_by_role("button", name="Enregistrer les réponses").click()
    expect(mediator.get_by_text("Tapez au moins une réponse.").first).to_be_in_viewport()
    assert_accessible(mediator)
    mediator.get_by_label(re.compile(r"^Les réponses, telles")).fill(
        "Le premier samedi.\n\nN'importe lequel, mais l'après-midi."
    )
    mediator.get_by_role("button", name="Enregistrer les réponses").click()
    expect(mediator.get_by_text("2 réponses tapées : elles sont sous la question.")).to_be_visible()
    _no_wider_than(mediator, PHONE["width"])
    assert_accessible(mediator)

    page.reload()
    asked = page.get_by_role("region", name="Questions au quartier")
    expect(asked.get_by_text("3 réponses pour l'instant")).to_be_visible()
    expect(asked.get_by_text("De tweede zaterdag, na de markt.")).to_have_attribute("lang", "nl")
    expect(asked.get_by_text("Sur papier", exact=True)).to_have_count(2)
    assert Reply.objects.filter(question=question).count() == 3
    assert_accessible(page)


def test_a_resident_replies_without_javascript_with_the_keyboard(
    page_without_js: Page, demo: Any
) -> None:
    question = Event.objects.get(kind=EventKind.QUESTION)  # the demo's question to Jambes
    page = page_without_js
    page.goto(f"/demandes/{question.request_id}/#question-{question.pk}")
    expect(page.get_by_text("3 réponses pour l'instant")).to_be_visible()
    page.get_by_role("link", name="Répondre à cette question").click()
    page.get_by_label(re.compile(r"^Votre réponse")).fill("Le samedi, avec plaisir.")
    page.get_by_role("button", name="Envoyer ma réponse").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Merci : votre réponse est sous la question")).to_be_visible()
    expect(page.get_by_text("4 réponses pour l'instant")).to_be_visible()
