"""Pages that show one person's data: never stored by a cache, never written whole to a log.

One convention carries both rules: the secret of a private link is a URL parameter named
`token` (ADR 0044). Pages for signed-in people are private through their session
(palabre.core.middleware.private_pages_middleware).
"""

from __future__ import annotations

import logging
import re

from django.http import HttpRequest
from django.urls import ResolverMatch

SECRET_PARAMETERS = frozenset({"token"})
REDACTED = "<secret>"
# For a path no URL matched (a mistyped or truncated private link), any segment that looks like
# a random secret: 16 or more URL-safe characters, one of them a capital, a digit or "_".
# Lower-case words and slugs keep their place; a 43-character token almost always has one.
_SECRET_LOOKING = re.compile(r"(?=[^/]*[A-Z0-9_])[A-Za-z0-9_-]{16,}")


def is_private(match: ResolverMatch | None) -> bool:
    """Tell whether the URL matched a private-link page (one with a `token` parameter)."""
    return match is not None and bool(SECRET_PARAMETERS & match.kwargs.keys())


def redacted_path(request: HttpRequest) -> str:
    """Return the request's path with the secret of any private link replaced by `<secret>`."""
    segments = request.path.split("/")
    match = getattr(request, "resolver_match", None)
    if match is not None:
        secrets = {str(match.kwargs[name]) for name in SECRET_PARAMETERS & match.kwargs.keys()}
        return "/".join(REDACTED if segment in secrets else segment for segment in segments)
    return "/".join(
        REDACTED if _SECRET_LOOKING.fullmatch(segment) else segment for segment in segments
    )


class RedactPrivateLinks(logging.Filter):
    """Rewrite Django's own records about a request ("Not Found: /path") without its secrets.

    django.request and django.security log `request.path` as an argument and the request
    itself as an extra field, which a JSON formatter would print whole.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            return True
        path = redacted_path(request)
        if path != request.path:
            if isinstance(record.args, tuple):
                record.args = tuple(path if arg == request.path else arg for arg in record.args)
            record.msg = str(record.msg).replace(request.path, path)
        record.request = f"{request.method} {path}"
        return True
