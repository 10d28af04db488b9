"""Details of registering, walking in and being written to that the mutation run of the
workshops' actions found unpinned (docs/mutation/workshops.md)."""

from __future__ import annotations

import pytest
from django.utils import translation

from palabre.core.testing import World, sent_mail
from palabre.workshops import actions
from palabre.workshops.models import Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(world: World) -> Workshop:
    workshop = make_hosted_workshop(world, title="Bien vivre à Bomel", days_from_now=12)
    workshop.translations = {"nl": {"title": "Goed samenleven in Bomel"}}
    workshop.save(update_fields=["translations"])
    return workshop


def test_a_blank_name_without_an_account_is_refused_with_its_reason(workshop: Workshop) -> None:
    with pytest.raises(actions.WorkshopError, match="vide"):
        actions.register(workshop=workshop, by=None, name="   ", email="x@example.org")
    assert not workshop.registrations.exists()


def test_every_reason_of_a_refusal_is_given_one_after_the_other(workshop: Workshop) -> None:
    with pytest.raises(actions.WorkshopError) as refused:
        actions.register(workshop=workshop, by=None, name="x" * 101, phone="0" * 40)
    reasons = str(refused.value)
    assert "100" in reasons
    assert "XX" not in reasons
    assert ". " in reasons  # the two reasons, each a sentence, separated by a space
    assert not workshop.registrations.exists()


def test_an_address_already_registered_gets_its_link_again_with_the_title_in_its_language(
    workshop: Workshop,
) -> None:
    with translation.override("nl"):
        actions.register(workshop=workshop, by=None, name="Lea", email="lea@example.org")
    sent_mail().clear()
    with translation.override("fr"):  # someone types Lea's address on a French page
        again = actions.register(workshop=workshop, by=None, name="?", email="lea@example.org")
    assert (again.created, again.mine) == (False, False)
    (link_mail,) = sent_mail()
    assert link_mail.to == ["lea@example.org"]
    assert "Goed samenleven in Bomel" in link_mail.subject
    assert "Bien vivre" not in link_mail.subject


def test_a_signed_in_resident_s_link_speaks_their_language_whatever_the_page(
    world: World, workshop: Workshop
) -> None:
    resident = world.person("resident")
    resident.preferred_language = "nl"
    resident.save()
    with translation.override("fr"):  # registering from a French page
        registration = actions.register(workshop=workshop, by=resident, name="").registration
    assert registration.link is not None
    assert registration.link.language == "nl"
    sent_mail().clear()
    # Someone else types the resident's address: the link mailed again is in Dutch.
    with translation.override("fr"):
        actions.register(workshop=workshop, by=None, name="?", email=resident.email)
    (link_mail,) = sent_mail()
    assert link_mail.to == [resident.email]
    assert "Goed samenleven in Bomel" in link_mail.subject


def test_a_walk_in_who_does_not_say_how_they_heard_has_no_channel(
    world: World, workshop: Workshop
) -> None:
    person = actions.add_walk_in(
        by=world.person("facilitator"), workshop=workshop, name="Rosa", key="walk-in-rosa-0001"
    )
    person.refresh_from_db()
    assert person.channel == ""
