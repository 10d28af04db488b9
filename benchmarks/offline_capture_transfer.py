"""Issue 17's budget for the capture page on a phone: with the service worker warm, a note costs
only its own POST and a short answer, under 5 KB in all (ADR 0065). Measured in Chromium on the
demo data, against the same notes sent without JavaScript (POST, redirect, whole page again).
Run: .venv/bin/python benchmarks/offline_capture_transfer.py"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop, plain ORM calls
os.environ["PALABRE_ALLOWED_HOSTS"] = "testserver,127.0.0.1"  # a real browser, on a real port

from benchmarks._django import setup_with_demo

setup_with_demo()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402
from playwright.sync_api import Page, Request, sync_playwright  # noqa: E402

from palabre.demo.loader import DEMO_PASSWORD  # noqa: E402
from palabre.workshops.models import EventKind, Status, Workshop  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402

FACILITATOR = "mediateur@palabre.example"
NOTES = 20
BUDGET = 5_000


def _sign_in(page: Page) -> None:
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(FACILITATOR)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def _measure(browser: Any, url: str, capture: str, *, javascript: bool) -> tuple[float, float]:
    """Requests and bytes (headers and bodies, both ways) per note sent from the capture page."""
    context = browser.new_context(
        base_url=url,
        locale="fr-BE",
        viewport=PHONE,
        is_mobile=True,
        java_script_enabled=javascript,
    )
    page = context.new_page()
    _sign_in(page)
    page.goto("/ateliers/mes-ateliers/")
    if javascript:
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.goto(capture)
    page.wait_for_load_state("networkidle")
    seen: list[Request] = []
    context.on("requestfinished", lambda request: seen.append(request))
    for n in range(NOTES):
        section = page.locator("#question-0")
        section.get_by_label("Ce qui a été dit").fill(f"Mesure {n} : un banc à l'arrêt de bus")
        section.get_by_role("button", name="Enregistrer").click()
        if javascript:
            page.wait_for_function(
                "() => document.querySelector('#offline-status')?.dataset.waiting === '0'"
            )
        else:
            page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")
    for _ in range(50):  # the browser reports a finished request a moment after its answer
        if len(seen) >= NOTES:
            break
        page.wait_for_timeout(100)
    total = 0
    for request in seen:
        sizes = request.sizes()
        total += sum(
            max(0, sizes[part])
            for part in (
                "requestHeadersSize",
                "requestBodySize",
                "responseHeadersSize",
                "responseBodySize",
            )
        )
    context.close()
    return len(seen) / NOTES, total / NOTES


def main() -> None:
    workshop = (
        Workshop.objects.filter(
            facilitators__email=FACILITATOR, status=Status.ANNOUNCED, kind=EventKind.WORKSHOP
        )
        .exclude(neighbourhood=None)
        .first()
    )
    assert workshop is not None
    capture = f"/parole/atelier/{workshop.pk}/"
    # The demo's files are served by WhiteNoise, as in production: no static handler here.
    server = LiveServerThread("127.0.0.1", static_handler=WSGIHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    url = f"http://127.0.0.1:{server.port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            warm = _measure(browser, url, capture, javascript=True)
            plain = _measure(browser, url, capture, javascript=False)
            browser.close()
    finally:
        server.terminate()
    print("| capture page, per note | requests | bytes | budget | within |")
    print("|---|---:|---:|---:|---|")
    print(
        f"| JavaScript, service worker warm | {warm[0]:.1f} | {warm[1]:,.0f} | "
        f"{BUDGET:,} | {'yes' if warm[1] < BUDGET else 'NO'} |"
    )
    print(f"| without JavaScript (page reloaded) | {plain[0]:.1f} | {plain[1]:,.0f} | — | — |")
    print(f"\nratio: a note with the phone's queue costs {warm[1] / plain[1]:.0%} of a reload")


if __name__ == "__main__":
    main()
