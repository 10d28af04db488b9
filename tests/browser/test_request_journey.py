"""Issue 5: a request drafted from two contributions, answered, then seen by residents."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.contributions import actions as contribution_actions
from palabre.contributions.models import Board
from palabre.core.testing import pdf_text, sent_mail
from palabre.official_requests.models import Request, Status
from tests.browser.conftest import assert_accessible
from tests.browser.test_workshop_journeys import sign_in

SAID = [
    "Les camionnettes roulent trop vite rue Saint-Nicolas, devant l'école.",
    "Devant l'école rue Saint-Nicolas, il faudrait un ralentisseur, les camionnettes foncent.",
]


def test_a_request_goes_from_two_contributions_to_an_answer_residents_see(
    page: Page, new_page: Callable[..., Page], demo: Any
) -> None:
    board = Board.objects.select_related("neighbourhood").get(neighbourhood__slug="jambes")
    said = [
        contribution_actions.post_on_board(
            by=None, board=board, text=text, key=f"journey-{n:016d}", email=f"voisin{n}@example.org"
        ).contribution
        for n, text in enumerate(SAID)
    ]

    sign_in(page, "coordination@palabre.example")
    page.goto("/parole/recherche/?q=camionnettes")
    for contribution in said:
        page.locator(f"#pick-{contribution.pk}").check()
    page.get_by_role(
        "button", name="Préparer une demande à partir des contributions cochées"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Préparer une demande aux élu·es")
    assert_accessible(page)
    page.get_by_label("Titre").fill("Un ralentisseur rue Saint-Nicolas")
    page.get_by_label("Ce qui est demandé").fill("Poser un ralentisseur devant l'école.")
    page.get_by_role("button", name="Préparer la demande").click()
    expect(page.get_by_role("status")).to_contain_text("Demande préparée")
    assert_accessible(page)  # the draft, with its send form and suggestions
    page.get_by_label("Élu·e").select_option(label="Olivier Piette")
    page.get_by_role("button", name="Envoyer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("les délais courent")
    assert_accessible(page)

    official = new_page()
    sign_in(official, "echevin.mobilite@palabre.example")
    official.get_by_role("link", name="À traiter").click()
    assert_accessible(official)
    official.get_by_role("link", name="Un ralentisseur rue Saint-Nicolas").click()
    official.get_by_role("button", name="Accuser réception").click()
    expect(official.get_by_role("status")).to_contain_text("Réception confirmée")
    official.get_by_role("combobox", name=re.compile(r"^Réponse")).select_option(label="Prévu")
    official.get_by_label("Réponse écrite").fill("Un ralentisseur sera posé pendant les vacances.")
    official.get_by_label("Prévu pour").fill("2027-07-15")
    official.get_by_role("button", name="Publier la réponse").click()
    expect(official.get_by_role("status")).to_contain_text("Réponse publiée")
    assert_accessible(official)

    item = Request.objects.get(title="Un ralentisseur rue Saint-Nicolas")
    assert item.status == Status.ANSWERED
    assert {c.pk for c in item.contributions.all()} == {c.pk for c in said}

    resident = new_page()
    resident.goto(f"/parole/{said[0].pk}/")
    expect(resident.get_by_text("Un ralentisseur sera posé pendant les vacances.")).to_be_visible()
    expect(resident.get_by_role("link", name="Un ralentisseur rue Saint-Nicolas")).to_be_visible()
    assert_accessible(resident)
    # Whoever spoke and gave an address is told; the answer is in the email.
    told = [m for m in sent_mail() if "Un ralentisseur sera posé" in m.body]
    assert sorted(m.to[0] for m in told) == ["voisin0@example.org", "voisin1@example.org"]

    # The facilitator prints what happened since last time for the next workshop in Jambes.
    page.goto("/demandes/?quartier=jambes")
    with page.expect_download() as download:
        page.get_by_role("link", name="Imprimer ce qui s'est passé").click()
    text = pdf_text(download.value.path().read_bytes())
    assert "Un ralentisseur rue Saint-Nicolas" in text
    assert "Un ralentisseur sera posé pendant les vacances." in text


def test_the_public_tracker_and_the_figures_are_readable(page: Page, demo: Any) -> None:
    page.goto("/")
    page.get_by_role("link", name="Demandes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demandes aux élu·es")
    # The demo has overdue ones (in the table: the deadline filter has a hidden "En retard").
    expect(page.locator("table").get_by_text("en retard").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Quartier").select_option(label="Bomel")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("link", name="Imprimer ce qui s'est passé")).to_be_visible()
    page.get_by_role("link", name="les chiffres").click()
    expect(
        page.get_by_role("img", name=re.compile(r"^Demandes tranchées dans les délais"))
    ).to_be_visible()
    assert_accessible(page)


def test_an_official_answers_without_javascript(page_without_js: Page, demo: Any) -> None:
    page = page_without_js
    sign_in(page, "echevin.mobilite@palabre.example")
    page.goto("/demandes/portail/")
    page.get_by_role("link", name="Une traversée sûre devant l'école du Centre").click()
    page.get_by_role("button", name="Accuser réception").click()
    expect(page.get_by_role("status")).to_contain_text("Réception confirmée")
    page.get_by_role("combobox", name=re.compile(r"^Réponse")).select_option(label="À l'étude")
    page.get_by_label("Réponse écrite").fill("Le service Voirie mesure le trafic en janvier.")
    page.get_by_role("button", name="Publier la réponse").click()
    expect(page.get_by_role("status")).to_contain_text("Réponse publiée")
    expect(page.locator(".history")).to_contain_text("Le service Voirie mesure le trafic")
