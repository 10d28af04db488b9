"""The evaluation dashboard: the service's figures per year or cycle and neighbourhood, compared
with the period before, every chart with its table, and the same figures as CSV.

At the top of the stack, like `week`: it reads other apps through their queries only.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from palabre.core.shortcuts import render_page, require
from palabre.core.spreadsheets import csv_download, safe_cell
from palabre.evaluation import actions, figures
from palabre.evaluation.forms import ReportForm, ScopeForm
from palabre.evaluation.models import ReportState, YearlyReport
from palabre.evaluation.permissions import can_evaluate


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    require(can_evaluate(request.user))
    form = ScopeForm(request.GET or None)
    scope = form.scope()
    found = figures.compute(scope)
    earlier_scope = figures.previous(scope)
    earlier = figures.compute(earlier_scope) if earlier_scope else None
    rows = figures.table(found, earlier)
    if request.GET.get("format") == "csv":
        return _csv(found, earlier, rows)
    return render_page(
        request,
        "evaluation/dashboard.html",
        {
            "form": form,
            "scope": scope,
            "earlier_scope": earlier_scope,
            "rows": rows,
            "figures": found,
            "charts": figures.charts(found),
            "query": request.GET.urlencode(),
        },
    )


def _csv(
    found: figures.Figures, earlier: figures.Figures | None, rows: list[figures.Row]
) -> HttpResponse:
    name = slugify(f"palabre-bilan-{found.scope.label}")
    response, out = csv_download(f"{name}.csv")
    out.writerow(
        [_("part"), _("figure"), found.scope.label, earlier.scope.label if earlier else ""]
    )
    for row in rows:
        out.writerow(
            [_("Key figures"), row.label, figures.cell(row.value), figures.cell(row.previous)]
        )
    for part, items in (
        (_("How people heard of the workshops"), found.channels),
        (_("What residents talked about"), found.themes),
    ):
        for label, value in items:
            out.writerow([part, safe_cell(label), value, ""])
    for each in found.turnout:
        out.writerow(
            [
                _("Participatory budgets: people who voted"),
                safe_cell(each.envelope),
                each.people,
                "",
            ]
        )
        if each.percent is not None:
            out.writerow(
                [_("Share of the residents (%)"), safe_cell(each.envelope), each.percent, ""]
            )
    return response


@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest) -> HttpResponse:
    """The council's yearly reports: ask for one (the worker makes it), download those made."""
    require(can_evaluate(request.user))
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        asked = actions.ask_report(by=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("The report for %(year)s is being prepared; it appears below when ready.")
            % {"year": asked.year},
        )
        return redirect("evaluation:reports")
    made = list(YearlyReport.objects.defer("pdf", "csv").select_related("requested_by"))
    return render_page(
        request,
        "evaluation/reports.html",
        {
            "form": form,
            "reports": made,
            "waiting": any(one.state == ReportState.WAITING for one in made),
        },
        fragment="listed",
        status=400 if form.errors else 200,
    )


@require_GET
def report_file(request: HttpRequest, year: str, language: str, kind: str) -> HttpResponse:
    require(can_evaluate(request.user))
    found = get_object_or_404(
        YearlyReport.objects.filter(state=ReportState.READY), year=year, language=language
    )
    name = f"palabre-rapport-{year}-{language}.{kind}"
    if kind == "pdf":
        response = HttpResponse(bytes(found.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}"'
    else:
        response = HttpResponse(found.csv, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
