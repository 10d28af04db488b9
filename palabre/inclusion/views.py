"""HTTP for the inclusion questionnaire: answer it on a phone, print and key it on paper, share
its link at check-in; the service's "who we reach" page, its CSV, and the population figures."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from palabre.core import throttle
from palabre.core.pdf import public_pdf, qr_code
from palabre.core.shortcuts import render_page, require
from palabre.core.spreadsheets import csv_download, safe_cell
from palabre.inclusion import actions, charts, queries
from palabre.inclusion.forms import PopulationForm, QuestionnaireForm, ReachForm
from palabre.inclusion.models import Population
from palabre.inclusion.permissions import can_key_paper, can_see_reach, closes_at, is_open, opens_at
from palabre.workshops.models import Workshop

# Phone answers one client address may send per hour: a whole room behind the venue's Wi-Fi
# (one address for 40–60 phones) fits, a script does not get further (ADR 0074).
ANSWERS_PER_CLIENT = throttle.Limit("inclusion-answer", 120, timedelta(hours=1))


def _new_key() -> str:
    return secrets.token_urlsafe(24)


def _address(workshop: Workshop) -> str:
    return settings.SITE_URL + reverse("inclusion:questionnaire", args=[workshop.pk])


def _private(response: HttpResponse) -> HttpResponse:
    # The ticks stay out of the browser's and any proxy's caches (a shared phone, a library).
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-minute questionnaire, anonymous, on a phone (with or without JavaScript)."""
    workshop = queries.questionnaire_workshop(request.user, pk)
    places = queries.published_neighbourhoods()
    if not is_open(workshop):
        return render_page(
            request,
            "inclusion/closed.html",
            {
                "workshop": workshop,
                "opens_at": opens_at(workshop),
                "closes_at": closes_at(workshop),
                "now": timezone.now(),
            },
        )
    status = 200
    if request.method == "POST":
        wait = throttle.claim(
            [throttle.tally(ANSWERS_PER_CLIENT, throttle.client_address(request))]
        )
        if wait is not None:
            return throttle.too_many_response(request, wait)
        form = QuestionnaireForm(request.POST, neighbourhoods=places)
        if form.is_valid():
            try:
                actions.answer(workshop=workshop, said=form.said(), key=form.cleaned_data["key"])
            except actions.InclusionError as refused:
                form.add_error(None, refused.message)
            else:
                return redirect("inclusion:thanks", pk=workshop.pk)
        status = 400
    else:
        form = QuestionnaireForm(initial={"key": _new_key()}, neighbourhoods=places)
    return _private(
        render_page(
            request,
            "inclusion/questionnaire.html",
            {"workshop": workshop, "form": form},
            status=status,
        )
    )


