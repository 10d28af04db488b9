"""Text messages to people who gave only a mobile number (issue 16, item 3 and done when), sent
through the file backend by the real task queue and its worker, run twice (the second run sends
nothing more): the answer to a request someone follows without an account, from a Dutch page,
entirely in Dutch; and the news of a workshop (cancelled, a place free, moved) to a registrant
without an email, each in the registrant's language.

Only people who follow a request get its answer: registering for a workshop follows no request,
so a registrant gets the workshop's news, not the answers of requests (no such link exists)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from palabre.core.testing import World
from palabre.official_requests import actions
from palabre.official_requests.models import ContactFollower, Request
from palabre.official_requests.tests.factories import make_request
from palabre.workshops import actions as workshop_actions
from palabre.workshops.models import Registration, RegistrationStatus, Workshop
from palabre.workshops.tests.factories import make_cycle, make_workshop
from palabre.workshops.tests.test_dutch_confirmation import french_left_in, french_words
from palabre.workshops.tests.test_reminders import run_worker
from palabre.workshops.tests.test_text_messages import register_in

pytestmark = pytest.mark.django_db(transaction=True)

DUTCH_TITLE = "Een verkeersdrempel voor de school"
NUMBER = "+32470123456"
SMS_TEMPLATES = "palabre/workshops/templates/workshops/sms"


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """Text messages go to this folder, one file each (the file backend)."""
    with override_settings(SMS={"backend": "file", "path": str(tmp_path / "sms")}):
        yield tmp_path / "sms"


def texts(folder: Path, *, after: Iterable[Path] = ()) -> list[tuple[str, str]]:
    """The messages written to `folder` (but those in `after`): (number, text), oldest first."""
    found = []
    for path in sorted(files(folder) - set(after)):
        head, text = path.read_text(encoding="utf-8").split("\n\n", 1)
        found.append((head.removeprefix("To: "), text.rstrip("\n")))
    return found


def files(folder: Path) -> set[Path]:
    return set(folder.glob("*.txt")) if folder.exists() else set()


def test_a_follower_by_text_message_from_a_dutch_page_gets_the_answer_in_dutch_once(
    world: World, folder: Path
) -> None:
    request = make_request(world, sent=True)
    actions.set_request_texts(
        by=world.person("coordinator"),
        request=request,
        language="fr",
        translations={"nl": {"title": DUTCH_TITLE}},
    )
    dutch = Client(HTTP_ACCEPT_LANGUAGE="nl")
    dutch.cookies["django_language"] = "nl"
    asked = dutch.post(
        reverse("official_requests:follow_by_contact", args=[request.pk]),
        {"contact": "0470 12 34 56"},
    )
    assert asked.status_code == 302
    run_worker()
    run_worker()
    sent = texts(folder)
    assert {number for number, _text in sent} == {NUMBER}
    asking = _joined([text for _number, text in sent])
    assert asking.startswith(
        f'Palabre: wilt u het nieuws over "{DUTCH_TITLE}" per sms krijgen? Bevestig hier: '
    )
    link = re.search(r"/demandes/suivi/[A-Za-z0-9_-]+/", asking)
    assert link is not None
    # Opening the link from the message, and confirming on its page (in Dutch too).
    page = html.unescape(Client(HTTP_ACCEPT_LANGUAGE="nl").get(link.group(0)).text)
    assert "Ja, stuur me het nieuws over dit verzoek" in page
    assert Client().post(link.group(0), {"step": "confirm"}).status_code == 302
    assert ContactFollower.objects.get().confirmed_at is not None
    before = files(folder)

    request = Request.objects.get(pk=request.pk)
    actions.answer(
        by=world.person("official"),
        request=request,
        kind="accepted",
        text="Accordé : le ralentisseur sera posé en mars.",
        version=request.version,
    )
    run_worker()
    run_worker()  # a second run sends nothing more
    sent = texts(folder, after=before)
    assert {number for number, _text in sent} == {NUMBER}
    told = _joined([text for _number, text in sent])
    url = f"{settings.SITE_URL}/demandes/{request.pk}/"
    assert told == f"Palabre . Antwoord: {DUTCH_TITLE} . Aanvaard {url}"  # what the answer is
    words = french_words(
        msgids=[
            "Answer: %(title)s",
            "Accepted",
            "Palabre: to get the news of “%(title)s” by text message, confirm here: %(url)s",
        ]
    )
    assert {"Réponse", "recevoir", "nouvelles", "confirmez"} <= words
    assert french_left_in(asking, words) == []
    assert french_left_in(told, words) == []
    assert "ralentisseur" not in told  # the French title is not sent: its translation is


def test_without_a_translation_the_title_stays_as_written_and_the_rest_is_dutch(
    world: World, folder: Path
) -> None:
    request = make_request(world, sent=True)
    actions.follow_by_contact(request=request, phone="0470 12 34 56", language="nl")
    actions.confirm_contact_follow(follower=ContactFollower.objects.get(), following=True)
    run_worker()
    before = files(folder)  # the message asking to confirm
    actions.answer(
        by=world.person("official"),
        request=request,
        kind="accepted",
        text="Accordé.",
        version=request.version,
    )
    run_worker()
    run_worker()
    told = _joined([text for _number, text in texts(folder, after=before)])
    assert told.startswith("Palabre . Antwoord: Un ralentisseur devant l'école . Aanvaard http")


@pytest.fixture
def workshop(world: World) -> Workshop:
    workshop = make_workshop(
        cycle=make_cycle([world.home]),
        neighbourhood=world.home,
        venue=world.venue,
        days_from_now=10,
        capacity=1,
        title="Bien vivre ensemble à Bomel",
    )
    return workshop_actions.set_workshop_texts(
        by=world.person("coordinator"),
        workshop=workshop,
        language="fr",
        translations={
            "nl": {"title": "Goed samenleven in Bomel"},
            "en": {"title": "Living well together in Bomel"},
        },
    )


def when(workshop: Workshop, language: str) -> str:
    """The day and time a text message gives, in `language` ("dinsdag 15 december, 18.30 uur")."""
    assert workshop.starts_at is not None
    start = timezone.localtime(workshop.starts_at)
    with translation.override(language):
        return f"{formats.date_format(start, 'l j F')}, {formats.time_format(start)}"


def sms_words(*names: str) -> set[str]:
    return french_words(sources=[f"{SMS_TEMPLATES}/{name}" for name in names])


def data_of(workshop: Workshop) -> list[str]:
    venue = workshop.venue
    assert venue is not None
    return [venue.name, f"{venue.street} {venue.house_number}"]


def test_a_place_freed_goes_to_a_phone_only_registrant_by_text_in_dutch_once(
    workshop: Workshop, folder: Path
) -> None:
    amina = workshop_actions.register(
        workshop=workshop, by=None, name="Amina", email="amina@example.org"
    ).registration
    jan = register_in("nl", workshop, "Jan", "0470 12 34 56")
    assert jan.status == RegistrationStatus.WAITING
    run_worker()
    assert texts(folder) == []  # waiting: nothing yet (no text at registration)
    workshop_actions.cancel_registration(token=amina.token)
    run_worker()
    run_worker()
    assert Registration.objects.get(pk=jan.pk).status == RegistrationStatus.CONFIRMED
    venue = workshop.venue
    assert venue is not None
    assert jan.link is not None
    sent = texts(folder)
    assert {number for number, _text in sent} == {NUMBER}
    parts = [text for _number, text in sent]
    assert len(parts) == len(set(parts))  # each part once
    # Cut between words, never inside the number to call (each part arrives on its own).
    assert any(" 081 12 34 56 (ref." in part for part in parts)
    text = _joined(parts)
    assert text == (
        f'Er is een plaats vrij voor u: "Goed samenleven in Bomel", {when(workshop, "nl")}, '
        f"{venue.name}, Rue des Tilleuls 12. "
        f"Kunt u niet komen? Bel 081 12 34 56 (ref. {jan.link.reference})."
    )
    words = sms_words("promoted.txt", "_call.txt")
    assert french_left_in(text, words, names=data_of(workshop)) == []


def test_a_moved_workshop_is_told_by_text_in_dutch_each_part_once(
    world: World, workshop: Workshop, folder: Path
) -> None:
    jan = register_in("nl", workshop, "Jan", "0470 12 34 56")
    assert workshop.starts_at is not None
    assert workshop.ends_at is not None
    workshop.starts_at += timedelta(days=1, hours=-1)
    workshop.ends_at += timedelta(days=1)
    workshop_actions.plan_workshop(by=world.person("coordinator"), workshop=workshop)
    run_worker()
    run_worker()
    venue = workshop.venue
    assert venue is not None
    assert jan.link is not None
    sent = texts(folder)
    assert {number for number, _text in sent} == {NUMBER}
    parts = [text for _number, text in sent]
    assert len(parts) == len(set(parts))  # each part once
    whole = _joined(parts)
    assert whole == (
        f'Gewijzigd: "Goed samenleven in Bomel" is nu op {when(workshop, "nl")}, '
        f"{venue.name}, Rue des Tilleuls 12. "
        f"Kunt u niet komen? Bel 081 12 34 56 (ref. {jan.link.reference})."
    )
    assert "17.30 uur" in whole  # the new time
    words = sms_words("moved.txt", "_call.txt")
    assert french_left_in(whole, words, names=data_of(workshop)) == []


def test_a_cancelled_workshop_is_told_by_text_to_each_registrant_in_their_language(
    world: World, workshop: Workshop, folder: Path
) -> None:
    Workshop.objects.filter(pk=workshop.pk).update(capacity=5)
    register_in("nl", workshop, "Jan", "0470 12 34 56")
    register_in("en", workshop, "Ayesha", "0470 99 88 77")
    workshop_actions.cancel_workshop(
        by=world.person("coordinator"), workshop=workshop, reason="De zaal staat onder water."
    )
    run_worker()
    run_worker()
    sent = texts(folder)
    assert sorted({number for number, _text in sent}) == [NUMBER, "+32470998877"]
    dutch = _joined([text for number, text in sent if number == NUMBER])
    assert dutch == (
        f'Geannuleerd: "Goed samenleven in Bomel" van {when(workshop, "nl")}. '
        "Reden: De zaal staat onder water. Vragen? Bel 081 12 34 56."
    )
    words = sms_words("cancelled.txt")
    assert french_left_in(dutch, words, names=data_of(workshop)) == []
    english = _joined([text for number, text in sent if number != NUMBER])
    assert english == (
        f'Cancelled: "Living well together in Bomel" on {when(workshop, "en")}. '
        "Reason: De zaal staat onder water. Questions? Call 081 12 34 56."
    )
    assert french_left_in(english, words, names=data_of(workshop)) == []


def _joined(parts: list[str]) -> str:
    """One text from its numbered parts ("(1/2) …", "(2/2) …"), or the single message."""
    assert len(parts) == len(set(parts))  # each part once
    if len(parts) == 1:
        return parts[0]
    numbered = sorted(parts, key=lambda part: int(part[1 : part.index("/")]))
    assert [p.split(" ", 1)[0] for p in numbered] == [
        f"({n}/{len(parts)})" for n in range(1, len(parts) + 1)
    ]
    return " ".join(p.split(" ", 1)[1] for p in numbered)
