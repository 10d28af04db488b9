"""What the coordinator looks at every Monday: one page across the service's work.

At the top of the stack, like `privacy`: it reads other apps through their queries only.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from palabre.accounts.permissions import can_manage_accounts
from palabre.callbacks.queries import waiting as callbacks_waiting
from palabre.contributions.permissions import can_moderate
from palabre.contributions.queries import moderation_queue
from palabre.core.shortcuts import render_page, require
from palabre.initiatives.queries import needing_city_support
from palabre.neighbourhoods.queries import visible_neighbourhoods
from palabre.official_requests.permissions import can_draft
from palabre.official_requests.queries import due_soon
from palabre.workshops.permissions import can_manage_workshops
from palabre.workshops.queries import upcoming_gaps

MODERATION_SHOWN = 5


@require_GET
def week(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(can_draft(user) and can_manage_workshops(user) and can_moderate(user))
    requests = due_soon(days=7)
    waiting = moderation_queue()
    return render_page(
        request,
        "week/week.html",
        {
            "callbacks": list(callbacks_waiting()),
            "late": [item for item in requests if item.late],  # type: ignore[attr-defined]
            "due": [item for item in requests if not item.late],  # type: ignore[attr-defined]
            "workshops": upcoming_gaps(days=30),
            "moderation_count": waiting.count(),
            "moderation": list(waiting[:MODERATION_SHOWN]),
            "initiatives": needing_city_support(),
        },
    )


@require_GET
def settings_page(request: HttpRequest) -> HttpResponse:
    """Everything the service keeps up to date over the year, in one place: no step of the
    coordinator's year needs the back-office (accounts and roles are the administrator's)."""
    user = request.user
    require(can_draft(user) and can_manage_workshops(user) and can_moderate(user))
    return render_page(
        request,
        "week/settings.html",
        {
            "neighbourhoods": visible_neighbourhoods(user).order_by("name"),
            "can_manage_accounts": can_manage_accounts(user),
        },
    )
