"""Public pages, as an anonymous visitor reads them, kept a short while in the shared cache.

Most of a city's traffic is residents reading public pages without signing in; every one of
them would otherwise render the same page again. `public_page` keeps the rendered page for
`settings.PAGE_CACHE_SECONDS` (Redis with several app servers, ADR 0082) and serves it to the
next anonymous visitor of the same address, in the same language (ADR 0083). `kept_value` keeps
a computed figure everyone reads, the staff too, under the same rules of freshness.

What makes that safe:
- Only anonymous GETs without any cookie but the CSRF and language ones (and those of
  `settings.PAGE_CACHE_IGNORED_COOKIES`, which no such page reads) are served from or stored in
  the cache: someone signed in, half-way through signing in, holding a message to show, or
  with any other state always gets a freshly rendered page.
  So does an htmx request, and any address whose query holds a parameter the view did not list.
- What differs per visitor is punched out before storing and filled in on every hit: the CSRF
  token (the visitor's own, the cookie set as usual) and each form's idempotency key
  (`fresh_key`, a new one per page served). A page with a hidden `key` that did not come from
  `fresh_key` is never stored, so a form added later cannot share one key between visitors.
- Nothing is stored from a page that set a cookie, changed the session, queued a message or
  chose its own cache policy, nor anything but a 200.
- Every statement writing to a table of Palabre's apps moves the cache's version (again once
  committed), so a hidden contribution, an answer or a cancelled workshop shows on the next
  visit; `PAGE_CACHE_SECONDS` bounds what a database shared with another program could change.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import re
import secrets
from collections.abc import Callable
from importlib import metadata
from typing import Any, cast
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

log = logging.getLogger("palabre.pagecache")
VERSION_KEY = "palabre:pages:version"
try:  # a new release never serves the pages its predecessor rendered
    _RELEASE = metadata.version("palabre")
except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare source tree
    _RELEASE = "source"
HEADER = "X-Palabre-Page-Cache"
_CSRF_HOLE = b"\x00hole:csrf\x00"
_KEY_HOLE = b"\x00hole:key\x00"
_CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
_KEY_VALUE = re.compile(rb'name="key" value="([^"]*)"')
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_LONGEST_PARAMETER = 64
# Models that never show on a public page and change all the time: no reason to drop pages.
_NOT_CONTENT = frozenset(
    {
        "core.throttlecount",
        "core.workerheartbeat",
        "outbox.outgoingmail",
        "outbox.smsoptout",
        "accounts.signincode",
        "accounts.signinfailure",
    }
)

View = Callable[..., HttpResponse]


def public_page(
    *,
    query: tuple[str, ...] = (),
    shared: Callable[..., bool] | None = None,
    each_visit: Callable[[HttpRequest, HttpResponse], object] | None = None,
) -> Callable[[View], View]:
    """Serve the view's page to anonymous visitors from the cache (see the module's text).

    `query`: the query parameters the page depends on (`page`, a filter); an address with any
    other parameter is rendered every time, so made-up parameters cannot fill the cache.
    `shared`: for a page that is some anonymous visitors' own (a conversation shows a phone its
    votes), called with the view's arguments: False renders the page for this visitor alone.
    `each_visit`: what a visitor is given with a kept page as with a rendered one (a cookie of
    their own: a page that sets one is never stored, so the cookie is added on each hit)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                key = _key(request, query)
                stored = None if key is None else cache.get(key)
            except Exception:  # the cache is down: the page is rendered, as without it
                log.warning("page cache unavailable", exc_info=True)
                key = stored = None
            if key is None or (shared is not None and not shared(request, *args, **kwargs)):
                return view(request, *args, **kwargs)
            if stored is not None:
                response = _served(request, stored)
                if each_visit is not None:
                    each_visit(request, response)
                return response
            request._palabre_fresh_keys = []  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            kept = _keepable(request, response)
            if kept is not None:
                with contextlib.suppress(Exception):
                    cache.set(key, kept, settings.PAGE_CACHE_SECONDS)
                    response[HEADER] = "miss"
            return response

        return wrapped

    return decorate


