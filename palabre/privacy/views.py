from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from palabre.accounts.models import Role
from palabre.core.shortcuts import render_page
from palabre.links.views import link_gone
from palabre.privacy import actions, queries
from palabre.privacy.queries import Data


def _download(data: Data, name: str) -> HttpResponse:
    data = {"exported_at": timezone.localtime().isoformat(), **data}
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return _download(queries.account_data(request.user), "mes-donnees-palabre")  # type: ignore[arg-type]


@require_GET
def link_data(request: HttpRequest, token: str) -> HttpResponse:
    # The private link is the permission, as on the page it opens.
    data = queries.link_data(token)
    if data is None:
        return link_gone(request)
    return _download(data, "mes-donnees-palabre")


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand: my account and my contact details are erased for good."),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )


@require_http_methods(["GET", "POST"])
@login_required
def erase(request: HttpRequest) -> HttpResponse:
    may_erase = request.user.role == Role.RESIDENT  # type: ignore[union-attr]
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and may_erase and form.is_valid():
        actions.erase_account(by=request.user, user=request.user)  # type: ignore[arg-type]
        logout(request)
        messages.success(
            request, _("Your account is erased. What you said stays, without your name.")
        )
        return redirect("core:home")
    return render_page(request, "privacy/erase.html", {"form": form, "may_erase": may_erase})
