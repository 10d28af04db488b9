"""Cancelling asks first, and a cancelled registration can be taken up again (issue 16, item 7);
the registration's page and its email repeat what the person said they need."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World, sent_mail
from palabre.workshops import actions
from palabre.workshops.models import Registration, RegistrationStatus, Status, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop
from palabre.workshops.tests.test_registration import sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(world: World) -> Workshop:
    return make_hosted_workshop(world)


def _page(client: Client, registration: Registration, **post: str) -> str:
    url = reverse("workshops:registration", args=[registration.token])
    response = client.post(url, post, follow=True) if post else client.get(url)
    return html.unescape(response.text)


def test_cancelling_asks_first_and_a_no_keeps_the_place(workshop: Workshop) -> None:
    amina = sign_up(workshop, "Amina", "amina@example.org")
    asked = _page(Client(), amina, step="cancel")
    assert "Annuler votre inscription\u00a0?" in asked
    assert Registration.objects.get(pk=amina.pk).status == RegistrationStatus.CONFIRMED
    done = _page(Client(), amina, step="cancel_confirmed")
    assert "Votre inscription est annulée." in done
    assert Registration.objects.get(pk=amina.pk).status == RegistrationStatus.CANCELLED


def test_a_page_from_before_the_question_asks_too(workshop: Workshop) -> None:
    amina = sign_up(workshop, "Amina", "amina@example.org")
    assert "Annuler votre inscription\u00a0?" in _page(Client(), amina, other="1")
    assert Registration.objects.get(pk=amina.pk).status == RegistrationStatus.CONFIRMED


def test_a_cancelled_registration_is_taken_up_again_once(workshop: Workshop) -> None:
    amina = sign_up(workshop, "Amina", "amina@example.org")
    actions.cancel_registration(token=amina.token)
    sent_mail().clear()
    page = _page(Client(), amina, step="register_again")
    assert "Vous êtes de nouveau inscrit·e. À bientôt\u00a0!" in page
    _page(Client(), amina, step="register_again")  # twice: nothing more
    amina.refresh_from_db()
    assert (amina.status, amina.cancelled_at) == (RegistrationStatus.CONFIRMED, None)
    assert [m.to for m in sent_mail()] == [["amina@example.org"]]  # one confirmation


def test_taken_up_again_when_full_goes_to_the_waiting_list(workshop: Workshop) -> None:
    people = [sign_up(workshop, f"P{i}", f"p{i}@example.org") for i in range(3)]
    actions.cancel_registration(token=people[0].token)
    sign_up(workshop, "Lea", "lea@example.org")  # took the freed place
    again = actions.register_again(token=people[0].token)
    assert again is not None
    assert again.status == RegistrationStatus.WAITING
    assert workshop.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 3


def test_no_taking_up_again_once_registrations_are_closed(workshop: Workshop) -> None:
    amina = sign_up(workshop, "Amina", "amina@example.org")
    actions.cancel_registration(token=amina.token)
    Workshop.objects.filter(pk=workshop.pk).update(status=Status.HELD)
    page = _page(Client(), amina)
    assert "Se réinscrire" not in page
    refused = _page(Client(), amina, step="register_again")
    assert "Les inscriptions à cet atelier sont fermées." in refused
    assert Registration.objects.get(pk=amina.pk).status == RegistrationStatus.CANCELLED


def test_the_page_and_the_email_repeat_what_the_person_needs(workshop: Workshop) -> None:
    rosa = sign_up(
        workshop, "Rosa", "rosa@example.org", needs_step_free_access=True, needs_childcare=True
    )
    page = _page(Client(), rosa)
    assert "Ce dont vous avez besoin pour participer" in page
    (confirmation,) = [m for m in sent_mail() if m.to == ["rosa@example.org"]]
    assert "Ce dont vous nous avez dit avoir besoin\u00a0:" in confirmation.body
    for label in ("garderie", "accès sans marche"):
        assert label in page
        assert label in confirmation.body


def test_moving_or_cancelling_after_a_walk_in_with_an_email_tells_the_registrants_only(
    world: World, workshop: Workshop
) -> None:
    # Found by the mutation run: a walk-in has no private link, and every registrant email
    # points to one; moving or cancelling the workshop afterwards was a server error.
    amina = sign_up(workshop, "Amina", "amina@example.org")
    actions.add_walk_in(
        by=world.person("facilitator"),
        workshop=workshop,
        name="Marc",
        email="marc@example.org",
        key="walk-in-key-0000000001",
    )
    sent_mail().clear()
    assert workshop.starts_at is not None
    workshop.starts_at = workshop.starts_at.replace(minute=45)
    actions.plan_workshop(by=world.person("coordinator"), workshop=workshop)
    actions.cancel_workshop(
        by=world.person("coordinator"), workshop=workshop, reason="La salle est inondée."
    )
    told = [m.to for m in sent_mail()]
    assert told == [[amina.email], [amina.email]]  # the move, then the cancellation


def test_every_email_to_a_registrant_carries_the_reference_to_read_out(
    world: World, workshop: Workshop
) -> None:
    amina = sign_up(workshop, "Amina", "amina@example.org")
    assert amina.link is not None
    assert workshop.starts_at is not None
    workshop.starts_at = workshop.starts_at.replace(minute=45)
    actions.plan_workshop(by=world.person("coordinator"), workshop=workshop)  # moved
    actions.cancel_workshop(by=world.person("coordinator"), workshop=workshop, reason="Grève.")
    mails = [m for m in sent_mail() if m.to == ["amina@example.org"]]
    assert len(mails) == 3  # registered, moved, cancelled
    for mail in mails:
        assert f"Votre référence\u00a0: {amina.link.reference}" in mail.body
