"""Finding a name at the door on a phone (issue 17, item 6; ADR 0064): the facilitator types a
name without its accent and with a typing mistake and still finds the person registered, ticks
her as arrived, and the same search works without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.workshops import actions
from palabre.workshops.models import EventKind, Status, Workshop
from tests.browser.conftest import PHONE, assert_accessible
from tests.browser.test_workshop_journeys import sign_in

FACILITATOR = "mediateur@palabre.example"
ONLY_CLOSE = "Aucun nom ne s'écrit exactement comme cela. Vérifiez ces noms proches\u00a0:"


def _search(page: Page, name: str) -> None:
    form = page.get_by_role("search")
    form.get_by_label("Chercher un nom").fill(name)
    form.get_by_role("button", name="Chercher").click()


def test_a_name_typed_without_its_accent_and_with_a_mistake_is_found_at_the_door(
    new_page: Callable[..., Page], demo: Any
) -> None:
    workshop = Workshop.objects.filter(
        status=Status.ANNOUNCED, kind=EventKind.WORKSHOP, facilitators__email=FACILITATOR
    ).first()
    assert workshop is not None
    assert workshop.registrations.filter(name="Leïla").exists()
    actions.register(workshop=workshop, by=None, name="Hélène Dupont")
    check_in = f"/ateliers/{workshop.pk}/accueil/"

    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(phone, FACILITATOR)
    phone.goto(check_in)
    _search(phone, "lelia")
    expect(phone).to_have_url(re.compile(r"\?q=lelia$"))
    names = phone.locator(".arrival__name")
    expect(names).to_have_count(1)
    expect(names.first).to_have_text("Leïla")
    expect(phone.get_by_text(ONLY_CLOSE)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)
    phone.get_by_role("button", name="Arrivé·e\u00a0: Leïla").tap()
    expect(phone.get_by_role("button", name="Annuler l'arrivée de Leïla")).to_be_visible()
    expect(phone.locator(".is-waiting")).to_have_count(0)  # sent, not only shown
    assert workshop.registrations.get(name="Leïla").checked_in_at is not None

    _search(phone, "LEI")
    expect(names).to_have_count(1)
    expect(phone.get_by_text(ONLY_CLOSE)).to_have_count(0)
    assert_accessible(phone)

    without_js = new_page(viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False)
    sign_in(without_js, FACILITATOR)
    without_js.goto(check_in)
    search = without_js.get_by_role("search").get_by_label("Chercher un nom")
    search.fill("helene dupond")
    search.press("Enter")
    expect(without_js).to_have_url(re.compile(r"\?q=helene\+dupond$"))
    expect(without_js.locator(".arrival__name")).to_have_text(["Hélène Dupont"])
    assert_accessible(without_js)
