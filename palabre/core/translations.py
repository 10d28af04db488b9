"""Texts the service writes in one language, and the translations it gives of them.

A translated model has a `language` (the one its texts were written in) and a `translations`
JSON field, `{"nl": {"title": "...", ...}}`. A page or message in another language shows the
translation where the service wrote one, and the original otherwise, marked with the language it
is really in (docs/wording.md, WCAG 3.1.2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import get_language


@dataclass(frozen=True)
class Text:
    """A text written by the service, and the language it is in (for `lang` attributes)."""

    value: Any
    language: str

    def __str__(self) -> str:
        return str(self.value)


def page_language() -> str:
    """The language of the page or message being made."""
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def text_in(item: Any, name: str, language: str | None = None) -> Text:
    """The text `name` of `item` in `language` (by default the page's): the service's
    translation where it wrote one, the original otherwise."""
    language = language or page_language()
    given = item.translations.get(language, {}) if language != item.language else {}
    if given.get(name):
        return Text(given[name], language)
    return Text(getattr(item, name), item.language)


def kept_translations(
    translations: Mapping[str, Mapping[str, Any]], *, original: str, fields: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """The translations worth saving: into the site's other languages, of the translated
    fields, not empty (an empty one would hide the original)."""
    languages, names = dict(settings.LANGUAGES), set(fields)
    kept: dict[str, dict[str, Any]] = {}
    for language, texts in translations.items():
        if language == original or language not in languages:
            continue
        given = {name: value for name, value in texts.items() if name in names and value}
        if given:
            kept[language] = given
    return kept
