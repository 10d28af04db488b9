from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from palabre.core.shortcuts import render_page, require
from palabre.outbox import actions, queries
from palabre.outbox.models import OutgoingMail
from palabre.outbox.permissions import can_see_outbox

PAGE_SIZE = 100


@require_GET
def failed(request: HttpRequest) -> HttpResponse:
    require(can_see_outbox(request.user))
    mails = list(queries.needing_attention()[:PAGE_SIZE])
    return render_page(request, "outbox/failed.html", {"mails": mails})


@require_POST
def try_again(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_see_outbox(request.user))
    # Pressed twice, or after the worker already sent it: nothing more happens.
    mail = get_object_or_404(OutgoingMail, pk=pk)
    actions.try_again(by=request.user, mail=mail)
    messages.success(request, _("The email will be sent again in a moment."))
    return redirect("outbox:failed")
