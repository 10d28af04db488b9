"""Remove the characters that show as nothing but change what others see (security finding L5).

A right-to-left override (U+202E) makes "gpj.exe" read "exe.jpg" and can turn a post or a
nickname around; zero-width characters split words so that filters and searches miss them;
control characters have no business in a text. Pure Python (standard library only).

What stays: line breaks and tabs; the zero-width joiner and non-joiner between two characters
of a script that needs them (emoji sequences such as a family, Persian, Indic scripts); the tag
characters of a subdivision flag (England, Scotland, Wales). Between two digits, invisible
characters become one space, the separator a reader takes them for: "0470", zero-width space,
"12 34 56" is shown, and masked, as "0470 12 34 56". Rules in
docs/decisions/0041-invisible-characters-and-board-photos.md.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["without_invisible"]

_FLAG = "\U0001f3f4"  # the black flag that subdivision tags follow
_TAGS = "\U000e0020-\U000e007f"
# Control characters (but tab and line breaks), the Unicode "format" characters (zero-width
# space, joiners, word joiner, bidi embeddings, overrides, isolates and marks, byte order mark,
# soft hyphen, invisible operators, interlinear annotations, tags...) and Hangul fillers, which
# show as a blank.
_HIDDEN = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\u3164\uffa0"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
_FOUND = re.compile(f"(?P<flag>{_FLAG}[{_TAGS}]+)|[{_HIDDEN}]+|[\u2028\u2029]")
_JOINERS = frozenset("\u200c\u200d")


def without_invisible(text: str) -> str:
    """Return `text` without invisible, bidi control and control characters."""
    if _FOUND.search(text) is None:
        return text
    return _FOUND.sub(_replacement, text)


def _replacement(match: re.Match[str]) -> str:
    found = match.group()
    if match.group("flag"):
        return found
    if found in "\u2028\u2029":
        return "\n"
    text, start, end = match.string, match.start(), match.end()
    if start == 0 or end == len(text):
        return ""
    before, after = text[start - 1], text[end]
    if unicodedata.category(before) == "Nd" and unicodedata.category(after) == "Nd":
        return " "
    if found in _JOINERS and _needs_joiners(before) and _needs_joiners(after):
        return found
    return ""


def _needs_joiners(char: str) -> bool:
    """Whether `char` belongs to writing where a (non-)joiner has a visible effect: emoji and
    scripts beyond Latin, never a digit, a space or punctuation."""
    return ord(char) > 0x24F and unicodedata.category(char)[0] in "LMS"
