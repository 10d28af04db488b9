"""Errors you cannot miss (issue 16, item 1; ADR 0061): on every public form, a failed submit
brings the page back with the error summary at the top of the form, focused and in view; its
links take the focus to their fields; what was typed stays; the title starts with "Erreur :".
Each form is tried on a 390x844 phone and a 320 px one, with and without JavaScript; axe-core
checks every refused page, the ones without JavaScript as they were served (conftest's
assert_accessible)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from palabre.accounts.tests.factories import PASSWORD
from palabre.contributions import actions as contributions
from palabre.contributions.models import Contribution
from palabre.contributions.tests.factories import make_board, make_post
from palabre.core.testing import World, build_world
from palabre.initiatives.tests.factories import make_initiative
from palabre.workshops import actions as workshops
from palabre.workshops.tests.factories import make_hosted_workshop
from tests.browser.conftest import PHONE, PageErrors, assert_accessible

NARROW = {"width": 320, "height": 640}
# Each form is sent four times: on both phones, with and without JavaScript.
SCREENS = [(PHONE, True), (NARROW, True), (PHONE, False), (NARROW, False)]


@dataclass
class Form:
    """A public form, what to type so that it fails, and what the summary then says."""

    path: str
    button: str
    typed: dict[str, str] = field(default_factory=dict)  # field id -> text typed
    ticked: list[str] = field(default_factory=list)  # field ids of boxes ticked
    # The fields the summary's links go to, in order.
    targets: list[str] = field(default_factory=list)
    signed_in: str = ""  # the email of the account that fills it, if any
    # Where the form is sent when the refusal answers 400 (the browser logs it as an error).
    refused_with_400: str = ""
    opens: str = ""  # the text of a folded part (<details>) to open first, if any
    # What to do to the page before sending it, for a value no field lets a person type (the
    # function needs the page's JavaScript: the form is then tried with JavaScript only).
    tamper: Callable[[Page], None] | None = None


def _sign_in(page: Page, email: str) -> None:
    page.goto("/compte/connexion/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page.get_by_text("Vous êtes connecté·e.")).to_be_visible()


def _sign_in_form(world: World) -> Form:
    return Form(
        "/compte/connexion/",
        "Se connecter",
        typed={"id_email": "amina@"},
        targets=["#id_email", "#id_password"],
    )


def _code_request_form(world: World) -> Form:
    return Form(
        "/compte/connexion/code/",
        "M'envoyer un code",
        typed={"id_email": "amina@"},
        targets=["#id_email"],
    )


def _code_form(world: World) -> Form:
    return Form(
        "/compte/connexion/code/saisir/",
        "Se connecter",
        typed={"id_email": "amina@example.org", "id_code": "12 34"},
        targets=["#id_code"],
    )


def _callback_form(world: World) -> Form:
    return Form(
        "/rappel/",
        "Rappelez-moi",
        typed={"id_name": "Fatima", "id_phone": "0470 12", "id_about": "L'atelier de Bomel"},
        ticked=["id_best_time_0"],
        targets=["#id_phone"],
    )


def _recover_form(world: World) -> Form:
    return Form(
        "/lien/",
        "M'envoyer un nouveau lien",
        typed={"id_reference": "JMB-4821"},
        targets=["#id_contact"],
    )


def _registration_form(world: World) -> Form:
    workshop = make_hosted_workshop(world, title="Bomel : propreté")
    return Form(
        f"/ateliers/{workshop.pk}/",
        "S'inscrire",
        typed={"id_email": "amina@", "id_interpretation_language": "arabe"},
        ticked=["id_needs_childcare"],
        targets=["#id_name", "#id_email"],
    )


def _board_form(world: World) -> Form:
    make_board(world.home)
    return Form(
        "/parole/quartier/bomel/",
        "Publier",
        typed={"id_author_name": "Amina", "id_email": "amina@"},
        targets=["#id_text", "#id_email"],
        refused_with_400="/parole/quartier/bomel/",
    )


def _im_in_form(world: World) -> Form:
    initiative = make_initiative(world)
    return Form(
        f"/actions/{initiative.pk}/",
        "J'en suis",
        typed={"id_email": "rosa@"},
        targets=["#id_name", "#id_email"],
        refused_with_400=f"/actions/{initiative.pk}/je-participe/",
    )


def _appeal_form(world: World) -> Form:
    post = make_post(world.home, "Un texte qu'un modérateur a caché.")
    contributions.hide(by=world.person("coordinator"), contribution=post, reason="off_topic")
    post = Contribution.objects.select_related("link").get(pk=post.pk)
    return Form(
        contributions.follow_url(post),
        "Demander sa publication",
        targets=["#id_text"],
        refused_with_400=f"/parole/{post.pk}/recours/",
    )


def _erase_link_form(world: World) -> Form:
    workshop = make_hosted_workshop(world)
    registered = workshops.register(
        workshop=workshop,
        by=None,
        name="Fatou",
        email="fatou@example.org",
        key=secrets.token_urlsafe(16),
    )
    return Form(
        f"/vie-privee/effacer/{registered.registration.token}/",
        "Effacer mes coordonnées",
        targets=["#id_confirm"],
    )


def _erase_account_form(world: World) -> Form:
    return Form(
        "/vie-privee/effacer-mon-compte/",
        "Effacer mon compte",
        targets=["#id_confirm"],
        signed_in="resident@example.org",
    )


def _reply_form(world: World) -> Form:
    from palabre.official_requests import actions as requests
    from palabre.official_requests.tests.factories import make_request

    request = make_request(world, sent=True)
    question = requests.ask_neighbourhood(
        by=world.person("official"), request=request, question="Où, exactement ?"
    )
    return Form(
        f"/demandes/{request.pk}/questions/{question.pk}/repondre/",
        "Envoyer ma réponse",
        targets=["#id_text"],
    )


def _follow_form(world: World) -> Form:
    from palabre.official_requests.tests.factories import make_request

    request = make_request(world, sent=True)
    return Form(
        f"/demandes/{request.pk}/",
        "Suivre cette demande",
        typed={"id_contact": "amina@"},
        targets=["#id_contact"],
        refused_with_400=f"/demandes/{request.pk}/suivre-sans-compte/",
        opens="La suivre sans compte (par e-mail)",  # no SMS backend in these tests
    )


def _figures_form(world: World) -> Form:
    # A period that ends before it starts (a date field cannot hold anything but a date).
    return Form(
        "/demandes/redevabilite/",
        "Afficher",
        typed={"id_start": "2026-05-01", "id_end": "2026-04-01"},
        targets=["#id_end"],
    )


def _add_language_the_site_lacks(page: Page) -> None:
    page.evaluate(
        """() => {
            const select = document.querySelector("#id_preferred_language");
            select.add(new Option("Deutsch", "de", true, true));
        }"""
    )


def _account_language_form(world: World) -> Form:
    # The select offers only the site's languages: a person cannot choose a wrong one, but a
    # forged or stale form can send one. Tried with JavaScript only (it forges the value); the
    # page without JavaScript is the same template and the same focus (autofocus, tried on every
    # other form here), and accounts/tests/test_language.py checks the refusal over HTTP.
    return Form(
        "/compte/",
        "Enregistrer la langue",
        targets=["#id_preferred_language"],
        signed_in="resident@example.org",
        tamper=_add_language_the_site_lacks,
    )


def _initiative_task_form(world: World) -> Form:
    # The organisers' page of a citizen action the resident leads: many forms, one refused.
    initiative = make_initiative(world)
    return Form(
        f"/actions/{initiative.pk}/gerer/",
        "Ajouter la tâche",
        typed={"id_task-due_on": "2027-05-20"},
        targets=["#id_task-title"],
        signed_in="resident@example.org",
        refused_with_400=f"/actions/{initiative.pk}/gerer/taches/",
    )


FORMS: list[Callable[[World], Form]] = [
    _sign_in_form,
    _code_request_form,
    _code_form,
    _callback_form,
    _recover_form,
    _registration_form,
    _board_form,
    _im_in_form,
    _appeal_form,
    _erase_link_form,
    _erase_account_form,
    _reply_form,
    _follow_form,
    _figures_form,
    _account_language_form,
    _initiative_task_form,
]


def _fails_and_shows_the_summary(page: Page, form: Form, *, width: int) -> None:
    page.goto(form.path)
    if form.opens:
        page.get_by_text(form.opens).click()
    for target, text in form.typed.items():
        page.locator(f"#{target}").fill(text)
    for target in form.ticked:
        page.locator(f"#{target}").check()
    if form.tamper:
        form.tamper(page)
    page.get_by_role("button", name=form.button, exact=True).click()

    summary = page.locator(".error-summary")
    expect(summary).to_have_count(1)  # only the form that failed, even with several forms
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("heading", level=2)).to_have_text("Il y a un problème")
    assert page.title().startswith("Erreur\u00a0: "), page.title()
    assert page.locator("[autofocus]").count() == 1
    links = summary.get_by_role("link")
    expect(links).to_have_count(len(form.targets))
    for index, target in enumerate(form.targets):
        expect(links.nth(index)).to_have_attribute("href", target)
        invalid = page.locator(target)
        expect(invalid).to_have_attribute("aria-invalid", "true")
        if invalid.get_attribute("type") != "radio":
            # Its message is read with it, and is on the page.
            described = invalid.get_attribute("aria-describedby") or ""
            assert f"{target[1:]}_error" in described.split(), described
            expect(page.locator(f"{target}_error")).to_be_visible()
    # What was typed and ticked stays.
    for target, text in form.typed.items():
        expect(page.locator(f"#{target}")).to_have_value(text)
    for target in form.ticked:
        expect(page.locator(f"#{target}")).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    # Each link takes the focus to its field.
    for index, target in enumerate(form.targets):
        links.nth(index).click()
        expect(page.locator(target)).to_be_focused()
        expect(page.locator(target)).to_be_in_viewport()


@pytest.mark.parametrize("make_form", FORMS, ids=[make.__name__.strip("_") for make in FORMS])
def test_a_failed_submit_focuses_the_error_summary_of_the_form(
    new_page: Callable[..., Page],
    page_errors: PageErrors,
    transactional_db: Any,
    make_form: Callable[[World], Form],
) -> None:
    form = make_form(build_world())
    if form.refused_with_400:
        page_errors.allow_error_status(form.refused_with_400)
    for screen, javascript in SCREENS:
        if form.tamper and not javascript:
            continue
        page = new_page(
            viewport=screen, is_mobile=True, has_touch=True, java_script_enabled=javascript
        )
        if form.signed_in:
            _sign_in(page, form.signed_in)
        _fails_and_shows_the_summary(page, form, width=screen["width"])
