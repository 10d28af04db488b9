"""French text normalisation and the features the theme model is trained on.

A contribution becomes a bag of string features:

- ``w:STEM`` — a word stem (Snowball French) of a content word, accents folded after stemming;
- ``b:STEM_STEM`` — two consecutive content-word stems (stop words removed first);
- ``c:NGRAM`` — character 3- to 5-grams of each folded word padded with spaces, so that spelling
  mistakes ("poubels", "securiter") and missing accents still share most features.

Everything here is deterministic and pure Python (plus the Snowball stemmer); no data is
downloaded.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

import snowballstemmer  # type: ignore[import-untyped]

# Elided articles and pronouns in front of a vowel: l'école, d'arbres, qu'on, jusqu'au.
_ELISION = re.compile(r"\b(?:jusqu|lorsqu|puisqu|quoiqu|qu|[cdjlmnst])'", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+|\d+")
# Typographic apostrophe (U+2019), backtick and acute accent typed as apostrophes; ligatures.
_APOSTROPHES = str.maketrans({"\u2019": "'", "`": "'", "\u00b4": "'", "œ": "oe", "æ": "ae"})

CHAR_NGRAM_SIZES = (3, 4, 5)

# Function words and fillers of written and spoken French; they carry no theme. Compared after
# accent folding, so "à", "a" and "ça"/"ca" are one entry each.
_STOP_WORDS = """
    a ai aie ainsi alors apres au aucun aucune aupres aussi autre autres aux avaient avais avait
    avant avec avoir ayant bah beaucoup ben bien bon bref c ca car ce ceci cela celle celles celui
    cependant certains ces cet cette ceux chaque chez ci comme comment d dans de des deja depuis
    deux dire dit doit donc dont du elle elles en encore entre es est et etaient etais etait ete
    etre eu eux faire fait faut fois font franchement genre ici il ils j je jusqu l la le les leur
    leurs lui m ma mais me meme memes mes moi moins mon n ne ni non nos notre nous on ont or ou
    par parce pas peu peut peuvent plus pour pourquoi pourrait qu quand que quel quelle quelles
    quels qui quoi s sa sans se sera serait ses si sinon soi soit son sont sous suis sur t ta te
    tes toi ton toujours tous tout toute toutes tres trop tu un une vers via voila vos votre vous
    vraiment y ya
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def fold(text: str) -> str:
    """Lower-case, unify apostrophes and ligatures, and strip accents ("Aînés" -> "aines")."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Lower-cased words with elisions removed ("l'échevin" -> "échevin"); accents kept."""
    lowered = text.lower().translate(_APOSTROPHES)
    return _WORD.findall(_ELISION.sub(" ", lowered))


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("french")


def stem(word: str) -> str:
    """Snowball French stem of an accented lower-case word, then accent-folded."""
    return fold(_stemmer().stemWord(word))


@lru_cache(maxsize=131072)
def _word_features(word: str) -> tuple[str, tuple[str, ...]] | None:
    """(stem, character n-grams) of a word from :func:`words`, or None for a stop word.

    Cached: a contribution's words are mostly common ones, so each distinct word is folded,
    stemmed and cut into n-grams once per process.
    """
    folded = fold(word)
    if len(folded) < 2 or folded in STOP_WORDS:
        return None
    padded = f" {folded} "
    ngrams = tuple(
        "c:" + padded[i : i + n] for n in CHAR_NGRAM_SIZES for i in range(len(padded) - n + 1)
    )
    return stem(word), ngrams


def content_stems(text: str) -> list[str]:
    """Stems of the words that are not stop words, in order."""
    return [found[0] for w in words(text) if (found := _word_features(w)) is not None]


def features(text: str) -> list[str]:
    """The bag of features of one contribution (see the module docstring)."""
    stems: list[str] = []
    ngrams: list[str] = []
    for word in words(text):
        found = _word_features(word)
        if found is not None:
            stems.append(found[0])
            ngrams.extend(found[1])
    bag = ["w:" + s for s in stems]
    bag.extend(f"b:{a}_{b}" for a, b in pairwise(stems))
    bag.extend(ngrams)
    return bag
