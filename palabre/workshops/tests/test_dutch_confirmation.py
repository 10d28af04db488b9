"""A resident registers in Dutch without an account (issue 16, done when): the confirmation
email is entirely in Dutch, compared line by line, and no French word of its template is left;
with only a phone number, the confirmation page is in Dutch and the text messages that follow
are too."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import polib
import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from palabre.core.testing import World, sent_mail
from palabre.outbox.actions import deliver_due
from palabre.workshops import actions
from palabre.workshops.models import Registration, Workshop
from palabre.workshops.tests.factories import BRUSSELS, make_cycle, make_workshop

pytestmark = pytest.mark.django_db

FRENCH = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{[^}]*\}\}")
WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
# French dates as Django writes them: none may be left in a Dutch message.
FRENCH_DATE_WORDS = {
    *("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    *("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"),
    *("septembre", "octobre", "novembre", "décembre"),
}


def french_words(*, sources: Iterable[str] = (), msgids: Iterable[str] = ()) -> set[str]:
    """The words of the French translations of the strings `sources` (template or module paths,
    as the catalogue names them) and `msgids` use, less those their Dutch translations share
    (a name such as "Palabre", "ref."): what a Dutch message must not contain."""
    sources, msgids = set(sources), set(msgids)
    french = polib.pofile(str(FRENCH))
    dutch = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in polib.pofile(str(FRENCH).replace("/fr/", "/nl/"))
    }
    words: set[str] = set()
    found = set()
    for entry in french:
        if entry.msgid not in msgids and not {path for path, _line in entry.occurrences} & sources:
            continue
        found.add(entry.msgid)
        written = PLACEHOLDER.sub(" ", entry.msgstr)
        shared = {w.lower() for w in WORD.findall(dutch.get((entry.msgctxt, entry.msgid), ""))}
        words |= {w for w in WORD.findall(written) if len(w) > 2 and w.lower() not in shared}
    assert msgids <= found, f"not in the catalogue: {msgids - found}"
    assert words, f"no French string found for {sources}"
    return words


def french_left_in(text: str, words: Iterable[str], *, names: Iterable[str] = ()) -> list[str]:
    """The French `words` that appear in `text` as whole words (any case), leaving out the
    `names` it quotes (a venue's name and address, a title written in French: data, not words
    of the interface) and web addresses."""
    text = re.sub(r"https?://\S+", " ", text)
    for name in names:
        text = text.replace(name, " ")
    return sorted(
        word
        for word in set(words) | FRENCH_DATE_WORDS
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE)
    )


REGISTERED_EMAIL = [
    "palabre/workshops/templates/workshops/email/registered.txt",
]
# The subject (actions.py) and the needs (models.py) are written outside the template.
REGISTERED_MSGIDS = [
    "Your registration: %(title)s",
    "childcare",
    "step-free access",
    "hearing loop",
    "interpretation into %(language)s",
]


@pytest.fixture(autouse=True)
def _early_march_2027() -> Iterator[None]:
    """A fixed day, so that the expected email can say the workshop's date in full."""
    with time_machine.travel(datetime(2027, 3, 1, 10, 0, tzinfo=BRUSSELS), tick=True):
        yield


@pytest.fixture
def workshop(world: World) -> Workshop:
    workshop = make_workshop(
        cycle=make_cycle([world.home]),
        neighbourhood=world.home,
        venue=world.venue,
        starts_at=datetime(2027, 3, 16, 18, 30, tzinfo=BRUSSELS),
        ends_at=datetime(2027, 3, 16, 21, 0, tzinfo=BRUSSELS),
        capacity=10,
        title="Bien vivre ensemble à Bomel",
        description="On parle de la propreté des rues.",
    )
    return actions.set_workshop_texts(
        by=world.person("coordinator"),
        workshop=workshop,
        language="fr",
        translations={
            "nl": {
                "title": "Goed samenleven in Bomel",
                "description": "We praten over propere straten.",
            }
        },
    )


def data_of(workshop: Workshop) -> list[str]:
    """What a message quotes rather than writes: the venue, the service's name and address."""
    venue = workshop.venue
    assert venue is not None
    return [
        venue.name,
        venue.address,
        venue.street,
        settings.SERVICE_ADDRESS,
    ]


def dutch_client() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.cookies["django_language"] = "nl"
    return client


def register_on_the_dutch_page(workshop: Workshop, **fields: str) -> tuple[Client, str]:
    """Register through the workshop's Dutch page; return the client and the page it lands on."""
    client = dutch_client()
    page = client.get(reverse("workshops:detail", args=[workshop.pk]))
    assert page.status_code == 200
    assert "Goed samenleven in Bomel" in html.unescape(page.text)
    key = re.search(r'name="key" value="([^"]+)"', page.text)
    assert key is not None
    sent = client.post(
        reverse("workshops:register", args=[workshop.pk]), {"key": key.group(1), **fields}
    )
    assert sent.status_code == 302, sent.text
    landed = client.get(sent["Location"])
    assert landed.status_code == 200
    return client, html.unescape(landed.text)


