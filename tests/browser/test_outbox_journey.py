"""The service sees the emails the mail server refused, and sends them again."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from palabre.outbox import actions
from palabre.outbox.models import MailStatus, OutgoingMail
from tests.browser.conftest import assert_accessible
from tests.browser.test_workshop_journeys import sign_in


def test_a_coordinator_sends_an_undelivered_email_again_with_the_keyboard(
    page: Page, demo: Any
) -> None:
    queued = actions.queue_mail(
        to=["fatou.diallo@example.org"], subject="Rappel : atelier de Bomel", body="secret-link"
    )
    assert queued is not None
    OutgoingMail.objects.filter(pk=queued.pk).update(
        status=MailStatus.FAILED, attempts=12, last_error="SMTPServerDisconnected: refused"
    )
    sign_in(page, "coordination@palabre.example")
    page.get_by_role("link", name="Réglages", exact=True).click()
    page.get_by_role("link", name="E-mails non délivrés").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mails non délivrés")
    row = page.get_by_role("row").filter(has_text="Rappel : atelier de Bomel")
    expect(row).to_contain_text("fatou.diallo@example.org")
    expect(row).to_contain_text("SMTPServerDisconnected")
    expect(page.get_by_text("secret-link")).to_have_count(0)  # the content stays private
    assert_accessible(page)
    row.get_by_role("button", name="Renvoyer").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("L'e-mail sera renvoyé dans un instant.")).to_be_visible()
    assert OutgoingMail.objects.get(pk=queued.pk).status in (MailStatus.PENDING, MailStatus.SENT)
    assert_accessible(page)
