from __future__ import annotations

import hashlib
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from palabre.core import health
from palabre.core.offline import keep_offline
from palabre.core.shortcuts import render_page

logger = logging.getLogger("palabre.health")

# When even the 500 page cannot be rendered (static files manifest missing, broken template).
_BARE_SERVER_ERROR = (
    "Une erreur s'est produite de notre côté. Réessayez dans quelques minutes.\n"
    "Er ging bij ons iets mis. Probeer het over enkele minuten opnieuw.\n"
)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render_page(request, "core/accessibility.html")


# What a staff phone keeps for the evening without network: the pages' own files (ADR 0065).
OFFLINE_ASSETS = (
    "css/palabre.css",
    "css/print.css",
    "vendor/htmx-2.0.8/htmx.min.js",
    "js/offline.js",
    "img/favicon.svg",
)


@never_cache
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker of staff phones, at the site's root so that it answers for every page.

    The static files' names carry their content's hash in production: a new release changes
    this script, and the phone installs the new worker and its files. The page registers it
    with its language (`?lang=nl`): the "no network" page speaks it, and a phone switched to
    another language installs the worker again in that one."""
    assets = [static(path) for path in OFFLINE_ASSETS]
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        offline_page = loader.render_to_string(
            "core/offline.html",
            {
                "mine": reverse("workshops:mine"),
                "icon": static("img/favicon.svg"),
                "LANGUAGE_CODE": language,
            },
        )
    script = loader.render_to_string(
        "core/sw.js",
        {
            "assets": json.dumps(assets),
            "version": hashlib.sha256("".join(assets).encode()).hexdigest()[:12],
            "offline_page": json.dumps(offline_page, ensure_ascii=False),
        },
    )
    return HttpResponse(script, content_type="text/javascript; charset=utf-8")


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: staff add Palabre to their phone's home screen, opening on "My
    workshops" (https://www.w3.org/TR/appmanifest/)."""
    name = f"Palabre {settings.CITY_NAME}".strip()
    return keep_offline(
        JsonResponse(
            {
                "name": name,
                "short_name": "Palabre",
                "lang": translation.get_language(),
                "start_url": reverse("workshops:mine"),
                "scope": "/",
                "display": "standalone",
                "background_color": "#fbf9f4",
                "theme_color": "#1f4e5f",
                "icons": [
                    {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}
                ],
            },
            content_type="application/manifest+json",
        )
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The whole truth, for monitoring: 200 when the database answers, a worker beat lately, no
    due task waits too long and the disk has room; 503 naming what is wrong (ADR 0077)."""
    body = health.report()
    if body["status"] != "ok":
        log = logger.error if "database" in body["problems"] else logger.warning
        log("health check failed", extra={"problems": body["problems"]})
        return JsonResponse(body, status=503)
    return JsonResponse(body)


@never_cache
@require_GET
def healthz_web(request: HttpRequest) -> HttpResponse:
    """Only whether this app server and its database answer (200, or 503): what a load balancer
    asks before sending requests here, whatever the background worker is doing."""
    if not health.database_answers():
        logger.error("health check failed", extra={"problems": ["database"]})
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, in the visitor's language, without the database or context processors
    (either may be what failed)."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        try:
            body = loader.render_to_string(
                "500.html", {"CITY_NAME": settings.CITY_NAME, "LANGUAGE_CODE": language}
            )
        except Exception:  # the last resort must answer whatever broke
            return HttpResponseServerError(
                _BARE_SERVER_ERROR, content_type="text/plain; charset=utf-8"
            )
    return HttpResponseServerError(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The page for a refused form (CSRF check), in the visitor's language, status 403."""
    return render_page(request, "403_csrf.html", status=403)
