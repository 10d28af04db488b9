"""The one rule every count of people follows outside the service: fewer than five is not
shown (open data, the inclusion figures, the figures shared with other cities).

A count of one, two, three or four people can point at someone a reader knows ("the only
person from my street who voted against"). Such a count is published as null (JSON) or an
empty cell (CSV). Zero is withheld too: the rule reads the same for everyone ("fewer than 5"),
and "nobody in this group agreed" says something about each of its members. ADR 0073, 0074, 0076.
"""

from __future__ import annotations

# The smallest count published.
THRESHOLD = 5

# Said in the API's schema beside every count (the page says it in the reader's language).
RULE = f"Counts under {THRESHOLD} are not published (null), so that nobody can be recognised."


def suppress(n: int) -> int | None:
    """Return `n` when it may be published, None when it is under the threshold."""
    return n if n >= THRESHOLD else None
