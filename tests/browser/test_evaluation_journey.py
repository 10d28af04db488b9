"""The coordinator's evaluation (issue 20, items 1 and 3): from the menu to the year's figures
compared with the year before, a cycle and a neighbourhood chosen with the keyboard, the CSV;
then the council's yearly report asked, made by the worker while the page waits, downloaded; on
a laptop in French, on a 320 px phone in Dutch, and without JavaScript."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management import call_command
from playwright.sync_api import Page, expect

from palabre.accounts.models import User
from palabre.evaluation.models import ReportState, YearlyReport
from tests.browser.conftest import assert_accessible, expect_error_summary, signed_in


def _run_the_worker() -> None:
    """Make the waiting reports as `palabre serve`'s worker would, in the test's thread (the
    in-memory test database cannot be shared with a worker on a connection of its own)."""
    deadline = time.monotonic() + 60
    while YearlyReport.objects.filter(state=ReportState.WAITING).exists():
        assert time.monotonic() < deadline, "no report made within 60 s"
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_the_coordinator_reads_the_figures_and_prepares_the_councils_report(
    new_page: Callable[..., Page], demo: Any, tmp_path: Path
) -> None:
    coordinator = User.objects.get(email="coordination@palabre.example")
    page = signed_in(new_page, coordinator)
    page.get_by_role("link", name="Évaluation", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Évaluation")
    expect(page.get_by_text("Comparé avec 2025.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Contributions", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Période").select_option(label="Ateliers 2026–2027")
    page.get_by_label("Quartier").select_option(label="Bomel")
    page.get_by_label("Quartier").press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ateliers 2026–2027 · Bomel")
    no_earlier_cycle = page.get_by_text("Il n’y a pas de cycle précédent avec lequel comparer.")
    expect(no_earlier_cycle).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger ces chiffres (CSV)").click()
    assert "Chiffres clés" in Path(download.value.path()).read_text(encoding="utf-8-sig")

    page.get_by_role("link", name="Le rapport annuel au conseil").click()
    page.get_by_label("Année").select_option("2026")
    page.get_by_label("Langue du rapport").select_option("fr")
    page.get_by_role("button", name="Préparer le rapport").click()
    expect(page.get_by_text("Le rapport 2026 est en préparation")).to_be_visible()
    expect(page.get_by_role("cell", name="En préparation")).to_be_visible()
    assert_accessible(page)
    _run_the_worker()
    # The list asks again every 3 s while a report is being prepared: no reload needed.
    link = page.get_by_role("link", name="Rapport 2026 (PDF)")
    expect(link).to_be_visible(timeout=10_000)
    response = page.request.get(link.get_attribute("href") or "")
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert_accessible(page)

    phone = signed_in(new_page, coordinator, viewport={"width": 320, "height": 640}, is_mobile=True)
    phone.goto("/bilan/")
    phone.get_by_label("Langue", exact=True).select_option("nl")
    phone.get_by_role("button", name="Changer").click()
    expect(phone.get_by_role("heading", name="Hoe elk cijfer geteld wordt")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)


def test_without_javascript_the_figures_and_the_report_work_the_same(
    new_page: Callable[..., Page], demo: Any
) -> None:
    coordinator = User.objects.get(email="coordination@palabre.example")
    page = signed_in(new_page, coordinator, java_script_enabled=False)
    page.goto("/bilan/?period=year-1850")
    expect_error_summary(page, "Sélectionnez un choix valide")
    page.get_by_label("Période").select_option("year-2026")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_text("Comparé avec 2025.")).to_be_visible()
    assert_accessible(page)

    page.goto("/bilan/rapport/")
    page.get_by_label("Année").select_option("2026")
    page.get_by_label("Langue du rapport").select_option("nl")
    page.get_by_role("button", name="Préparer le rapport").click()
    expect(page.get_by_role("link", name="Actualiser")).to_be_visible()
    _run_the_worker()
    page.get_by_role("link", name="Actualiser").click()
    expect(page.get_by_role("link", name="Chiffres 2026 (CSV)")).to_be_visible()
    assert_accessible(page)
