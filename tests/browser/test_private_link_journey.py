"""A lost or replaced private link: the page says so, and the reference brings a new one."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.core.testing import sent_mail
from palabre.links import actions
from palabre.workshops.models import Registration
from tests.browser.conftest import PageErrors, assert_accessible


def test_a_resident_gets_a_new_link_with_the_reference_using_the_keyboard_on_a_phone(
    new_page: Callable[..., Page], page_errors: PageErrors, demo: Any
) -> None:
    page = new_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    registration = Registration.objects.filter(
        email="fatou.diallo@example.org", link__isnull=False
    ).select_related("link")[0]
    assert registration.link is not None
    old = f"/ateliers/inscription/{registration.token}/"
    actions.renew(link=registration.link)  # a newer link was sent since
    page_errors.allow_error_status(old)

    page.goto(old)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce lien ne fonctionne plus")
    assert_accessible(page)
    page.get_by_role("link", name="Recevoir un nouveau lien privé").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recevoir un nouveau lien privé")
    assert_accessible(page)
    # Nothing is wider than a 320 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page.get_by_label("Référence").focus()
    page.keyboard.type(registration.link.reference.lower().replace("-", " "))
    page.get_by_label("Votre adresse e-mail ou votre numéro de téléphone").fill(
        "Fatou.Diallo@example.org"
    )
    sent_mail().clear()
    page.keyboard.press("Enter")
    expect(page.get_by_text("un nouveau lien part vers l'adresse e-mail")).to_be_visible()
    assert_accessible(page)

    sent = [message for message in sent_mail() if message.to == ["fatou.diallo@example.org"]]
    assert len(sent) == 1
    found = re.search(r"/ateliers/inscription/[A-Za-z0-9_-]+/", str(sent[0].body))
    assert found
    page.goto(found.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre inscription")
    expect(page.get_by_text(registration.link.reference)).to_be_visible()
