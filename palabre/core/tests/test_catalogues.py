"""French and Dutch catalogues are complete, and compiled catalogues match their sources."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_every_interface_string_is_translated(language: str) -> None:
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"{language}: untranslated {untranslated}"
    assert fuzzy == [], f"{language}: fuzzy {fuzzy}"
    assert len(catalogue) > 100


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_translations_keep_every_placeholder(language: str) -> None:
    placeholder = re.compile(r"%\(\w+\)[sd]")
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    broken = []
    for entry in catalogue.translated_entries():
        wanted = sorted(placeholder.findall(entry.msgid_plural or entry.msgid))
        found = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        broken += [
            entry.msgid
            for text in found
            if sorted(placeholder.findall(text)) != wanted and "%(counter)s" not in wanted
        ]
    assert broken == []


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_compiled_catalogues_match_their_sources(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    source = polib.pofile(str(folder / "django.po"))
    compiled = polib.mofile(str(folder / "django.mo"))
    # Keyed by context too: "Open" (a link) and "Open" (a board's state) differ in French.
    assert {(e.msgctxt, e.msgid): e.msgstr for e in compiled if not e.msgid_plural} == {
        (e.msgctxt, e.msgid): e.msgstr for e in source.translated_entries() if not e.msgid_plural
    }


# French typography (docs/wording.md): a no-break space before : ; ? ! and », after «, so a
# line never starts with the punctuation; never an ordinary space there, never none at all.
# Not after a URL's "?" or an entity's ";" (no space before them in the text).
FRENCH_SPACING = re.compile(
    r"(?: [:;?!»]|« |[^\s\u00a0\u202f]«|[^\s\u00a0\u202f&\w#]»"
    r"|(?<![\s\u00a0\u202f])[?!](?=[\s<]|$)|(?<![\s\u00a0\u202f])[:;](?=[\s<]|$))"
)


def test_french_punctuation_has_its_no_break_space() -> None:
    catalogue = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    wrong = [
        text
        for entry in catalogue.translated_entries()
        for text in (entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr])
        if FRENCH_SPACING.search(re.sub(r"&\w+;|&#\d+;", "", text))
    ]
    assert wrong == []
