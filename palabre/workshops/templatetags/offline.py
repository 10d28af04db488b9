"""What a staff phone needs to work without network (ADR 0065): the installable app's link,
the service worker's script and the words `static/js/offline.js` shows, in the page's
language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from palabre.core import offline
from palabre.workshops.permissions import can_see_own_workshops

register = template.Library()


@register.simple_tag
def rendered_at() -> int:
    return offline.now_ms()


def _forms(say: Callable[[int], str]) -> dict[str, str]:
    # Intl.PluralRules picks the form on the phone; French says "0 entrée", English "0 entries".
    return {"one": say(1), "other": say(2)}


@register.simple_tag(takes_context=True)
def offline_app(context: dict[str, Any]) -> dict[str, Any] | None:
    """The words of the offline queue for staff who capture and check in; None for others."""
    request = context.get("request")
    if request is None or not can_see_own_workshops(request.user):
        return None
    return {
        "waiting": _forms(
            lambda count: ngettext(
                "%(count)s entry kept on this phone, waiting to be sent.",
                "%(count)s entries kept on this phone, waiting to be sent.",
                count,
            )
        ),
        "offline": _("No network: what you save is kept on this phone and sent when it returns."),
        "all_sent": _("Everything kept on this phone has been sent."),
        "signed_out": _(
            "Your session has ended. Sign in again, then reopen this page: what is kept on this "
            "phone will be sent then."
        ),
        "refused": _("Not accepted:"),
        "gone": _(
            "This page no longer accepts entries: the workshop may have been cancelled or "
            "moved. Ask the coordinator."
        ),
        "put_back": _("Put it back in the form"),
        "discard": _("Delete it"),
        "mark_waiting": _("waiting to be sent"),
        "walk_in": _("walk-in"),
        "no_name": _("Anonymous"),
        "sign_out": _forms(
            lambda count: ngettext(
                "%(count)s entry has not been sent yet and will be deleted from this phone if "
                "you sign out now. Sign out anyway?",
                "%(count)s entries have not been sent yet and will be deleted from this phone "
                "if you sign out now. Sign out anyway?",
                count,
            )
        ),
        "no_match": _("Nobody by that name on this phone's list."),
    }
