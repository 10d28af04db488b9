"""Issue 18: two staff members key the same paper ballots, one difference is listed and the
coordinator settles it; the results show the paper tally apart."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.budgets import actions
from palabre.budgets.tests.factories import PROJECTS, envelope_of, make_process
from palabre.core.testing import build_world
from tests.browser.conftest import PageErrors, assert_accessible, signed_in


def _key(page: Page, number: int, *titles: str) -> None:
    page.get_by_label("Numéro du bulletin (écrit sur le papier)").fill(str(number))
    for title in titles:
        page.get_by_label(title, exact=False).check()
    page.get_by_role("button", name="Enregistrer et saisir le suivant").click()
    expect(page.get_by_role("status")).to_contain_text(f"Bulletin n° {number} enregistré")


def test_two_staff_key_the_same_paper_ballots_and_the_coordinator_settles_a_difference(
    new_page: Callable[..., Page], page_errors: PageErrors, transactional_db: Any
) -> None:
    world = build_world()
    process = make_process(world)
    bomel = envelope_of(process, world)
    paper = f"/budget-participatif/{process.slug}/papier/{bomel.pk}/"

    # The facilitator keys three ballots on a phone, without JavaScript.
    phone = signed_in(
        new_page,
        world.person("facilitator"),
        viewport={"width": 320, "height": 640},
        is_mobile=True,
        java_script_enabled=False,
    )
    phone.goto(paper)
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Saisir les bulletins papier — Bomel"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    _key(phone, 1, PROJECTS[0][0], PROJECTS[2][0])
    _key(phone, 2, PROJECTS[1][0])
    _key(phone, 3, PROJECTS[0][0])
    # A blank ballot with a project ticked: refused, in view, nothing saved.
    page_errors.allow_error_status(paper)
    phone.get_by_label("Numéro du bulletin (écrit sur le papier)").fill("4")
    phone.get_by_label(PROJECTS[0][0], exact=False).check()
    phone.get_by_label("Bulletin blanc ou illisible").check()
    phone.get_by_role("button", name="Enregistrer et saisir le suivant").click()
    expect(phone.locator(".error-summary")).to_contain_text("aucun projet coché")
    assert_accessible(phone)

    # The coordinator keys the same three, reading ballot 3 differently.
    desk = signed_in(new_page, world.person("coordinator"))
    desk.goto(f"/budget-participatif/{process.slug}/gerer/")
    desk.get_by_role("link", name="Saisir — Bomel").click()
    _key(desk, 1, PROJECTS[0][0], PROJECTS[2][0])
    _key(desk, 2, PROJECTS[1][0])
    _key(desk, 3, PROJECTS[2][0])
    actions.close_vote(by=world.person("coordinator"), process=process)

    desk.get_by_role("link", name="Différences et bulletins saisis une fois").click()
    difference = desk.get_by_role("article", name="Bulletin n° 3")
    expect(difference).to_contain_text("Première saisie")
    expect(difference).to_contain_text(PROJECTS[0][0])
    expect(difference).to_contain_text(PROJECTS[2][0])
    expect(desk.get_by_role("article")).to_have_count(1)
    assert_accessible(desk)
    # Publishing is refused until it is settled.
    desk.goto(f"/budget-participatif/{process.slug}/gerer/")
    desk.get_by_role("button", name="Dépouiller et publier les résultats").click()
    expect(desk.get_by_role("status")).to_contain_text("1 bulletin papier n'est pas encore validé")
    desk.goto(f"{paper}differences/")
    difference = desk.get_by_role("article", name="Bulletin n° 3")
    difference.get_by_label(PROJECTS[0][0], exact=False).check()
    difference.get_by_role("button", name="Trancher le bulletin n° 3").click()
    expect(desk.get_by_role("status")).to_contain_text("Le bulletin n° 3 est tranché.")
    expect(desk.get_by_text("Aucune différence.")).to_be_visible()

    desk.goto(f"/budget-participatif/{process.slug}/gerer/")
    desk.get_by_role("button", name="Dépouiller et publier les résultats").click()
    expect(desk.get_by_role("status")).to_contain_text("Les résultats sont publiés.")
    desk.get_by_role("link", name="Résultats — Bomel").click()
    expect(desk.get_by_role("heading", name="Les bulletins papier, à part")).to_be_visible()
    expect(desk.get_by_text("3 bulletins papier comptés")).to_be_visible()
    expect(desk.get_by_role("row", name=f"{PROJECTS[0][0]} 2 2")).to_be_visible()
    assert_accessible(desk)
