"""Issue 19: a coordinator imports a Pol.is export through the page, without JavaScript: a
file that is not an export is refused in view with what was typed kept, the right files land
on the new conversation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from palabre.conversations.models import Conversation
from palabre.core.testing import build_world
from tests.browser.conftest import PageErrors, assert_accessible, expect_error_summary, signed_in

TITLE = "La place Bomel en 2020"


def _export(directory: Path) -> tuple[Path, Path, Path]:
    """A tiny Pol.is export (3 statements, 2 voters) and a votes file that is not one."""
    directory.mkdir()
    comments = directory / "comments.csv"
    comments.write_text(
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1600000000000,x,4,0,1,0,1,Plus de bancs à l'ombre\n"
        '1600000001000,x,7,0,1,1,1,"Un marché le dimanche, avec des food-trucks"\n'
        "1600000002000,x,9,1,0,0,-1,Un texte écarté par la modération\n",
        encoding="utf-8",
    )
    votes = directory / "votes.csv"
    votes.write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n"
        "1600000100000,x,4,10,1\n1600000200000,x,7,10,-1\n1600000300000,x,7,11,1\n",
        encoding="utf-8",
    )
    wrong = directory / "summary.csv"
    wrong.write_text("topic,Bomel\nvoters,2\n", encoding="utf-8")
    return comments, votes, wrong


def test_a_coordinator_imports_a_polis_export_through_the_page_without_javascript(
    new_page: Callable[..., Page],
    page_errors: PageErrors,
    transactional_db: Any,
    tmp_path: Path,
) -> None:
    world = build_world()
    comments, votes, wrong = _export(tmp_path / "export")
    page = signed_in(new_page, world.person("coordinator"), java_script_enabled=False)
    page.goto("/avis/")
    page.locator("main a[href='/avis/importer/']").click()
    expect(page).to_have_url("/avis/importer/")
    assert_accessible(page)

    # The wrong file as votes.csv: refused in view, the title and neighbourhood kept.
    page_errors.allow_error_status("/avis/importer/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_neighbourhood").select_option(label="Bomel")
    page.locator("#id_comments").set_input_files(comments)
    page.locator("#id_votes").set_input_files(wrong)
    page.locator("main form button[type=submit]").click()
    expect_error_summary(page, "votes.csv")
    expect(page.locator("#id_votes_error")).to_contain_text("missing column")
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#id_neighbourhood option:checked")).to_have_text("Bomel")
    assert_accessible(page)
    assert not Conversation.objects.exists()

    # The files chosen again (a browser never keeps them), the right ones this time.
    page.locator("#id_comments").set_input_files(comments)
    page.locator("#id_votes").set_input_files(votes)
    page.locator("main form button[type=submit]").click()
    conversation = Conversation.objects.get()
    expect(page).to_have_url(f"/avis/{conversation.slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    assert (conversation.neighbourhood, conversation.is_published) == (world.home, True)
    assert list(
        conversation.statements.order_by("external_id").values_list("external_id", flat=True)
    ) == [4, 7, 9]
    assert_accessible(page)
