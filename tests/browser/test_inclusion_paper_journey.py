"""Issue 20, item 2: after the evening, the facilitator keys a pile of paper questionnaires with
the keyboard only, one sheet per screen, the count running."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.core.testing import build_world
from palabre.inclusion.models import Answer, Entry
from palabre.workshops.models import Status
from palabre.workshops.tests.factories import make_hosted_workshop
from tests.browser.conftest import PageErrors, assert_accessible, expect_error_summary
from tests.browser.test_inclusion_questionnaire_journey import PHONE_320, fits, signed_in_as

# Presses of the down arrow from "left blank" (the last radio, ticked at first) to each answer.
AGES = ["0-17", "18-24", "25-39", "40-54", "55-64", "65-79", "80+"]
FIRST = [True, False]
# The sheets of the pile: age band, first time, languages ticked (positions in the list).
PILE: list[tuple[str | None, bool | None, list[int]]] = [
    ("65-79", True, [0]),
    ("40-54", False, [0, 4]),
    (None, True, []),
    ("80+", None, [0]),
    ("25-39", True, [4, 5]),
]
LANGUAGE_CODES = ["fr", "nl", "de", "en", "ar", "ber"]


def _presses(values: list[Any], value: Any) -> int:
    return 0 if value is None else values.index(value) + 1


def test_a_facilitator_keys_a_pile_of_paper_questionnaires_with_the_keyboard(
    new_page: Callable[..., Page],
    live_server: Any,
    transactional_db: Any,
    page_errors: PageErrors,
) -> None:
    world = build_world()
    workshop = make_hosted_workshop(world, days_from_now=-1, status=Status.HELD)
    page_errors.allow_error_status(f"/inclusion/{workshop.pk}/papier/")  # the blank sheet
    page = signed_in_as(new_page, live_server, world.person("facilitator"))
    page.goto(f"/inclusion/{workshop.pk}/partager/")
    assert_accessible(page)
    page.get_by_role("link", name="Key the paper questionnaires").click()
    expect(page.locator("#paper-count")).to_have_attribute("data-keyed", "0")
    assert_accessible(page)

    for number, (age, first, languages) in enumerate(PILE, start=1):
        # The first question's "left blank" has the focus: arrows choose, Tab moves on.
        expect(page.locator("input[name=age_band][value=unsaid]")).to_be_focused()
        for _ in range(_presses(AGES, age)):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
        for _ in range(_presses(FIRST, first)):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")  # where they live: left blank
        page.keyboard.press("Tab")  # how they heard: left blank
        for position in range(max(languages, default=-1) + 1):
            page.keyboard.press("Tab")
            if position in languages:
                page.keyboard.press("Space")
        page.keyboard.press("Enter")
        expect(page.locator("#paper-count")).to_have_attribute("data-keyed", str(number))
        expect(page.get_by_role("status")).to_contain_text(
            f"{number} sheet{'s' if number > 1 else ''} keyed for this workshop. Next sheet."
        )
    assert_accessible(page)

    stored = Counter(
        (a.age_band or None, a.first_time, tuple(a.languages))
        for a in Answer.objects.filter(workshop=workshop, entry=Entry.PAPER)
    )
    assert stored == Counter(
        (age, first, tuple(LANGUAGE_CODES[i] for i in languages)) for age, first, languages in PILE
    )

    # A blank sheet is refused with its reason in view, and nothing is stored.
    page.keyboard.press("Enter")
    expect_error_summary(page, "Nothing is ticked on this sheet")
    assert_accessible(page)
    assert Answer.objects.count() == len(PILE)


def test_paper_keying_works_without_javascript_on_a_phone(
    new_page: Callable[..., Page], live_server: Any, transactional_db: Any
) -> None:
    world = build_world()
    workshop = make_hosted_workshop(world, days_from_now=-2, status=Status.HELD)
    page = signed_in_as(
        new_page,
        live_server,
        world.person("coordinator"),
        viewport=PHONE_320,
        java_script_enabled=False,
    )
    page.goto(f"/inclusion/{workshop.pk}/papier/")
    fits(page)
    assert_accessible(page)
    page.get_by_role("group", name="How did you hear of this workshop?").get_by_label(
        "Through a partner organisation"
    ).check()
    page.get_by_role("button", name="Save the sheet and key the next one").click()
    expect(page.locator("#paper-count")).to_have_attribute("data-keyed", "1")
    fits(page)
    assert Answer.objects.get().heard == "partner"
