from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from palabre.contributions import actions, queries
from palabre.contributions.forms import CaptureForm
from palabre.contributions.permissions import can_capture
from palabre.core.shortcuts import render_page, require
from palabre.workshops.models import Workshop, new_token
from palabre.workshops.queries import visible_workshops


@require_http_methods(["GET", "POST"])
def capture(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        workshop = visible_workshops(request.user).get(pk=pk)
    except Workshop.DoesNotExist:
        raise Http404 from None
    require(can_capture(request.user, workshop), hide=True)
    themes = list(queries.active_themes())
    bound: CaptureForm | None = None
    if request.method == "POST":
        posted = request.POST.get("question", "x")
        bound = CaptureForm(request.POST, themes=themes, auto_id=f"q{posted}_%s")
        if bound.is_valid():
            data: dict[str, Any] = bound.cleaned_data | {"themes": bound.chosen_themes()}
            try:
                actions.capture(by=request.user, workshop=workshop, **data)
            except actions.ContributionError as error:
                bound.add_error("text", str(error))
            else:
                index = data["question"]
                url = reverse("contributions:capture", kwargs={"pk": pk})
                return redirect(f"{url}?q={index}#question-{index}")
    active = str(bound.data.get("question")) if bound else request.GET.get("q", "0")
    notes = list(queries.captured_at(workshop))
    sections = []
    for index, question in enumerate(workshop.guiding_questions):
        if bound is not None and str(bound.data.get("question")) == str(index):
            form = bound  # the entry that was refused keeps its text
        else:
            form = CaptureForm(
                initial={"question": index, "key": new_token()},
                themes=themes,
                auto_id=f"q{index}_%s",
            )
        sections.append(
            {
                "index": index,
                "question": question,
                "form": form,
                "notes": [note for note in notes if note.question == question],
                "active": active == str(index),
            }
        )
    return render_page(
        request,
        "contributions/capture.html",
        {"workshop": workshop, "sections": sections, "total": len(notes)},
    )
