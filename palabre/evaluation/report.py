"""What the council's yearly report says, as a PDF and as CSV: the same `figures.compute` as the
dashboard (city and each neighbourhood), what residents asked and what came of it, the actions
carried out with their photos, and next year's plan."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from palabre.core.pdf import data_uri, pdf
from palabre.core.spreadsheets import safe_cell
from palabre.evaluation import figures
from palabre.inclusion.queries import Reach, reach
from palabre.initiatives.models import Status as InitiativeStatus
from palabre.initiatives.queries import photos_in_order, showcase
from palabre.neighbourhoods.models import Neighbourhood
from palabre.official_requests.models import Status as RequestStatus
from palabre.official_requests.queries import visible_requests
from palabre.workshops.models import Status as WorkshopStatus
from palabre.workshops.models import Workshop
from palabre.workshops.printing import city_logo

PHOTOS_PER_ACTION = 2


@dataclass(frozen=True)
class Area:
    neighbourhood: Neighbourhood
    rows: list[figures.Row]


@dataclass(frozen=True)
class Content:
    year: int
    city: figures.Figures
    rows: list[figures.Row]  # the city's key figures, with the year before
    areas: list[Area]
    requests: list[Any]
    actions: list[Any]
    plan: list[Workshop]
    reach: Reach  # the anonymous questionnaire's answers, groups under 5 suppressed


def _neighbourhoods(year: int) -> list[Neighbourhood]:
    """The neighbourhoods with something to report in `year`: a workshop, a request, an action
    or a cycle of the year."""
    period = (date(year, 1, 1), date(year, 12, 31))
    return list(
        Neighbourhood.objects.filter(
            Q(workshops__starts_at__date__range=period)
            | Q(requests__sent_at__date__range=period)
            | Q(initiatives__starts_on__range=period)
            | Q(cycles__starts_on__lte=period[1], cycles__ends_on__gte=period[0])
        )
        .distinct()
        .order_by("position", "name")
    )


def content(year: int) -> Content:
    """Everything the report shows; the figures are the dashboard's (`figures.compute`)."""
    city = figures.compute(figures.year_scope(year))
    earlier = figures.compute(figures.year_scope(year - 1))
    areas = [
        Area(area, figures.table(figures.compute(figures.year_scope(year, area))))
        for area in _neighbourhoods(year)
    ]
    requests = list(
        visible_requests(None)
        .exclude(status=RequestStatus.DRAFTED)
        .filter(merged_into__isnull=True, sent_at__year=year)
        .order_by("neighbourhood__name", "sent_at", "pk")
    )
    actions = [
        action
        for action in showcase(None).prefetch_related(photos_in_order())
        if action.status == InitiativeStatus.DONE
        and (action.starts_on or timezone.localdate(action.created_at)).year == year
    ]
    plan = list(
        Workshop.objects.filter(starts_at__year=year + 1)
        .exclude(status=WorkshopStatus.CANCELLED)
        .select_related("neighbourhood", "venue")
        .order_by("starts_at", "pk")
    )
    return Content(
        year=year,
        city=city,
        rows=figures.table(city, earlier),
        areas=areas,
        requests=requests,
        actions=actions,
        plan=plan,
        reach=reach(start=date(year, 1, 1), end=date(year, 12, 31)),
    )


def render_pdf(found: Content) -> bytes:
    """The report as a PDF in the active language."""
    actions = [
        (action, [data_uri(photo.image) for photo in action.photos.all()[:PHOTOS_PER_ACTION]])
        for action in found.actions
    ]
    html = render_to_string(
        "evaluation/report.html",
        {
            "report": found,
            "charts": figures.charts(found.city),
            "actions": actions,
            "logo": city_logo(),
            "city_name": settings.CITY_NAME,
            "service_name": settings.SERVICE_NAME,
            "made_on": timezone.localdate(),
        },
    )
    return pdf(html)


def render_csv(found: Content) -> str:
    """The same figures as CSV: one line per figure, for the city and each neighbourhood, then
    the requests and the actions."""
    out = io.StringIO()
    out.write("\ufeff")  # so that spreadsheets open the accents right
    writer = csv.writer(out)
    writer.writerow([_("part"), _("where"), _("figure"), _("value")])
    city = _("The whole city")
    for row in found.rows:
        writer.writerow([_("Key figures"), city, row.label, figures.cell(row.value)])
    for area in found.areas:
        for row in area.rows:
            writer.writerow(
                [_("Key figures"), area.neighbourhood.name, row.label, figures.cell(row.value)]
            )
    for band in found.reach.ages:
        writer.writerow(
            [
                _("Who the workshops reach"),
                city,
                band.label,
                "" if band.answers_share is None else band.answers_share,
            ]
        )
    for item in found.requests:
        writer.writerow(
            [
                _("Requests to officials"),
                item.neighbourhood.name,
                safe_cell(item.title),
                item.get_status_display(),
            ]
        )
    for action in found.actions:
        writer.writerow(
            [
                _("Citizen actions carried out"),
                action.neighbourhood.name,
                safe_cell(action.title),
                action.get_status_display(),
            ]
        )
    return out.getvalue()
