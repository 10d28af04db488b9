"""Finding a person by name the way people type it at a door (ADR 0064).

"leila" finds "Leïla", "Dupond" finds "Dupont", "jean marc" finds "Jean-Marc", "ndiaye" finds
"N'Diaye". Pure Python, no database: the same answer on SQLite and PostgreSQL.

- Accents and case never matter: text is case-folded, decomposed (NFKD) and stripped of its
  combining marks; the few Latin letters Unicode does not decompose (ł, ø, đ, ħ, dotless i) and the
  ligatures œ and æ are spelt out. No transliteration beyond that ("Özdemir" is "ozdemir", not
  "oezdemir").
- Apostrophes vanish ("N'Diaye" is "ndiaye"); hyphens, dots and other signs separate words.
- Every word of the query must be found in the name, in any order: as a whole word, as the
  start of one, anywhere inside the name, or, for a word of 4 letters or more, within one typing
  mistake of a word (one letter wrong, missing, added, or two neighbours swapped). Shorter words
  are never matched with a mistake: "Eli" does not find "Ali", but "Al" finds "Ali" as the start
  of the name, as any search does while one types.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from itertools import pairwise

# Letters with a stroke or a dotless form that NFKD leaves whole, and ligatures it keeps.
_SPELT_OUT = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "\u0131": "i", "œ": "oe", "æ": "ae"}
)
# Apostrophes (straight, typographic, modifier letter, backtick and accents typed as one) and the
# Catalan middle dot vanish: "N'Diaye" with either apostrophe, and "Ndiaye", are one name.
_SILENT = dict.fromkeys(map(ord, "'\u2018\u2019\u02bc`\u00b4\u2032\u00b7"))

# Below this many letters a query word must be spelt right: one mistake in "Ali" is a third of it.
MISTAKE_FROM = 4


class Match(IntEnum):
    """How well a name matches a search, best first."""

    EXACT = 0  # every word of the search is a word of the name
    START = 1  # ... or the start of one
    INSIDE = 2  # ... or is found inside the name
    CLOSE = 3  # ... or is one typing mistake away from a word of the name


@dataclass(frozen=True)
class Found[T]:
    """An item whose name matched a search, and how well."""

    item: T
    match: Match


def fold(text: str) -> str:
    """Fold `text` for comparison: no case, no accents, no apostrophes ("N'Diaye" -> "ndiaye")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SILENT))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.translate(_SPELT_OUT).translate(_SILENT)


def name_words(text: str) -> list[str]:
    """Split `text` into folded words; anything but a letter or a digit separates them."""
    folded = fold(text)
    spaced = "".join(char if char.isalnum() else " " for char in folded)
    return spaced.split()


def one_mistake_apart(typed: str, word: str) -> bool:
    """Tell whether `typed` is `word` with at most one letter wrong, missing, added, or two
    neighbouring letters swapped (an optimal string alignment distance of at most 1)."""
    if typed == word:
        return True
    shorter, longer = sorted((typed, word), key=len)
    if len(longer) - len(shorter) > 1:
        return False
    same = 0
    while same < len(shorter) and shorter[same] == longer[same]:
        same += 1
    if len(shorter) < len(longer):  # one letter added or missing
        return shorter[same:] == longer[same + 1 :]
    if shorter[same + 1 :] == longer[same + 1 :]:  # one letter wrong
        return True
    return (  # two neighbours swapped
        shorter[same : same + 2] == longer[same : same + 2][::-1]
        and shorter[same + 2 :] == longer[same + 2 :]
    )


def match(search: str, name: str) -> Match | None:
    """Say how well `name` matches `search`, or None when it does not (nor for an empty search)."""
    typed = name_words(search)
    words = name_words(name)
    if not typed or not words:
        return None
    whole = "".join(words)
    if "".join(typed) == whole:
        return Match.EXACT
    # "Jean-Pierre" is also found as "jeanpierre": two neighbouring words count as one too.
    words += ["".join(pair) for pair in pairwise(words)]
    worst = Match.EXACT
    for word in typed:
        found = _match_word(word, words, whole)
        if found is None:
            return None
        worst = max(worst, found)
    return worst


def _match_word(typed: str, words: list[str], whole: str) -> Match | None:
    if typed in words:
        return Match.EXACT
    if whole.startswith(typed) or any(word.startswith(typed) for word in words):
        return Match.START
    if typed in whole:
        return Match.INSIDE
    if len(typed) >= MISTAKE_FROM and any(one_mistake_apart(typed, word) for word in words):
        return Match.CLOSE
    return None


def best_first[T](search: str, items: Iterable[T], name: Callable[[T], str]) -> list[Found[T]]:
    """Return the items whose name matches `search`, best match first, then in alphabetical
    order of their folded name, names folding alike in the order of `items`; every item, in
    that order, when the search is empty."""
    if not name_words(search):
        found = [Found(item, Match.EXACT) for item in items]
    else:
        found = [
            Found(item, grade) for item in items if (grade := match(search, name(item))) is not None
        ]
    return sorted(found, key=lambda each: (each.match, name_words(name(each.item))))
