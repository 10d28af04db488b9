"""The evening's screens without network (ADR 0065).

Staff phones keep the capture and check-in pages of the day in a service worker's cache and
keep what is entered offline in IndexedDB (`static/js/offline.js`). The server's part is small:
it marks the pages a phone may keep (`keep_offline`), and answers what a phone's queue sends
(`from_queue`) with a short JSON reply instead of a page: `accepted` or `refused` with the
reasons in the user's language. Idempotency is the forms' own: every entry carries the key
the page put in it, so a send retried after a lost answer is stored once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

QUEUE_HEADER = "X-Palabre-Queue"
KEEP_HEADER = "X-Palabre-Offline"


def from_queue(request: HttpRequest) -> bool:
    """Whether `request` was sent by a phone's queue of entries (it wants a short JSON reply)."""
    return request.headers.get(QUEUE_HEADER) == "1"


def keep_offline(response: HttpResponse) -> HttpResponse:
    """Let a staff phone keep this page for the day, to open it without network."""
    response[KEEP_HEADER] = "keep"
    return response


def now_ms() -> int:
    """The server's clock in milliseconds: a page rendered before an entry was stored does not
    show it (the phone compares the two)."""
    return int(time.time() * 1000)


def accepted(**extra: Any) -> JsonResponse:
    return JsonResponse({"ok": True, "at": now_ms(), **extra})


def refused(reasons: Iterable[str], status: int = 422) -> JsonResponse:
    return JsonResponse({"ok": False, "errors": [str(reason) for reason in reasons]}, status=status)


def form_refused(form: Any) -> JsonResponse:
    """Refuse an entry with its form's errors, each after the label of its field."""
    reasons = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        reasons += [
            _("%(label)s: %(message)s") % {"label": label, "message": error} if label else error
            for error in errors
        ]
    return refused(reasons)


def queue_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Any:
    """A phone's queue sending after the session ended gets 401, not the page a stranger gets:
    it keeps what it holds and asks the facilitator to sign in again."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if from_queue(request) and not request.user.is_authenticated:
            return refused([], status=401)
        return get_response(request)

    return middleware
