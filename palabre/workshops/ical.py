"""iCalendar feeds of public workshops (RFC 5545, written by the icalendar library)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event

from palabre.workshops.models import Status, Workshop


def calendar_of(workshops: Iterable[Workshop], *, name: str) -> bytes:
    """Return an iCalendar file listing `workshops` (cancelled ones marked as such)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Palabre//Ateliers//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    host = settings.SITE_URL.split("://", 1)[-1]
    for workshop in workshops:
        if workshop.starts_at is None or workshop.ends_at is None:
            continue
        event = Event()
        event.add("uid", f"workshop-{workshop.pk}@{host}")
        event.add("summary", str(workshop.local_title))
        event.add("dtstart", workshop.starts_at)
        event.add("dtend", workshop.ends_at)
        event.add("dtstamp", workshop.created_at)
        event.add("url", f"{settings.SITE_URL}{workshop.get_absolute_url()}")
        if workshop.venue:
            event.add("location", f"{workshop.venue.name}, {workshop.venue.address}")
        if workshop.theme:
            event.add("description", workshop.theme)
        event.add("status", "CANCELLED" if workshop.status == Status.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
