from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


def palabre(request: HttpRequest) -> dict[str, Any]:
    """Expose the few site-wide values every layout needs."""
    return {
        "CITY_NAME": settings.CITY_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        "SERVICE": service(),
    }


def service() -> dict[str, str]:
    """The service residents can reach: its name, a named contact, phone, opening hours in the
    active language, address and email."""
    dialled = "".join(c for c in settings.SERVICE_PHONE if c.isdigit() or c == "+")
    return {
        "name": settings.SERVICE_NAME,
        "contact": settings.SERVICE_CONTACT,
        "phone": settings.SERVICE_PHONE,
        "phone_link": f"tel:{dialled}",
        "hours": _hours(),
        "address": settings.SERVICE_ADDRESS,
        "email": settings.SERVICE_EMAIL,
    }


def _hours() -> str:
    hours: dict[str, str] = settings.SERVICE_HOURS
    return hours.get((get_language() or "fr")[:2]) or hours.get("fr", "")


def signature() -> str:
    """The foot of every email: a human to reach; the opening hours in the active language (mails
    are written inside the recipient's language)."""
    person = settings.SERVICE_CONTACT
    hours = _hours()
    lines = [
        "-- ",
        f"{settings.SERVICE_NAME}{f' — {person}' if person else ''}",
        f"{settings.SERVICE_PHONE}{f' ({hours})' if hours else ''} · {settings.SERVICE_ADDRESS}",
    ]
    return "\n".join(lines)
