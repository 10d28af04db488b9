"""Workshop journeys: planning with its flags, registering without an account, the lists."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from palabre.accounts.models import User
from palabre.demo.loader import DEMO_PASSWORD
from palabre.workshops.models import Workshop
from tests.browser.conftest import assert_accessible, expect_error_summary


def sign_in(page: Page, email: str) -> None:
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Vous êtes connecté·e.")).to_be_visible()


def signed_in_phone_in_dutch(new_page: Callable[..., Page], email: str) -> Page:
    """A 320 px phone, signed in as `email`, its pages switched to Dutch."""
    phone = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    sign_in(phone, email)
    phone.get_by_label("Langue", exact=True).select_option("nl")
    phone.get_by_role("button", name="Changer").click()
    return phone


def test_a_coordinator_sees_a_clash_flagged_in_the_planning(page: Page, demo: Any) -> None:
    # The mediator is booked for the round table and, the same evening, for a new workshop.
    round_table = Workshop.objects.get(kind="round_table")
    clash = Workshop.objects.create(
        cycle=round_table.cycle,
        neighbourhood=round_table.venue.neighbourhood,  # type: ignore[union-attr]
        title="Atelier ajouté en double",
        starts_at=round_table.starts_at,
        ends_at=round_table.ends_at,
    )
    clash.facilitators.set([User.objects.get(email="mediateur@palabre.example")])

    sign_in(page, "coordination@palabre.example")
    page.get_by_role("link", name="Ateliers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cycles d'ateliers")
    assert_accessible(page)
    page.get_by_role("link", name="Ateliers 2026–2027").click()
    flags = page.get_by_role("region", name="points à vérifier")
    expect(flags).to_contain_text("Conflit")
    expect(flags).to_contain_text("Julien Lambotte attendu·e dans les deux")
    expect(flags).to_contain_text("Sans lieu")
    expect(page.get_by_role("table")).to_contain_text("Bomel : propreté et espaces partagés")
    assert_accessible(page)

    # Then prints letterbox flyers for the next Bomel workshop.
    page.get_by_role("link", name="Bomel : propreté et espaces partagés").click()
    page.get_by_role("link", name="Imprimer des invitations").click()
    assert_accessible(page)
    page.get_by_label("Canal").fill("Boîtes aux lettres rue de Bomel")
    page.get_by_label("Format").select_option("a4x4")
    page.get_by_label("Exemplaires").fill("200")
    page.get_by_role("button", name="Préparer").click()
    expect(
        page.get_by_text("Invitations prêtes : canal Boîtes aux lettres rue de Bomel")
    ).to_be_visible()
    # 50 sheets are laid out while the coordinator waits (4 s here, 10 s on a loaded CI machine):
    # the download is awaited for longer than a click.
    with page.expect_download(timeout=60_000) as download:
        link = page.get_by_role("link", name="Télécharger les invitations pour Boîtes aux lettres")
        link.click(no_wait_after=True)
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert_accessible(page)


def test_a_resident_registers_without_an_account_on_a_phone(phone_page: Page, demo: Any) -> None:
    page = phone_page
    page.goto("/quartiers/bomel/")
    page.get_by_role("link", name="Bomel : propreté et espaces partagés").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bomel : propreté et espaces partagés"
    )
    expect(page.get_by_text("mardi 8 décembre 2026 à 18 h 30")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Votre prénom ou un pseudonyme").fill("Amina")
    page.get_by_label("Adresse e-mail").fill("not an address")
    page.get_by_role("button", name="S'inscrire").click()
    expect_error_summary(page, "Saisissez une adresse de courriel valide.")
    expect(page.get_by_label("Votre prénom ou un pseudonyme")).to_have_value("Amina")
    assert_accessible(page)
    page.get_by_label("Adresse e-mail").fill("amina@example.org")
    page.get_by_label("J'ai besoin d'une garderie").check()
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_text("Vous êtes inscrit·e. À bientôt !")).to_be_visible()
    expect(page.get_by_text("Inscrit·e", exact=True)).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_text("Votre référence")).to_be_visible()
    own_page = page.url
    # Whoever types the same address later gets no page: the link goes to that address.
    page.go_back()
    page.go_back()
    page.reload()
    page.get_by_label("Votre prénom ou un pseudonyme").fill("Quelqu'un")
    page.get_by_label("Adresse e-mail").fill("amina@example.org")
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_text("Cette adresse est déjà inscrite à cet atelier.")).to_be_visible()
    expect(page.get_by_role("button", name="Annuler mon inscription")).to_have_count(0)
    page.goto(own_page)
    expect(page.get_by_text("garderie")).to_be_visible()  # what she said she needs
    page.get_by_role("button", name="Annuler mon inscription").click()
    # Asked first, with the keyboard on the question: a slip would give her place away.
    expect(page.get_by_role("heading", name="Annuler votre inscription ?")).to_be_focused()
    assert_accessible(page)
    page.get_by_role("link", name="Non, je viens").click()
    expect(page.get_by_text("Inscrit·e", exact=True)).to_be_visible()
    page.get_by_role("button", name="Annuler mon inscription").click()
    page.get_by_role("button", name="Oui, annuler mon inscription").click()
    expect(page.get_by_text("Votre inscription est annulée.")).to_be_visible()
    page.get_by_role("button", name="Se réinscrire").click()
    expect(page.get_by_text("Vous êtes de nouveau inscrit·e. À bientôt !")).to_be_visible()
    expect(page.get_by_text("Inscrit·e", exact=True)).to_be_visible()
    assert_accessible(page)


def test_the_host_partner_sees_who_registered_and_what_they_need(page: Page, demo: Any) -> None:
    sign_in(page, "partenaire@palabre.example")
    page.goto("/quartiers/bomel/")
    page.get_by_role("link", name="Bomel : propreté et espaces partagés").click()
    page.get_by_role("link", name="Voir les inscriptions").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("fatou.diallo@example.org")
    expect(table).to_contain_text("garderie")
    assert_accessible(page)


def test_registering_works_without_javascript(page_without_js: Page, demo: Any) -> None:
    page = page_without_js
    page.goto("/quartiers/salzinnes/")
    page.get_by_role("link", name="Salzinnes : une place pour les jeunes").click()
    page.get_by_label("Votre prénom ou un pseudonyme").fill("Sam")
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_text("Vous êtes inscrit·e. À bientôt !")).to_be_visible()


def test_the_facilitator_checks_people_in_on_a_phone(phone_page: Page, demo: Any) -> None:
    page = phone_page
    sign_in(page, "mediateur@palabre.example")
    page.goto("/quartiers/bomel/")
    page.get_by_role("link", name="Bomel : propreté et espaces partagés").click()
    page.get_by_role("link", name="Accueillir les participants").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accueil")
    assert_accessible(page)
    page.get_by_label("Chercher un nom").fill("fat")
    page.get_by_role("button", name="Chercher").click()
    expect(page.locator(".arrival")).to_have_count(1)
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="Arrivé·e : Fatou").click()
    expect(page.get_by_role("button", name="Annuler l'arrivée de Fatou")).to_be_visible()
    # The line and the figures changed in place (ADR 0065): the page was not reloaded.
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.get_by_role("status").filter(has_text="sans inscription")).to_contain_text(
        "1 personne présente (dont 0 sans inscription)"
    )
    page.get_by_label("Prénom (laissez vide").fill("Karim")
    page.get_by_role("button", name="Ajouter et cocher comme arrivé·e").click()
    expect(page.get_by_text("Compté·e comme présent·e : Karim.")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="sans inscription")).to_contain_text(
        "2 personnes présentes (dont 1 sans inscription)"
    )
    assert_accessible(page)


def test_minutes_are_written_published_and_read_on_the_neighbourhood_page(
    page: Page, demo: Any
) -> None:
    sign_in(page, "mediateur@palabre.example")
    page.goto("/quartiers/jambes/")
    past = page.get_by_role("region", name="Ateliers passés")
    past.get_by_role("link", name="Jambes : accueillir les nouveaux habitants").click()
    page.get_by_role("link", name="Rédiger le compte rendu").click()
    assert_accessible(page)
    page.get_by_label("Comment vivez-vous votre quartier ?").fill(
        "Les nouveaux arrivants ne savent pas à qui s'adresser."
    )
    page.get_by_label("Décisions").fill("Un livret d'accueil préparé avec le comité de quartier.")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("Le compte rendu est publié.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté·e.")).to_be_visible()

    page.goto("/quartiers/jambes/")
    past = page.get_by_role("region", name="Ateliers passés")
    past.get_by_role(
        "link", name="Compte rendu de Jambes : accueillir les nouveaux habitants"
    ).click()
    expect(
        page.get_by_text("Un livret d'accueil préparé avec le comité de quartier.")
    ).to_be_visible()
    assert_accessible(page)


def test_a_visitor_finds_the_round_table_and_its_programme(page: Page, demo: Any) -> None:
    page.goto("/")
    events = page.get_by_role("region", name="Événements à l'échelle de la ville")
    events.get_by_role("link", name="Table ronde").click()
    expect(page.get_by_role("heading", name="Programme")).to_be_visible()
    expect(page.get_by_text("Marie-Claire Gérard")).to_be_visible()
    assert_accessible(page)
