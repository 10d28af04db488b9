from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from palabre.core.shortcuts import render_page
from palabre.core.throttle import limit_anonymous_writes
from palabre.links.views import link_gone
from palabre.privacy import actions, permissions, queries
from palabre.privacy.forms import EraseAccountForm, EraseLinkForm
from palabre.privacy.queries import Data


@require_GET
def page(request: HttpRequest) -> HttpResponse:
    return render_page(
        request,
        "privacy/page.html",
        {
            "controller": settings.CONTROLLER_NAME,
            "controller_address": settings.CONTROLLER_ADDRESS,
            "dpo_email": settings.DPO_EMAIL,
            "link_days": settings.PRIVATE_LINK_DAYS,
            "registration_months": settings.RETENTION_MONTHS_REGISTRATIONS,
            "volunteer_months": settings.RETENTION_MONTHS_VOLUNTEERS,
        },
    )


def _download(data: Data) -> HttpResponse:
    data = {"exported_at": timezone.localtime().isoformat(), **data}
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-palabre.json"'
    # Personal data: never kept by the browser or a proxy on the way.
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return _download(queries.account_data(request.user))  # type: ignore[arg-type]


@require_GET
def link_data(request: HttpRequest, token: str) -> HttpResponse:
    # The private link is the permission, as on the page it opens.
    data = queries.link_data(token)
    if data is None:
        return link_gone(request)
    return _download(data)


@require_http_methods(["GET", "POST"])
@login_required
def erase(request: HttpRequest) -> HttpResponse:
    may_erase = permissions.can_erase_account(request.user, request.user)
    form = EraseAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and may_erase and form.is_valid():
        actions.erase_account(by=request.user, user=request.user)  # type: ignore[arg-type]
        logout(request)
        messages.success(
            request, _("Your account is erased. What you said stays, without your name.")
        )
        return redirect("home:index")
    return render_page(request, "privacy/erase.html", {"form": form, "may_erase": may_erase})


@require_http_methods(["GET", "POST"])
@limit_anonymous_writes("erase")
def erase_link(request: HttpRequest, token: str) -> HttpResponse:
    data = queries.link_data(token)
    if data is None:
        return link_gone(request)
    form = EraseLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not actions.erase_by_link(token=token):
            return link_gone(request)  # erased meanwhile, from another tab
        messages.success(
            request,
            _("Your contact details are erased. What you said or did stays, without your name."),
        )
        return redirect("privacy:page")
    return render_page(
        request, "privacy/erase_link.html", {"form": form, "token": token, "held": data}
    )
