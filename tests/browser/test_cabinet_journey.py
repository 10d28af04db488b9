"""Working the way cabinets work (issue 15, item 6): the coordinator adds a collaborator to the
alderwoman's cabinet; her Dutch-speaking collaborator prepares an answer from a 320 px phone;
the alderwoman approves it from her phone, then lets the collaborator publish in her name."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.accounts.models import Role, User
from palabre.official_requests.models import Request
from tests.browser.conftest import PHONE, assert_accessible
from tests.browser.test_workshop_journeys import sign_in, signed_in_phone_in_dutch

TITLE = "Une salle pour un goûter intergénérationnel"
NARROW = 320


def _no_wider_than(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_coordinator_adds_a_collaborator_to_a_cabinet(page: Page, demo: Any) -> None:
    sign_in(page, "coordination@palabre.example")
    page.goto("/semaine/reglages/")
    page.get_by_role("link", name="Cabinets des élu·es").click()
    cabinet = page.get_by_role("region", name=re.compile("^Marie-Claire Gérard"))
    expect(cabinet.get_by_text("Lotte Vermeulen", exact=True)).to_be_visible()
    cabinet.get_by_label(re.compile(r"^Adresse e-mail du compte")).fill("personne@example.org")
    cabinet.get_by_role("button", name=re.compile("^Ajouter")).click()
    cabinet = page.get_by_role("region", name=re.compile("^Marie-Claire Gérard"))
    expect(cabinet.get_by_text("Aucun compte n'utilise cette adresse.").first).to_be_in_viewport()
    assert_accessible(page)
    cabinet.get_by_label(re.compile(r"^Adresse e-mail du compte")).fill(
        "habitante.jambes@palabre.example"
    )
    cabinet.get_by_role("button", name=re.compile("^Ajouter")).click()
    expect(page.get_by_text("Chantal Lemaire travaille dans le cabinet de")).to_be_visible()
    assert User.objects.get(email="habitante.jambes@palabre.example").role == Role.CABINET
    assert_accessible(page)


def test_the_cabinet_prepares_and_the_alderwoman_publishes(
    new_page: Callable[..., Page], demo: Any
) -> None:
    request = Request.objects.get(title=TITLE)
    collaborator = signed_in_phone_in_dutch(new_page, "cabinet.echevine@palabre.example")
    collaborator.goto("/demandes/portail/")
    collaborator.get_by_role("link", name=TITLE).click()
    answer = collaborator.get_by_role("region", name="Uw antwoord")
    answer.get_by_role("button", name=re.compile("^Voorbereiden voor")).click()
    answer = collaborator.get_by_role("region", name="Uw antwoord")
    expect(answer.get_by_text("Dit veld is verplicht.").first).to_be_in_viewport()
    _no_wider_than(collaborator, NARROW)
    assert_accessible(collaborator)
    answer.get_by_label(re.compile(r"^Antwoord")).select_option("accepted")
    answer.get_by_label(re.compile(r"^Schriftelijk antwoord")).fill(
        "Accordé : la salle des Balances, le deuxième samedi du mois."
    )
    answer.get_by_role("button", name=re.compile("^Voorbereiden voor")).click()
    expect(
        collaborator.get_by_text("Antwoord voorbereid: de verkozene krijgt bericht")
    ).to_be_visible()
    _no_wider_than(collaborator, NARROW)
    assert_accessible(collaborator)

    alderwoman = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(alderwoman, "echevine@palabre.example")
    alderwoman.goto("/demandes/portail/")
    expect(
        alderwoman.get_by_text("Prochaine étape : approuver la réponse préparée par votre cabinet")
    ).to_be_visible()
    alderwoman.get_by_role("link", name=TITLE).click()
    expect(alderwoman.get_by_text("Réponse préparée par Lotte Vermeulen")).to_be_visible()
    assert_accessible(alderwoman)
    alderwoman.get_by_role("button", name="La publier telle quelle").click()
    published = alderwoman.get_by_role("region", name="La réponse")
    expect(published).to_contain_text("le deuxième samedi du mois")
    expect(published).to_contain_text("De Marie-Claire Gérard, rédigée par Lotte Vermeulen")
    _no_wider_than(alderwoman, PHONE["width"])
    assert Request.objects.get(pk=request.pk).answered_by == User.objects.get(
        email="cabinet.echevine@palabre.example"
    )

    alderwoman.goto("/demandes/portail/")
    alderwoman.get_by_role("link", name="Votre cabinet : qui prépare vos réponses").click()
    alderwoman.get_by_role("button", name=re.compile("^Laisser")).click()
    expect(
        alderwoman.get_by_text("Lotte Vermeulen peut publier des réponses en votre nom")
    ).to_be_visible()
    expect(alderwoman.get_by_text("publie les réponses au nom de l'élu·e")).to_be_visible()
    _no_wider_than(alderwoman, PHONE["width"])
    assert_accessible(alderwoman)
