"""The "what happened since last time" sheet the facilitator prints for a workshop."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from palabre.core.pdf import public_pdf, qr_code
from palabre.neighbourhoods.models import Neighbourhood
from palabre.official_requests.models import Request, Status
from palabre.official_requests.permissions import takes_replies
from palabre.workshops.models import Status as WorkshopStatus
from palabre.workshops.models import Workshop
from palabre.workshops.queries import past_in, visible_workshops

# A workshop recorded as held, with or without its minutes: what its participants heard.
HELD = (WorkshopStatus.HELD, WorkshopStatus.REPORTED)


def next_workshop_in(user: Any, neighbourhood: Neighbourhood) -> Workshop | None:
    """Return the neighbourhood's next workshop `user` may see, tonight's included (one that
    started today and is not yet recorded as held), or None."""
    today = datetime.combine(timezone.localdate(), time.min, tzinfo=timezone.get_current_timezone())
    coming: QuerySet[Workshop] = (
        visible_workshops(user)
        .filter(neighbourhood=neighbourhood, starts_at__gte=today)
        .exclude(status__in=(*HELD, WorkshopStatus.CANCELLED))
        .order_by("starts_at", "pk")
    )
    return coming.first()


def previous_held(neighbourhood: Neighbourhood, workshop: Workshop | None) -> Workshop | None:
    """Return the last workshop held in the neighbourhood before `workshop` (before now without
    one). Held workshops are public, so the answer is the same whoever prints."""
    held = past_in(None, neighbourhood).filter(status__in=HELD)
    if workshop is not None and workshop.starts_at is not None:
        held = held.filter(starts_at__lt=workshop.starts_at)
    return held.first()


def tracker_url(neighbourhood: Neighbourhood) -> str:
    """Return the address of the public list of the neighbourhood's requests."""
    query = urlencode({"quartier": neighbourhood.slug})
    return f"{settings.SITE_URL}{reverse('official_requests:tracker')}?{query}"


def since_last_time_pdf(neighbourhood: Neighbourhood, workshop: Workshop | None) -> bytes:
    """Every request of the neighbourhood with its status and answer, printed for `workshop`
    (for the neighbourhood without one); what changed since the previous workshop held there is
    marked as new (everything when none was held). A4, in the active language, with a QR code
    to the public list of the neighbourhood's requests."""
    previous = previous_held(neighbourhood, workshop)
    since = previous.starts_at if previous is not None else None
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
    url = tracker_url(neighbourhood)
    html = render_to_string(
        "official_requests/print/since.html",
        {
            "neighbourhood": neighbourhood,
            "workshop": workshop,
            "since": since,
            "requests": requests,
            "printed": timezone.localdate(),
            "qr": qr_code(url),
            "display_url": url.split("://", 1)[-1],
        },
    )
    return public_pdf(html)
