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
        "name": _in_language(settings.SERVICE_NAME, settings.SERVICE_NAME_IN),
        "contact": settings.SERVICE_CONTACT,
        "phone": settings.SERVICE_PHONE,
        "phone_link": f"tel:{dialled}",
        "hours": _hours(),
        "address": _in_language(settings.SERVICE_ADDRESS, settings.SERVICE_ADDRESS_IN),
        "email": settings.SERVICE_EMAIL,
    }


def _in_language(text: str, translations: dict[str, str]) -> str:
    """`text` as readers of the active language read it, where the city wrote it for them."""
    return translations.get((get_language() or "fr")[:2]) or text


def _hours() -> str:
    hours: dict[str, str] = settings.SERVICE_HOURS
    return hours.get((get_language() or "fr")[:2]) or hours.get("fr", "")


def signature() -> str:
    """The foot of every email: a human to reach; the opening hours in the active language (mails
    are written inside the recipient's language)."""
    reach = service()
    person, hours = reach["contact"], reach["hours"]
    lines = [
        "-- ",
        f"{reach['name']}{f' — {person}' if person else ''}",
        f"{reach['phone']}{f' ({hours})' if hours else ''} · {reach['address']}",
    ]
    return "\n".join(lines)
