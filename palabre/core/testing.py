"""Test support shared by every app: personas and the permission matrix's row type."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends import locmem

from palabre.accounts.models import Competence, Role, User
from palabre.accounts.tests.factories import make_user
from palabre.neighbourhoods.models import Neighbourhood, Partner, Venue
from palabre.neighbourhoods.tests.factories import (
    make_contact,
    make_neighbourhood,
    make_partner,
    make_venue,
)

# Every persona of the permission matrix, in the order the tables are written.
PERSONAS = (
    "anonymous",
    "resident",
    "neighbour",
    "facilitator",
    "coordinator",
    "partner",
    "official",
    "cabinet",
    "administrator",
)


@dataclass
class World:
    """A small city: two published neighbourhoods, one hidden, people in every role."""

    home: Neighbourhood
    elsewhere: Neighbourhood
    hidden: Neighbourhood
    partner_org: Partner
    venue: Venue
    hidden_venue: Venue
    competence: Competence
    people: dict[str, User | None] = field(default_factory=dict)

    def user(self, persona: str) -> User | None:
        return self.people[persona]

    def person(self, persona: str) -> User:
        """Return the account of a signed-in persona (every persona but the anonymous one)."""
        user = self.people[persona]
        assert user is not None, f"{persona} has no account"
        return user


def build_world() -> World:
    """Create the personas and the places they act on."""
    home = make_neighbourhood(name="Bomel", slug="bomel")
    elsewhere = make_neighbourhood(name="Jambes", slug="jambes")
    hidden = make_neighbourhood(name="Vedrin", slug="vedrin", is_published=False)
    partner_org = make_partner(name="Maison de quartier de Bomel", neighbourhoods=[home])
    make_contact(partner=partner_org)
    venue = make_venue(neighbourhood=home, host=partner_org, slug="salle-bomel")
    hidden_venue = make_venue(neighbourhood=home, slug="salle-cachee", is_published=False)
    people: dict[str, User | None] = {
        "anonymous": None,
        "resident": make_user(
            role=Role.RESIDENT, home_neighbourhood=home, email="resident@example.org"
        ),
        "neighbour": make_user(
            role=Role.RESIDENT, home_neighbourhood=elsewhere, email="neighbour@example.org"
        ),
        "facilitator": make_user(role=Role.FACILITATOR, email="facilitator@example.org"),
        "coordinator": make_user(role=Role.COORDINATOR, email="coordinator@example.org"),
        "partner": make_user(
            role=Role.PARTNER, organisation=partner_org, email="partner@example.org"
        ),
        "official": make_user(
            role=Role.OFFICIAL, official_title="Échevine", email="official@example.org"
        ),
        "cabinet": make_user(role=Role.CABINET, email="cabinet@example.org"),
        "administrator": make_user(role=Role.ADMINISTRATOR, email="administrator@example.org"),
    }
    # get_or_create: transactional tests flush the rows the data migration added.
    competence, _ = Competence.objects.get_or_create(slug="mobilite", defaults={"name": "Mobilité"})
    world = World(home, elsewhere, hidden, partner_org, venue, hidden_venue, competence, people)
    # The cabinet persona prepares the official persona's answers (not allowed to publish them).
    from palabre.official_requests.models import CabinetMember

    CabinetMember.objects.create(
        official=world.person("official"), collaborator=world.person("cabinet")
    )
    return world


Expected = dict[str, int]


def everyone(status: int) -> Expected:
    """Return the same expected status for every persona."""
    return dict.fromkeys(PERSONAS, status)


def only(status: int, allowed: tuple[str, ...], otherwise: int) -> Expected:
    """Return `status` for the `allowed` personas and `otherwise` for the rest."""
    return {persona: status if persona in allowed else otherwise for persona in PERSONAS}


@dataclass(frozen=True)
class MatrixRow:
    """One URL in one state: how to build its arguments, and the status each persona gets."""

    url_name: str
    expected: Expected
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    method: str = "get"
    data: Callable[[World], dict[str, Any]] = lambda world: {}
    state: str = ""

    def __post_init__(self) -> None:
        missing = set(PERSONAS) - set(self.expected)
        if missing:
            raise ValueError(f"{self.url_name}: no expected status for {sorted(missing)}")


def pdf_text(pdf: bytes, *options: str) -> str:
    """The text of a PDF as poppler's pdftotext reads it (what a person copying it would get)."""
    import subprocess

    found = subprocess.run(
        ["pdftotext", *options, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return found.stdout.decode()


GPS_TAG = 0x8825


def jpeg_with_gps(size: tuple[int, int] = (300, 120)) -> bytes:
    """A JPEG photo carrying a camera make and GPS coordinates, as phones write them."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, (31, 78, 95))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS_TAG] = {1: "N", 2: (50.0, 28.0, 0.0), 3: "E", 4: (4.0, 52.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


class MailServerDownOnce(locmem.EmailBackend):
    """A mail server that refuses the first message, then works (for retry tests)."""

    failed = False

    @classmethod
    def install(cls, settings: Any) -> None:
        """Make it the mailer of this test (`settings` is pytest-django's fixture)."""
        cls.failed = False
        settings.MAILERS = {"default": {"BACKEND": f"{cls.__module__}.{cls.__qualname__}"}}

    def send_messages(self, messages: Any) -> int:
        if not MailServerDownOnce.failed:
            MailServerDownOnce.failed = True
            raise smtplib.SMTPServerDisconnected("down")
        return super().send_messages(messages)


def sent_mail() -> list[EmailMessage]:
    """Deliver what the outbox holds, as the background worker would, and return every email
    sent so far (django's test outbox)."""
    from palabre.outbox.actions import deliver_due

    deliver_due()
    return mail.outbox


class _Autofocus(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.links: list[str] = []
        self._summary_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        if "autofocus" in given:
            self.found.append((tag, given))
        if tag == "div" and "error-summary" in (given.get("class") or "").split():
            self._summary_depth = 1
        elif self._summary_depth and tag == "div":
            self._summary_depth += 1
        elif self._summary_depth and tag == "a":
            self.links.append(given.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._summary_depth and tag == "div":
            self._summary_depth -= 1


def error_summary(html: str) -> list[str]:
    """The links of the error summary of a page whose only `autofocus` is that summary (ADR
    0061); fails when the page has no summary, or another element with `autofocus`."""
    parser = _Autofocus()
    parser.feed(html)
    assert len(parser.found) == 1, f"one element with autofocus expected: {parser.found}"
    tag, attrs = parser.found[0]
    assert tag == "div", parser.found
    assert "error-summary" in (attrs.get("class") or "").split(), parser.found
    assert attrs.get("tabindex") == "-1"
    return parser.links
