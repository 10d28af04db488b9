from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from palabre.core.testing import World, sent_mail
from palabre.workshops import actions
from palabre.workshops.models import Registration, RegistrationStatus, Status, Workshop
from palabre.workshops.tests.factories import make_cycle, make_hosted_workshop, make_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(world: World) -> Workshop:
    return make_hosted_workshop(world)


def sign_up(workshop: Workshop, name: str, email: str = "", **extra: Any) -> Registration:
    return actions.register(
        workshop=workshop, by=None, name=name, email=email, **extra
    ).registration


def test_places_go_first_come_and_then_to_the_waiting_list(workshop: Workshop) -> None:
    statuses = [sign_up(workshop, f"P{i}", f"p{i}@example.org").status for i in range(5)]
    assert statuses == ["confirmed"] * 3 + ["waiting"] * 2


def test_the_same_email_registering_twice_gets_the_same_registration(workshop: Workshop) -> None:
    first = actions.register(workshop=workshop, by=None, name="Amina", email="amina@example.org")
    again = actions.register(workshop=workshop, by=None, name="Amina B", email="AMINA@example.org")
    assert first.created
    assert not again.created
    assert again.registration.pk == first.registration.pk
    assert workshop.registrations.count() == 1


def test_the_database_refuses_a_second_active_registration_for_one_email(
    workshop: Workshop,
) -> None:
    sign_up(workshop, "Amina", "amina@example.org")
    with pytest.raises(IntegrityError):
        Registration.objects.create(
            workshop=workshop,
            name="Twin",
            email="Amina@example.org",
            status=RegistrationStatus.CONFIRMED,
        )


def test_people_without_email_can_all_register(workshop: Workshop) -> None:
    sign_up(workshop, "Marc")
    sign_up(workshop, "Marc")
    assert workshop.registrations.count() == 2


def test_cancelling_gives_the_place_to_the_first_on_the_waiting_list(
    workshop: Workshop, django_capture_on_commit_callbacks: Any
) -> None:
    people = [sign_up(workshop, f"P{i}", f"p{i}@example.org") for i in range(5)]
    sent_mail().clear()  # the confirmations
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_registration(token=people[1].token)
    statuses = {r.name: r.status for r in Registration.objects.all()}
    assert statuses == {
        "P0": "confirmed",
        "P1": "cancelled",
        "P2": "confirmed",
        "P3": "confirmed",
        "P4": "waiting",
    }
    assert [m.to for m in sent_mail()] == [["p3@example.org"]]
    assert "Une place s'est libérée" in sent_mail()[0].subject


def test_cancelling_twice_changes_nothing_more(workshop: Workshop) -> None:
    people = [sign_up(workshop, f"P{i}", f"p{i}@example.org") for i in range(5)]
    actions.cancel_registration(token=people[0].token)
    actions.cancel_registration(token=people[0].token)
    assert workshop.registrations.filter(status="confirmed").count() == 3
    assert workshop.registrations.filter(status="waiting").count() == 1


def test_registration_is_closed_unless_the_workshop_is_announced_and_to_come(
    world: World,
) -> None:
    cycle = make_cycle([world.home])
    for workshop in (
        make_workshop(cycle=cycle, neighbourhood=world.home, status=Status.PLANNED),
        make_workshop(cycle=cycle, neighbourhood=world.home, venue=world.venue, days_from_now=-3),
    ):
        with pytest.raises(actions.WorkshopError, match="fermées"):
            sign_up(workshop, "Amina")


def test_a_workshop_without_venue_cannot_be_announced(world: World) -> None:
    cycle = make_cycle([world.home])
    workshop = make_workshop(cycle=cycle, neighbourhood=world.home, status=Status.PLANNED)
    with pytest.raises(actions.WorkshopError) as error:
        actions.announce_workshop(by=world.user("coordinator"), workshop=workshop)
    assert str(error.value) == (
        "Cet atelier ne peut pas encore être annoncé\u00a0: il lui faut un lieu."
    )


def test_the_database_refuses_an_announced_workshop_without_date(world: World) -> None:
    cycle = make_cycle([world.home])
    with pytest.raises(IntegrityError):
        Workshop.objects.create(
            cycle=cycle,
            neighbourhood=world.home,
            venue=world.venue,
            title="Sans date",
            status=Status.ANNOUNCED,
        )


