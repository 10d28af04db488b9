"""Playwright on Debian's Chromium, with an axe-core check any browser test can call."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the test
# itself (building data) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 390, "height": 844}
# The screen every journey is tried on unless it says otherwise (a coordinator's laptop).
LAPTOP = {"width": 1366, "height": 900}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run 'make test' (it installs Debian's chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


class PageErrors:
    """JavaScript errors and console errors seen by a page; a journey ends with none."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.expected_statuses: list[str] = []
        self.expected_messages: set[str] = set()

    def allow_error_status(self, path: str) -> None:
        """Let a journey open a page that answers 4xx on purpose (a dead link, a missing page):
        the browser logs that load as a console error, which is then not a failure."""
        self.expected_statuses.append(path)

    def allow_console_error(self, text: str) -> None:
        """Let a journey cause a console error on purpose: htmx logs the name of its event
        when a request cannot be sent (a phone off the network)."""
        self.expected_messages.add(text)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error" or message.text in self.expected_messages:
            return
        url = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and any(
            url.split("?")[0].endswith(path) for path in self.expected_statuses
        ):
            return
        self.messages.append(f"console: {message.text}")

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.messages.append(f"page error: {error}"))
        page.on("console", self._console)


# The options each context was opened with: a page without JavaScript is checked by axe in a
# twin context that has it (see assert_accessible).
_OPTIONS: dict[int, dict[str, Any]] = {}


def _context(browser: Browser, **options: Any) -> BrowserContext:
    options.setdefault("viewport", LAPTOP)
    options.setdefault("locale", "fr-BE")
    context = browser.new_context(timezone_id="Europe/Brussels", **options)
    context.set_default_timeout(10_000)
    # A page's load waits for its files and, on a staff phone, for the service worker that
    # installs itself on the first page (ADR 0065): on a loaded CI machine one such load took
    # more than 10 s (the page itself was served in 20 ms). Speed is measured in benchmarks/,
    # never by a journey's timeout.
    context.set_default_navigation_timeout(20_000)
    _OPTIONS[id(context)] = options
    return context


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


@pytest.fixture
def new_page(
    browser: Browser, page_errors: PageErrors, live_server: Any
) -> Iterator[Callable[..., Page]]:
    """Open pages in fresh browser contexts (one per person); all are closed after the test,
    once their requests are done, so none reaches the server after its test ends. Any
    JavaScript or console error of a page with JavaScript fails the test."""
    contexts: list[BrowserContext] = []

    def open_page(**options: Any) -> Page:
        context = _context(browser, base_url=live_server.url, **options)
        contexts.append(context)
        opened = context.new_page()
        page_errors.watch(opened)
        return opened

    yield open_page
    for context in contexts:
        for opened in context.pages:
            opened.wait_for_load_state("networkidle")
        _OPTIONS.pop(id(context), None)
        context.close()
    assert page_errors.messages == [], page_errors.messages


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture
def page_without_js(new_page: Callable[..., Page]) -> Page:
    return new_page(java_script_enabled=False)


@pytest.fixture
def phone_page(new_page: Callable[..., Page]) -> Page:
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True)


_axe = Axe()


def assert_accessible(page: Page) -> None:
    """Fail with the list of problems if axe-core finds any WCAG 2.2 A/AA violation.

    axe-core is JavaScript: on a page opened without it, axe never answers. Such a page is
    checked as it is, in a twin context with JavaScript (same screen, same address, so the same
    stylesheets), that is served the page's HTML without its scripts: what a reader without
    JavaScript gets, checked by the same rules."""
    options = _OPTIONS.get(id(page.context), {})
    if options.get("java_script_enabled", True):
        _check(page)
        return
    html = _SCRIPTS.sub("", page.content())
    browser = page.context.browser
    assert browser is not None
    twin = _context(browser, **(options | {"java_script_enabled": True}))
    try:
        copy = twin.new_page()
        copy.route(page.url, lambda route: route.fulfill(body=html, content_type="text/html"))
        copy.goto(page.url)
        _check(copy)
    finally:
        _OPTIONS.pop(id(twin), None)
        twin.close()


_SCRIPTS = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)


def _check(page: Page) -> None:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def expect_error_summary(page: Page, *messages: str) -> None:
    """A form was refused (ADR 0061): its error summary is focused, in view, and says each of
    `messages` (each is also beside its field)."""
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    for message in messages:
        expect(summary).to_contain_text(message)


@pytest.fixture
def demo(transactional_db: None) -> list[Any]:
    """Load the demo data the journeys walk through."""
    from palabre.demo import loader

    return loader.load()


SIGN_IN_PASSWORD = "un mot de passe assez long"


def signed_in(new_page: Callable[..., Page], person: Any, **options: Any) -> Page:
    """A new page (with `options`) where `person` signed in with a password, through the
    sign-in form."""
    person.set_password(SIGN_IN_PASSWORD)
    person.save()
    page = new_page(**options)
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(person.email)
    page.get_by_label("Mot de passe").fill(SIGN_IN_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Vous êtes connecté·e.")).to_be_visible()
    return page
