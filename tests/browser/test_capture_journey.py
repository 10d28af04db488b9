"""Issue 4: a facilitator captures 20 contributions under 3 questions on a phone."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from palabre.contributions.models import Contribution
from tests.browser.conftest import assert_accessible
from tests.browser.test_workshop_journeys import sign_in


def test_a_facilitator_captures_twenty_contributions_on_a_phone(
    phone_page: Page, demo: Any
) -> None:
    page = phone_page
    sign_in(page, "mediateur@palabre.example")
    page.goto("/quartiers/bomel/")
    page.get_by_role("link", name="Bomel : propreté et espaces partagés").click()
    page.get_by_role("link", name="Noter ce qui se dit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce qui se dit")
    assert_accessible(page)
    for number in range(20):
        question = number % 3
        section = page.locator(f"#question-{question}")
        # Keyboard only: type, then Tab to the save button of the same question and press Enter.
        section.get_by_label("Ce qui a été dit").fill(f"Remarque {number} sur la rue")
        if number % 4 == 0:
            section.get_by_label("propreté").check()
        section.get_by_role("button", name=f"Enregistrer sous la question {question + 1}").press(
            "Enter"
        )
        expect(page.locator("#figures")).to_contain_text(f"{number + 1} contribution")
    expect(page.locator("#question-2 .notes li")).to_have_count(6)
    assert (
        Contribution.objects.filter(workshop__title__startswith="Bomel\u00a0: propreté").count()
        == 20
    )
    assert_accessible(page)