@require_GET
def thanks(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = queries.questionnaire_workshop(request.user, pk)
    return render_page(request, "inclusion/thanks.html", {"workshop": workshop})


def _team_workshop(request: HttpRequest, pk: int) -> Workshop:
    workshop = queries.questionnaire_workshop(request.user, pk)
    require(can_key_paper(request.user, workshop), hide=True)
    return workshop


@require_GET
def share(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire's QR code and short link, to show on the screen at check-in or print."""
    workshop = _team_workshop(request, pk)
    address = _address(workshop)
    return render_page(
        request,
        "inclusion/share.html",
        {
            "workshop": workshop,
            "address": address,
            "shown_address": address.split("://", 1)[-1],
            "qr": qr_code(address),
            "is_open": is_open(workshop),
            "opens_at": opens_at(workshop),
            "closes_at": closes_at(workshop),
            "paper_count": queries.paper_count(workshop),
            "languages": settings.LANGUAGES,
        },
    )


@require_GET
def paper_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The paper questionnaire, one A4 page, in the language asked (?language=nl)."""
    workshop = _team_workshop(request, pk)
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = (translation.get_language() or "fr")[:2]
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
    address = _address(workshop)
    with translation.override(language):
        form = QuestionnaireForm(
            initial={"key": "x" * 16}, neighbourhoods=queries.published_neighbourhoods()
        )
        html = render_to_string(
            "inclusion/paper_pdf.html",
            {
                "workshop": workshop,
                "texts": workshop.texts_in(language),
                "form": form,
                "address": address,
                "shown_address": address.split("://", 1)[-1],
                "qr": qr_code(address),
                "language": language,
            },
        )
    response = HttpResponse(public_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="questionnaire-{workshop.pk}-{language}.pdf"'
    )
    return response


@require_http_methods(["GET", "POST"])
def paper(request: HttpRequest, pk: int) -> HttpResponse:
    """Key a pile of paper questionnaires, one sheet per screen, with the keyboard only."""
    workshop = _team_workshop(request, pk)
    places = queries.published_neighbourhoods()
    status = 200
    if request.method == "POST":
        form = QuestionnaireForm(request.POST, neighbourhoods=places, paper=True)
        if form.is_valid():
            try:
                saved = actions.key_paper(
                    by=request.user,
                    workshop=workshop,
                    said=form.said(),
                    key=form.cleaned_data["key"],
                )
            except actions.InclusionError as refused:
                form.add_error(None, refused.message)
            else:
                count = queries.paper_count(workshop)
                if saved.created:
                    messages.success(
                        request,
                        ngettext(
                            "Sheet saved: %(count)d sheet keyed for this workshop. Next sheet.",
                            "Sheet saved: %(count)d sheets keyed for this workshop. Next sheet.",
                            count,
                        )
                        % {"count": count},
                    )
                else:
                    messages.info(
                        request,
                        _("This sheet had already been saved: it counts once. Next sheet."),
                    )
                return redirect("inclusion:paper", pk=workshop.pk)
        status = 400
    else:
        form = QuestionnaireForm(
            initial={"key": _new_key()}, neighbourhoods=places, paper=True, focus_first=True
        )
    return render_page(
        request,
        "inclusion/paper.html",
        {"workshop": workshop, "form": form, "paper_count": queries.paper_count(workshop)},
        status=status,
    )


# The service's pages ------------------------------------------------------------------------


def _period(form: ReachForm) -> tuple[date, date]:
    cycle = form.cleaned_data.get("cycle")
    if cycle is not None:
        return cycle.starts_on, cycle.ends_on
    year = form.year_or_default()
    return date(year, 1, 1), date(year, 12, 31)


def _reach_of(request: HttpRequest) -> tuple[ReachForm, queries.Reach | None]:
    form = ReachForm(request.GET or {"year": str(timezone.localdate().year)})
    if not form.is_valid():
        return form, None
    start, end = _period(form)
    found = queries.reach(
        start=start,
        end=end,
        neighbourhood=form.cleaned_data.get("neighbourhood"),
        cycle=form.cleaned_data.get("cycle"),
    )
    return form, found


@require_GET
def reach(request: HttpRequest) -> HttpResponse:
    """Who the workshops reach, and who they miss, against the population figures."""
    require(can_see_reach(request.user))
    form, found = _reach_of(request)
    context: dict[str, Any] = {"form": form, "reach": found, "query": request.GET.urlencode()}
    if found is not None:
        context["charts"] = [
            (question, charts.question_chart(question)) for question in found.questions
        ]
        context["age_chart"] = charts.age_chart(found.ages) if found.ages else None
        context["fewer_than"] = charts.fewer_than()
    return render_page(
        request, "inclusion/reach.html", context, status=200 if found is not None else 400
    )


def _cell(value: int | None) -> str:
    return charts.fewer_than() if value is None else str(value)


@require_GET
def reach_csv(request: HttpRequest) -> HttpResponse:
    """The same figures as the page, in a CSV file, with the same groups suppressed."""
    require(can_see_reach(request.user))
    _form, found = _reach_of(request)
    if found is None:
        return reach(request)
    place = found.neighbourhood.name if found.neighbourhood else _("all neighbourhoods")
    name = slugify(f"palabre-inclusion-{found.start.year}-{place}")
    response, out = csv_download(f"{name}.csv")
    out.writerow(
        [
            _("question"),
            _("answer"),
            _("answers"),
            _("Share of answers (%)"),
            _("population"),
            _("Share of the population (%)"),
        ]
    )
    out.writerow([_("All answers"), "", _cell(found.total), "", found.population_total or "", ""])
    for question in found.questions:
        for figure in question.figures:
            out.writerow(
                [
                    safe_cell(question.title),
                    safe_cell(figure.label),
                    _cell(figure.count),
                    "" if figure.share is None else figure.share,
                    "",
                    "",
                ]
            )
    for band in found.ages:
        out.writerow(
            [
                _("Age compared with the population (share of those who gave their age, in %)"),
                safe_cell(band.label),
                _cell(band.answers),
                "" if band.answers_share is None else band.answers_share,
                band.population,
                band.population_share,
            ]
        )
    if found.population_sources:
        out.writerow([_("Population source"), safe_cell("; ".join(found.population_sources))])
    return response


@require_http_methods(["GET", "POST"])
def population(request: HttpRequest) -> HttpResponse:
    """The neighbourhoods' population figures, typed in from Statbel or IWEPS."""
    require(can_see_reach(request.user))
    status = 200
    if request.method == "POST":
        form = PopulationForm(request.POST)
        if form.is_valid():
            try:
                row = actions.save_population(
                    by=request.user,
                    neighbourhood=form.cleaned_data["neighbourhood"],
                    year=form.cleaned_data["year"],
                    by_age=form.by_age(),
                    by_nationality=form.by_nationality(),
                    source=form.cleaned_data["source"],
                )
            except actions.InclusionError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    _("Population of %(place)s in %(year)d saved (%(total)s people).")
                    % {"place": row.neighbourhood.name, "year": row.year, "total": row.total},
                )
                return redirect("inclusion:population")
        status = 400
    else:
        form = PopulationForm(initial=_editing(request))
    return render_page(
        request,
        "inclusion/population.html",
        {"form": form, "rows": list(queries.populations())},
        status=status,
    )


def _editing(request: HttpRequest) -> dict[str, Any]:
    asked = request.GET.get("edit", "")
    if not asked.isdigit():
        return {"year": timezone.localdate().year}
    row = Population.objects.filter(pk=int(asked)).first()
    return PopulationForm.initial_from(row) if row else {"year": timezone.localdate().year}
