"""Issue 18: a resident votes on a phone with the code on their letter, with and without
JavaScript, and changes their ballot; the coordinator freezes the rules, closes the vote and
publishes the results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.budgets import actions
from palabre.budgets.models import Ballot, Process
from palabre.budgets.tests.factories import PROJECTS, envelope_of, make_process, make_voter
from palabre.core.testing import World, build_world
from tests.browser.conftest import PageErrors, assert_accessible, expect_error_summary

PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
    assert_accessible(page)


def _letter(world: World, process: Process) -> str:
    batch = actions.make_codes(
        by=world.person("coordinator"), process=process, label="Lettres Bomel", count=1
    )
    code = batch.codes.get().code
    return f"{code[:4]} {code[4:8]} {code[8:]}"


def _vote_with_code(phone: Page, process: Process, code: str) -> None:
    phone.goto(f"/budget-participatif/{process.slug}/")
    _fits(phone)
    phone.get_by_role("link", name="Voter avec le code de ma lettre").click()
    _fits(phone)
    phone.get_by_label("Code de vote (sur votre lettre)").fill(code)
    phone.get_by_role("button", name="Continuer").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Vos bulletins")
    _fits(phone)
    phone.get_by_role("link", name="Voter — Bomel").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Votre bulletin — Bomel")
    expect(phone.get_by_text("Qui peut voter : toute personne de 16 ans ou plus")).to_be_visible()


def _refusals_expected(page_errors: PageErrors, world: World, process: Process) -> None:
    # A refused ballot answers 400 (the browser logs it): expected in these journeys.
    page_errors.allow_error_status(f"/bulletin/{envelope_of(process, world).pk}/")


def test_a_resident_votes_on_a_phone_and_changes_their_ballot(
    new_page: Callable[..., Page], page_errors: PageErrors, transactional_db: Any
) -> None:
    world = build_world()
    process = make_process(world)
    _refusals_expected(page_errors, world, process)
    phone = new_page(**PHONE)
    _vote_with_code(phone, process, _letter(world, process))
    bar = phone.locator("[data-budget-text]")
    expect(bar).to_have_text("0 € choisis sur 10 000 €, il reste 10 000 €.")
    _fits(phone)

    # The bar follows the ticks, and warns before anything is sent.
    for title, _ in PROJECTS:
        phone.get_by_label(title).check()
    expect(bar).to_have_text(
        "12 000 € choisis : 2 000 € de plus que les 10 000 € de cette enveloppe. Retirez un projet."
    )
    # Sent anyway: the server refuses it the same way, the ticks kept, the error in view.
    phone.get_by_role("button", name="Vérifier mes choix").click()
    expect_error_summary(phone, "Vos choix coûtent 12 000 €, plus que les 10 000 €")
    expect(phone.get_by_label(PROJECTS[2][0])).to_be_checked()
    _fits(phone)
    phone.get_by_label(PROJECTS[1][0]).uncheck()
    expect(bar).to_have_text("7 000 € choisis sur 10 000 €, il reste 3 000 €.")
    phone.get_by_role("button", name="Vérifier mes choix").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Vérifiez vos choix — Bomel")
    expect(
        phone.get_by_text("Total : 7 000 € sur les 10 000 € de cette enveloppe.")
    ).to_be_visible()
    _fits(phone)
    phone.get_by_role("button", name="Envoyer mon bulletin").click()
    expect(phone.get_by_role("status")).to_contain_text("Merci : votre bulletin est compté.")
    receipt = Ballot.objects.get().receipt
    expect(phone.get_by_text(receipt)).to_be_visible()
    _fits(phone)

    # Changing it: the ballot comes back ticked, the new one replaces it.
    phone.get_by_role("link", name="Modifier mon bulletin — Bomel").click()
    expect(phone.get_by_label(PROJECTS[0][0])).to_be_checked()
    phone.get_by_label(PROJECTS[0][0]).uncheck()
    phone.get_by_label(PROJECTS[2][0]).uncheck()
    phone.get_by_label(PROJECTS[1][0]).check()
    phone.get_by_role("button", name="Vérifier mes choix").click()
    phone.get_by_role("button", name="Envoyer mon bulletin").click()
    expect(phone.get_by_role("status")).to_contain_text("seul celui-ci compte")
    ballot = Ballot.objects.get()
    assert (ballot.receipt, ballot.revision) == (receipt, 2)

    # The receipt shows what counts.
    phone.goto(f"/budget-participatif/{process.slug}/recu/")
    phone.get_by_label("Code de reçu").fill(receipt.lower())
    phone.get_by_role("button", name="Vérifier").click()
    expect(phone.get_by_role("heading", name="Votre bulletin est compté")).to_be_visible()
    expect(phone.get_by_text(PROJECTS[1][0])).to_be_visible()
    _fits(phone)


def test_a_resident_votes_without_javascript_the_server_adds_it_up(
    new_page: Callable[..., Page], page_errors: PageErrors, transactional_db: Any
) -> None:
    world = build_world()
    process = make_process(world)
    _refusals_expected(page_errors, world, process)
    phone = new_page(**PHONE, java_script_enabled=False)
    _vote_with_code(phone, process, _letter(world, process))
    for title, _ in PROJECTS:
        phone.get_by_label(title).check()
    phone.get_by_role("button", name="Vérifier mes choix").click()
    expect_error_summary(phone, "Vos choix coûtent 12 000 €, plus que les 10 000 €")
    expect(phone.locator("[data-budget-text]")).to_have_text(
        "12 000 € choisis : 2 000 € de plus que les 10 000 € de cette enveloppe. Retirez un projet."
    )
    _fits(phone)
    phone.get_by_label(PROJECTS[0][0]).uncheck()
    phone.get_by_role("button", name="Vérifier mes choix").click()
    expect(
        phone.get_by_text("Total : 9 000 € sur les 10 000 € de cette enveloppe.")
    ).to_be_visible()
    phone.get_by_role("button", name="Modifier mes choix").click()
    expect(phone.get_by_label(PROJECTS[1][0])).to_be_checked()
    expect(phone.get_by_label(PROJECTS[0][0])).not_to_be_checked()
    expect(phone.locator("[data-budget-text]")).to_have_text(
        "9 000 € choisis sur 10 000 €, il reste 1 000 €."
    )
    phone.get_by_role("button", name="Vérifier mes choix").click()
    phone.get_by_role("button", name="Envoyer mon bulletin").click()
    expect(phone.get_by_text("Merci : votre bulletin est compté.")).to_be_visible()
    assert sorted(Ballot.objects.get().project_ids) == sorted(
        envelope_of(process, world)
        .projects.exclude(title=PROJECTS[0][0])
        .values_list("pk", flat=True)
    )


def test_the_coordinator_freezes_the_rules_closes_the_vote_and_publishes_the_results(
    page: Page, transactional_db: Any
) -> None:
    world = build_world()
    coordinator = world.person("coordinator")
    coordinator.set_password("un mot de passe assez long")
    coordinator.save()
    process = make_process(world, frozen=False)
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(coordinator.email)
    page.get_by_label("Mot de passe").fill("un mot de passe assez long")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"/budget-participatif/{process.slug}/")
    page.get_by_role("link", name="Piloter ce budget").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Piloter le budget")
    assert_accessible(page)
    page.get_by_label("Règle de dépouillement").select_option("mes-add1")
    page.get_by_role("button", name="Enregistrer les règles").click()
    expect(page.get_by_role("status")).to_contain_text("Les règles sont enregistrées.")
    page.get_by_role("button", name="Figer les règles").click()
    expect(page.get_by_role("status")).to_contain_text("Les règles sont figées")
    expect(page.get_by_role("button", name="Enregistrer les règles")).to_have_count(0)
    assert_accessible(page)

    # Residents vote (through the actions: the journeys above cover their pages).
    frozen = Process.objects.get(pk=process.pk)
    bomel = envelope_of(frozen, world)
    ids = {title: pk for pk, title in bomel.projects.values_list("pk", "title")}
    camps = [[PROJECTS[0][0], PROJECTS[2][0]]] * 3 + [[PROJECTS[1][0]]] * 2
    for titles in camps:
        actions.cast_ballot(
            voter=make_voter(world, frozen),
            envelope=bomel,
            project_ids=[ids[title] for title in titles],
        )
    page.reload()
    expect(page.get_by_role("row", name="Bomel 10 000 € 5")).to_be_visible()
    page.get_by_role("button", name="Clôturer le vote maintenant").click()
    expect(page.get_by_role("status")).to_contain_text("Le vote est clôturé.")
    page.get_by_role("button", name="Dépouiller et publier les résultats").click()
    expect(page.get_by_role("status")).to_contain_text("Les résultats sont publiés.")
    assert_accessible(page)
    page.get_by_role("link", name="Résultats — Bomel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bomel — 10 000 €")
    funded = page.locator("[data-project-id]")
    expect(funded).to_have_count(2)
    assert funded.evaluate_all("items => items.map(i => i.dataset.projectId)") == [
        str(ids[PROJECTS[0][0]]),
        str(ids[PROJECTS[2][0]]),
    ]
    expect(page.get_by_role("link", name="les bulletins (fichier .pb)")).to_have_attribute(
        "href", f"/budget-participatif/{process.slug}/resultats/{bomel.pk}/bulletins.pb"
    )
    assert_accessible(page)


def test_a_resident_without_a_letter_gets_a_code_by_email_and_votes(
    new_page: Callable[..., Page], transactional_db: Any
) -> None:
    import re

    from palabre.core.testing import sent_mail

    world = build_world()
    process = make_process(world)
    phone = new_page(**PHONE)
    phone.goto(f"/budget-participatif/{process.slug}/")
    phone.get_by_role("link", name="Pas de lettre : recevoir un code par e-mail").click()
    _fits(phone)
    phone.get_by_label("Adresse e-mail ou numéro de GSM").fill("rosa@example.org")
    phone.get_by_role("button", name="M'envoyer un code").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Tapez votre code")
    _fits(phone)
    code = re.search(r"\b(\d{6})\b", str(sent_mail()[-1].body))
    assert code is not None
    phone.get_by_label("Code reçu (6 chiffres)").fill(code.group(1))
    phone.get_by_role("button", name="Continuer").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Vos bulletins")
    phone.get_by_role("link", name="Voter — Toute la ville").click()
    phone.get_by_label("Fontaines à eau").check()
    phone.get_by_role("button", name="Vérifier mes choix").click()
    phone.get_by_role("button", name="Envoyer mon bulletin").click()
    expect(phone.get_by_role("status")).to_contain_text("Merci : votre bulletin est compté.")
    assert Ballot.objects.get().channel == "email"


def test_a_points_ballot_and_a_ranking_on_a_phone(
    new_page: Callable[..., Page], page_errors: PageErrors, transactional_db: Any
) -> None:
    world = build_world()
    points = make_process(world, ballot_type="cumulative", points=5)
    _refusals_expected(page_errors, world, points)
    phone = new_page(**PHONE)
    _vote_with_code(phone, points, _letter(world, points))
    bar = phone.locator("[data-budget-text]")
    expect(bar).to_have_text("0 points donnés sur 5, il en reste 5.")
    phone.get_by_label(PROJECTS[0][0]).fill("4")
    phone.get_by_label(PROJECTS[1][0]).fill("2")
    expect(bar).to_have_text("6 points donnés : vous en avez 5. Reprenez-en.")
    _fits(phone)
    phone.get_by_label(PROJECTS[1][0]).fill("1")
    phone.get_by_role("button", name="Vérifier mes choix").click()
    expect(phone.get_by_text("5 de vos 5 points donnés.")).to_be_visible()
    _fits(phone)
    phone.get_by_role("button", name="Envoyer mon bulletin").click()
    expect(phone.get_by_role("status")).to_contain_text("Merci : votre bulletin est compté.")

    ranking = make_process(world, slug="budget-2028", ballot_type="ranking", max_choices=2)
    plain = new_page(**PHONE, java_script_enabled=False)
    _vote_with_code(plain, ranking, _letter(world, ranking))
    plain.get_by_label(PROJECTS[2][0]).select_option("1")
    plain.get_by_label(PROJECTS[0][0]).select_option("2")
    plain.get_by_role("button", name="Vérifier mes choix").click()
    expect(plain.locator("ol.plain-list li")).to_have_text(
        [f"{PROJECTS[2][0]} — 4 000 €", f"{PROJECTS[0][0]} — 3 000 €"]
    )
    _fits(plain)
    plain.get_by_role("button", name="Envoyer mon bulletin").click()
    expect(plain.get_by_text("Merci : votre bulletin est compté.")).to_be_visible()
    stored = Ballot.objects.get(envelope__process=ranking)
    bomel = envelope_of(ranking, world)
    assert stored.project_ids == [
        bomel.projects.get(title=PROJECTS[2][0]).pk,
        bomel.projects.get(title=PROJECTS[0][0]).pk,
    ]


def test_the_coordinator_starts_a_budget_from_its_pages(
    new_page: Callable[..., Page], page_errors: PageErrors, transactional_db: Any
) -> None:
    world = build_world()
    coordinator = world.person("coordinator")
    coordinator.set_password("un mot de passe assez long")
    coordinator.save()
    page = new_page(viewport={"width": 320, "height": 640}, is_mobile=True)
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(coordinator.email)
    page.get_by_label("Mot de passe").fill("un mot de passe assez long")
    page.get_by_role("button", name="Se connecter").click()
    page.goto("/budget-participatif/")
    page.get_by_role("link", name="Lancer un budget participatif").click()
    _fits(page)
    page_errors.allow_error_status("/budget-participatif/nouveau/")
    page.get_by_label("Titre (par exemple : Budget participatif 2028)").fill("BP 2028")
    page.get_by_label("Nom court dans les adresses").fill("bp-2028")
    for label, day in [
        ("Idées à partir du", "2027-03-01"),
        ("Idées jusqu'au", "2027-04-30"),
        ("Analyse de faisabilité jusqu'au", "2027-06-30"),
        ("Ouverture du vote le", "2027-06-01"),
        ("Clôture du vote le", "2027-10-03"),
    ]:
        page.get_by_label(label).fill(day)
    page.get_by_role("button", name="Créer le budget").click()
    # The vote before the review: refused, what was typed kept, the error in view.
    expect(page.locator(".error-summary")).to_contain_text("après l'analyse de faisabilité")
    expect(page.locator(".error-summary")).to_be_in_viewport()
    expect(page.get_by_label("Nom court dans les adresses")).to_have_value("bp-2028")
    _fits(page)
    page.get_by_label("Ouverture du vote le").fill("2027-09-13")
    page.get_by_role("button", name="Créer le budget").click()
    expect(page.get_by_role("status")).to_contain_text("Le budget est créé")
    page.get_by_label("Pour", exact=True).select_option(label="Bomel")
    page.get_by_label("Montant (€)").fill("25000")
    page.get_by_role("button", name="Ajouter l'enveloppe").click()
    expect(page.get_by_role("status")).to_contain_text("L'enveloppe est ajoutée.")
    page.get_by_label("Titre du projet (tel que les votant·es le lisent)").fill("Un banc")
    page.get_by_label("Coût (€)").fill("900")
    page.get_by_role("button", name="Ajouter le projet").click()
    expect(page.get_by_role("status")).to_contain_text("Le projet est sur le bulletin.")
    expect(page.get_by_text("Un banc — 900 €")).to_be_visible()
    _fits(page)