def test_a_resident_registers_in_dutch_and_gets_the_whole_confirmation_in_dutch(
    workshop: Workshop,
) -> None:
    sent_mail().clear()
    _client, page = register_on_the_dutch_page(
        workshop,
        name="Sofie",
        email="sofie@example.be",
        needs_childcare="on",
        needs_step_free_access="on",
        needs_hearing_loop="on",
        interpretation_language="Arabisch",
    )
    assert "U bent ingeschreven. Tot dan!" in page
    (confirmation,) = sent_mail()
    registration = Registration.objects.get()
    assert registration.link is not None
    assert registration.link.language == "nl"
    assert confirmation.to == ["sofie@example.be"]
    assert confirmation.subject == "Uw inschrijving: Goed samenleven in Bomel"
    venue = workshop.venue
    assert venue is not None
    expected: list[str | re.Pattern[str]] = [
        "Hallo Sofie,",
        "",
        "U bent ingeschreven voor “Goed samenleven in Bomel”.",
        "",
        "dinsdag 16 maart 2027 om 18.30 uur",
        f"{venue.name}, Rue des Tilleuls 12, 5000 Namur",
        "U liet ons weten dat u dit nodig hebt: kinderopvang, drempelvrije toegang, "
        "ringleiding (voor hoorapparaten), tolk Arabisch",
        "",
        f"De workshop: {settings.SITE_URL}/ateliers/{workshop.pk}/",
        re.compile(  # the private link: its secret differs every time
            rf"Om uw inschrijving te annuleren: {re.escape(settings.SITE_URL)}"
            r"/ateliers/inscription/[A-Za-z0-9_-]{40,}/"
        ),
        re.compile(rf"Uw referentie: {re.escape(registration.link.reference)}"),
        "",
        "-- ",
        # The service's name as Dutch readers read it; its address as the city writes it.
        settings.SERVICE_NAME_IN["nl"],
        "081 12 34 56 (maandag tot vrijdag, van 9 tot 12 uur en van 13.30 tot 16 uur)"
        f" · {settings.SERVICE_ADDRESS}",
    ]
    lines = str(confirmation.body).rstrip("\n").split("\n")
    assert len(lines) == len(expected), lines
    for line, wanted in zip(lines, expected, strict=True):
        if isinstance(wanted, re.Pattern):
            assert wanted.fullmatch(line), (line, wanted.pattern)
        else:
            assert line == wanted
    words = french_words(sources=REGISTERED_EMAIL, msgids=REGISTERED_MSGIDS)
    assert {"Bonjour", "inscrit", "annuler", "garderie", "boucle"} <= words  # the list is real
    whole = f"{confirmation.subject}\n{confirmation.body}"
    assert french_left_in(whole, words, names=data_of(workshop)) == []


def test_a_phone_only_registrant_sees_the_dutch_confirmation_and_gets_dutch_texts(
    world: World, workshop: Workshop, tmp_path: Path
) -> None:
    folder = tmp_path / "sms"
    sent_mail().clear()
    with override_settings(SMS={"backend": "file", "path": str(folder)}):
        client = dutch_client()
        form = client.get(reverse("workshops:detail", args=[workshop.pk])).text
        # With SMS configured, and only then, the form promises the texts.
        assert "krijgt u de herinnering en elke wijziging per sms" in html.unescape(form)
        _client, page = register_on_the_dutch_page(
            workshop, name="Jan", phone="0470 12 34 56", needs_step_free_access="on"
        )
    registration = Registration.objects.get()
    assert registration.phone == "+32470123456"
    assert registration.link is not None
    assert registration.link.language == "nl"
    # The page is the confirmation: in Dutch, with the reference to give on the phone and the
    # needs repeated.
    assert "U bent ingeschreven. Tot dan!" in page
    assert "<h1>Uw inschrijving</h1>" in page
    assert "Goed samenleven in Bomel" in page
    assert "dinsdag 16 maart 2027 om 18.30 uur" in page
    assert f"Uw referentie: <strong>{registration.link.reference}</strong>" in page
    assert "<dd>drempelvrije toegang</dd>" in page
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    page_words = french_words(
        sources=["palabre/workshops/templates/workshops/registration.html"],
        msgids=["You are registered. See you there!", "step-free access"],
    )
    assert french_left_in(re.sub(r"<[^>]+>", " ", main), page_words, names=data_of(workshop)) == []
    # No email and no text message at registration: the form promises the reminder and any
    # change by text message, not a confirmation (the page is one).
    assert sent_mail() == []
    assert not folder.exists()

    with override_settings(SMS={"backend": "file", "path": str(folder)}):
        actions.cancel_workshop(
            by=world.person("coordinator"), workshop=workshop, reason="De zaal staat onder water."
        )
        deliver_due()
    (text,) = [path.read_text() for path in folder.glob("*.txt")]
    assert text == (
        "To: +32470123456\n\n"
        'Geannuleerd: "Goed samenleven in Bomel" van dinsdag 16 maart, 18.30 uur. '
        "Reden: De zaal staat onder water. Vragen? Bel 081 12 34 56.\n"
    )
    sms_words = french_words(sources=["palabre/workshops/templates/workshops/sms/cancelled.txt"])
    assert french_left_in(text, sms_words, names=data_of(workshop)) == []
