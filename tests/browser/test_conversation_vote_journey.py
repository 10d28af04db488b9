"""Issue 19: a resident votes on the statements of a conversation without an account, on a
phone with JavaScript and without it, proposes a statement of their own, which the coordinator
reads as typed and accepts; the coordinator starts a conversation from its page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from palabre.conversations.models import Conversation, Moderation, Participant, Statement, Vote
from palabre.conversations.tests.factories import make_conversation, make_statements
from palabre.core.testing import build_world
from tests.browser.conftest import PageErrors, assert_accessible, expect_error_summary, signed_in

PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
    assert_accessible(page)


def _statement(page: Page) -> str:
    return page.locator(".statement__text").inner_text()


def test_a_resident_votes_on_a_phone_without_javascript_and_changes_a_vote(
    new_page: Callable[..., Page], transactional_db: Any
) -> None:
    conversation = make_conversation()
    texts = [s.text for s in make_statements(conversation, 3)]
    phone = new_page(java_script_enabled=False, **PHONE)
    phone.goto(f"/avis/{conversation.slug}/")
    expect(phone.get_by_role("heading", level=2, name="Êtes-vous d’accord ?")).to_be_visible()
    expect(phone.get_by_text("Affirmations votées : 0 sur 3.")).to_be_visible()
    _fits(phone)
    seen = []
    for answer in ("D’accord", "Pas d’accord", "Passer / je ne sais pas"):
        seen.append(_statement(phone))
        phone.get_by_role("button", name=answer, exact=True).click()
    assert sorted(seen) == sorted(texts)
    expect(phone.get_by_text("Vous avez voté sur toutes les affirmations. Merci !")).to_be_visible()
    _fits(phone)
    # Their votes, listed, can be changed: the first one becomes "disagree".
    phone.get_by_text("Vos votes (3)").click()
    phone.get_by_role("group", name=f"Votre vote sur : {seen[0]}").get_by_role(
        "button", name="Pas d’accord"
    ).click()
    voter = Participant.objects.get(conversation=conversation)
    kept = dict(Vote.objects.filter(participant=voter).values_list("statement__text", "value"))
    assert kept == {seen[0]: -1, seen[1]: -1, seen[2]: 0}


def test_a_phone_votes_in_place_with_javascript_and_proposes_a_statement_that_is_moderated(
    new_page: Callable[..., Page], page_errors: PageErrors, transactional_db: Any
) -> None:
    world = build_world()
    conversation = make_conversation()
    make_statements(conversation, 2)
    page_errors.allow_error_status(f"/avis/{conversation.slug}/proposer/")
    phone = new_page(**PHONE)
    phone.goto(f"/avis/{conversation.slug}/")
    first = _statement(phone)
    phone.get_by_role("button", name="D’accord", exact=True).click()
    expect(phone.get_by_text("Affirmations votées : 1 sur 2.")).to_be_visible()
    assert _statement(phone) != first
    assert phone.evaluate("performance.getEntriesByType('navigation').length") == 1  # no reload
    phone.get_by_role("button", name="D’accord", exact=True).click()
    expect(phone.get_by_text("Vous avez voté sur toutes les affirmations. Merci !")).to_be_visible()
    _fits(phone)

    phone.get_by_role("link", name="Proposer votre propre affirmation").click()
    _fits(phone)
    phone.get_by_role("button", name="Envoyer mon affirmation").click()
    expect_error_summary(phone, "Écrivez votre affirmation.")
    _fits(phone)
    phone.get_by_label("Votre affirmation").fill("Plus de bancs, appelez Marc au 0478 12 34 56")
    phone.get_by_role("button", name="Envoyer mon affirmation").click()
    expect(phone.get_by_text("Merci : votre affirmation est envoyée.")).to_be_visible()
    proposed = Statement.objects.get(moderation=Moderation.PENDING)
    assert "0478" not in proposed.text

    staff = signed_in(new_page, world.person("coordinator"))
    staff.goto(f"/avis/{conversation.slug}/gerer/")
    expect(staff.get_by_text("Plus de bancs, appelez Marc au 0478 12 34 56")).to_be_visible()
    assert_accessible(staff)
    staff.get_by_label("Affirmation telle qu’elle sera montrée").fill("Plus de bancs sur la place")
    staff.get_by_role("button", name="Accepter").click()
    expect(staff.get_by_text("Affirmation acceptée.")).to_be_visible()
    phone.goto(f"/avis/{conversation.slug}/")
    assert _statement(phone) == "Plus de bancs sur la place"


def test_a_coordinator_starts_a_conversation_and_publishes_it(
    new_page: Callable[..., Page], page_errors: PageErrors, transactional_db: Any
) -> None:
    world = build_world()
    page_errors.allow_error_status("/avis/nouvelle/")
    page = signed_in(new_page, world.person("coordinator"))
    page.goto("/avis/")
    page.get_by_role("link", name="Lancer une conversation").click()
    assert_accessible(page)
    page.get_by_label("Question posée aux habitants").fill("Que faire du parc ?")
    page.get_by_label("Premières affirmations, une par ligne").fill("Plus d’arbres\nUn kiosque")
    page.get_by_label("Votes clos le").fill("2020-01-01")
    page.get_by_role("button", name="Créer la conversation").click()
    expect_error_summary(page, "Les votes se ferment après leur ouverture.")
    expect(page.get_by_label("Question posée aux habitants")).to_have_value("Que faire du parc ?")
    assert_accessible(page)
    page.get_by_label("Votes clos le").fill("2099-01-01")
    page.get_by_role("button", name="Créer la conversation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Animer la conversation")
    assert_accessible(page)
    page.get_by_label("Publiée").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La conversation est enregistrée.")).to_be_visible()
    conversation = Conversation.objects.get()
    assert conversation.is_published
    assert conversation.statements.count() == 2


def test_a_vote_tapped_while_the_wifi_is_down_is_sent_when_it_is_back(
    new_page: Callable[..., Page], page_errors: PageErrors, transactional_db: Any
) -> None:
    conversation = make_conversation()
    make_statements(conversation, 2)
    phone = new_page(**PHONE)
    phone.goto(f"/avis/{conversation.slug}/")
    first = _statement(phone)
    page_errors.allow_error_status(f"/avis/{conversation.slug}/voter/")  # the failed send
    for event in ("htmx:sendError", "htmx:afterRequest"):  # and htmx's log of it
        page_errors.allow_console_error(event)
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Pas d’accord", exact=True).click()
    expect(phone.locator("#vote-status")).to_contain_text("Pas encore envoyé")
    assert _statement(phone) == first  # still in view, nothing lost
    assert not Vote.objects.exists()
    _fits(phone)
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    expect(phone.get_by_text("Affirmations votées : 1 sur 2.")).to_be_visible(timeout=15_000)
    expect(phone.locator("#vote-status")).to_be_empty()
    assert list(Vote.objects.values_list("statement__text", "value")) == [(first, -1)]
