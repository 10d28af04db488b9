"""Issue 4: residents post online, moderators mask and hide, authors see why."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Page, expect

from palabre.contributions.models import Contribution, Status
from tests.browser.conftest import assert_accessible
from tests.browser.test_workshop_journeys import sign_in

PHONE_POST = "Pour le vide-grenier, appelez Marie au 0470 98 76 54, elle garde les tables."
INSULT = "Le concierge de la tour est un incapable et un voleur."


def test_a_resident_posts_online_without_an_account(page: Page, demo: Any) -> None:
    page.goto("/quartiers/jambes/")
    page.get_by_role("link", name="Ce que disent les habitants de Jambes").click()
    assert_accessible(page)
    page.get_by_label("Votre contribution").fill("Un banc à l'ombre près de l'arrêt du bus 4.")
    page.get_by_label("Pseudo (facultatif)").fill("Nouvelle voisine")
    page.get_by_role("button", name="Publier").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("votre contribution est publiée")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contribution")
    assert "/parole/suivi/" in page.url
    assert_accessible(page)
    page.get_by_role("link", name="Ce que disent les habitants").click()
    expect(page.get_by_text("Un banc à l'ombre près de l'arrêt du bus 4.")).to_be_visible()
    page.get_by_label(re.compile(r"^Chercher ce qui a été dit à ")).fill("bancs ombre")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_role("status")).to_contain_text("trouvée")
    expect(page.get_by_text("Un banc à l'ombre près de l'arrêt du bus 4.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"uniquement\."))).to_be_visible()  # that board's only
    assert_accessible(page)


def test_a_moderator_confirms_a_masked_phone_and_hides_an_insult(
    page: Page, new_page: Callable[..., Page], demo: Any
) -> None:
    page.goto("/parole/quartier/bomel/")
    page.get_by_label("Votre contribution").fill(PHONE_POST)
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("status")).to_contain_text("une personne de la modération")
    expect(page.get_by_text("[numéro de téléphone retiré]")).to_be_visible()
    page.goto("/parole/quartier/bomel/")
    page.get_by_label("Votre contribution").fill(INSULT)
    page.get_by_role("button", name="Publier").click()
    follow_insult = page.url

    sign_in(page, "coordination@palabre.example")
    page.get_by_role("link", name="Modération").click()
    assert_accessible(page)
    page.get_by_role("link", name="Pour le vide-grenier").click()
    assert_accessible(page)
    page.get_by_role("button", name="Garder masqué : 0470 98 76 54").click()
    expect(page.get_by_text("masqué, confirmé")).to_be_visible()
    page.get_by_role("button", name="Publier", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Publiée")
    page.get_by_role("link", name="Modération").first.click()
    page.get_by_role("link", name="Le concierge de la tour").click()
    page.get_by_label("Raison").select_option(label="Insulte ou attaque personnelle")
    page.get_by_label("Explication pour l'auteur").fill("Critiquez le service, pas la personne.")
    page.get_by_role("button", name="Masquer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Masquée")
    expect(page.locator(".history")).to_contain_text("Insulte ou attaque personnelle")

    published = Contribution.objects.get(text=PHONE_POST)
    assert published.status == Status.PUBLISHED
    assert "0470" not in published.public_text
    assert Contribution.objects.get(text=INSULT).status == Status.HIDDEN

    # The author, without an account, keeps the private link and sees why.
    theirs = new_page()
    theirs.goto(follow_insult)
    expect(theirs.get_by_text("Insulte ou attaque personnelle")).to_be_visible()
    expect(theirs.get_by_text("Critiquez le service, pas la personne.")).to_be_visible()
    assert_accessible(theirs)
    theirs.get_by_label("Pourquoi devrait-elle être publiée ?").fill(
        "Je reformule : le concierge ne répond jamais aux appels."
    )
    theirs.get_by_role("button", name="Demander sa publication").click()
    expect(theirs.get_by_text("En attente d'une décision")).to_be_visible()


def test_the_board_and_search_work_without_javascript(page_without_js: Page, demo: Any) -> None:
    page = page_without_js
    page.goto("/parole/quartier/jambes/")
    page.get_by_label("Votre contribution").fill("Des cours de français pour adultes le soir.")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contribution")
    page.goto("/parole/recherche/?q=cours+francais")
    expect(page.get_by_text("Des cours de français pour adultes le soir.")).to_be_visible()


def test_the_synthesis_shows_ranked_themes_with_quotes(page: Page, demo: Any) -> None:
    page.goto("/quartiers/bomel/")
    page.get_by_role("link", name="Ce que disent les habitants de Bomel").click()
    page.get_by_role("link", name="Lire la synthèse par thème").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bomel")
    expect(page.get_by_role("heading", name="Thèmes, les plus abordés d'abord")).to_be_visible()
    chart = page.get_by_role("img", name="Thèmes, par nombre de contributions")
    expect(chart).to_be_visible()
    counts = [int(n) for n in page.locator(".chart__table td").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] > 0
    first_theme = page.locator("#themes-title ~ h3").first
    expect(first_theme.locator("xpath=following-sibling::ul[1]/li")).not_to_have_count(0)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le rapport (PDF)").click()
    assert download.value.suggested_filename == "synthese-bomel.pdf"


def test_staff_transcribe_a_paper_board_with_its_photo(
    page: Page, new_page: Callable[..., Page], demo: Any, tmp_path: Path
) -> None:
    photo = tmp_path / "tableau.jpg"
    Image.new("RGB", (64, 48), "yellow").save(photo, format="JPEG")
    sign_in(page, "mediateur@palabre.example")
    page.goto("/parole/transcrire/")
    assert_accessible(page)
    page.get_by_label("Quartier").select_option(label="Salzinnes")
    page.get_by_label("Photo du panneau").set_input_files(str(photo))
    page.get_by_label("Ce que montre la photo").fill("Le panneau jaune de la fête des Balances")
    page.get_by_label("Contributions, une par paragraphe").fill(
        "Un banc devant la boulangerie.\n\nPlus de fleurs sur la place.\n\nUn concert en juin."
    )
    page.get_by_role("button", name="Enregistrer les contributions").click()
    expect(page.get_by_role("status")).to_contain_text("3 contributions transcrites")
    saved = Contribution.objects.filter(text="Plus de fleurs sur la place.").get()
    assert saved.photo is not None
    assert saved.source == "paper"

    # Handwriting cannot be masked: the service blurs what must not be read, then publishes.
    moderator = new_page()
    sign_in(moderator, "coordination@palabre.example")
    moderator.goto(f"/parole/{saved.pk}/moderer/")
    expect(moderator.get_by_text("Privée : seuls les médiateurs et le service")).to_be_visible()
    assert_accessible(moderator)
    for label, value in [("bord gauche", "10"), ("bord du haut", "10"), ("Largeur", "30")]:
        moderator.get_by_label(label).fill(value)
    moderator.get_by_label("Hauteur").fill("20")
    moderator.get_by_role("button", name="Flouter cette zone").click()
    expect(moderator.get_by_role("status")).to_contain_text("La zone est floutée.")
    moderator.get_by_role("button", name="Publier", exact=True).click()
    moderator.get_by_role("button", name="Publier la photo").click()
    expect(moderator.get_by_role("status")).to_contain_text("La photo est publiée.")
    assert_accessible(moderator)
    visitor = new_page()
    visitor.goto(f"/parole/{saved.pk}/")
    expect(
        visitor.get_by_role("img", name="Le panneau jaune de la fête des Balances")
    ).to_be_visible()


def test_the_workshop_and_cycle_syntheses_are_accessible(page: Page, demo: Any) -> None:
    from palabre.workshops.models import Workshop

    held = Workshop.objects.filter(status="reported", neighbourhood__slug="bomel").get()
    page.goto(f"/ateliers/{held.pk}/")
    page.get_by_role("link", name="Synthèse de ce que disent les habitant·es").click()
    expect(page.get_by_role("heading", name="Thèmes, les plus abordés d'abord")).to_be_visible()
    assert_accessible(page)
    page.goto("/parole/synthese/cycle/2026-2027/")
    expect(page.get_by_role("heading", name="Ce qui différencie les ateliers")).to_be_visible()
    assert_accessible(page)
