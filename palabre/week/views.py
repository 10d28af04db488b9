"""What the coordinator looks at every Monday: one page across the service's work.

At the top of the stack, like `privacy`: it reads other apps through their queries only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
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
from palabre.official_requests.queries import due_soon, late_requests
from palabre.workshops.permissions import can_manage_workshops
from palabre.workshops.queries import missing, upcoming_gaps

# Each list shows its total and its most urgent few, never a whole city's list: the rest is
# one link away, on the page that lists them in full.
SHOWN = 10
MODERATION_SHOWN = 5
CITY_SUPPORT_PAGE = 50


@dataclass(frozen=True)
class Section[Row: Model]:
    """A list of the week: how many in all, and the first `SHOWN` (two queries)."""

    count: int
    rows: list[Row]

    @property
    def more(self) -> bool:
        return self.count > len(self.rows)


def _section[Row: Model](queryset: QuerySet[Row], shown: int = SHOWN) -> Section[Row]:
    return Section(queryset.count(), list(queryset[:shown]))


def _require_service(request: HttpRequest) -> None:
    user = request.user
    require(can_draft(user) and can_manage_workshops(user) and can_moderate(user))


@require_GET
def week(request: HttpRequest) -> HttpResponse:
    _require_service(request)
    workshops = _section(upcoming_gaps(days=30))
    for workshop in workshops.rows:
        workshop.missing = missing(workshop)  # type: ignore[attr-defined]
    return render_page(
        request,
        "week/week.html",
        {
            "callbacks": _section(callbacks_waiting()),
            "late": _section(late_requests()),
            "due": _section(due_soon(days=7)),
            "workshops": workshops,
            "moderation": _section(moderation_queue(), MODERATION_SHOWN),
            "initiatives": _section(needing_city_support()),
        },
    )


@require_GET
def city_support(request: HttpRequest) -> HttpResponse:
    """Every action waiting for the city, page by page (the week page shows the first few)."""
    _require_service(request)
    page = Paginator(needing_city_support(), CITY_SUPPORT_PAGE).get_page(request.GET.get("page"))
    return render_page(request, "week/city_support.html", {"page": page})


@require_GET
def settings_page(request: HttpRequest) -> HttpResponse:
    """Everything the service keeps up to date over the year, in one place: no step of the
    coordinator's year needs the back-office (accounts and roles are the administrator's)."""
    user = request.user
    _require_service(request)
    return render_page(
        request,
        "week/settings.html",
        {
            "neighbourhoods": visible_neighbourhoods(user).order_by("name"),
            "can_manage_accounts": can_manage_accounts(user),
        },
    )
