"""The "what happened since last time" sheet the facilitator prints for the next workshop."""

from __future__ import annotations

from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from palabre.core.pdf import public_pdf
from palabre.neighbourhoods.models import Neighbourhood
from palabre.official_requests.models import Request, Status
from palabre.official_requests.permissions import takes_replies


def since_last_time_pdf(neighbourhood: Neighbourhood, since: datetime | None) -> bytes:
    """Every request of the neighbourhood with its status and answer; what changed since
    `since` (the last workshop there) is marked as new. A4."""
    requests = list(
        Request.objects.filter(neighbourhood=neighbourhood)
        .exclude(status=Status.DRAFTED)
        .filter(merged_into=None)
        .select_related("official", "department")
        .prefetch_related("events__replies")
        .order_by("status", "-sent_at")
    )
    for item in requests:
        item.takes_replies = takes_replies(item)  # type: ignore[attr-defined]
        item.changed = since is None or any(  # type: ignore[attr-defined]
            event.is_public and event.at >= since for event in item.events.all()
        )
    html = render_to_string(
        "official_requests/print/since.html",
        {
            "neighbourhood": neighbourhood,
            "since": since,
            "requests": requests,
            "printed": timezone.localdate(),
        },
    )
    return public_pdf(html)
