"""Paper cards in the room: printed numbered, keyed by the people who run the conversation, one
card one participant, a card keyed again corrected rather than counted twice."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from palabre.conversations import card_actions
from palabre.conversations.actions import ConversationError
from palabre.conversations.models import Conversation, Moderation, Participant, Statement, Value
from palabre.conversations.tests.factories import make_conversation, make_statements
from palabre.core.testing import World, error_summary, pdf_text
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db

AGREE, DISAGREE, PASS = Value.AGREE, Value.DISAGREE, Value.PASS


def _client(world: World, persona: str) -> Client:
    client = Client()
    user = world.user(persona)
    if user is not None:
        client.force_login(user)
    return client


def _keyed(conversation: Conversation) -> dict[int, dict[int, int]]:
    """Card number -> statement id -> value, as stored."""
    found: dict[int, dict[int, int]] = {}
    for participant in Participant.objects.filter(conversation=conversation).prefetch_related(
        "votes"
    ):
        assert participant.card is not None
        found[participant.card] = {v.statement_id: v.value for v in participant.votes.all()}
    return found


def _ticks(statements: list[Statement], *values: int | None) -> dict[str, str]:
    return {
        f"s{statement.pk}": "" if value is None else str(value)
        for statement, value in zip(statements, values, strict=False)
    }


class _Radios(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.checked: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        if tag == "input" and given.get("type") == "radio" and "checked" in given:
            self.checked[given["name"] or ""] = given.get("value") or ""


def _checked(html: str) -> dict[str, str]:
    """Radio name -> the value checked on the page."""
    parser = _Radios()
    parser.feed(html)
    return parser.checked


def _key_url(conversation: Conversation) -> str:
    return reverse("conversations:key_card", args=[conversation.slug])


def _pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    line = next(x for x in info.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


# Printing.


def test_the_cards_pdf_has_one_numbered_page_per_card_with_every_open_statement(
    world: World,
) -> None:
    conversation = make_conversation()
    make_statements(conversation, 3)
    Statement.objects.filter(text="Affirmation 2").update(moderation=Moderation.REJECTED)
    url = reverse("conversations:cards_pdf", args=[conversation.slug])
    response = _client(world, "coordinator").get(
        url, {"count": "4", "first": "17", "language": "en"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "cartes-place-communale-17-20.pdf" in response["Content-Disposition"]
    assert _pages(response.content) == 4
    pages = pdf_text(response.content).split("\f")
    for number, page in zip(range(17, 21), pages, strict=False):
        assert conversation.title.replace("\xa0", " ") in page  # pdftotext: a plain space
        assert str(number) in page
        assert "1 Affirmation 1" in " ".join(page.split())
        assert "2 Affirmation 3" in " ".join(page.split())
        assert "Affirmation 2" not in page
        assert "Agree" in page
        assert "Disagree" in page
        assert "Pass" in page


@pytest.mark.parametrize(("language", "agree"), [("fr", "D\u2019accord"), ("nl", "Eens")])
def test_the_cards_are_printed_in_the_language_chosen(
    world: World, language: str, agree: str
) -> None:
    conversation = make_conversation()
    make_statements(conversation, 2)
    url = reverse("conversations:cards_pdf", args=[conversation.slug])
    response = _client(world, "coordinator").get(
        url, {"count": "1", "first": "1", "language": language}
    )
    assert response.status_code == 200
    assert agree in pdf_text(response.content)


@pytest.mark.parametrize(
    "query",
    [
        {"count": "0", "first": "1", "language": "fr"},
        {"count": "201", "first": "1", "language": "fr"},
        {"count": "douze", "first": "1", "language": "fr"},
        {"count": "3", "first": "0", "language": "fr"},
        {"count": "3", "first": "-4", "language": "fr"},
        {"count": "3", "first": "1", "language": "de"},
        {"count": "200", "first": "999999", "language": "fr"},
        {},
    ],
)
def test_bad_values_for_printing_give_a_readable_page_with_the_error(
    world: World, query: dict[str, str]
) -> None:
    conversation = make_conversation()
    make_statements(conversation, 2)
    url = reverse("conversations:cards_pdf", args=[conversation.slug])
    response = _client(world, "coordinator").get(url, query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert error_summary(response.content.decode())


def test_cards_are_not_printed_before_any_statement_is_open(world: World) -> None:
    conversation = make_conversation()
    url = reverse("conversations:cards_pdf", args=[conversation.slug])
    response = _client(world, "coordinator").get(
        url, {"count": "3", "first": "1", "language": "fr"}
    )
    assert response.status_code == 400
    assert error_summary(response.content.decode()) == []


def test_the_cards_page_suggests_the_number_after_the_highest_card_keyed(world: World) -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 2)
    coordinator = world.person("coordinator")
    for number in (3, 12):
        card_actions.key_card(
            by=coordinator,
            conversation=conversation,
            number=number,
            votes={statements[0].pk: AGREE},
        )
    page = _client(world, "coordinator").get(
        reverse("conversations:cards", args=[conversation.slug])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="first" value="13"' in html
    assert 'data-keyed="2"' in html
    assert 'value="fr" selected' in html
    assert reverse("conversations:cards_pdf", args=[conversation.slug]) in html
    assert _key_url(conversation) in html


# Keying.


def test_a_keyed_card_is_one_participant_with_one_vote_per_ticked_box(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 4)
    client = _client(world, "coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _key_url(conversation),
            {"number": "1"} | _ticks(statements, AGREE, DISAGREE, None, PASS),
            follow=True,
        )
    assert response.redirect_chain == [(f"{_key_url(conversation)}?card=2", 302)]
    assert _keyed(conversation) == {
        1: {statements[0].pk: AGREE, statements[1].pk: DISAGREE, statements[3].pk: PASS}
    }
    html = response.content.decode()
    # Ready for the next card: its number typed in, every box blank.
    assert 'name="number" value="2"' in html
    assert '<input type="number" name="number" value="2" min="1" max="1000000" autofocus' in html
    assert 'data-keyed="1"' in html
    assert _checked(html) == {f"s{s.pk}": "" for s in statements}
    # The map is computed again, in the background.
    assert DBTaskResult.objects.filter(task_path__endswith="update_map").count() == 1
    # Sent again: nothing changed, nothing queued.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(
            _key_url(conversation),
            {"number": "1"} | _ticks(statements, AGREE, DISAGREE, None, PASS),
        )
    assert callbacks == []


def test_keying_a_card_again_corrects_it_without_a_second_participant(world: World) -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 3)
    client = _client(world, "coordinator")
    url = _key_url(conversation)
    client.post(url, {"number": "5"} | _ticks(statements, AGREE, AGREE, AGREE))
    # The keyer asks for card 5: its votes are ticked, and the page says it was keyed.
    shown = client.get(url, {"card": "5"}).content.decode()
    assert 'id="already-keyed" data-card="5"' in shown
    assert _checked(shown) == {f"s{s.pk}": "1" for s in statements}
    assert 'name="shown" value="5"' in shown
    saved = client.post(
        url, {"number": "5", "shown": "5"} | _ticks(statements, AGREE, DISAGREE, None)
    )
    assert saved.status_code == 302
    assert Participant.objects.filter(conversation=conversation).count() == 1
    # The box left blank keeps the vote keyed before.
    assert _keyed(conversation) == {
        5: {statements[0].pk: AGREE, statements[1].pk: DISAGREE, statements[2].pk: AGREE}
    }


def test_a_correction_keyed_after_the_close_replaces_the_first_keying(world: World) -> None:
    conversation = make_conversation(opened_days_ago=3, closes_in_days=1)
    statements = make_statements(conversation, 2)
    coordinator = world.person("coordinator")
    card_actions.key_card(
        by=coordinator, conversation=conversation, number=1, votes={statements[0].pk: AGREE}
    )
    closes_at = timezone.now() - timedelta(hours=2)
    Conversation.objects.filter(pk=conversation.pk).update(closes_at=closes_at)
    done = card_actions.key_card(
        by=coordinator,
        conversation=conversation,
        number=1,
        votes={statements[0].pk: DISAGREE, statements[1].pk: PASS},
    )
    assert (done.changed, done.votes, done.keyed_before) == (2, 2, True)
    assert _keyed(conversation) == {1: {statements[0].pk: DISAGREE, statements[1].pk: PASS}}
    participant = Participant.objects.get(conversation=conversation)
    # Cast in the room while it was open: dated just before the close.
    assert {v.voted_at for v in participant.votes.all()} == {closes_at - timedelta(microseconds=1)}


def test_a_card_keyed_the_day_after_the_close_is_dated_before_the_close(world: World) -> None:
    conversation = make_conversation(opened_days_ago=2)
    statements = make_statements(conversation, 1)
    closes_at = timezone.now() - timedelta(days=1)
    Conversation.objects.filter(pk=conversation.pk).update(closes_at=closes_at)
    response = _client(world, "coordinator").post(
        _key_url(conversation), {"number": "1"} | _ticks(statements, AGREE)
    )
    assert response.status_code == 302
    (vote,) = Participant.objects.get(conversation=conversation).votes.all()
    assert (vote.value, vote.voted_at) == (AGREE, closes_at - timedelta(microseconds=1))


def test_the_same_card_sent_twice_is_kept_once(world: World) -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 2)
    client = _client(world, "coordinator")
    typed = {"number": "8"} | _ticks(statements, AGREE, DISAGREE)
    assert client.post(_key_url(conversation), typed).status_code == 302
    again = client.post(_key_url(conversation), typed, follow=True)
    assert again.redirect_chain[-1][1] == 302
    assert _keyed(conversation) == {8: {statements[0].pk: AGREE, statements[1].pk: DISAGREE}}


def test_a_card_number_keyed_before_with_other_votes_is_shown_before_anything_changes(
    world: World,
) -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 3)
    client = _client(world, "coordinator")
    url = _key_url(conversation)
    client.post(url, {"number": "4"} | _ticks(statements, AGREE, AGREE))
    # Another card typed with number 4 by mistake: refused, what was typed kept, both shown.
    typed = {"number": "4"} | _ticks(statements, DISAGREE, None, PASS)
    refused = client.post(url, typed)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert error_summary(html) == ["#id_number"]
    assert _checked(html) == _ticks(statements, DISAGREE, None, PASS)
    assert f'data-before="{statements[0].pk}"' in html
    assert f'data-before="{statements[1].pk}"' in html
    assert 'name="shown" value="4"' in html
    assert _keyed(conversation) == {4: {statements[0].pk: AGREE, statements[1].pk: AGREE}}
    # Saving again, having seen them, corrects the card.
    assert client.post(url, typed | {"shown": "4"}).status_code == 302
    assert _keyed(conversation) == {
        4: {statements[0].pk: DISAGREE, statements[1].pk: AGREE, statements[2].pk: PASS}
    }


@pytest.mark.parametrize(
    "number", ["", "0", "-3", "douze", "1000001", "2.5"], ids=lambda x: x or "empty"
)
def test_a_bad_card_number_is_refused_and_the_ticks_typed_are_kept(
    world: World, number: str
) -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 3)
    response = _client(world, "coordinator").post(
        _key_url(conversation), {"number": number} | _ticks(statements, AGREE, DISAGREE, PASS)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert error_summary(html) == ["#id_number"]
    assert _checked(html) == _ticks(statements, AGREE, DISAGREE, PASS)
    assert not Participant.objects.exists()


def test_a_card_with_no_box_ticked_or_an_unknown_box_is_refused(world: World) -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 2)
    client = _client(world, "coordinator")
    blank = client.post(_key_url(conversation), {"number": "3"} | _ticks(statements, None, None))
    assert blank.status_code == 400
    assert error_summary(blank.content.decode()) == []
    unknown = client.post(_key_url(conversation), {"number": "3", f"s{statements[0].pk}": "2"})
    assert unknown.status_code == 400
    assert error_summary(unknown.content.decode()) == [f"#id_s{statements[0].pk}_0"]
    assert not Participant.objects.exists()


def test_a_statement_set_aside_after_the_screen_was_shown_is_refused(world: World) -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 2)
    Statement.objects.filter(pk=statements[1].pk).update(moderation=Moderation.REJECTED)
    with pytest.raises(ConversationError):
        card_actions.key_card(
            by=world.person("coordinator"),
            conversation=conversation,
            number=1,
            votes={statements[0].pk: AGREE, statements[1].pk: AGREE},
        )
    assert not Participant.objects.exists()


def test_cards_are_not_keyed_before_the_conversation_opens(world: World) -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 1)
    Conversation.objects.filter(pk=conversation.pk).update(
        opens_at=timezone.now() + timedelta(days=1)
    )
    response = _client(world, "coordinator").post(
        _key_url(conversation), {"number": "1"} | _ticks(statements, AGREE)
    )
    assert response.status_code == 400
    assert error_summary(response.content.decode()) == []
    assert _checked(response.content.decode()) == _ticks(statements, AGREE)
    assert not Participant.objects.exists()


def test_a_card_keyed_in_the_room_while_open_is_dated_now_and_phones_are_apart(
    world: World,
) -> None:
    conversation = make_conversation()
    (statement,) = make_statements(conversation, 1)
    before = timezone.now()
    done = card_actions.key_card(
        by=world.person("coordinator"),
        conversation=conversation,
        number=1,
        votes={statement.pk: AGREE},
    )
    assert (done.changed, done.votes, done.keyed_before) == (1, 1, False)
    vote = Participant.objects.get(card=1).votes.get()
    assert before <= vote.voted_at <= timezone.now()


# Who.


def test_a_facilitator_of_the_workshop_prints_and_keys_its_cards(world: World) -> None:
    workshop = make_hosted_workshop(world)
    conversation = make_conversation()
    Conversation.objects.filter(pk=conversation.pk).update(workshop=workshop)
    statements = make_statements(conversation, 1)
    client = _client(world, "facilitator")
    assert client.get(reverse("conversations:cards", args=[conversation.slug])).status_code == 200
    saved = client.post(_key_url(conversation), {"number": "1"} | _ticks(statements, AGREE))
    assert saved.status_code == 302
    assert _keyed(conversation) == {1: {statements[0].pk: AGREE}}


@pytest.mark.parametrize("persona", ["resident", "facilitator", "partner", "official"])
def test_only_those_who_run_the_conversation_key_its_cards(world: World, persona: str) -> None:
    conversation = make_conversation()
    Conversation.objects.filter(pk=conversation.pk).update(is_published=True)
    statements = make_statements(conversation, 1)
    response = _client(world, persona).post(
        _key_url(conversation), {"number": "1"} | _ticks(statements, AGREE)
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        card_actions.key_card(
            by=world.person(persona),
            conversation=conversation,
            number=1,
            votes={statements[0].pk: AGREE},
        )
    assert not Participant.objects.exists()


def test_the_keying_page_reads_a_bounded_number_of_times(
    world: World, django_assert_max_num_queries: Any
) -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 20)
    coordinator = world.person("coordinator")
    for number in range(1, 4):
        card_actions.key_card(
            by=coordinator,
            conversation=conversation,
            number=number,
            votes={s.pk: AGREE for s in statements},
        )
    client = _client(world, "coordinator")
    url = _key_url(conversation)
    with django_assert_max_num_queries(10):
        page = client.get(url, {"card": "2"})
    assert _checked(page.content.decode()) == _ticks(statements, *[AGREE] * 20)
    with django_assert_max_num_queries(10):
        assert (
            client.get(reverse("conversations:cards", args=[conversation.slug])).status_code == 200
        )
