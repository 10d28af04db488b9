"""Printed invitations: flyers, posters and letterbox sheets as PDF, with a QR code.

WeasyPrint may fetch nothing but data: URIs, so a PDF never reaches the network. A batch of
identical copies is one sheet, laid out and painted once, its page repeated in the file (core.pdf
.repeated): 1,000 letterbox flyers take a few seconds.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from palabre.core.context_processors import service
from palabre.core.pdf import data_uri, layout, pdf, public_pdf, qr_code, repeated
from palabre.workshops.models import InvitationBatch, Minutes, PrintFormat, Registration, Workshop


@dataclass(frozen=True)
class Layout:
    page: str  # CSS @page size
    cell: str  # CSS size of one flyer (the page when there is one per sheet)
    per_sheet: int
    columns: int
    scale: float  # font size of one flyer's smallest text, in points (never below 9)
    questions: int  # guiding questions printed when there is no photo
    opening_hours: bool = True  # room for the service's hours and named contact

    @property
    def cell_width(self) -> float:
        """One flyer's width, in % of the sheet's."""
        return 100 / self.columns

    @property
    def cell_height(self) -> float:
        """One flyer's height, in % of the sheet's (vh)."""
        return 100 / math.ceil(self.per_sheet / self.columns)


LAYOUTS = {
    PrintFormat.FLYER_A5: Layout("A5 portrait", "A5 portrait", 1, 1, 10, 4),
    PrintFormat.FLYER_A4: Layout("A4 portrait", "A4 portrait", 1, 1, 13, 5),
    PrintFormat.POSTER_A3: Layout("A3 portrait", "A3 portrait", 1, 1, 18, 5),
    PrintFormat.LETTERBOX_2: Layout("A4 landscape", "A5 portrait", 2, 2, 10, 5),
    PrintFormat.LETTERBOX_4: Layout("A4 portrait", "A6 portrait", 4, 2, 9, 2, opening_hours=False),
}
MIME_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


def short_url(batch: InvitationBatch) -> str:
    """Return the address printed on the invitation (it leads to the workshop page)."""
    return f"{settings.SITE_URL}{reverse('invitation_link', kwargs={'code': batch.code})}"


def city_logo() -> str | None:
    """The city's logo from settings (an SVG or PNG file), inline; None if it cannot be read."""
    path = Path(settings.CITY_LOGO)
    mime = MIME_TYPES.get(path.suffix.lower())
    return data_uri(path, mime) if mime else None


def identity() -> dict[str, str]:
    """What the invitations print of the city and its service (settings, `.env.example`)."""
    reach = service()
    return {
        "name": settings.CITY_NAME,
        "colour": settings.CITY_COLOUR,
        "accent": settings.CITY_ACCENT_COLOUR,
        # In the active language: the batch's, when printing.
        "service": reach["name"],
        "phone": reach["phone"],
        "contact": reach["contact"],
        "hours": reach["hours"],
        "address": reach["address"],
        "publisher": settings.PUBLISHER_NAME,
        "publisher_address": settings.PUBLISHER_ADDRESS,
    }


def invitation_sheet(batch: InvitationBatch, url: str | None = None) -> str:
    """Return the HTML of one sheet of a batch (cheap: the PDF repeats it); `url`, printed and
    in the QR code, is the batch's short address unless given.

    Every flyer of the sheet must be whole, down to the publisher's line the law requires: when
    the texts are too long for the format (a long title, questions in two languages), guiding
    questions are left out, last first (with none left, so is their box), then the spacing is
    tightened, until one flyer holds on a page the size of its cell. Only that one flyer is laid
    out to check (the sheet's flyers are the same); the sheet itself is laid out once, for the
    PDF."""
    shape = LAYOUTS[PrintFormat(batch.print_format)]
    workshop = batch.workshop
    url = url or short_url(batch)
    texts = workshop.texts_in(batch.language)
    with translation.override(batch.language):
        context = {
            "workshop": workshop,
            "texts": texts,
            "photo": data_uri(workshop.photo),
            "logo": city_logo(),
            "city": identity(),
            "partners": [(partner, data_uri(partner.logo)) for partner in workshop.partners.all()],
            "layout": shape,
            "cells": range(shape.per_sheet),
            "qr": qr_code(url),
            "url": url,
            "display_url": url.split("://", 1)[-1],
            "language": batch.language,
        }
        questions = texts.guiding_questions.value[: shape.questions]
        tries = [(questions[:kept], False) for kept in range(len(questions), -1, -1)]
        for kept, compact in [*tries, ([], True)]:
            chosen = context | {"questions": kept, "compact": compact}
            one = render_to_string(
                "workshops/print/invitation.html", chosen | {"check": True, "cells": range(1)}
            )
            if len(layout(one).pages) == 1:
                break
        else:  # still too long: the cells grow onto more pages rather than cut the texts off
            chosen["grow"] = True
        return render_to_string("workshops/print/invitation.html", chosen)


def flyer_preview_pdf(workshop: Workshop, language: str) -> bytes:
    """An A5 flyer as it would print in `language`, before any batch is prepared: the QR code
    leads to the workshop's page (no channel is counted)."""
    batch = InvitationBatch(
        workshop=workshop, print_format=PrintFormat.FLYER_A5, copies=1, language=language
    )
    url = f"{settings.SITE_URL}{workshop.get_absolute_url()}"
    return invitation_pdf(batch, invitation_sheet(batch, url))


def sheets_of(batch: InvitationBatch) -> int:
    """Return how many sheets the batch's copies take."""
    return math.ceil(batch.copies / LAYOUTS[PrintFormat(batch.print_format)].per_sheet)


def fingerprint(batch: InvitationBatch, sheet: str) -> str:
    """Name what a PDF shows: a stored PDF with another fingerprint is out of date."""
    return hashlib.sha256(f"{sheets_of(batch)}\x1f{sheet}".encode()).hexdigest()


def invitation_pdf(batch: InvitationBatch, sheet: str | None = None) -> bytes:
    """Return the PDF of a batch: `copies` invitations laid out on as many sheets as needed."""
    return repeated(sheet if sheet is not None else invitation_sheet(batch), sheets_of(batch))


# Blank lines under the registrations: the free places of the room, and a few more for the
# walk-ins a full room still gets; at least this many when the capacity is not known.
SPARE_ROWS = 5
MIN_BLANK_ROWS = 15


def sign_in_sheet_pdf(
    workshop: Workshop, people: list[Registration], channels: list[tuple[str, Any]]
) -> bytes:
    """Return an A4 sign-in sheet: the registrations with the needs they told and whether it
    is their first time when known, then blank lines for the room's capacity; "how did you
    hear about it?" as lettered boxes (`queries.lettered_channels`), which the paper sheet's
    screen takes back afterwards with the same letters."""
    free = (workshop.capacity or 0) - len(people)
    blank_rows = max(MIN_BLANK_ROWS, free + SPARE_ROWS)
    letters = [str(label).split(" — ", 1) for code, label in channels if code]
    html = render_to_string(
        "workshops/print/sign_in_sheet.html",
        {"workshop": workshop, "people": people, "blanks": range(blank_rows), "letters": letters},
    )
    return pdf(html)  # names and needs: never cached


def minutes_pdf(workshop: Workshop, minutes: Minutes) -> bytes:
    """Return the minutes of a workshop as an A4 PDF, for the council and the next workshop."""
    html = render_to_string(
        "workshops/print/minutes.html",
        {"workshop": workshop, "minutes": minutes},
    )
    return public_pdf(html)
