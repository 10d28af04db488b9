"""Issue 6: a coordinator edits the playbooks, exports one as a file, and imports files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import FilePayload, Page, expect

from palabre.accounts.models import Role
from palabre.accounts.tests.factories import make_user
from palabre.initiatives.models import Playbook
from palabre.initiatives.shipped import install_shipped_playbooks
from tests.browser.conftest import assert_accessible, expect_error_summary

EMAIL = "coordinatrice@example.org"
PASSWORD = "un-long-secret"


def a_coordinator_with_the_shipped_playbooks() -> None:
    coordinator = make_user(role=Role.COORDINATOR, email=EMAIL, password=PASSWORD)
    install_shipped_playbooks(coordinator)


def sign_in(page: Page) -> None:
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Vous êtes connecté·e.")).to_be_visible()


def test_a_coordinator_edits_exports_and_imports_playbooks(
    page: Page, transactional_db: Any
) -> None:
    a_coordinator_with_the_shipped_playbooks()
    street = Playbook.objects.get(kind="street_party")
    steps = street.steps.count()
    sign_in(page)
    page.goto("/actions/guides/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Guides pratiques")
    assert_accessible(page)

    page.get_by_role("link", name="Fête de rue", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Modifier le guide pratique « Fête de rue »"
    )
    assert_accessible(page)

    # A new step, typed in the first blank one, with the keyboard only.
    blank = page.get_by_role("group", name=f"Étape {steps + 1} (nouvelle, facultative)")
    blank.get_by_label("Ce qu'il faut faire").focus()
    page.keyboard.type("Rendre les barrières à la Ville")
    page.keyboard.press("Tab")
    page.keyboard.type("0")
    page.keyboard.press("Tab")
    page.keyboard.type("evenements")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the permit check box
    expect(
        blank.get_by_label("Une autorisation ou un service que la Ville doit accorder")
    ).to_be_checked()
    page.get_by_role("button", name="Enregistrer le guide pratique").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Guide pratique enregistré.")
    added = page.get_by_role("group", name=f"Étape {steps + 1}", exact=True)
    expect(added.get_by_label("Ce qu'il faut faire")).to_have_value(
        "Rendre les barrières à la Ville"
    )
    last = street.steps.last()
    assert last is not None
    assert (last.title, last.days_before, last.permit, last.department) == (
        "Rendre les barrières à la Ville",
        0,
        True,
        "evenements",
    )

    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter en fichier").click()
    assert download.value.suggested_filename == "fete-de-rue.toml"
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert 'title = "Rendre les barrières à la Ville"' in exported

    page.get_by_role("link", name="Guides pratiques", exact=True).first.click()
    broken: FilePayload = {
        "name": "casse.toml",
        "mimeType": "application/toml",
        "buffer": b'kind = "street_party"\ntitle = "Fete"\n[[steps]\n',
    }
    page.get_by_label("Fichier de guide pratique (.toml)").set_input_files(files=[broken])
    page.get_by_role("button", name="Importer").click()
    expect_error_summary(page, "Ligne 3 :")
    assert Playbook.objects.count() == 5
    assert_accessible(page)


def test_the_edit_page_works_without_javascript(
    page_without_js: Page, transactional_db: Any
) -> None:
    a_coordinator_with_the_shipped_playbooks()
    welcome = Playbook.objects.get(kind="welcome")
    first = welcome.steps.first()
    assert first is not None
    page = page_without_js
    sign_in(page)
    page.goto(f"/actions/guides/{welcome.pk}/")
    page.get_by_role("group", name="Étape 1", exact=True).get_by_label(
        "Supprimer cette étape"
    ).check()
    budget = page.get_by_role("group", name="Ligne de budget 5 (nouvelle, facultative)")
    budget.get_by_label("Dépense").fill("Location de vaisselle")
    budget.get_by_label("Montant (€)").fill("35,50")
    page.get_by_role("button", name="Enregistrer le guide pratique").click()
    expect(page.get_by_text("Guide pratique enregistré.")).to_be_visible()
    assert first.title not in [step.title for step in welcome.steps.all()]
    line = welcome.budget.last()
    assert line is not None
    assert (line.label, str(line.amount)) == ("Location de vaisselle", "35.50")
