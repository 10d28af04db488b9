"""A large batch of invitations is made in the background and downloaded when ready."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_workshop_journeys import sign_in


def test_a_coordinator_downloads_a_large_batch_once_the_worker_made_it(
    page: Page, demo: Any
) -> None:
    sign_in(page, "coordination@palabre.example")
    page.goto("/quartiers/bomel/")
    page.get_by_role("link", name="Bomel : propreté et espaces partagés").click()
    page.get_by_role("link", name="Imprimer des invitations").click()
    page.get_by_label("Canal").fill("Toutes-boîtes du quartier")
    page.get_by_label("Format").select_option("a4x4")
    page.get_by_label("Exemplaires").fill("2000")
    page.get_by_role("button", name="Préparer").click()
    # A link to a file: the browser downloads when it is a PDF, shows a page otherwise.
    page.get_by_role("link", name="Télécharger les invitations pour Toutes-boîtes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations en préparation")
    expect(page.get_by_role("status")).to_contain_text("2000 invitations")
    assert_accessible(page)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger quand c'est prêt").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
