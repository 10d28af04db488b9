from __future__ import annotations

import secrets

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palabre.callbacks import actions
from palabre.callbacks.forms import CallbackForm
from palabre.callbacks.models import BestTime, CallbackRequest
from palabre.callbacks.permissions import can_handle_callbacks
from palabre.core import phones
from palabre.core.shortcuts import render_page, require
from palabre.core.throttle import limit_anonymous_writes


@require_http_methods(["GET", "POST"])
@limit_anonymous_writes("callback")
def ask(request: HttpRequest) -> HttpResponse:
    """Name and phone number, no account: the service calls back."""
    if request.method == "POST":
        form = CallbackForm(request.POST)
        if form.is_valid():
            actions.ask_callback(
                key=form.cleaned_data["key"],
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                language=(get_language() or "fr")[:2],
                best_time=form.cleaned_data["best_time"],
                about=form.cleaned_data["about"],
            )
            # Said from what was typed, never from what is stored: a request someone else left
            # on that number stays secret, and a retry reads the same.
            messages.success(
                request,
                _(
                    "Thank you, %(name)s. We will call %(phone)s (%(when)s), usually within two "
                    "working days."
                )
                % {
                    "name": form.cleaned_data["name"],
                    "phone": phones.readable(form.cleaned_data["phone"]),
                    "when": BestTime(form.cleaned_data["best_time"]).label.lower(),
                },
            )
            return redirect("callbacks:thanks")
    else:
        form = CallbackForm(initial={"key": secrets.token_urlsafe(24)})
    return render_page(request, "callbacks/ask.html", {"form": form})


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return render_page(request, "callbacks/thanks.html")


@require_POST
def called(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_handle_callbacks(request.user))
    callback = get_object_or_404(CallbackRequest, pk=pk)
    if actions.mark_called(by=request.user, callback=callback):
        messages.success(request, _("%(name)s was called back.") % {"name": callback.name})
    else:
        messages.info(
            request, _("%(name)s had already been called back.") % {"name": callback.name}
        )
    return redirect("week:week")
