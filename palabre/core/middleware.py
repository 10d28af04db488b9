"""Request logging as one structured line per request, and the headers every page carries."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from palabre.core.private import is_private, redacted_path

logger = logging.getLogger("palabre.request")


def request_log_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Log method, path, status and duration of every request (never the query string, never
    the secret of a private link)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = get_response(request)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": redacted_path(request),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "htmx": bool(request.headers.get("HX-Request")),
            },
        )
        return response

    return middleware


def private_pages_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Keep private pages out of every cache: browser history, shared computers, proxies.

    A private-link page (a `token` in its URL) is always `private, no-store`, whatever its view
    set. Every other answer to someone with a session (signed in, or half-way through signing
    in) is too, unless its view chose its own cache policy (a public photo).
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if is_private(getattr(request, "resolver_match", None)):
            response.headers.pop("Cache-Control", None)
            patch_cache_control(response, private=True, no_store=True)
        elif _has_session(request) and "Cache-Control" not in response.headers:
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware


def permissions_policy_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Switch off the browser features Palabre never uses (settings.PERMISSIONS_POLICY)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


def _has_session(request: HttpRequest) -> bool:
    # A session cookie is enough: the session is not read from the database for this.
    session = getattr(request, "session", None)
    return session is not None and not session.is_empty()
