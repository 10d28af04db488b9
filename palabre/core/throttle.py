"""Rate limits shared by every worker: who the client is, and atomic counters per window.

The counters are rows of `core.ThrottleCount` (ADR 0042). A try is counted *before* it is
evaluated (`claim`), in one transaction holding the row's lock, so forty parallel guesses cannot
all read "4 so far" and all be evaluated; a try that turns out fine may be given back (`release`).
The client is the address the trusted reverse proxy passes on (ADR 0043).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from palabre.core.models import ThrottleCount
from palabre.core.shortcuts import render_page

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
UNIX_SOCKET = "unix"


@dataclass(frozen=True)
class Limit:
    """At most `hits` of one kind of thing per `window` for one key (a client, an account)."""

    name: str
    hits: int
    window: timedelta


@dataclass(frozen=True)
class Tally:
    """One limit applied to one key: `Tally(limit, client)` or `Tally(limit, email, client)`."""

    limit: Limit
    parts: tuple[str, ...]

    @property
    def key(self) -> str:
        # A keyed hash: the table never stores the addresses or emails people typed.
        text = "\x1f".join((self.limit.name, *(part.strip().lower() for part in self.parts)))
        digest = hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256)
        return f"{self.limit.name[:30]}:{digest.hexdigest()}"


def tally(limit: Limit, *parts: str) -> Tally:
    """Name the counter of `limit` for these key parts."""
    return Tally(limit, parts)


# Who is asking -----------------------------------------------------------------------------


def _trusted_networks() -> tuple[list[IPNetwork], bool]:
    networks: list[IPNetwork] = []
    unix = False
    for entry in settings.TRUSTED_PROXIES:
        if entry == UNIX_SOCKET:
            unix = True
        else:
            networks.append(ipaddress.ip_network(entry, strict=False))
    return networks, unix


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = address.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_trusted(address: str, networks: list[IPNetwork], unix: bool) -> bool:
    if not address:
        return unix
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in networks)


def _as_key(address: str) -> str:
    parsed = _parse(address)
    if parsed is None:
        return address.strip()[:100] or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        # One home or phone gets a whole /64: counting single IPv6 addresses would let one
        # client rotate through billions of them.
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def client_address(request: HttpRequest) -> str:
    """Return the client behind the trusted proxies (its IPv6 /64), never the proxy itself.

    REMOTE_ADDR is the peer of the socket (gunicorn sets it; `--forwarded-allow-ips` only
    governs the scheme headers). Only when that peer is a trusted proxy is X-Forwarded-For
    read, from the right: each trusted proxy appends the address it saw, so the right-most
    entry that is not a trusted proxy is the client; anything left of it may be forged.
    """
    networks, unix = _trusted_networks()
    remote = str(request.META.get("REMOTE_ADDR") or "")
    if not _is_trusted(remote, networks, unix):
        return _as_key(remote)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    for hop in reversed([hop.strip() for hop in forwarded.split(",") if hop.strip()]):
        if not _is_trusted(hop, networks, unix):
            return _as_key(hop)
    # No forwarded client at all: a request made by the proxy host itself (a health check).
    return _as_key(remote)


# Counting ---------------------------------------------------------------------------------


def _window_start(limit: Limit, now: datetime) -> datetime:
    seconds = int(limit.window.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


def _seconds_left(limit: Limit, now: datetime) -> int:
    end = _window_start(limit, now) + limit.window
    return max(1, int((end - now).total_seconds()))


def _increment(entry: Tally, now: datetime) -> int:
    start = _window_start(entry.limit, now)
    rows = ThrottleCount.objects.filter(key=entry.key, window_start=start)
    # One transaction: the UPDATE takes the row's lock (PostgreSQL) or the database's write lock
    # (SQLite, immediate transactions) until commit, so the value read back is this try's own
    # position in the window, whatever other workers do at the same time.
    with transaction.atomic():
        ThrottleCount.objects.bulk_create(
            [
                ThrottleCount(
                    key=entry.key, window_start=start, expires_at=start + entry.limit.window
                )
            ],
            ignore_conflicts=True,
        )
        rows.update(hits=F("hits") + 1)
        hits = rows.values_list("hits", flat=True).get()
        if hits == 1:
            # A new window began: a good moment to forget the windows that ended.
            ThrottleCount.objects.filter(expires_at__lt=now - timedelta(hours=1)).delete()
    return hits


def _decrement(entry: Tally, now: datetime) -> None:
    start = _window_start(entry.limit, now)
    ThrottleCount.objects.filter(key=entry.key, window_start=start, hits__gt=0).update(
        hits=F("hits") - 1
    )


def claim(entries: Sequence[Tally]) -> int | None:
    """Count one try against every limit; return the seconds to wait if one is exceeded.

    The try is counted first and compared after, atomically. A refused try is given back, so
    the counters hold the tries actually let through.
    """
    now = timezone.now()
    counted: list[Tally] = []
    wait = 0
    for entry in entries:
        counted.append(entry)
        if _increment(entry, now) > entry.limit.hits:
            wait = max(wait, _seconds_left(entry.limit, now))
    if not wait:
        return None
    for entry in counted:
        _decrement(entry, now)
    return wait


def release(entries: Sequence[Tally]) -> None:
    """Give back a try that turned out well (a right password does not count as a failure)."""
    now = timezone.now()
    for entry in entries:
        _decrement(entry, now)


def reset(entries: Sequence[Tally]) -> None:
    """Forget the tries of these counters in their current window."""
    now = timezone.now()
    for entry in entries:
        start = _window_start(entry.limit, now)
        ThrottleCount.objects.filter(key=entry.key, window_start=start).delete()


def used(entry: Tally) -> int:
    """Return how many tries this counter holds in its current window."""
    start = _window_start(entry.limit, timezone.now())
    found = ThrottleCount.objects.filter(key=entry.key, window_start=start).first()
    return found.hits if found else 0


# Answering --------------------------------------------------------------------------------


def wait_message(seconds: int) -> str:
    """Tell, in the reader's language, how long to wait before trying again."""
    minutes = max(1, -(-seconds // 60))
    if minutes <= 90:
        return ngettext(
            "Wait %(minutes)d minute before trying again.",
            "Wait %(minutes)d minutes before trying again.",
            minutes,
        ) % {"minutes": minutes}
    hours = -(-minutes // 60)
    return ngettext(
        "Wait %(hours)d hour before trying again.",
        "Wait %(hours)d hours before trying again.",
        hours,
    ) % {"hours": hours}


def too_many_response(request: HttpRequest, seconds: int, *, reason: str = "") -> HttpResponse:
    """Answer 429 with a page saying what happened and how long to wait."""
    response = render_page(
        request,
        "core/too_many.html",
        {
            "reason": reason
            or _(
                "Many forms were sent from your connection in a short time. To protect the "
                "site, we pause them for a while."
            ),
            "wait": wait_message(seconds),
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


View = Callable[..., HttpResponse]


def anonymous_write_limit(kind: str) -> Limit:
    """Return the limit on anonymous sends of one kind of form from one client."""
    return Limit(
        f"write-{kind}",
        settings.ANONYMOUS_WRITES_PER_CLIENT,
        timedelta(minutes=settings.ANONYMOUS_WRITES_WINDOW_MINUTES),
    )


def limit_anonymous_writes(kind: str) -> Callable[[View], View]:
    """Limit the POSTs of visitors who are not signed in, per client, for one kind of form."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and not request.user.is_authenticated:
                wait = claim([tally(anonymous_write_limit(kind), client_address(request))])
                if wait is not None:
                    return too_many_response(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