def test_a_status_that_skips_the_life_cycle_is_refused(world: World) -> None:
    workshop = make_hosted_workshop(world, days_from_now=0)
    with pytest.raises(actions.WorkshopError, match="annoncé ne peut pas devenir annoncé"):
        actions.announce_workshop(by=world.user("coordinator"), workshop=workshop)
    actions.mark_held(by=world.user("coordinator"), workshop=workshop)
    with pytest.raises(actions.WorkshopError):
        actions.cancel_workshop(by=world.user("coordinator"), workshop=workshop, reason="x")


def test_cancelling_a_workshop_needs_a_reason_and_tells_registrants(
    workshop: Workshop, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    sign_up(workshop, "Amina", "amina@example.org")
    sign_up(workshop, "Marc")
    sent_mail().clear()  # the confirmation
    with pytest.raises(actions.WorkshopError):
        actions.cancel_workshop(by=world.user("coordinator"), workshop=workshop, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel_workshop(
            by=world.user("coordinator"), workshop=workshop, reason="La salle est inondée."
        )
    assert [m.to for m in sent_mail()] == [["amina@example.org"]]
    assert "La salle est inondée." in str(sent_mail()[0].body)


def test_only_the_service_changes_a_workshop(workshop: Workshop, world: World) -> None:
    from django.core.exceptions import PermissionDenied

    for persona in ("resident", "facilitator", "partner", "official"):
        with pytest.raises(PermissionDenied):
            actions.mark_held(by=world.user(persona), workshop=workshop)


def test_a_resident_registers_without_an_account_and_can_cancel_from_the_link(
    workshop: Workshop, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workshops:register", args=[workshop.pk]),
            {
                "name": "Amina",
                "email": "amina@example.org",
                "needs_childcare": "on",
                "channel": "tract-bomel",
            },
        )
    registration = Registration.objects.get()
    assert response["Location"] == reverse("workshops:registration", args=[registration.token])
    assert (registration.needs_childcare, registration.channel) == (True, "tract-bomel")
    assert registration.token in str(sent_mail()[0].body)
    page = client.get(response["Location"]).text
    assert "Inscrit·e" in page
    client.post(response["Location"], {"step": "cancel_confirmed"})
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_a_full_workshop_says_so_when_registering(workshop: Workshop) -> None:
    for i in range(3):
        sign_up(workshop, f"P{i}", f"p{i}@example.org")
    response = Client().post(
        reverse("workshops:register", args=[workshop.pk]), {"name": "Late"}, follow=True
    )
    assert "vous êtes sur la liste d'attente" in html.unescape(response.text)


def test_bad_registration_input_is_explained_and_nothing_is_saved(workshop: Workshop) -> None:
    response = Client().post(
        reverse("workshops:register", args=[workshop.pk]),
        {"name": "", "email": "not-an-email", "phone": "call me"},
    )
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "Saisissez une adresse de courriel valide." in page
    assert "Écrivez un numéro de téléphone" in page
    assert "Écrivez votre prénom ou un pseudonyme." in page
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("resident", False),
        ("neighbour", False),
        ("official", False),
        ("partner", True),
        ("facilitator", True),
        ("coordinator", True),
    ],
)
def test_contact_details_are_shown_only_to_the_service_the_facilitators_and_the_host(
    workshop: Workshop, world: World, persona: str, sees: bool
) -> None:
    sign_up(workshop, "Amina", "amina@example.org", phone="0470 12 34 56")
    client = Client()
    client.force_login(world.person(persona))
    page = (
        client.get(workshop.get_absolute_url()).text
        + client.get(reverse("workshops:registrations", args=[workshop.pk])).text
    )
    assert ("amina@example.org" in page) is sees
    assert ("0470 12 34 56" in page) is sees


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_the_workshop_page_makes_a_constant_number_of_queries(
    workshop: Workshop, django_assert_num_queries: Any
) -> None:
    client = Client()
    client.get(workshop.get_absolute_url())
    with django_assert_num_queries(5):
        client.get(workshop.get_absolute_url())
    for i in range(3):
        sign_up(workshop, f"P{i}", f"p{i}@example.org")
    with django_assert_num_queries(5):
        client.get(workshop.get_absolute_url())


def test_dates_are_written_the_belgian_way(workshop: Workshop) -> None:
    page = Client().get(workshop.get_absolute_url()).text
    assert " à 18 h 30" in page
    dutch = Client(headers={"accept-language": "nl"}).get(workshop.get_absolute_url()).text
    assert " om 18.30 uur" in dutch


