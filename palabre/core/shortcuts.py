"""The small kernel every view uses: render a page or its htmx fragment, and require()."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render the full page, or only `template#fragment` for an htmx request."""
    name = f"{template}#{fragment}" if fragment and getattr(request, "htmx", False) else template
    return render(request, name, context or {}, status=status)


def require(allowed: bool, *, hide: bool = False) -> None:
    """Stop the request unless `allowed`: 403, or 404 when the object's existence is secret."""
    if allowed:
        return
    if hide:
        raise Http404
    raise PermissionDenied


def png_response(image: FieldFile, *, cache: str) -> FileResponse:
    """Serve a stored image (every upload is re-encoded as PNG) with its cache policy."""
    response = FileResponse(image.open("rb"), content_type="image/png")
    response["Cache-Control"] = cache
    return response
