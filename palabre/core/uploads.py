"""Request bodies larger than any form needs are refused before they are read (issue 13, M4).

A declared `Content-Length` over the limit gets a 413 page at once, before CSRF or a view reads
the body, so nothing that large is written to a temporary file. Django never reads past the
declared length (and parses nothing without one), so the declaration is what to check.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from palabre.core.images import MAX_BYTES
from palabre.core.shortcuts import render_page

# The largest upload (one image or file) plus room for the other fields of its form.
MAX_BODY_BYTES = MAX_BYTES + 1_000_000


def body_size_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Answer 413 when the declared body is larger than any form of Palabre needs."""

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > MAX_BODY_BYTES:
            response = render_page(
                request,
                "core/too_large.html",
                {"megabytes": MAX_BYTES // 1_000_000},
                status=413,
            )
            response["Connection"] = "close"  # the rest of the body is not read
            return response
        return get_response(request)

    return middleware
