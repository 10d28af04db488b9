"""The evening with bad Wi-Fi (issue 17, item 1; ADR 0065), with Chromium's network emulation:
a facilitator's phone opens tonight's pages once, loses the network, notes 50 things said,
ticks 5 arrivals and adds a walk-in, reloads the pages without network, and gets everything
stored once, in order, when the network returns; the same when the connection drops in the
middle of a send; what the server refuses meanwhile is shown and kept for the facilitator to
fix; signing out deletes what the phone kept."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import BrowserContext, Dialog, Page, Route, expect

from palabre.contributions.models import Contribution
from palabre.workshops.models import Registration, RegistrationStatus, Status, Workshop
from tests.browser.conftest import PHONE, PageErrors, assert_accessible
from tests.browser.test_my_workshops_journey import FACILITATOR, _started_tonight
from tests.browser.test_workshop_journeys import sign_in

ALL_SENT = "Tout ce qui était gardé sur ce téléphone a été envoyé."
SENDING = 60_000  # the phone sends one entry at a time: 55 entries take a few seconds


def _phone(new_page: Callable[..., Page], **options: Any) -> Page:
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True, **options)
    sign_in(phone, FACILITATOR)
    return phone


def _tonight(page_errors: PageErrors, people: int = 0) -> tuple[Workshop, list[Registration]]:
    workshop = _started_tonight()
    # Registered before the evening began (registrations are closed now).
    registered = [
        Registration.objects.create(
            workshop=workshop, name=f"Voisine {n}", status=RegistrationStatus.CONFIRMED
        )
        for n in range(people)
    ]
    # The phone's sends that fail without network are logged by Chromium as failed loads.
    page_errors.allow_error_status(f"/parole/atelier/{workshop.pk}/")
    page_errors.allow_error_status(f"/ateliers/{workshop.pk}/accueil/")
    return workshop, registered


def _with_the_app(new_page: Callable[..., Page]) -> Page:
    """A facilitator's phone whose service worker runs (installed from "My workshops")."""
    phone = _phone(new_page)
    phone.goto("/ateliers/mes-ateliers/")
    # Installed and active (it fetches its files first); the pages opened from now on are its.
    phone.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    return phone


def _kept_offline(phone: Page, workshop: Workshop, text: str) -> None:
    """Open the capture page, lose the network, note `text`: the phone keeps it."""
    phone.goto(f"/parole/atelier/{workshop.pk}/")
    phone.context.set_offline(True)
    _note(phone, 0, text)
    _waiting(phone).to_contain_text("1 saisie gardée sur ce téléphone")


def _note(page: Page, question: int, text: str) -> None:
    section = page.locator(f"#question-{question}")
    section.get_by_label("Ce qui a été dit").fill(text)
    section.get_by_role("button", name="Enregistrer").click()


def _waiting(page: Page) -> Any:
    return expect(page.locator("#offline-status"))


