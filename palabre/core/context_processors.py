from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def palabre(request: HttpRequest) -> dict[str, Any]:
    """Expose the few site-wide values every layout needs."""
    return {
        "CITY_NAME": settings.CITY_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        "SERVICE": service(),
    }


def service() -> dict[str, str]:
    """The service residents can reach: its name, a named contact, phone and address."""
    dialled = "".join(c for c in settings.SERVICE_PHONE if c.isdigit() or c == "+")
    return {
        "name": settings.SERVICE_NAME,
        "contact": settings.SERVICE_CONTACT,
        "phone": settings.SERVICE_PHONE,
        "phone_link": f"tel:{dialled}",
        "address": settings.SERVICE_ADDRESS,
    }


def signature() -> str:
    """The foot of every email: a human to reach, in words that need no translation."""
    person = settings.SERVICE_CONTACT
    lines = [
        "-- ",
        f"{settings.SERVICE_NAME}{f' — {person}' if person else ''}",
        f"{settings.SERVICE_PHONE} · {settings.SERVICE_ADDRESS}",
    ]
    return "\n".join(lines)
