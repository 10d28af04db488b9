"""Results that are slow to make and depend only on their inputs, remembered by those inputs.

The synthesis engine and WeasyPrint take from a tenth of a second to seconds; a page that runs
them on every request would let anyone keep the server busy by reloading it. Each result is kept
under a digest of everything it is made from (the texts analysed, the HTML laid out), so a
change to any input is a new key: nothing has to be invalidated, nothing stale can be served,
and old entries simply expire (ADR 0050).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache

# Entries expire after a day: an unchanged input is made again at most daily, and a name erased
# since (privacy.actions) leaves no copy in the cache for longer than that.
KEPT_SECONDS = 24 * 3600
_MISSING = object()


def digest(*parts: object) -> str:
    """A stable digest of `parts` (their repr: strings, numbers, tuples and frozen dataclasses)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def remembered[T](kind: str, inputs: tuple[object, ...], make: Callable[[], T]) -> T:
    """Return `make()`, made at most once for the same `kind` and `inputs` while kept."""
    key = f"palabre:{kind}:{digest(*inputs)}"
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        kept: T = found
        return kept
    made = make()
    cache.set(key, made, KEPT_SECONDS)
    return made