def test_fifty_notes_and_five_arrivals_made_offline_are_stored_once_in_order(
    new_page: Callable[..., Page], demo: Any, page_errors: PageErrors
) -> None:
    workshop, people = _tonight(page_errors, people=5)
    questions = len(workshop.guiding_questions)
    assert questions >= 2
    before = Contribution.objects.filter(workshop=workshop).count()
    phone = _with_the_app(new_page)
    context: BrowserContext = phone.context
    capture = f"/parole/atelier/{workshop.pk}/"
    check_in = f"/ateliers/{workshop.pk}/accueil/"
    phone.goto(check_in)
    phone.goto(capture)

    context.set_offline(True)
    texts = [f"Note {n:02d} : il faudrait plus de bancs" for n in range(50)]
    for n, text in enumerate(texts):
        _note(phone, n % questions, text)
    _waiting(phone).to_contain_text("50 saisies gardées sur ce téléphone, en attente d'envoi.")
    _waiting(phone).to_contain_text("Pas de réseau")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)

    phone.goto(check_in)  # without network: the copy kept this evening
    for person in people:
        phone.get_by_role("button", name=f"Arrivé·e\u00a0: {person.name}").tap()
        expect(
            phone.get_by_role("button", name=f"Annuler l'arrivée de {person.name}")
        ).to_be_visible()
    phone.get_by_label("Prénom (laissez vide").fill("Karim")
    phone.get_by_role("button", name="Ajouter et cocher comme arrivé·e").click()
    expect(phone.locator("ul.arrivals li", has_text="Karim")).to_have_class(re.compile("waiting"))
    _waiting(phone).to_contain_text("6 saisies gardées")
    phone.reload()
    for person in people:
        expect(phone.locator(f"#arrival-{person.pk}")).to_have_class(
            "arrival arrival--here is-waiting"
        )
    expect(phone.locator("ul.arrivals li.is-waiting", has_text="Karim")).to_be_visible()
    phone.goto(capture)
    phone.reload()
    expect(phone.locator(".is-waiting")).to_have_count(50)
    _waiting(phone).to_contain_text("50 saisies gardées")
    assert Contribution.objects.filter(workshop=workshop).count() == before
    assert not workshop.registrations.filter(checked_in_at__isnull=False).exists()

    context.set_offline(False)
    _waiting(phone).to_have_attribute("data-waiting", "0", timeout=SENDING)
    _waiting(phone).to_contain_text(ALL_SENT)
    expect(phone.locator(".is-waiting")).to_have_count(0)
    expect(phone.locator("ol.notes li")).to_have_count(before + 50)  # each shown once
    stored = Contribution.objects.filter(workshop=workshop).order_by("pk")
    assert [note.text for note in stored][before:] == texts
    arrived = workshop.registrations.filter(checked_in_at__isnull=False, is_walk_in=False)
    assert sorted(arrived.values_list("pk", flat=True)) == [person.pk for person in people]
    assert workshop.registrations.filter(is_walk_in=True, name="Karim").count() == 1
    # The notes left first, in the order they were made, then the arrivals.
    last_note = stored.last()
    assert last_note is not None
    assert all(
        (one.checked_in_at or last_note.created_at) >= last_note.created_at for one in arrived
    )

    # Reopened with the network: the server's page shows the 50, the phone adds none of its own.
    phone.reload()
    expect(phone.locator("ol.notes li")).to_have_count(before + 50)
    expect(phone.locator(".is-waiting")).to_have_count(0)
    assert_accessible(phone)


def test_a_connection_dropping_in_the_middle_of_a_send_stores_each_entry_once(
    new_page: Callable[..., Page], demo: Any, page_errors: PageErrors
) -> None:
    workshop, _ = _tonight(page_errors)
    before = Contribution.objects.filter(workshop=workshop).count()
    # Routes see the page's own requests only when no service worker stands in between.
    phone = _phone(new_page, service_workers="block")
    capture = f"/parole/atelier/{workshop.pk}/"
    dropped: list[str] = []

    def drop_the_answer(route: Route) -> None:
        if route.request.method == "POST" and len(dropped) < 2:
            route.fetch()  # the server stores the note...
            dropped.append(route.request.post_data or "")
            route.abort("internetdisconnected")  # ...and its answer is lost on the way back
        else:
            route.continue_()

    phone.goto(capture)
    phone.route(f"**{capture}", drop_the_answer)
    for n in range(4):
        _note(phone, 0, f"Coupure {n}")
    expect(phone.locator(".is-waiting")).not_to_have_count(0)
    phone.context.set_offline(True)
    phone.context.set_offline(False)  # the network returns: the phone sends what waits
    _waiting(phone).to_contain_text(ALL_SENT, timeout=SENDING)
    assert len(dropped) == 2
    stored = Contribution.objects.filter(workshop=workshop).order_by("pk")
    assert [note.text for note in stored][before:] == [f"Coupure {n}" for n in range(4)]


def test_what_the_server_refuses_is_shown_and_kept_until_the_facilitator_decides(
    new_page: Callable[..., Page], demo: Any, page_errors: PageErrors
) -> None:
    workshop, _ = _tonight(page_errors)
    phone = _with_the_app(new_page)
    _kept_offline(phone, workshop, "Des jeux pour les petits")
    Workshop.objects.filter(pk=workshop.pk).update(
        status=Status.CANCELLED, cancellation_reason="Salle inondée"
    )
    phone.context.set_offline(False)
    refused = phone.locator(".offline-status__refused li")
    expect(refused).to_contain_text("Pas accepté\u00a0:", timeout=SENDING)
    expect(refused).to_contain_text("Des jeux pour les petits")
    expect(refused).to_contain_text(
        "Cet atelier a été annulé\u00a0: plus rien ne peut y être noté."
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)
    phone.reload()  # kept on the phone, still shown
    expect(refused).to_contain_text("Des jeux pour les petits")
    refused.get_by_role("button", name="Le remettre dans le formulaire").click()
    text = phone.locator("#question-0").get_by_label("Ce qui a été dit")
    expect(text).to_have_value("Des jeux pour les petits")
    expect(text).to_be_focused()
    expect(refused).to_have_count(0)
    assert not Contribution.objects.filter(text="Des jeux pour les petits").exists()


