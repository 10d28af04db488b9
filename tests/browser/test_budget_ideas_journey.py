"""Issue 18, items 2 and 3: residents propose ideas on a phone without an account (once without
JavaScript), the coordinator sends them to a department, the department answers "feasible"
with a cost, and the coordinator makes one project of two ideas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.budgets.models import Idea, Project
from palabre.budgets.tests.idea_factories import make_ideas_process, make_reviewing_department
from palabre.contributions.tests.factories import make_post
from palabre.core.testing import build_world
from palabre.initiatives.tests.factories import make_initiative
from tests.browser.conftest import PageErrors, assert_accessible, signed_in

PHONE_320 = {"width": 320, "height": 640}


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_320["width"], page.url
    assert_accessible(page)


def _propose(phone: Page, slug: str, title: str, description: str) -> None:
    phone.goto(f"/budget-participatif/{slug}/")
    phone.get_by_role("link", name="Voir les idées").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Les idées des habitant·es")
    _fits(phone)
    phone.get_by_role("link", name="Proposer une idée").click()
    _fits(phone)
    phone.get_by_label("Titre de l'idée").fill(title)
    phone.get_by_label("Ce qui est proposé, et où").fill(description)
    phone.get_by_role("combobox", name="Pour").select_option(label="Bomel")
    phone.get_by_role("button", name="Proposer mon idée").click()
    expect(phone.get_by_role("status")).to_contain_text("Merci\u00a0: votre idée est publiée.")
    expect(phone.get_by_role("heading", level=1)).to_have_text(title)
    _fits(phone)


def test_residents_propose_ideas_a_department_checks_them_and_two_make_one_project(
    new_page: Callable[..., Page], page_errors: PageErrors, transactional_db: Any
) -> None:
    world = build_world()
    process = make_ideas_process(world)
    department = make_reviewing_department(world)
    slug = process.slug

    # A resident without an account, on a 320 px phone without JavaScript: a title forgotten
    # is said in view, then the idea is published.
    bare = new_page(viewport=PHONE_320, is_mobile=True, java_script_enabled=False)
    bare.goto(f"/budget-participatif/{slug}/idees/proposer/")
    page_errors.allow_error_status(f"/budget-participatif/{slug}/idees/proposer/")
    bare.get_by_label("Ce qui est proposé, et où").fill("Au square, à l'ombre des tilleuls.")
    bare.get_by_role("combobox", name="Pour").select_option(label="Bomel")
    bare.get_by_role("button", name="Proposer mon idée").click()
    expect(bare.locator(".error-summary")).to_contain_text("Donnez un titre à l'idée.")
    _fits(bare)
    _propose(bare, slug, "Des bancs au square", "Six bancs au square de Bomel, à l'ombre.")
    # Another one, on a phone with JavaScript.
    phone = new_page(viewport=PHONE_320, is_mobile=True, has_touch=True)
    _propose(phone, slug, "De l'ombre au square", "Deux arbres près des bancs du square.")
    benches, shade = Idea.objects.order_by("pk")
    assert benches.author is None
    assert shade.author is None

    # The coordinator sends both to the Service Voirie.
    desk = signed_in(new_page, world.person("coordinator"))
    for idea in (benches, shade):
        desk.goto(f"/budget-participatif/{slug}/idees/{idea.pk}/")
        desk.get_by_label("Service qui l'examine").select_option(label="Service Voirie")
        desk.get_by_role("button", name="Envoyer pour examen").click()
        expect(desk.get_by_role("status")).to_contain_text("L'idée est envoyée au service")
    assert_accessible(desk)

    # The department's member opens the request and answers on the idea's page.
    member = signed_in(new_page, world.person("official"))
    for idea, cost in ((benches, "3000"), (shade, "2500")):
        idea.refresh_from_db()
        member.goto(f"/demandes/{idea.review_id}/")
        member.get_by_role("link", name=idea.title).click()
        expect(member.get_by_role("heading", name="Analyse de faisabilité")).to_be_visible()
        member.get_by_label("Réalisable", exact=True).check()
        member.get_by_label("Coût estimé (€, si réalisable)").fill(cost)
        member.get_by_role("button", name="Enregistrer l'analyse").click()
        expect(member.get_by_role("status")).to_contain_text("L'analyse de faisabilité est")
        expect(member.locator(".facts")).to_contain_text("Réalisable")
    assert_accessible(member)
    assert department.requests.filter(answer_kind="accepted").count() == 2

    # The coordinator makes one project of the two ideas.
    desk.goto(f"/budget-participatif/{slug}/idees/")
    desk.get_by_role("link", name="Faire un projet d'idées réalisables").click()
    assert_accessible(desk)
    desk.get_by_label("Des bancs au square", exact=False).check()
    desk.get_by_label("De l'ombre au square", exact=False).check()
    bomel = process.envelopes.get(neighbourhood=world.home)
    desk.get_by_label("Enveloppe").select_option(str(bomel.pk))
    desk.get_by_label("Titre du projet (tel que les votant·es le lisent)").fill(
        "Bancs et ombre au square"
    )
    desk.get_by_role("button", name="Mettre le projet sur le bulletin").click()
    expect(desk.get_by_role("status")).to_contain_text("est sur le bulletin")
    project = Project.objects.get()
    card = desk.locator(f"#project-{project.pk}")
    expect(card).to_contain_text("5\u202f500\u00a0€")
    expect(card).to_contain_text("Des bancs au square")
    expect(card).to_contain_text("De l'ombre au square")
    expect(
        desk.get_by_role("heading", name="Comment les idées sont devenues des projets")
    ).to_be_visible()
    assert_accessible(desk)

    # Everyone sees where the project comes from, on a phone too.
    phone.goto(f"/budget-participatif/{slug}/idees/{benches.pk}/")
    expect(phone.get_by_role("heading", name="Les projets qu'elle est devenue")).to_be_visible()
    _fits(phone)
    phone.get_by_role("link", name="Bancs et ombre au square").click()
    _fits(phone)


def test_the_forms_bringing_ideas_fit_a_320_px_phone(
    new_page: Callable[..., Page], transactional_db: Any
) -> None:
    """The pages the demo cannot link to (its budgets are past their ideas): typed-in paper
    ideas, a contribution made an idea, a citizen action asking for funding, a new project."""
    world = build_world()
    process = make_ideas_process(world)
    said = make_post(world.home, "Il faudrait un abri pour les vélos près de la gare.")
    initiative = make_initiative(world)
    base = f"/budget-participatif/{process.slug}/idees"
    phone = signed_in(new_page, world.person("coordinator"), viewport=PHONE_320, is_mobile=True)
    for path, heading in (
        (f"{base}/papier/", "Saisir une idée écrite sur papier"),
        (f"{base}/contribution/{said.pk}/", "Faire d'une contribution une idée"),
        (
            f"{base}/action-citoyenne/{initiative.pk}/",
            "Demander un financement au budget participatif",
        ),
        (f"{base}/projets/nouveau/", "Faire un projet d'idées réalisables"),
        (f"{base}/proposer/", "Proposer une idée"),
    ):
        phone.goto(path)
        expect(phone.get_by_role("heading", level=1)).to_have_text(heading)
        _fits(phone)
    # The contribution's page offers it; the idea then shows the contribution.
    phone.goto(f"/parole/{said.pk}/")
    phone.get_by_role(
        "link", name="En faire une idée pour «\u00a0Budget participatif 2028\u00a0»"
    ).click()
    phone.get_by_label("Titre de l'idée").fill("Un abri pour les vélos")
    phone.get_by_role("button", name="En faire une idée").click()
    expect(phone.get_by_role("link", name="ce que l'habitant·e a dit")).to_be_visible()
    _fits(phone)
