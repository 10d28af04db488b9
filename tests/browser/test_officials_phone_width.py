"""No page of an official's work is wider than a 320 px phone (issue 15): the inbox, both of
its tabs, every request addressed to them, the tracker and the figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.accounts.models import User
from palabre.official_requests import queries
from tests.browser.test_workshop_journeys import sign_in

OFFICIAL = "echevin.mobilite@palabre.example"


def test_every_page_of_an_official_s_work_fits_a_320_px_phone(
    new_page: Callable[..., Page], demo: Any
) -> None:
    official = User.objects.get(email=OFFICIAL)
    pages = [
        "/demandes/portail/",
        "/demandes/portail/?vue=faits",
        "/demandes/",
        "/demandes/redevabilite/",
        "/compte/",
        *(f"/demandes/{item.pk}/" for item in queries.inbox(official)),
    ]
    assert len(pages) > 6  # the demo addresses requests to this official
    phone = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    sign_in(phone, OFFICIAL)
    too_wide = []
    for path in pages:
        phone.goto(path)
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide.append((path, width))
    assert too_wide == []
