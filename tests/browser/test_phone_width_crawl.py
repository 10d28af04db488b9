"""No page wider than a 320 px phone (WCAG 1.4.10; issue 16, done when) and no button too small
to tap (44 px for primary actions, 24 px for small ones, WCAG 2.5.8): a crawl of every page a
visitor reaches by links from the home page, and of every page the demo's staff reach, one page
per address pattern (a second request of the same pattern shows the same layout)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from tests.browser.test_workshop_journeys import sign_in

PHONE_320 = {"width": 320, "height": 640}
# Never followed: the back-office (Django's own), signing out, and files that are not pages.
SKIPPED_PREFIXES = ("/gestion/", "/static/", "/media/", "/compte/deconnexion/")
LIMIT = 90  # pages per person: every pattern of the demo is reached well before
SMALL_TARGETS = """() => [...document.querySelectorAll("a.button, button.button")]
  .filter(b => b.offsetParent !== null)
  .map(b => [b, b.getBoundingClientRect(), b.classList.contains("button--small") ? 24 : 44])
  .filter(([b, r, least]) => r.width < least || r.height < least)
  .map(([b, r]) => [b.textContent.trim().slice(0, 40), r.width, r.height].map(
    v => typeof v === "number" ? Math.round(v) : v))"""


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(page: Page, start: str) -> tuple[list[tuple[str, int]], int]:
    """Visit same-site pages breadth-first from `start`, one per URL pattern; return the pages
    wider than the screen and how many pages were seen."""
    queue, seen_patterns, too_wide, visited = [start], set(), [], 0
    while queue and visited < LIMIT:
        path = queue.pop(0)
        pattern = _pattern(urlsplit(path).path)
        if pattern is None or pattern in seen_patterns:
            continue
        seen_patterns.add(pattern)
        try:
            response = page.goto(path)
        except PlaywrightError as error:  # a file to download (a PDF, a CSV, one's data)
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        visited += 1
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_320["width"]:
            too_wide.append((path, width))
        # Primary actions are at least 44 x 44 px to tap (small buttons, secondary, 24 px).
        for label, w, h in page.evaluate(SMALL_TARGETS):
            too_wide.append((f"{path} button {label!r}", min(w, h)))
        links = page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(a => a.href)"
        )
        for href in links:
            link = urldefrag(href)[0]
            parts = urlsplit(link)
            if parts.netloc != urlsplit(page.url).netloc:
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if not local.startswith(SKIPPED_PREFIXES) and not local.endswith(
                (".pdf", ".png", ".ics", ".csv")
            ):
                queue.append(local)
    return too_wide, visited


@pytest.mark.parametrize(
    "email",
    [
        None,  # a visitor
        "coordination@palabre.example",
        "mediateur@palabre.example",
        "partenaire@palabre.example",
        "echevine@palabre.example",
        "cabinet.echevine@palabre.example",
        "habitant@palabre.example",
    ],
)
def test_no_page_is_wider_than_a_320_px_phone(
    new_page: Callable[..., Page], demo: Any, email: str | None
) -> None:
    phone = new_page(viewport=PHONE_320, is_mobile=True, has_touch=True)
    if email:
        sign_in(phone, email)
    too_wide, visited = crawl(phone, "/semaine/" if email and "coordination" in email else "/")
    assert visited > 10
    assert too_wide == [], too_wide
