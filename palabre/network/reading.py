"""Reading another city's feed: fetched with limits, its signature verified over the exact bytes
received, its content checked item by item (ADR 0075). Anything wrong is a `FeedRefused` whose
message is said in the reader's language; nothing here writes to the database.

The address is typed by the service (coordinators, administrators): Palabre then connects to it
from the server. Only http and https are followed, redirects included; the risk that remains
(a staff member pointing the server at an internal address) is discussed in the ADR.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from http.client import HTTPMessage
from typing import IO, Any
from urllib.parse import urlsplit

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palabre.network import signing
from palabre.network.models import CONTENT_LANGUAGE_CODES

FORMAT = "palabre-network/1"
MAX_BYTES = 2 * 1024 * 1024
TIMEOUT_SECONDS = 10
MAX_ITEMS = 200  # of each kind
INTERFACE_LANGUAGES = ("fr", "nl", "en")

MESSAGES: dict[str, Promise] = {
    "scheme": _("Only addresses starting with http:// or https:// can be followed."),
    "address": _("This address cannot be read: check it and try again."),
    "timeout": _(
        "The other city's site did not answer within %(seconds)d seconds. Nothing was changed "
        "here; try again later."
    ),
    "unreachable": _(
        "The other city's site cannot be reached (%(reason)s). Nothing was changed here; try "
        "again later."
    ),
    "status": _(
        "The other city's site answered with an error (HTTP %(status)d). Nothing was changed "
        "here; check the address."
    ),
    "too_large": _("The feed is larger than %(limit)d MB: it is refused."),
    "unsigned": _(
        "The feed is not signed: it is refused. Ask the other city whether the address is the "
        "one of its Palabre network feed."
    ),
    "bad_signature": _(
        "The feed's signature does not match its content: it may have been altered on the way. "
        "It is refused and nothing was changed here."
    ),
    "key_changed": _(
        "The feed is now signed with another key (fingerprint %(new)s instead of %(old)s). It "
        "is refused: call the other city to check. If they did change their key, stop following "
        "them and follow them again."
    ),
    "json": _("The feed is not valid JSON: it is refused."),
    "format": _(
        "This address does not give a Palabre network feed (expected format %(expected)s): it "
        "is refused."
    ),
    "content": _("The feed is refused: %(field)s is missing or malformed."),
    "older": _(
        "The feed is older than the one already read (it may be an old copy sent again): it "
        "is refused."
    ),
    "own": _("This is this city's own feed."),
    "already": _("This city is already followed."),
    "not_found": _("This item is no longer in the other city's feed; refresh it and try again."),
    "playbook": _("The other city's playbook cannot be read: %(reason)s"),
    "title_taken": _(
        "Playbooks called “%(title)s” already exist here, with and without the city's name: "
        "rename one of them, then import again."
    ),
}


class FeedRefused(Exception):
    """A feed not accepted, with the reason as a code and its parameters (kept in the database
    and said in each reader's language)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code]) % self.params if self.params else str(MESSAGES[self.code])

    def as_problem(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


def problem_message(problem: dict[str, Any]) -> str:
    """The stored problem of a reading, in the active language."""
    code = problem.get("code")
    if code not in MESSAGES:
        return ""
    return FeedRefused(str(code), **dict(problem.get("params") or {})).message


@dataclass(frozen=True)
class Fetched:
    body: bytes
    signature: str | None


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in {"http", "https"}:
            raise FeedRefused("scheme")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check_address(url: str) -> str:
    """The address, if it can be followed (http or https with a host)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"}:
        raise FeedRefused("scheme")
    if not parts.hostname:
        raise FeedRefused("address")
    return url.strip()


def fetch(url: str) -> Fetched:
    """GET the feed: http(s) only, at most MAX_BYTES, within TIMEOUT_SECONDS in all."""
    check_address(url)
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, headers={"Accept": "application/json", "User-Agent": "Palabre network"}
    )
    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > MAX_BYTES:
                raise FeedRefused("too_large", limit=MAX_BYTES // (1024 * 1024))
            chunks, size = [], 0
            while chunk := response.read(64 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FeedRefused("too_large", limit=MAX_BYTES // (1024 * 1024))
                if time.monotonic() > deadline:  # a site sending a byte at a time
                    raise FeedRefused("timeout", seconds=TIMEOUT_SECONDS)
            return Fetched(b"".join(chunks), response.headers.get(signing.HEADER))
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:  # urllib refuses a redirect to file:, data: and the like
            raise FeedRefused("scheme") from None
        raise FeedRefused("status", status=error.code) from None
    except TimeoutError:
        raise FeedRefused("timeout", seconds=TIMEOUT_SECONDS) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise FeedRefused("timeout", seconds=TIMEOUT_SECONDS) from None
        raise FeedRefused("unreachable", reason=str(error.reason)[:200]) from None
    except (ValueError, OSError) as error:
        raise FeedRefused("unreachable", reason=str(error)[:200]) from None


def verify(fetched: Fetched, *, pinned_key: str | None) -> dict[str, Any]:
    """The feed's document once its signature is verified over the exact bytes received, with
    the pinned key (or, when following, the key the feed announces), and its content checked."""
    if not fetched.signature:
        raise FeedRefused("unsigned")
    header = signing.parse_header(fetched.signature)
    if "ed25519" not in header:
        raise FeedRefused("unsigned")
    try:
        document = json.loads(fetched.body)
    except (ValueError, RecursionError):
        document = None
    announced = document.get("public_key") if isinstance(document, dict) else None
    key = pinned_key or (announced if isinstance(announced, str) else "")
    if pinned_key and isinstance(announced, str) and announced != pinned_key:
        new = signing.fingerprint(announced) if signing.load_public_key(announced) else "?"
        raise FeedRefused("key_changed", new=new, old=signing.fingerprint(pinned_key))
    if not key or not signing.verifies(fetched.body, header["ed25519"], key):
        if document is None and not key:
            raise FeedRefused("json")
        raise FeedRefused("bad_signature")
    if not isinstance(document, dict):
        raise FeedRefused("json")
    return checked(document)


# --- the content, item by item -----------------------------------------------------------


def _text(value: Any, field: str, longest: int, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > longest:
        raise FeedRefused("content", field=field)
    return value.strip()


def _number(value: Any, field: str, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**31:
        raise FeedRefused("content", field=field)
    return value


def _moment(value: Any, field: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    try:
        moment = datetime.fromisoformat(_text(value, field, 40))
    except ValueError:
        raise FeedRefused("content", field=field) from None
    if moment.tzinfo is None:
        raise FeedRefused("content", field=field)
    return moment.isoformat()


def _language(value: Any, field: str) -> str:
    if value not in CONTENT_LANGUAGE_CODES:
        raise FeedRefused("content", field=field)
    return str(value)


def _list(value: Any, field: str, longest: int = MAX_ITEMS) -> list[Any]:
    if not isinstance(value, list) or len(value) > longest:
        raise FeedRefused("content", field=field)
    return value


def _dict(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FeedRefused("content", field=field)
    return value


def _texts(value: Any, field: str, names: dict[str, int]) -> dict[str, dict[str, Any]]:
    """{language: {name: text}} in the content languages; `guiding_questions` a list."""
    found: dict[str, dict[str, Any]] = {}
    for language, given in _dict(value, field).items():
        where = f"{field}.{language}"
        _language(language, where)
        given = _dict(given, where)
        texts: dict[str, Any] = {}
        for name, longest in names.items():
            if name == "guiding_questions":
                texts[name] = [
                    _text(question, f"{where}.{name}", longest)
                    for question in _list(given.get(name, []), f"{where}.{name}", 30)
                ]
            else:
                texts[name] = _text(given.get(name), f"{where}.{name}", longest, required=False)
        found[language] = texts
    if not found:
        raise FeedRefused("content", field=field)
    return found


def _playbook(raw: Any, where: str) -> dict[str, Any]:
    raw = _dict(raw, where)
    return {
        "key": _text(raw.get("key"), f"{where}.key", 100),
        "title": _text(raw.get("title"), f"{where}.title", 150),
        "kind": _text(raw.get("kind"), f"{where}.kind", 30),
        "language": _language(raw.get("language"), f"{where}.language"),
        "toml": _text(raw.get("toml"), f"{where}.toml", 100_000),
    }


def _format(raw: Any, where: str) -> dict[str, Any]:
    raw = _dict(raw, where)
    duration = _number(raw.get("duration_minutes"), f"{where}.duration_minutes")
    if not duration or duration > 24 * 60:
        raise FeedRefused("content", field=f"{where}.duration_minutes")
    language = _language(raw.get("language"), f"{where}.language")
    texts = _texts(raw.get("texts"), f"{where}.texts", {"title": 200, "guiding_questions": 500})
    if not texts.get(language, {}).get("title"):
        raise FeedRefused("content", field=f"{where}.texts.{language}.title")
    return {
        "key": _text(raw.get("key"), f"{where}.key", 100),
        "language": language,
        "duration_minutes": duration,
        "texts": texts,
    }


def _event(raw: Any, where: str) -> dict[str, Any]:
    raw = _dict(raw, where)
    language = _language(raw.get("language"), f"{where}.language")
    texts = _texts(raw.get("texts"), f"{where}.texts", {"title": 200, "description": 5_000})
    if not texts.get(language, {}).get("title"):
        raise FeedRefused("content", field=f"{where}.texts.{language}.title")
    url = _text(raw.get("url"), f"{where}.url", 500)
    if urlsplit(url).scheme not in {"http", "https"}:
        raise FeedRefused("content", field=f"{where}.url")
    # Since issue 20, item 6 (older feeds have none: the event's page is where to register).
    register_url = _text(raw.get("register_url"), f"{where}.register_url", 500, required=False)
    if register_url and urlsplit(register_url).scheme not in {"http", "https"}:
        raise FeedRefused("content", field=f"{where}.register_url")
    sessions = []
    for index, session in enumerate(_list(raw.get("sessions", []), f"{where}.sessions", 50)):
        at = f"{where}.sessions[{index}]"
        session = _dict(session, at)
        sessions.append(
            {
                "texts": _texts(session.get("texts"), f"{at}.texts", {"title": 200}),
                "starts_at": _moment(session.get("starts_at"), f"{at}.starts_at"),
                "ends_at": _moment(session.get("ends_at"), f"{at}.ends_at"),
                "speakers": [
                    {
                        "name": _text(s.get("name"), f"{at}.speakers.name", 150),
                        "affiliation": _text(
                            s.get("affiliation"), f"{at}.speakers.affiliation", 200, required=False
                        ),
                        # Since issue 20, item 6: older feeds have no city.
                        "city": _text(s.get("city"), f"{at}.speakers.city", 100, required=False),
                    }
                    for s in (
                        _dict(s, f"{at}.speakers")
                        for s in _list(session.get("speakers", []), f"{at}.speakers", 50)
                    )
                ],
            }
        )
    return {
        "key": _text(raw.get("key"), f"{where}.key", 100),
        "kind": _text(raw.get("kind"), f"{where}.kind", 30),
        "language": language,
        "texts": texts,
        "starts_at": _moment(raw.get("starts_at"), f"{where}.starts_at", optional=True),
        "ends_at": _moment(raw.get("ends_at"), f"{where}.ends_at", optional=True),
        "venue": _text(raw.get("venue"), f"{where}.venue", 300, required=False),
        "url": url,
        "register_url": register_url or url,
        "sessions": sessions,
    }


def _figures(raw: Any) -> dict[str, list[dict[str, Any]]]:
    years: dict[str, list[dict[str, Any]]] = {}
    for year, figures in _dict(raw, "figures").items():
        if not (isinstance(year, str) and year.isdigit() and len(year) == 4):
            raise FeedRefused("content", field="figures")
        rows = []
        for index, figure in enumerate(_list(figures, f"figures.{year}", 100)):
            where = f"figures.{year}[{index}]"
            figure = _dict(figure, where)
            labels = _dict(figure.get("labels"), f"{where}.labels")
            rows.append(
                {
                    "key": _text(figure.get("key"), f"{where}.key", 60),
                    "value": _number(figure.get("value"), f"{where}.value", optional=True),
                    "suppressed": figure.get("suppressed") is True,
                    "labels": {
                        _language(language, f"{where}.labels"): _text(
                            label, f"{where}.labels.{language}", 200
                        )
                        for language, label in labels.items()
                    },
                }
            )
        years[year] = rows
    if len(years) > 10:
        raise FeedRefused("content", field="figures")
    return years


def checked(document: dict[str, Any]) -> dict[str, Any]:
    """The feed's content, every field checked and bounded (what the pages may show)."""
    if document.get("format") != FORMAT:
        raise FeedRefused("format", expected=FORMAT)
    items = _dict(document.get("items"), "items")
    site = _text(document.get("site"), "site", 500)
    if urlsplit(site).scheme not in {"http", "https"}:
        raise FeedRefused("content", field="site")
    public_key = _text(document.get("public_key"), "public_key", 64)
    if signing.load_public_key(public_key) is None:
        raise FeedRefused("content", field="public_key")
    return {
        "format": FORMAT,
        "city": _text(document.get("city"), "city", 150),
        "site": site,
        "generated_at": _moment(document.get("generated_at"), "generated_at"),
        "public_key": public_key,
        "items": {
            "playbooks": [
                _playbook(raw, f"playbooks[{i}]")
                for i, raw in enumerate(_list(items.get("playbooks", []), "playbooks"))
            ],
            "formats": [
                _format(raw, f"formats[{i}]")
                for i, raw in enumerate(_list(items.get("formats", []), "formats"))
            ],
            "figures": _figures(items.get("figures", {})),
            "events": [
                _event(raw, f"events[{i}]")
                for i, raw in enumerate(_list(items.get("events", []), "events"))
            ],
        },
    }
