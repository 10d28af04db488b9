from __future__ import annotations

import logging

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from palabre.core.shortcuts import render_page
from palabre.neighbourhoods.maps import build_map
from palabre.neighbourhoods.queries import visible_neighbourhoods
from palabre.workshops.queries import upcoming_city_wide

logger = logging.getLogger("palabre.health")


def home(request: HttpRequest) -> HttpResponse:
    neighbourhoods = list(visible_neighbourhoods(request.user))
    return render_page(
        request,
        "core/home.html",
        {
            "neighbourhoods": neighbourhoods,
            "map": build_map(neighbourhoods),
            "events": upcoming_city_wide(request.user),
        },
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render_page(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render_page(request, "core/privacy.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer 200 when the database answers, 503 otherwise (for load balancers and probes)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("health check failed", extra={"error": str(error)})
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
