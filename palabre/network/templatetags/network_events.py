"""The short line that leads residents to the events other cities opened to the network, for
the page listing this city's events: `{% load network_events %}{% events_elsewhere_line %}`
(nothing when there are none)."""

from __future__ import annotations

from typing import Any

from django import template

from palabre.network import queries

register = template.Library()


@register.inclusion_tag("network/_elsewhere_line.html")
def events_elsewhere_line() -> dict[str, Any]:
    return {"count": len(queries.events_elsewhere())}
