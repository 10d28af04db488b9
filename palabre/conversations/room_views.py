"""The map for the room: its page (the accessible text version), the projector's view (the same
figures in large type, refreshed by htmx every few seconds) and the report for the minutes.

All three read the map the worker stored (actions.refresh_map); none of them computes it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from palabre.conversations import room as reading
from palabre.conversations.lookup import conversation_for
from palabre.conversations.models import Conversation
from palabre.core.pdf import public_pdf, qr_code
from palabre.core.shortcuts import render_page
from palabre.official_requests.permissions import can_draft

# How often the projector asks for new figures (the worker maps votes within about 2 s).
REFRESH_SECONDS = 5


def _context(conversation: Conversation) -> dict[str, Any]:
    found = reading.room(conversation)
    return {"conversation": conversation, "room": found, "address": _address(conversation)}


def _address(conversation: Conversation) -> str:
    return settings.SITE_URL + reverse(
        "conversations:conversation", kwargs={"slug": conversation.slug}
    )


@require_GET
def map_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The map in words and tables: the groups, what sets each apart, what unites everyone."""
    conversation = conversation_for(request, slug)
    context = _context(conversation) | {"can_draft": can_draft(request.user)}
    return render_page(request, "conversations/room/map.html", context)


@never_cache  # live figures: never a stale copy from a cache
@require_GET
def projector(request: HttpRequest, slug: str) -> HttpResponse:
    """The map on the room's screen; htmx asks for its figures again every few seconds."""
    conversation = conversation_for(request, slug)
    context = _context(conversation)
    context["refresh_seconds"] = REFRESH_SECONDS
    if not getattr(request, "htmx", False):
        # The QR code only on the full page: the figures' refresh does not draw it again.
        context["qr"] = qr_code(context["address"])
    response = render_page(request, "conversations/room/projector.html", context, fragment="live")
    # The same address answers the page and, for htmx, its figures only.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def report(request: HttpRequest, slug: str) -> HttpResponse:
    """The map for the minutes, as a PDF."""
    conversation = conversation_for(request, slug)
    context = _context(conversation)
    context["qr"] = qr_code(context["address"])
    html = render_to_string("conversations/room/report.html", context, request=request)
    response = HttpResponse(public_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="carte-{conversation.slug}.pdf"'
    return response
