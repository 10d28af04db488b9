from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from palabre.core.shortcuts import render_page
from palabre.links import actions
from palabre.links.forms import RecoverForm


@require_http_methods(["GET", "POST"])
def recover(request: HttpRequest) -> HttpResponse:
    form = RecoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.recover(**form.cleaned_data)
        # The same answer whether or not anything matched: a reference proves nothing alone.
        messages.info(
            request,
            _(
                "If this reference and this address match, a new link is on its way to the "
                "email address you gave when you signed up. The old link no longer works."
            ),
        )
        return redirect("links:recover")
    return render_page(request, "links/recover.html", {"form": form})


def link_gone(request: HttpRequest) -> HttpResponse:
    """The page for a private link that is unknown, replaced, expired or revoked (404)."""
    return render_page(request, "links/gone.html", status=404)
