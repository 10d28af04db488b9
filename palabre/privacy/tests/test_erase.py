"""Erasing: an account, or what a private link opens. Contacts go; what was said stays."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.accounts import actions as account_actions
from palabre.accounts.models import SignInCode, SignInFailure, User
from palabre.contributions import actions as contribution_actions
from palabre.contributions.models import Contribution, Event, EventKind, MeToo, Reason
from palabre.contributions.tests.factories import make_post
from palabre.core.testing import World
from palabre.initiatives import actions as initiative_actions
from palabre.initiatives.models import Volunteer
from palabre.initiatives.tests.factories import make_initiative
from palabre.links.models import AccessLink
from palabre.official_requests import actions as request_actions
from palabre.official_requests.models import Follower
from palabre.official_requests.tests.factories import make_request
from palabre.outbox.models import MailStatus, OutgoingMail
from palabre.privacy import actions
from palabre.workshops import actions as workshop_actions
from palabre.workshops.models import Registration
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


def _link(pk: int | None) -> AccessLink:
    return AccessLink.objects.get(pk=pk or 0)


def test_a_resident_erases_their_account_and_what_they_said_stays_without_their_name(
    world: World,
) -> None:
    resident = world.person("resident")
    workshop = make_hosted_workshop(world)
    registration = workshop_actions.register(
        workshop=workshop, by=resident, name="Youssef", phone="0470 11 22 33"
    ).registration
    initiative = make_initiative(world)
    initiative_actions.sign_up(by=resident, initiative=initiative)
    said = make_post(world.home, "Plus de bancs rue de Bomel.", by=resident, author_name="Youssef")
    contribution_actions.say_me_too(
        by=resident, contribution=make_post(world.home, "Et des arbres.")
    )
    request = make_request(world, sent=True)
    request_actions.follow(by=resident, request=request, following=True)
    account_actions.send_sign_in_code(email="resident@example.org")
    account_actions.record_sign_in_failure(email="resident@example.org", ip_address=None)
    someone_else = workshop_actions.register(
        workshop=workshop, by=None, name="Fatou", email="fatou@example.org"
    ).registration
    client = Client()
    client.force_login(resident)
    assert client.get(reverse("privacy:erase")).status_code == 200
    # Without the box ticked, nothing happens and the page says why.
    refused = client.post(reverse("privacy:erase"), {})
    assert "Cochez la case pour confirmer." in refused.text
    resident.refresh_from_db()
    assert resident.is_active

    done = client.post(reverse("privacy:erase"), {"confirm": "on"})

    assert done.status_code == 302
    resident.refresh_from_db()
    assert not resident.is_active
    assert not resident.has_usable_password()
    assert (resident.email, resident.display_name) == (f"erased-{resident.pk}@invalid", "Anonyme")
    registration.refresh_from_db()
    assert (registration.name, registration.email, registration.phone) == ("Anonyme", "", "")
    link = _link(registration.link_id)
    assert link.revoked_at is not None
    assert (link.email, link.phone) == ("", "")
    volunteer = Volunteer.objects.get(initiative=initiative)
    assert (volunteer.name, volunteer.email) == ("Anonyme", "")
    assert not initiative.leads.filter(pk=resident.pk).exists()
    said.refresh_from_db()
    assert said.text == "Plus de bancs rue de Bomel."  # what they said, as they said it
    assert (said.author, said.author_name) == (None, "un·e habitant·e")
    assert Event.objects.filter(contribution=said, kind=EventKind.ANONYMISED).count() == 1
    assert MeToo.objects.filter(user=resident).count() == 1  # still counts once, nameless
    assert not Follower.objects.filter(user=resident).exists()
    assert not SignInCode.objects.filter(user=resident).exists()
    assert not SignInFailure.objects.exists()
    assert not OutgoingMail.objects.filter(to__icontains="resident@example.org").exists()
    # Someone else's registration is untouched.
    someone_else.refresh_from_db()
    assert (someone_else.name, someone_else.email) == ("Fatou", "fatou@example.org")
    # Signed out; the address can open a new account later.
    assert client.get(reverse("accounts:account")).status_code == 302
    again = account_actions.create_user(by=None, email="resident@example.org", display_name="Y")
    assert again.pk != resident.pk


def test_an_email_still_waiting_for_an_erased_address_is_not_sent(world: World) -> None:
    resident = world.person("resident")
    workshop_actions.register(workshop=make_hosted_workshop(world), by=resident, name="Youssef")
    waiting = OutgoingMail.objects.get(to=["resident@example.org"])
    shared = OutgoingMail.objects.create(
        to=["resident@example.org", "voisin@example.org"], subject="Fête", body="..."
    )

    actions.erase_account(by=resident, user=resident)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.to, waiting.body) == (MailStatus.FAILED, [], "")
    shared.refresh_from_db()
    assert (shared.status, shared.to) == (MailStatus.PENDING, ["voisin@example.org"])


def test_nobody_erases_someone_else_and_staff_accounts_are_closed_by_the_administrator(
    world: World,
) -> None:
    resident = world.person("resident")
    with pytest.raises(PermissionDenied):
        actions.erase_account(by=world.person("neighbour"), user=resident)
    with pytest.raises(PermissionDenied):
        actions.erase_account(by=None, user=resident)
    with pytest.raises(PermissionDenied):
        actions.erase_account(by=world.person("administrator"), user=resident)
    facilitator = world.person("facilitator")
    with pytest.raises(PermissionDenied):
        actions.erase_account(by=facilitator, user=facilitator)
    client = Client()
    client.force_login(facilitator)
    page = client.get(reverse("privacy:erase"))
    assert "délégué à la protection des données" in page.text
    client.post(reverse("privacy:erase"), {"confirm": "on"})
    facilitator.refresh_from_db()
    assert facilitator.is_active
    resident.refresh_from_db()
    assert resident.is_active


def test_an_account_erased_in_another_tab_is_not_erased_twice(world: World) -> None:
    resident = world.person("resident")
    stale = User.objects.get(pk=resident.pk)
    actions.erase_account(by=resident, user=resident)
    # The second tab still holds the account as it was: the locked row says it is gone.
    with pytest.raises(PermissionDenied):
        actions.erase_account(by=stale, user=stale)


def test_a_registrant_without_an_account_erases_their_contact_details_through_their_link(
    world: World,
) -> None:
    workshop = make_hosted_workshop(world, title="Atelier de Bomel")
    made = workshop_actions.register(
        workshop=workshop, by=None, name="Amina", email="amina@example.org", phone="0470 11 22 33"
    ).registration
    page = Client().get(reverse("workshops:registration", args=[made.token])).text
    url = reverse("privacy:erase_link", args=[made.token])
    assert url in page
    confirm = Client().get(url)
    assert "Atelier de Bomel" in confirm.text
    assert "Cochez la case pour confirmer." in Client().post(url, {}).text
    made.refresh_from_db()
    assert made.email == "amina@example.org"

    done = Client().post(url, {"confirm": "on"})

    assert done.status_code == 302
    made.refresh_from_db()
    assert (made.name, made.email, made.phone) == ("Anonyme", "", "")
    assert made.status == "confirmed"  # the place stays booked: the count stays right
    link = _link(made.link_id)
    assert (link.revoked_at is not None, link.email, link.phone) == (True, "", "")
    # The link is dead: its pages, the download and a second erasure all say so.
    assert Client().get(reverse("workshops:registration", args=[made.token])).status_code == 404
    assert Client().get(reverse("privacy:link_data", args=[made.token])).status_code == 404
    assert Client().post(url, {"confirm": "on"}).status_code == 404


def test_a_volunteer_erases_their_name_and_email_through_their_link(world: World) -> None:
    initiative = make_initiative(world)
    volunteer = initiative_actions.sign_up(
        by=None, initiative=initiative, name="Karim", email="karim@example.org"
    ).volunteer
    task = initiative.tasks.first()
    assert task is not None
    initiative_actions.take_task(volunteer=volunteer, task=task)
    page = Client().get(reverse("initiatives:volunteer", args=[volunteer.token])).text
    assert reverse("privacy:erase_link", args=[volunteer.token]) in page

    assert actions.erase_by_link(token=volunteer.token)

    volunteer.refresh_from_db()
    assert (volunteer.name, volunteer.email) == ("Anonyme", "")
    task.refresh_from_db()
    assert task.owner == volunteer  # the task stays taken, by a nameless volunteer
    assert not actions.erase_by_link(token=volunteer.token)


def test_an_author_without_an_account_erases_their_contact_through_the_follow_up_link(
    world: World,
) -> None:
    said = make_post(
        world.home,
        "Appelez-moi au 0470 12 34 56 pour les bancs.",
        author_name="Amina B.",
        email="amina@example.org",
    )
    token = said.follow_token
    contribution_actions.hide(
        by=world.person("coordinator"), contribution=said, reason=Reason.OFF_TOPIC
    )
    contribution_actions.appeal(by=None, contribution=said, text="C'est le sujet.", token=token)
    page = Client().get(reverse("contributions:follow", args=[token])).text
    assert reverse("privacy:erase_link", args=[token]) in page
    assert reverse("privacy:link_data", args=[token]) in page
    public_text = Contribution.objects.get(pk=said.pk).public_text

    response = Client().post(reverse("privacy:erase_link", args=[token]), {"confirm": "on"})

    assert response.status_code == 302
    said.refresh_from_db()
    assert (said.author_name, said.contact_email) == ("un·e habitant·e", "")
    assert said.public_text == public_text  # masked personal data stays masked
    assert "0470 12 34 56" not in said.public_text
    assert said.appeals.get().text == "C'est le sujet."
    kinds = list(said.events.values_list("kind", flat=True))
    assert kinds[-1] == EventKind.ANONYMISED
    assert Client().get(reverse("contributions:follow", args=[token])).status_code == 404


def test_a_dead_or_made_up_link_erases_nothing(world: World) -> None:
    made = workshop_actions.register(
        workshop=make_hosted_workshop(world), by=None, name="Amina", email="amina@example.org"
    ).registration
    assert Client().get(reverse("privacy:erase_link", args=["x" * 43])).status_code == 404
    assert (
        Client().post(reverse("privacy:erase_link", args=["x" * 43]), {"confirm": "on"}).status_code
        == 404
    )
    assert not actions.erase_by_link(token="")
    made.refresh_from_db()
    assert made.email == "amina@example.org"
    assert Registration.objects.filter(name="Anonyme").count() == 0


def test_erasing_withdraws_waiting_mail_to_every_address_the_person_used(world: World) -> None:
    resident = world.person("resident")
    workshop = make_hosted_workshop(world)
    Registration.objects.create(
        workshop=workshop,
        user=resident,
        name="Y",
        email="youssef.b@example.org",
        status="confirmed",
    )
    OutgoingMail.objects.all().delete()
    # The newest (read first) goes to an address that merely contains the erased one: kept, and
    # the others are still withdrawn after it.
    for subject, to, cc in (
        ("2", ["resident@example.org"], []),
        ("3", ["youssef.b@example.org"], []),
        ("4", ["voisin@example.org"], ["Resident@example.org"]),
        ("1", ["xresident@example.org"], []),
    ):
        OutgoingMail.objects.create(to=to, cc=cc, subject=subject, body="b")

    actions.erase_account(by=resident, user=resident)

    rows = {m.subject: (m.status, m.to, m.cc) for m in OutgoingMail.objects.all()}
    assert rows == {
        "1": (MailStatus.PENDING, ["xresident@example.org"], []),
        "2": (MailStatus.FAILED, [], []),
        "3": (MailStatus.FAILED, [], []),
        "4": (MailStatus.PENDING, ["voisin@example.org"], []),
    }


def test_erasing_an_account_stops_the_news_followed_by_email_with_its_address(
    world: World,
) -> None:
    from palabre.official_requests.models import ContactFollower

    resident = world.person("resident")
    request = make_request(world, sent=True)
    request_actions.follow_by_contact(request=request, email="Resident@Example.org", language="fr")
    request_actions.follow_by_contact(request=request, email="voisin@example.org", language="fr")
    link = ContactFollower.objects.get(email="resident@example.org").link_id

    actions.erase_account(by=resident, user=resident)

    assert list(ContactFollower.objects.values_list("email", flat=True)) == ["voisin@example.org"]
    forgotten = _link(link)
    assert (forgotten.email, forgotten.is_active) == ("", False)
