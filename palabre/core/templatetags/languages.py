"""Text people wrote, shown with the language they wrote it in (WCAG 3.1.2, docs/wording.md)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


@register.filter
def written_in(value: str, language: str) -> SafeString:
    """`value` as it is on a page of its language; elsewhere inside a `lang` span, so that a
    screen reader reads a French title on a Dutch page as French."""
    if not language or language == (get_language() or settings.LANGUAGE_CODE)[:2]:
        return conditional_escape(value)
    return format_html('<span lang="{}">{}</span>', language, value)
