"""The coordinators' playbook pages: list, create and edit, export and import as files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palabre.core.shortcuts import render_page, require
from palabre.initiatives import actions, playbook_actions, playbooks, queries
from palabre.initiatives.models import Playbook
from palabre.initiatives.permissions import can_edit_playbooks
from palabre.initiatives.playbook_forms import (
    BudgetFormSet,
    ImportForm,
    PlaybookForm,
    StepFormSet,
    initial_rows,
    playbook_data,
)


def _list_page(request: HttpRequest, import_form: ImportForm, *, status: int = 200) -> HttpResponse:
    return render_page(
        request,
        "initiatives/playbooks/list.html",
        {"playbooks": queries.playbook_list(), "import_form": import_form},
        status=status,
    )


@require_GET
def playbook_list(request: HttpRequest) -> HttpResponse:
    require(can_edit_playbooks(request.user))
    return _list_page(request, ImportForm())


def _load(pk: int) -> Playbook:
    found = Playbook.objects.prefetch_related("steps", "budget").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@require_http_methods(["GET", "POST"])
def playbook_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a playbook (no pk) or edit one; nothing is saved unless every row is valid."""
    require(can_edit_playbooks(request.user))
    found = _load(pk) if pk is not None else None
    if request.method == "POST":
        form = PlaybookForm(request.POST)
        steps = StepFormSet(request.POST, prefix="steps")
        budget = BudgetFormSet(request.POST, prefix="budget")
        if form.is_valid() and steps.is_valid() and budget.is_valid():
            try:
                saved = playbook_actions.save_playbook(
                    by=request.user, playbook=found, data=playbook_data(form, steps, budget)
                )
            except playbook_actions.TitleTaken as error:
                form.add_error("title", str(error))
            except playbook_actions.PlaybookSaveError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Playbook saved."))
                return redirect("initiatives:playbook_edit", pk=saved.pk)
    else:
        data = actions.playbook_data(found) if found else None
        rows: dict[str, Any] = initial_rows(data) if data else {"steps": [], "budget": []}
        form = PlaybookForm(
            initial={"title": data.title, "kind": data.kind, "description": data.description}
            if data
            else None
        )
        steps = StepFormSet(initial=rows["steps"], prefix="steps")
        budget = BudgetFormSet(initial=rows["budget"], prefix="budget")
    return render_page(
        request,
        "initiatives/playbooks/edit.html",
        {"playbook": found, "form": form, "steps": steps, "budget": budget},
    )


@require_GET
def playbook_export(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_edit_playbooks(request.user))
    found = _load(pk)
    name = slugify(found.title) or f"guide-{found.pk}"
    response = HttpResponse(
        actions.export_playbook(found), content_type="application/toml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.toml"'
    return response


@require_POST
def playbook_import(request: HttpRequest) -> HttpResponse:
    """Import a playbook file; a bad file is refused with its line and reason, on the list."""
    require(can_edit_playbooks(request.user))
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, form)
    text: str = form.cleaned_data["file"]
    try:
        title = playbooks.parse(text).title
        replaced = Playbook.objects.filter(title=title).exists()
        made = actions.import_playbook(by=request.user, text=text)
    except playbooks.PlaybookError as error:
        form.add_error("file", str(error))
        return _list_page(request, form)
    if replaced:
        messages.success(
            request,
            _("The playbook “%(title)s” was replaced by the file's version.") % {"title": title},
        )
    else:
        messages.success(request, _("The playbook “%(title)s” was imported.") % {"title": title})
    return redirect("initiatives:playbook_edit", pk=made.pk)
