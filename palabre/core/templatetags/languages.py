"""Text people wrote, shown with the language they wrote it in (WCAG 3.1.2, docs/wording.md)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from palabre.core.translations import page_language, text_in

register = template.Library()


@register.filter
def written_in(value: str, language: str) -> SafeString:
    """`value` as it is on a page of its language; elsewhere inside a `lang` span, so that a
    screen reader reads a French title on a Dutch page as French."""
    if not language or language == page_language():
        return conditional_escape(value)
    return format_html('<span lang="{}">{}</span>', language, value)


@register.filter
def translated(item: Any, name: str) -> SafeString:
    """The text `name` of `item` (a model with `language` and `translations`) in the page's
    language where the service translated it, the original marked with its language otherwise."""
    text = text_in(item, name)
    return written_in(text.value, text.language)


@register.filter
def translated_paragraph(item: Any, name: str) -> SafeString:
    """The same, as a paragraph keeping the text's line breaks, marked with its language."""
    text = text_in(item, name)
    language = text.language if text.language != page_language() else ""
    return format_html(
        "<p{}>{}</p>",
        format_html(' lang="{}"', language) if language else "",
        linebreaksbr(text.value, autoescape=True),
    )


@register.filter
def text_of(item: Any, name: str) -> Any:
    """The text `name` of `item` in the page's or message's language where translated, as
    plain text (for emails and text messages)."""
    return text_in(item, name).value
