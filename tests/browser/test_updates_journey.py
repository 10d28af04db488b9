"""Progress updates (issue 15, item 7): the alderman says from his phone that the work started,
with a photo of the site; residents read the news on the request and in the tracker."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from palabre.core.testing import jpeg_with_gps
from palabre.official_requests.models import Request
from tests.browser.conftest import PHONE, assert_accessible
from tests.browser.test_workshop_journeys import sign_in

TITLE = "Un éclairage le long du chemin vers la gare"


def test_the_alderman_posts_that_the_work_started_with_a_photo(
    new_page: Callable[..., Page], page: Page, demo: Any, tmp_path: Path
) -> None:
    site = tmp_path / "chantier.jpg"
    site.write_bytes(jpeg_with_gps())
    request = Request.objects.get(title=TITLE)
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(phone, "echevin.mobilite@palabre.example")
    phone.goto(f"/demandes/{request.pk}/")
    news = phone.get_by_role("region", name="Nouvelles des travaux")
    news.get_by_role("button", name="Publier les nouvelles").click()
    news = phone.get_by_role("region", name="Nouvelles des travaux")
    expect(news.get_by_text("Écrivez la nouvelle, ou ajoutez une photo.")).to_be_in_viewport()
    assert_accessible(phone)
    news.get_by_label("Les travaux ont commencé").check()
    news.get_by_label(re.compile(r"^En quelques mots")).fill("Les tranchées sont creusées.")
    news.get_by_label(re.compile(r"^Une photo")).set_input_files(str(site))
    news.get_by_role("button", name="Publier les nouvelles").click()
    expect(phone.get_by_text("Nouvelles publiées ;")).to_be_visible()
    expect(phone.get_by_role("img", name=re.compile("Photo des nouvelles"))).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)

    page.goto("/demandes/")
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Les tranchées sont creusées.")
    expect(row).to_contain_text("En cours")
    assert_accessible(page)