def kept_value[Value](name: str, compute: Callable[[], Value], *depends_on: object) -> Value:
    """`compute()`, kept as the public pages are (under the cache's version: any write to
    Palabre's content drops it; `PAGE_CACHE_SECONDS` at most), for figures read by everyone,
    signed in or not, that cost more than the page showing them. `depends_on`: what else the
    value depends on (a period, today's date); the active language is added."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return compute()
    parts = repr((name, depends_on, get_language())).encode()
    try:
        key = f"palabre:value:{_version()}:{_RELEASE}:{hashlib.sha256(parts).hexdigest()}"
        found = cache.get(key)
    except Exception:  # the cache is down: computed, as without it
        log.warning("page cache unavailable", exc_info=True)
        return compute()
    if found is not None:
        return cast("Value", found)
    value = compute()
    with contextlib.suppress(Exception):
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


def fresh_key(request: HttpRequest) -> str:
    """A form's idempotency key, new for every page served (a cached page gets a new one)."""
    key = secrets.token_urlsafe(24)
    keys = getattr(request, "_palabre_fresh_keys", None)
    if keys is not None:
        keys.append(key)
    return key


def watch_writes(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """On every new database connection (`connection_created`): watch what it writes."""
    if _on_write not in connection.execute_wrappers:
        connection.execute_wrappers.append(_on_write)


def _on_write(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """A statement that changed rows of a table of Palabre's content moves the cache's version:
    every page in the cache is old. Seen in the SQL, so an `update()` or a `bulk_create()` counts
    too (the compare-and-set updates that close races write no signal)."""
    result = execute(sql, params, many, context)
    written = _WRITE.match(sql)
    # -1: not known, say changed. With RETURNING, SQLite counts the rows only once they are
    # read (0 until then, as Django's create() reads them after this): say changed too.
    changed = getattr(context["cursor"], "rowcount", -1) != 0 or _RETURNING.search(sql)
    if changed and written is not None and written.group(1) in _content_tables():
        _next_version()
        connection = context["connection"]
        if connection.in_atomic_block:
            # Again once committed: a page rendered in between from the rows before would
            # otherwise be kept under the new version.
            transaction.on_commit(_next_version, using=connection.alias)
    return result


@functools.cache
def _content_tables() -> frozenset[str]:
    return frozenset(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_config.name.startswith("palabre.")
        and model._meta.label_lower not in _NOT_CONTENT
    )


def _next_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet (or evicted): any new value moves the pages aside
        cache.set(VERSION_KEY, secrets.randbelow(2**40), None)
    except Exception:  # the cache is down: the write itself must not fail for it
        log.warning("page cache unavailable: kept pages not dropped", exc_info=True)


def _version() -> int:
    # A random start: a version evicted and made again cannot meet the pages of an old one.
    cache.add(VERSION_KEY, secrets.randbelow(2**40), None)
    return int(cache.get(VERSION_KEY) or 0)


def _key(request: HttpRequest, query: tuple[str, ...]) -> str | None:
    """The cache key of this request's page, or None when it must be rendered for it alone."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return None
    if request.headers.get("HX-Request"):
        return None
    allowed_cookies = {
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
        *settings.PAGE_CACHE_IGNORED_COOKIES,
    }
    if set(request.COOKIES) - allowed_cookies:
        return None
    parameters = []
    for name in request.GET:
        values = request.GET.getlist(name)
        if name not in query or len(values) != 1 or len(values[0]) > _LONGEST_PARAMETER:
            return None
        parameters.append((name, values[0]))
    if request.user.is_authenticated:
        return None
    address = f"{request.path}?{urlencode(sorted(parameters))}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    language = get_language() or settings.LANGUAGE_CODE
    return f"palabre:page:{_version()}:{_RELEASE}:{language}:{digest}"


def _keepable(request: HttpRequest, response: HttpResponse) -> dict[str, Any] | None:
    """What to store of this freshly rendered page, with its holes punched; None if nothing."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if "Cache-Control" in response.headers or len(messages.get_messages(request)):
        return None
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return None
    content = response.content
    if b"\x00" in content:
        return None
    fresh = {key.encode() for key in getattr(request, "_palabre_fresh_keys", [])}
    if any(value not in fresh for value in _KEY_VALUE.findall(content)):
        return None  # a form key every visitor would share: render this page every time
    for key in fresh:
        content = content.replace(key, _KEY_HOLE)
    content = _CSRF_VALUE.sub(rb"\1" + _CSRF_HOLE + rb"\2", content)
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    return {"content": content, "headers": headers}


def _served(request: HttpRequest, stored: dict[str, Any]) -> HttpResponse:
    content: bytes = stored["content"]
    if _CSRF_HOLE in content:
        content = content.replace(_CSRF_HOLE, get_token(request).encode())
    while _KEY_HOLE in content:
        content = content.replace(_KEY_HOLE, secrets.token_urlsafe(24).encode(), 1)
    response = HttpResponse(content)
    for name, value in stored["headers"].items():
        response[name] = value
    response[HEADER] = "hit"
    return response
