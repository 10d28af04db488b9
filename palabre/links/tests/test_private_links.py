"""Private links never leak: knowing an address opens nothing, double submits use the form's key,
links are hashed, expire, are revoked and are recovered with a reference."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palabre.core.testing import World, sent_mail
from palabre.initiatives import actions as initiative_actions
from palabre.initiatives.models import Initiative, Volunteer
from palabre.initiatives.tests.factories import STREET_PARTY
from palabre.links import actions
from palabre.links.models import AccessLink, Purpose
from palabre.workshops.models import Registration, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/(?:ateliers/inscription|actions/benevole)/[A-Za-z0-9_-]{20,}/")


@pytest.fixture
def workshop(world: World) -> Workshop:
    return make_hosted_workshop(world)


@pytest.fixture
def initiative(world: World) -> Initiative:
    coordinator = world.person("coordinator")
    playbook = initiative_actions.import_playbook(by=coordinator, text=STREET_PARTY)
    return initiative_actions.start_initiative(
        by=coordinator, neighbourhood=world.home, playbook=playbook, title="Fête de la rue"
    )


def _register(client: Client, workshop: Workshop, **data: str) -> Any:
    return client.post(reverse("workshops:register", args=[workshop.pk]), data)


def _sign_up(client: Client, initiative: Initiative, **data: str) -> Any:
    return client.post(reverse("initiatives:sign_up", args=[initiative.pk]), data)


def _links_in(text: str) -> list[str]:
    return LINK.findall(text)


def test_typing_a_registered_address_emails_the_link_and_opens_nothing(
    workshop: Workshop, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _register(Client(), workshop, name="Fatou", email="fatou.diallo@example.org", key="k1")
    fatou = Registration.objects.get()
    sent_mail().clear()
    stranger = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(
            stranger, workshop, name="Attacker", email="FATOU.DIALLO@example.org", key="k2"
        )
    assert response.status_code == 302
    assert response["Location"] == workshop.get_absolute_url()
    page = stranger.get(response["Location"]).text
    assert "déjà inscrite à cet atelier" in page
    assert "Fatou" not in page
    assert _links_in(response["Location"] + page) == []
    # The link went to Fatou's address, and only there.
    assert [message.to for message in sent_mail()] == [["fatou.diallo@example.org"]]
    assert fatou.token in sent_mail()[0].body
    assert Registration.objects.count() == 1


def test_typing_an_account_holders_address_opens_nothing_either(
    workshop: Workshop, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    resident = Client()
    resident.force_login(world.person("resident"))
    first = _register(resident, workshop, name="Youssef", key="k1")
    assert first["Location"] == reverse(
        "workshops:registration", args=[Registration.objects.get().token]
    )
    # Signed in, the same person sees their own registration again.
    again = _register(resident, workshop, name="Youssef", key="k3")
    assert again["Location"] == first["Location"]
    stranger = _register(Client(), workshop, name="x", email="resident@example.org", key="k2")
    assert _links_in(stranger["Location"]) == []


def test_the_same_form_sent_twice_registers_once_without_an_email(workshop: Workshop) -> None:
    client = Client()
    first = _register(client, workshop, name="Amina", key="same-form")
    second = _register(client, workshop, name="Amina", key="same-form")
    assert Registration.objects.count() == 1
    assert first["Location"] == second["Location"]
    # Another form without an email is another person.
    _register(client, workshop, name="Amina", key="another-form")
    assert Registration.objects.count() == 2


def test_a_stranger_cannot_flood_someones_inbox_with_their_link(
    workshop: Workshop, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _register(Client(), workshop, name="Fatou", email="fatou@example.org", key="k0")
        for index in range(5):
            _register(Client(), workshop, name="x", email="fatou@example.org", key=f"k{index + 1}")
    # The confirmation, then the link once: the others fall within the quiet period.
    assert len(sent_mail()) == 2
    later = timezone.now() + timedelta(minutes=11)
    with time_machine.travel(later):
        _register(Client(), workshop, name="x", email="fatou@example.org", key="k9")
        assert len(sent_mail()) == 3


def test_typing_a_volunteers_address_emails_the_link_and_opens_nothing(
    initiative: Initiative, django_capture_on_commit_callbacks: Any
) -> None:
    annick = _sign_up(Client(), initiative, name="Annick", email="annick@example.org", key="k1")
    assert _links_in(annick["Location"])
    stranger = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(stranger, initiative, name="x", email="Annick@example.org", key="k2")
    assert response["Location"] == reverse("initiatives:detail", args=[initiative.pk])
    page = stranger.get(response["Location"]).text
    assert "déjà inscrite à cette action" in page
    assert _links_in(page) == []
    volunteer = Volunteer.objects.get()
    assert [message.to for message in sent_mail()] == [["annick@example.org"]]
    assert volunteer.token in sent_mail()[0].body


def test_i_am_in_twice_from_the_same_form_signs_up_once_without_an_email(
    initiative: Initiative,
) -> None:
    client = Client()
    first = _sign_up(client, initiative, name="Marc", key="same-form")
    second = _sign_up(client, initiative, name="Marc", key="same-form")
    assert first["Location"] == second["Location"]
    assert Volunteer.objects.count() == 1


def test_the_database_never_holds_a_usable_link(workshop: Workshop, initiative: Initiative) -> None:
    _register(Client(), workshop, name="Amina", email="amina@example.org", key="k1")
    _sign_up(Client(), initiative, name="Marc", email="marc@example.org", key="k2")
    tokens = [Registration.objects.get().token, Volunteer.objects.get().token]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM links_accesslink")
        rows = " ".join(str(value) for row in cursor.fetchall() for value in row)
    for token in tokens:
        assert token not in rows


def test_an_expired_revoked_or_replaced_link_opens_nothing_and_says_how_to_get_a_new_one(
    workshop: Workshop, settings: Any
) -> None:
    _register(Client(), workshop, name="Amina", email="amina@example.org", key="k1")
    registration = Registration.objects.select_related("link").get()
    assert registration.link is not None
    url = reverse("workshops:registration", args=[registration.token])
    assert Client().get(url).status_code == 200
    # Replaced: the old address stops working, the new one opens the page.
    renewed = actions.renew(link=registration.link)
    gone = Client().get(url)
    assert gone.status_code == 404
    assert reverse("links:recover") in gone.text
    fresh = reverse("workshops:registration", args=[renewed.token])
    assert Client().get(fresh).status_code == 200
    # Cancelling from a dead link changes nothing.
    Client().post(url)
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    # Expired.
    days = settings.PRIVATE_LINK_DAYS
    with time_machine.travel(timezone.now() + timedelta(days=days + 1)):
        assert Client().get(fresh).status_code == 404
    # Revoked.
    actions.revoke(link=renewed)
    assert Client().get(fresh).status_code == 404


def test_a_token_with_a_nul_byte_or_of_any_length_is_a_plain_404(initiative: Initiative) -> None:
    for token in ("abc%00def", "x" * 500):
        response = Client().get(f"/actions/benevole/{token}/")
        assert response.status_code == 404


def test_a_reference_and_the_email_get_a_new_link_and_the_old_one_dies(
    workshop: Workshop, django_capture_on_commit_callbacks: Any
) -> None:
    _register(Client(), workshop, name="Amina", email="amina@example.org", key="k1")
    registration = Registration.objects.select_related("link").get()
    assert registration.link is not None
    old = reverse("workshops:registration", args=[registration.token])
    reference = registration.link.reference
    assert re.fullmatch(r"[A-Z]{3}-\d{4}", reference)
    page = Client().get(old).text
    assert reference in page  # people can read it out on the phone
    sent_mail().clear()
    typed = reference.lower().replace("-", " ")  # as people type it
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            reverse("links:recover"), {"reference": typed, "contact": " Amina@Example.org "}
        )
    assert response.status_code == 302
    assert [message.to for message in sent_mail()] == [["amina@example.org"]]
    assert Client().get(old).status_code == 404
    new = _links_in(str(sent_mail()[0].body))
    assert new
    assert Client().get(new[0]).status_code == 200


def test_a_reference_with_someone_elses_contact_sends_nothing_and_answers_the_same(
    workshop: Workshop, django_capture_on_commit_callbacks: Any
) -> None:
    _register(Client(), workshop, name="Amina", email="amina@example.org", phone="0470 12 34 56")
    registration = Registration.objects.select_related("link").get()
    assert registration.link is not None
    reference = registration.link.reference
    sent_mail().clear()
    for contact in ("attacker@example.org", "0470 00 00 00", "amina"):
        with django_capture_on_commit_callbacks(execute=True):
            Client().post(reverse("links:recover"), {"reference": reference, "contact": contact})
    assert sent_mail() == []
    own_page = reverse("workshops:registration", args=[registration.token])
    assert Client().get(own_page).status_code == 200
    # The phone number they gave works as well as the email.
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("links:recover"), {"reference": reference, "contact": "0470123456"})
    assert [message.to for message in sent_mail()] == [["amina@example.org"]]


def test_the_recovery_page_answers_the_same_whether_or_not_the_reference_exists(
    workshop: Workshop,
) -> None:
    _register(Client(), workshop, name="Amina", email="amina@example.org")
    link = AccessLink.objects.get(purpose=Purpose.REGISTRATION)

    def answer(reference: str, contact: str) -> str:
        client = Client()
        response = client.post(
            reverse("links:recover"), {"reference": reference, "contact": contact}
        )
        assert response.status_code == 302
        page = client.get(response["Location"]).text
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)

    assert answer("ZZZ-0000", "amina@example.org") == answer(link.reference, "amina@example.org")


def test_the_links_email_is_written_in_the_language_of_the_page_they_signed_up_on(
    initiative: Initiative, django_capture_on_commit_callbacks: Any
) -> None:
    dutch = Client()
    dutch.cookies["django_language"] = "nl"
    _sign_up(dutch, initiative, name="Lotte", email="lotte@example.org", key="k1")
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(Client(), initiative, name="x", email="lotte@example.org", key="k2")
    assert sent_mail()[0].subject == "Uw persoonlijke link: Fête de la rue"
    # Asked again from a French page: the signature too is in the link's language.
    assert "van 9 tot 12 uur" in sent_mail()[0].body
    assert "de 9 h à 12 h" not in sent_mail()[0].body


def test_names_lose_the_invisible_characters_that_turn_text_around(
    workshop: Workshop, initiative: Initiative
) -> None:
    _register(Client(), workshop, name="\u202eanimA\u200b", key="k1")
    _sign_up(Client(), initiative, name="Ma\u200brc\u2066", key="k2")
    assert Registration.objects.get().name == "animA"
    assert Volunteer.objects.get().name == "Marc"
    # A name made only of invisible characters is no name.
    response = _register(Client(), workshop, name="\u200b\u202e", key="k3")
    assert response.status_code == 200
    assert Registration.objects.count() == 1


def test_renewing_and_revoking_touch_one_link_and_a_stale_renewal_changes_nothing(
    settings: Any,
) -> None:
    first, second = (actions.create_link(purpose=Purpose.REGISTRATION) for _ in range(2))
    actions.revoke(link=first)
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
        stale = AccessLink.objects.get(pk=first.pk)
        renewed = actions.renew(link=first)
        # Renewing gives a live link again, with a full new lifetime.
        assert renewed.opens(renewed.token)
        assert renewed.expires_at == timezone.now() + timedelta(days=settings.PRIVATE_LINK_DAYS)
        # A second renewal from a page that read the link before the first changes nothing.
        actions.renew(link=stale)
        renewed.refresh_from_db()
        assert renewed.opens(renewed.token)
    untouched = AccessLink.objects.get(pk=second.pk)
    assert (untouched.generation, untouched.revoked_at) == (second.generation, None)
    assert untouched.opens(second.token)
    # Revoking twice keeps the first moment; the other link stays live.
    actions.revoke(link=renewed)
    when = AccessLink.objects.get(pk=first.pk).revoked_at
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        actions.revoke(link=renewed)
    assert AccessLink.objects.get(pk=first.pk).revoked_at == when
    assert AccessLink.objects.get(pk=second.pk).opens(second.token)


def test_a_dead_link_or_one_without_an_address_is_never_sent() -> None:
    from palabre.outbox.models import OutgoingMail

    dead = actions.create_link(purpose=Purpose.REGISTRATION, email="amina@example.org")
    actions.revoke(link=dead)
    dead.refresh_from_db()
    no_address = actions.create_link(purpose=Purpose.REGISTRATION, phone="0470 11 22 33")
    assert not actions.send_again(link=dead, about="Atelier")
    assert not actions.send_again(link=no_address, about="Atelier")
    assert not OutgoingMail.objects.exists()
    live = actions.create_link(purpose=Purpose.REGISTRATION, email="fatou@example.org")
    assert actions.send_again(link=live, about="Atelier")
    assert not actions.send_again(link=live, about="Atelier")  # at most once in a while
    sent = OutgoingMail.objects.get()
    assert sent.to == ["fatou@example.org"]
    # The email says what the link is for, gives the link and the reference to read out.
    assert "Atelier" in sent.body
    assert live.token in sent.body
    assert live.reference in sent.body


def test_a_number_nobody_could_dial_still_matches_digit_for_digit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """An older link kept its number as typed; when that is no valid number, the digits typed
    again, whatever the spaces, still bring the link back (and only those digits)."""
    from django.core.exceptions import ValidationError

    from palabre.core import phones

    with pytest.raises(ValidationError):
        phones.normalise("0470 12 34 5")
    link = actions.create_link(
        purpose=Purpose.REGISTRATION, email="amina@example.org", phone="0470 12 34 5"
    )
    sent_mail().clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.recover(reference=link.reference, contact="0470 12 34 6")
    assert sent_mail() == []  # another number
    with django_capture_on_commit_callbacks(execute=True):
        actions.recover(reference=link.reference, contact="047012345")
    assert [message.to for message in sent_mail()] == [["amina@example.org"]]
