from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def palabre(request: HttpRequest) -> dict[str, Any]:
    """Expose the few site-wide values every layout needs."""
    return {"CITY_NAME": settings.CITY_NAME, "DEMO_MODE": settings.DEMO_MODE}
