"""Template tags that let other apps' pages show the residents' voice without importing it."""

from __future__ import annotations

from typing import Any

from django import template

from palabre.contributions import synthesis
from palabre.contributions.models import Contribution

register = template.Library()


@register.inclusion_tag("contributions/_themes_of_workshop.html")
def themes_of_workshop(workshop: Any) -> dict[str, Any]:
    """The themes of what was said at a workshop, ranked, with one quote each (for minutes)."""
    found = synthesis.synthesise(
        synthesis.published(Contribution.objects.filter(workshop=workshop)), groups=False
    )
    return {"synthesis": found, "workshop": workshop}
