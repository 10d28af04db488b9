"""French-aware search across contributions, on PostgreSQL and on SQLite.

"poubelle", "Poubelles" and "POUBELLES" find the same contributions, and so do "securite" and
"sécurité": words are compared by their Snowball French stem with accents folded, and stop words
("les", "de", "que") are ignored. Every word of the query must match (like a search engine).

- PostgreSQL: full-text search with the `palabre_french` configuration (French stemmer after
  `unaccent`, created by migration 0004), ranked by `ts_rank`.
- SQLite: the `search_stems` column holds the stems of the shown text, computed in Python with
  the same Snowball French stemmer; each query stem must be one of them.

Only `public_text` is searched: masked personal data cannot be found by searching for it.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, QuerySet

from palabre.contributions.models import Contribution
from palabre.themes.text import STOP_WORDS, fold, stem, words

CONFIG = "palabre_french"


def search_stems(text: str) -> list[str]:
    """Distinct stems of the content words of `text`, accents folded *before* stemming.

    Folding first (as PostgreSQL's unaccent does before french_stem) gives "securite" and
    "sécurité" the same stem, whichever way a resident typed it.
    """
    folded = (fold(word) for word in words(text))
    return list(dict.fromkeys(stem(word) for word in folded if word not in STOP_WORDS))


def stems_for_search(text: str) -> str:
    """The value stored in `search_stems`: distinct stems between spaces (" poubel deborde ")."""
    stems = search_stems(text)
    return f" {' '.join(stems)} " if stems else ""


def search(contributions: QuerySet[Contribution], query: str) -> QuerySet[Contribution]:
    """Filter `contributions` to those matching every word of `query`, best first."""
    stems = search_stems(query)
    if not stems:
        return contributions.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(F("public_text"), config=CONFIG)
        wanted = SearchQuery(query, config=CONFIG, search_type="websearch")
        return (
            contributions.annotate(match=vector, rank=SearchRank(vector, wanted))
            .filter(match=wanted)
            .order_by("-rank", "-created_at", "-pk")
        )
    for one in stems:
        contributions = contributions.filter(search_stems__contains=f" {one} ")
    return contributions.order_by("-created_at", "-pk")