def test_the_same_form_sent_twice_is_one_registration_told_as_already_made(
    world: World, workshop: Workshop
) -> None:
    key = "k" * 24
    first = actions.register(workshop=workshop, by=None, name="Léa", key=key)
    again = actions.register(workshop=workshop, by=None, name="Léa", key=key)
    assert (first.created, again.created, again.mine) == (True, False, True)
    assert again.registration.pk == first.registration.pk
    # The key replayed at another workshop never hands over this registration.
    other = make_hosted_workshop(world)
    with pytest.raises(actions.WorkshopError, match="déjà été envoyé\u00a0: rechargez la page"):
        actions.register(workshop=other, by=None, name="Léa", key=key)
    assert not other.registrations.exists()


def test_a_signed_in_resident_registering_again_finds_their_registration(
    world: World, workshop: Workshop
) -> None:
    resident = world.person("resident")
    first = actions.register(workshop=workshop, by=resident, name="R", email="r1@example.org")
    again = actions.register(workshop=workshop, by=resident, name="R", email="r2@example.org")
    assert (again.created, again.mine) == (False, True)
    assert again.registration.pk == first.registration.pk


def test_a_cancellation_promotes_nobody_while_the_workshop_is_over_its_capacity(
    world: World, workshop: Workshop
) -> None:
    people = [sign_up(workshop, f"P{i}", f"p{i}@example.org") for i in range(4)]
    assert [p.status for p in people] == ["confirmed"] * 3 + ["waiting"]
    workshop.capacity = 1  # a smaller room: two confirmed too many
    actions.plan_workshop(by=world.person("coordinator"), workshop=workshop)
    actions.cancel_registration(token=people[0].token)
    people[3].refresh_from_db()
    assert people[3].status == "waiting"


def test_a_resident_without_account_is_written_to_in_the_language_of_the_page_even_later(
    workshop: Workshop,
) -> None:
    with translation.override("nl"):
        lea = actions.register(workshop=workshop, by=None, name="Lea", email="lea@example.org")
    assert (lea.registration.phone, lea.registration.needs_childcare) == ("", False)
    (confirmation,) = [m for m in sent_mail() if m.to == ["lea@example.org"]]
    assert confirmation.subject.startswith("Uw inschrijving")
    assert "U bent ingeschreven" in confirmation.body
    assert f"{settings.SITE_URL}{workshop.get_absolute_url()}" in confirmation.body
    assert "Hallo Lea" in confirmation.body
    # Two days before, the reminder is written outside any page: still in Dutch.
    assert workshop.starts_at is not None
    with time_machine.travel(workshop.starts_at - timedelta(days=2, minutes=-1)):
        assert actions.deliver_reminder(registration_id=lea.registration.pk) == "queued"
        (reminder,) = [m for m in sent_mail() if m.subject.startswith("Herinnering")]
    assert reminder.to == ["lea@example.org"]
    # Down to the signature: the service's opening hours in Dutch, not in French.
    for mail in (confirmation, reminder):
        assert settings.SERVICE_HOURS["nl"] in mail.body
        assert settings.SERVICE_HOURS["fr"] not in mail.body


def test_what_a_registrant_needs_is_kept(workshop: Workshop) -> None:
    needs = actions.register(
        workshop=workshop,
        by=None,
        name="Rosa",
        needs_step_free_access=True,
        needs_hearing_loop=True,
        interpretation_language="  langue des signes ",
    ).registration
    needs.refresh_from_db()
    assert (needs.needs_step_free_access, needs.needs_hearing_loop) == (True, True)
    assert needs.interpretation_language == "langue des signes"


def test_a_signed_in_resident_is_registered_under_their_name_and_written_to_in_their_language(
    world: World, workshop: Workshop
) -> None:
    resident = world.person("resident")
    resident.preferred_language = "nl"
    resident.save()
    with translation.override("fr"):  # registering from a French page
        registration = actions.register(workshop=workshop, by=resident, name="").registration
    assert registration.name == resident.display_name
    (confirmation,) = [m for m in sent_mail() if m.to == [resident.email]]
    assert confirmation.subject.startswith("Uw inschrijving")


def test_a_name_too_long_is_refused_with_its_reason(workshop: Workshop) -> None:
    with pytest.raises(actions.WorkshopError, match="100"):
        actions.register(workshop=workshop, by=None, name="x" * 101)
    assert not workshop.registrations.exists()
