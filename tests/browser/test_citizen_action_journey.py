"""Issue 6, the whole journey: a facilitator turns a contribution into a street party from the
shipped playbook -> two residents sign up (one without an account) and take tasks -> the road
closure reaches the department's inbox -> tasks done -> reported with photos -> the showcase."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from palabre.accounts.models import Role
from palabre.accounts.tests.factories import make_user
from palabre.contributions.tests.factories import make_post
from palabre.core.testing import build_world, jpeg_with_gps
from palabre.initiatives.models import Initiative, InitiativePhoto, Status
from palabre.initiatives.shipped import install_shipped_playbooks
from palabre.official_requests.models import Request
from palabre.official_requests.tests.factories import make_department
from tests.browser.conftest import assert_accessible

PERMIT = "Demander l'autorisation d'occuper la voie publique et de fermer la rue"
LEAFLET = "Distribuer un toutes-boîtes à tous les habitants de la rue"
PASSWORD = "un-long-secret"


def sign_in(page: Page, email: str) -> None:
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_from_a_contribution_to_a_street_party_in_the_showcase(
    page: Page,
    new_page: Callable[..., Page],
    page_without_js: Page,
    transactional_db: Any,
    tmp_path: Path,
) -> None:
    world = build_world()
    install_shipped_playbooks(world.person("coordinator"))
    voirie = make_department(world)
    agent = make_user(role=Role.OFFICIAL, email="voirie@example.org", password=PASSWORD)
    voirie.members.add(agent)
    idea = make_post(world.home, "Et si on fermait la rue du Travail pour une fête en mai ?")
    make_user(role=Role.FACILITATOR, email="animatrice@example.org", password=PASSWORD)
    make_user(email="youssef@example.org", display_name="Youssef", password=PASSWORD)

    # The facilitator starts the action from what was said, with the street-party playbook.
    sign_in(page, "animatrice@example.org")
    page.goto(f"/parole/{idea.pk}/")
    page.get_by_role("link", name="Lancer une action citoyenne à partir de celle-ci").click()
    page.get_by_label("Guide pratique").select_option(label="Fête de rue")
    page.get_by_label("Titre").fill("Fête de la rue du Travail")
    page.get_by_label("Date").fill("2027-05-22")
    page.get_by_role("button", name="La lancer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fête de la rue du Travail")
    initiative = Initiative.objects.get()
    expect(page.get_by_text("10 avril 2027")).to_be_visible()  # the road closure, 6 weeks ahead

    # A resident with an account signs up and takes the permit; another, without an account
    # (and without JavaScript), takes the leaflet.
    youssef = new_page()
    sign_in(youssef, "youssef@example.org")
    youssef.goto(f"/actions/{initiative.pk}/")
    youssef.get_by_role("button", name="J'en suis").click()
    youssef.get_by_role("button", name=f"Je m'en charge : {PERMIT}").click()
    expect(youssef.get_by_role("status")).to_contain_text("La tâche est à vous")
    youssefs_tasks = youssef.url

    rosa = page_without_js
    rosa.goto(f"/actions/{initiative.pk}/")
    rosa.get_by_label("Prénom").fill("Rosa")
    rosa.get_by_label("E-mail").fill("rosa@example.org")
    rosa.get_by_role("button", name="J'en suis").click()
    rosa.get_by_role("button", name=f"Je m'en charge : {LEAFLET}").click()
    expect(rosa.get_by_text("La tâche est à vous")).to_be_visible()

    # The facilitator makes Youssef a lead from the action's page for its leads.
    page.goto(f"/actions/{initiative.pk}/")
    page.get_by_role("link", name="Gérer cette action").click()
    assert_accessible(page)
    page.get_by_role("button", name="Nommer responsable : Youssef").click()
    expect(page.get_by_role("status")).to_contain_text("Youssef")

    # Youssef, now a lead, asks the city for the road closure: it goes to the department.
    youssef.goto(f"/actions/{initiative.pk}/gerer/")
    form = youssef.locator("form", has=youssef.get_by_role("heading", name=PERMIT))
    expect(form.get_by_label("Service de la Ville")).to_have_value(str(voirie.pk))
    form.get_by_label("Ce que vous demandez").fill(
        "Fermer la rue du Travail entre les n° 2 et 40, le samedi 22 mai 2027 de 12 à 23 h."
    )
    form.get_by_role("button", name="Envoyer au service").click()
    expect(youssef.get_by_role("status")).to_contain_text("Service Voirie")
    assert_accessible(youssef)

    official = new_page()
    sign_in(official, "voirie@example.org")
    official.goto("/demandes/portail/")
    expect(
        official.get_by_role("link", name=f"{PERMIT} — Fête de la rue du Travail")
    ).to_be_visible()
    assert Request.objects.get().initiative == initiative

    # Tasks done, each by its owner.
    rosa.get_by_role("button", name=f"C'est fait : {LEAFLET}").click()
    expect(rosa.get_by_text("Bravo")).to_be_visible()
    youssef.goto(youssefs_tasks)
    youssef.get_by_role("button", name=f"C'est fait : {PERMIT}").click()
    expect(youssef.get_by_role("status")).to_contain_text("Bravo")

    # The party happens; the lead adds a photo (people shown, consent recorded) and reports.
    youssef.goto(f"/actions/{initiative.pk}/gerer/")
    for status in ("En préparation", "En cours"):
        youssef.get_by_label("Nouveau statut").select_option(label=status)
        youssef.get_by_role("button", name="Changer le statut").click()
    photo = tmp_path / "fete.jpg"
    photo.write_bytes(jpeg_with_gps())
    youssef.get_by_label("Photo (obligatoire)", exact=True).set_input_files(str(photo))
    youssef.get_by_label("Ce qu'elle montre").fill("Les voisins attablés au milieu de la rue")
    youssef.get_by_label("On peut y reconnaître des personnes").check()
    youssef.get_by_label("Comment elles ont donné leur accord").fill(
        "Formulaire de consentement signé le jour même"
    )
    youssef.get_by_role("button", name="Ajouter la photo").click()
    expect(youssef.get_by_role("status")).to_contain_text("photo")
    youssef.get_by_label("Ce qui s'est passé").fill("Quatre-vingts voisins, des crêpes, du soleil.")
    youssef.get_by_role("button", name="Publier le compte rendu").click()
    youssef.get_by_label("Nouveau statut").select_option(label="Réalisée")
    youssef.get_by_role("button", name="Changer le statut").click()
    initiative.refresh_from_db()
    assert initiative.status == Status.DONE
    assert InitiativePhoto.objects.get().consent == "Formulaire de consentement signé le jour même"

    # The neighbourhood's showcase tells the story, from the idea to the result.
    showcase = new_page()
    showcase.goto("/quartiers/bomel/")
    showcase.get_by_role("link", name="Actions citoyennes à Bomel").click()
    done = showcase.locator("section", has=showcase.get_by_role("heading", name="Réalisées"))
    expect(done.get_by_role("link", name="Fête de la rue du Travail")).to_be_visible()
    expect(done.get_by_role("img", name="Les voisins attablés au milieu de la rue")).to_be_visible()
    expect(done.get_by_text("fermait la rue du Travail")).to_be_visible()
    expect(done.get_by_text("Quatre-vingts voisins")).to_be_visible()
    assert_accessible(showcase)
    done.get_by_role("link", name="Fête de la rue du Travail").click()
    expect(showcase.get_by_role("heading", name="Comment ça s'est passé")).to_be_visible()
    assert_accessible(showcase)
    showcase.get_by_role("link", name="Actions citoyennes", exact=True).click()  # every place
    expect(showcase.get_by_role("link", name="Fête de la rue du Travail")).to_be_visible()
    assert_accessible(showcase)
