from __future__ import annotations

import hmac
import unicodedata

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
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


# The first word of a reply, accents and case aside (what providers and people use).
STOP_WORDS = {"STOP", "ARRET", "STOPPEN", "UNSUBSCRIBE", "DESABONNER"}
START_WORDS = {"START", "UNSTOP", "DEMARRER"}


@csrf_exempt  # the SMS provider posts here; the secret in the address is the authentication
@require_POST
def sms_reply(request: HttpRequest, token: str) -> HttpResponse:
    """A reply to one of Palabre's text messages: STOP records the opt-out, START lifts it."""
    expected = settings.SMS_INBOUND_TOKEN
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        raise Http404
    words = request.POST.get("Body", "").split() or [""]
    first = unicodedata.normalize("NFD", words[0]).encode("ascii", "ignore").decode()
    first = first.upper().strip(".!")
    if first in STOP_WORDS | START_WORDS:
        actions.opt_out(phone=request.POST.get("From", ""), stop=first in STOP_WORDS)
    # An empty answer in the form Twilio reads (TwiML): no reply is sent to the person.
    return HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', content_type="text/xml"
    )
