"""A human to reach (issue 16, item 2): a resident leaves a name and a phone number, without an
account; the request lands on the coordinator's Monday page; the call is marked done."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palabre.callbacks import actions
from palabre.callbacks.models import CallbackRequest
from palabre.core import phones
from palabre.core.testing import World, error_summary
from palabre.privacy.actions import apply_retention

pytestmark = pytest.mark.django_db
ASK = reverse("callbacks:ask")
WEEK = reverse("week:week")


def _form(**fields: str) -> dict[str, str]:
    return {
        "key": "a-key-the-server-gave-0001",
        "name": "Amina",
        "phone": "0470 12 34 56",
        "best_time": "morning",
        "about": "Pour m'inscrire à l'atelier de Bomel",
    } | fields


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("0470 12 34 56", "+32470123456", "0470 12 34 56"),
        ("0470/12.34.56", "+32470123456", "0470 12 34 56"),
        ("+32 81 24 63 00", "+3281246300", "081 24 63 00"),
        ("0032 81 24 63 00", "+3281246300", "081 24 63 00"),
        ("+33 6 12 34 56 78", "+33612345678", "+33 6 12 34 56 78"),
    ],
)
def test_a_number_is_stored_as_dialled_and_shown_as_written(
    typed: str, stored: str, shown: str
) -> None:
    assert phones.normalise(typed) == stored
    assert phones.readable(stored) == shown


@pytest.mark.parametrize("typed", ["12", "0470 12 34", "pas de téléphone", "+99 123", "0000000000"])
def test_a_number_nobody_could_dial_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        phones.normalise(typed)


def test_a_resident_without_an_account_asks_to_be_called_back() -> None:
    response = Client().post(ASK, _form(), follow=True)
    assert response.redirect_chain == [(reverse("callbacks:thanks"), 302)]
    assert (
        "Merci, Amina. Nous appellerons le 0470 12 34 56 (le matin), en général dans les deux "
        "jours ouvrables." in response.text
    )
    (callback,) = CallbackRequest.objects.all()
    assert (callback.name, callback.phone, callback.language) == ("Amina", "+32470123456", "fr")
    assert (callback.best_time, callback.about) == (
        "morning",
        "Pour m'inscrire à l'atelier de Bomel",
    )


def test_the_language_of_the_page_is_the_language_to_call_in() -> None:
    Client().post(ASK, _form(), headers={"accept-language": "nl"})
    assert CallbackRequest.objects.get().language == "nl"


def test_a_bad_number_is_explained_next_to_the_field_and_what_was_typed_stays() -> None:
    response = Client().post(ASK, _form(phone="0470 12"))
    assert response.status_code == 200
    assert "Écrivez un numéro de téléphone que nous pouvons appeler" in response.text
    assert 'value="0470 12"' in response.text
    assert 'value="Amina"' in response.text
    assert "Pour m'inscrire à l'atelier de Bomel" in unescape(response.text)
    # The error summary takes the focus and links to the field (ADR 0061).
    assert error_summary(response.text) == ["#id_phone"]
    assert response.text.count('aria-invalid="true"') == 1
    assert 'aria-describedby="id_phone_error" id="id_phone"' in response.text
    assert not CallbackRequest.objects.exists()


def test_a_form_without_the_servers_key_is_refused_and_nothing_is_queued() -> None:
    fields = _form()
    del fields["key"]
    assert Client().post(ASK, fields).status_code == 200
    assert not CallbackRequest.objects.exists()


def test_the_same_form_sent_twice_queues_one_call() -> None:
    client = Client()
    client.post(ASK, _form())
    client.post(ASK, _form())
    assert CallbackRequest.objects.count() == 1


def test_a_number_already_waiting_is_not_queued_again_and_the_first_request_stays() -> None:
    first = actions.ask_callback(key="k" * 20, name="Amina", phone="+32470123456", language="fr")
    again = actions.ask_callback(
        key="j" * 20, name="Quelqu'un d'autre", phone="+32470123456", language="nl"
    )
    assert first.created
    assert not again.created
    assert again.callback.pk == first.callback.pk
    assert CallbackRequest.objects.get().name == "Amina"  # nothing overwritten by a stranger


def test_a_stranger_learns_nothing_about_someone_elses_request() -> None:
    actions.ask_callback(
        key="k" * 20, name="Amina", phone="+32470123456", language="fr", about="Ma voisine"
    )
    page = Client().post(ASK, _form(name="Curieux", about=""), follow=True).text
    assert "Merci, Curieux." in page
    assert "Amina" not in page
    assert "Ma voisine" not in page


def test_the_monday_page_lists_who_to_call_and_the_call_is_marked_once(world: World) -> None:
    actions.ask_callback(
        key="k" * 20,
        name="Amina",
        phone="+32470123456",
        language="nl",
        best_time="afternoon",
        about="Inscription",
    )
    coordinator, administrator = Client(), Client()
    coordinator.force_login(world.person("coordinator"))
    administrator.force_login(world.person("administrator"))
    page = coordinator.get(WEEK).text
    assert "1 personne à rappeler" in page
    assert '<a href="tel:+32470123456">0470 12 34 56</a>' in page
    assert "L'après-midi" in unescape(page)
    assert "parle Nederlands" in page
    callback = CallbackRequest.objects.get()
    url = reverse("callbacks:called", args=[callback.pk])
    done = coordinator.post(url, follow=True)
    assert "Amina a été rappelé·e." in done.text
    assert "Personne n'attend d'appel." in unescape(done.text)
    late = administrator.post(url, follow=True)  # a colleague pressing it too
    assert "Amina avait déjà été rappelé·e." in late.text
    callback.refresh_from_db()
    assert callback.called_by == world.person("coordinator")


def test_only_the_service_marks_a_call(world: World) -> None:
    asked = actions.ask_callback(key="k" * 20, name="A", phone="+32470123456", language="fr")
    for persona in ("resident", "facilitator", "partner", "official"):
        with pytest.raises(PermissionDenied):
            actions.mark_called(by=world.person(persona), callback=asked.callback)
    assert CallbackRequest.objects.get().called_at is None


def test_once_called_the_same_number_can_ask_again(world: World) -> None:
    first = actions.ask_callback(key="k" * 20, name="A", phone="+32470123456", language="fr")
    actions.mark_called(by=world.person("coordinator"), callback=first.callback)
    again = actions.ask_callback(key="j" * 20, name="A", phone="+32470123456", language="fr")
    assert again.created


def test_a_request_is_forgotten_30_days_after_the_call_not_before(world: World) -> None:
    asked = actions.ask_callback(key="k" * 20, name="A", phone="+32470123456", language="fr")
    waiting = actions.ask_callback(key="j" * 20, name="B", phone="+32470999999", language="fr")
    actions.mark_called(by=world.person("coordinator"), callback=asked.callback)
    called_at = CallbackRequest.objects.get(pk=asked.callback.pk).called_at
    assert called_at is not None
    assert apply_retention(now=called_at + timedelta(days=29)).callbacks == 0
    assert apply_retention(now=called_at + timedelta(days=30)).callbacks == 1
    assert list(CallbackRequest.objects.values_list("pk", flat=True)) == [waiting.callback.pk]
    assert apply_retention(now=timezone.now() + timedelta(days=365)).callbacks == 0
