"""The service's texts about a workshop in the page's language, marked where they are not."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from palabre.core.templatetags.languages import translated
from palabre.workshops.models import Workshop

register = template.Library()


@register.simple_tag
def workshop_title(workshop: Workshop) -> SafeString:
    """The title translated into the page's language, or the original inside a `lang` span
    so that screen readers pronounce it in its own language."""
    return translated(workshop, "title")