def test_signing_out_asks_before_deleting_unsent_entries_then_deletes_everything(
    new_page: Callable[..., Page], demo: Any, page_errors: PageErrors
) -> None:
    workshop, _ = _tonight(page_errors)
    phone = _with_the_app(new_page)
    _kept_offline(phone, workshop, "Un composteur de quartier")
    sign_out = phone.get_by_role("button", name="Se déconnecter")
    # Answered by a handler as it opens: a question left open blocks the page, and the click
    # that opened it would wait for it (a flaky timeout when the dialog opened within the click).
    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    phone.once("dialog", dismiss)
    sign_out.click()
    for _ in range(100):  # the question comes after the click, from the page's script
        if asked:
            break
        phone.wait_for_timeout(50)
    expect(phone.locator(".is-waiting")).to_have_count(1)  # dismissed: nothing lost
    assert asked == [
        "1 saisie n'a pas encore été envoyée et sera effacée de ce téléphone si vous vous "
        "déconnectez maintenant. Se déconnecter quand même\u00a0?"
    ]
    expect(phone.get_by_role("button", name="Se déconnecter")).to_be_visible()
    again: list[str] = []
    phone.on("dialog", lambda dialog: again.append(dialog.message))
    phone.context.set_offline(False)
    _waiting(phone).to_contain_text(ALL_SENT, timeout=SENDING)
    sign_out.click()  # everything sent: no question
    expect(phone.get_by_text("Vous êtes déconnecté·e.")).to_be_visible()
    assert again == []
    kept = phone.evaluate(
        "Promise.all([caches.keys(), indexedDB.databases()])"
        ".then(([names, bases]) => names.length + bases.length)"
    )
    assert kept == 0
    assert Contribution.objects.filter(text="Un composteur de quartier").count() == 1


def test_my_workshops_keeps_tonights_screens_for_the_evening_without_network(
    new_page: Callable[..., Page], demo: Any, page_errors: PageErrors
) -> None:
    workshop, _ = _tonight(page_errors)
    phone = _with_the_app(new_page)  # "My workshops" only: tonight's screens are never opened
    kept = (
        "() => caches.keys().then(names => Promise.all(names.map(name => caches.open(name)"
        ".then(cache => cache.keys())))).then(lists => lists.flat().map(r => r.url))"
    )
    for _ in range(100):
        urls = phone.evaluate(kept)
        if sum(url.endswith(("/accueil/", f"/atelier/{workshop.pk}/")) for url in urls) == 2:
            break
        phone.wait_for_timeout(100)
    phone.context.set_offline(True)
    phone.goto(f"/ateliers/{workshop.pk}/accueil/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Accueil")
    phone.goto(f"/parole/atelier/{workshop.pk}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ce qui se dit")
    assert_accessible(phone)
    # A page never opened on this phone says so, in the phone's language.
    page_errors.allow_error_status(workshop.get_absolute_url())
    phone.goto(workshop.get_absolute_url())
    expect(phone.get_by_role("heading", level=1)).to_have_text("Pas de réseau")
    expect(phone.get_by_role("link", name="Mes ateliers")).to_be_visible()
    assert_accessible(phone)


def test_a_tick_refused_after_the_workshop_was_cancelled_is_undone_on_the_screen(
    new_page: Callable[..., Page], demo: Any, page_errors: PageErrors
) -> None:
    workshop, [person] = _tonight(page_errors, people=1)
    phone = _with_the_app(new_page)
    phone.goto(f"/ateliers/{workshop.pk}/accueil/")
    phone.context.set_offline(True)
    phone.get_by_role("button", name=f"Arrivé·e\u00a0: {person.name}").tap()
    _waiting(phone).to_contain_text("1 saisie gardée")
    Workshop.objects.filter(pk=workshop.pk).update(
        status=Status.CANCELLED, cancellation_reason="Salle inondée"
    )
    phone.context.set_offline(False)
    refused = phone.locator(".offline-status__refused li")
    expect(refused).to_contain_text(
        "Cet atelier a été annulé\u00a0: personne ne peut y être compté présent.", timeout=SENDING
    )
    expect(phone.get_by_role("button", name=f"Arrivé·e\u00a0: {person.name}")).to_be_visible()
    expect(phone.locator(f"#arrival-{person.pk}")).to_have_class("arrival")
    assert_accessible(phone)
