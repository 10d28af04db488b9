"""A human to reach (issue 16, item 2): the service's name, a named contact, its phone number
and address at the foot of every page and of every email."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from palabre.core.testing import sent_mail
from palabre.outbox.actions import queue_mail

pytestmark = pytest.mark.django_db

SERVICE = {
    "SERVICE_NAME": "Service de Cohésion sociale",
    "SERVICE_CONTACT": "Marie Lambert",
    "SERVICE_PHONE": "081 24 63 00",
    "SERVICE_ADDRESS": "Rue de Fer 42, 5000 Namur",
    "SERVICE_HOURS": {
        "fr": "du lundi au vendredi, de 9 h à 12 h",
        "nl": "maandag tot vrijdag, 9 tot 12 uur",
        "en": "",
    },
}


@override_settings(**SERVICE)
def test_every_page_says_whom_to_call() -> None:
    for path in ("/", "/demandes/", "/compte/connexion/"):
        page = Client().get(path).text
        assert '<a href="tel:081246300">081 24 63 00</a>' in page
        assert "demandez Marie Lambert" in page
        assert "Rue de Fer 42, 5000 Namur" in page
    dutch = Client().get("/", headers={"accept-language": "nl"}).text
    assert "vraag naar Marie Lambert" in dutch


@override_settings(**SERVICE)
def test_every_email_ends_with_a_human_to_reach() -> None:
    queue_mail(to=["amina@example.org"], subject="Rappel", body="À bientôt.\n\n", kind="test")
    (mail,) = sent_mail()
    assert mail.body == (
        "À bientôt.\n\n-- \nService de Cohésion sociale — Marie Lambert\n"
        "081 24 63 00 (du lundi au vendredi, de 9 h à 12 h) · Rue de Fer 42, 5000 Namur\n"
    )


@override_settings(**SERVICE)
def test_the_opening_hours_are_written_in_the_readers_language() -> None:
    assert "(du lundi au vendredi, de 9 h à 12 h)" in Client().get("/").text
    dutch = Client().get("/", headers={"accept-language": "nl"}).text
    assert "(maandag tot vrijdag, 9 tot 12 uur)" in dutch
    queue_mail(to=["jan@example.org"], subject="Herinnering", body="Tot dan.", language="nl")
    (mail,) = sent_mail()
    assert "081 24 63 00 (maandag tot vrijdag, 9 tot 12 uur) · " in mail.body
    # A language the city wrote no hours for gets the French ones rather than none.
    english = Client().get("/", headers={"accept-language": "en"}).text
    assert "(du lundi au vendredi, de 9 h à 12 h)" in english


@override_settings(**SERVICE | {"SERVICE_CONTACT": ""})
def test_without_a_named_contact_nobody_is_named() -> None:
    assert "demandez" not in Client().get("/").text
    queue_mail(to=["amina@example.org"], subject="Rappel", body="À bientôt.", kind="test")
    (mail,) = sent_mail()
    assert "\nService de Cohésion sociale\n" in mail.body


@override_settings(
    **SERVICE
    | {
        "SERVICE_NAME_IN": {"nl": "Dienst Sociale Cohesie", "en": ""},
        "SERVICE_ADDRESS_IN": {"nl": "IJzerstraat 42, 5000 Namen", "en": ""},
    }
)
def test_the_service_s_name_and_address_are_written_for_each_language_where_given() -> None:
    dutch = Client().get("/", headers={"accept-language": "nl"}).text
    assert "Dienst Sociale Cohesie" in dutch
    assert "IJzerstraat 42, 5000 Namen" in dutch
    assert "Service de Cohésion sociale" not in dutch
    queue_mail(to=["jan@example.org"], subject="Herinnering", body="Tot dan.", language="nl")
    (mail,) = sent_mail()
    assert "\nDienst Sociale Cohesie — Marie Lambert\n" in mail.body
    assert mail.body.rstrip().endswith("· IJzerstraat 42, 5000 Namen")
    # English left empty: the city's own name and address.
    english = Client().get("/", headers={"accept-language": "en"}).text
    assert "Service de Cohésion sociale" in english
    assert "Rue de Fer 42, 5000 Namur" in english
