"""The map for the room: its text page, the projector's view and the report read the map the
worker stored, with figures counted from the votes (checked here against counts made by hand)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from palabre.conversations import actions
from palabre.conversations.models import (
    Conversation,
    ConversationMap,
    MapState,
    Participant,
    Statement,
    Value,
)
from palabre.conversations.tests.factories import make_conversation, make_statements
from palabre.core.testing import World, pdf_text

pytestmark = pytest.mark.django_db

AGREE, DISAGREE, PASS = Value.AGREE, Value.DISAGREE, Value.PASS


def published(slug: str = "place-communale") -> Conversation:
    return make_conversation(slug=slug, is_published=True)


def two_camps(card: int) -> dict[int, int]:
    """Card `card`'s votes on statements 1..9: cards 1-10 agree with 1-4 and disagree with
    5-8, cards 11-20 the reverse, and nearly everyone agrees with 9; a few exceptions."""
    first_camp = card <= 10
    votes: dict[int, int] = {n: AGREE if (n <= 4) == first_camp else DISAGREE for n in range(1, 9)}
    votes[9] = DISAGREE if card == 20 else AGREE
    if card == 1:
        votes[1] = PASS
    if card == 12:
        votes[2] = AGREE
    if card == 3:
        votes[6] = PASS
    return votes


def latecomer(card: int) -> dict[int, int]:
    """A card that voted on two statements only: too few to be placed in a group."""
    return {9: AGREE, 1: PASS}


def vote(
    conversation: Conversation, statements: list[Statement], cards: dict[int, dict[int, int]]
) -> dict[int, Participant]:
    holders = {}
    for card, votes in cards.items():
        holders[card] = actions.participant_for_card(conversation=conversation, number=card)
        for number, value in votes.items():
            actions.cast_vote(
                participant=holders[card], statement=statements[number - 1], value=value
            )
    return holders


@pytest.fixture
def camps() -> dict[str, Any]:
    conversation = published()
    statements = make_statements(conversation, 9)
    cards = {card: two_camps(card) for card in range(1, 21)} | {
        21: latecomer(21),
        22: latecomer(22),
    }
    holders = vote(conversation, statements, cards)
    assert actions.refresh_map(conversation_id=conversation.pk) == MapState.READY
    return {
        "conversation": conversation,
        "statements": statements,
        "cards": cards,
        "holders": holders,
    }


def share(part: int, whole: int) -> str:
    if not whole:
        return "None"
    return str((Decimal(100 * part) / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def page(
    url_name: str, conversation: Conversation, client: Client | None = None, **extra: Any
) -> Any:
    url = reverse(f"conversations:{url_name}", kwargs={"slug": conversation.slug})
    return (client or Client()).get(url, **extra)


def items(html: str, start: str) -> list[dict[str, str]]:
    """The data attributes of every <li data-statement> in the block opening at `start`."""
    block = html[html.index(start) :]
    block = block[: block.index("</section>")]
    return [
        dict(re.findall(r'data-([a-z-]+)="([^"]*)"', tag))
        for tag in re.findall(r"<li data-statement[^>]*>", block)
    ]


def group_letters(camps: dict[str, Any]) -> dict[int, str]:
    """Card -> the letter of its group, read from the stored map (participants' ids on the map
    are their row ids in a conversation without imports)."""
    labels = ConversationMap.objects.get(conversation=camps["conversation"]).result["labels"]
    return {
        card: "ABCDE"[labels[str(holder.pk)]]
        for card, holder in camps["holders"].items()
        if str(holder.pk) in labels
    }


def test_the_map_page_shows_the_two_camps_with_figures_counted_from_the_votes(
    camps: dict[str, Any],
) -> None:
    response = page("map", camps["conversation"])
    assert response.status_code == 200
    html = response.content.decode()
    letters = group_letters(camps)
    # Two camps, each one group; the two latecomers are in none.
    assert len(set(letters.values())) == 2
    assert {letters[card] for card in range(1, 11)} != {letters[card] for card in range(11, 21)}
    assert len({letters[card] for card in range(1, 11)}) == 1
    assert 21 not in letters
    assert 22 not in letters
    for letter in ("A", "B"):
        size = sum(1 for found in letters.values() if found == letter)
        assert f'data-group="{letter}" data-size="{size}"' in html
    assert 'data-people="22" data-votes="184"' in html  # 20 x 9 + 2 x 2
    assert 'data-ungrouped="2"' in html

    statement_number = {s.pk: n for n, s in enumerate(camps["statements"], start=1)}
    for letter in ("A", "B"):
        shown = items(html, f'id="group-{letter}"')
        assert shown, f"nothing sets group {letter} apart"
        members = [card for card, found in letters.items() if found == letter]
        others = [card for card, found in letters.items() if found != letter]
        for item in shown:
            number = statement_number[int(item["statement"])]
            wanted = AGREE if item["direction"] == "agree" else DISAGREE
            inside = [camps["cards"][c][number] for c in members if number in camps["cards"][c]]
            outside = [camps["cards"][c][number] for c in others if number in camps["cards"][c]]
            assert item["share"] == share(inside.count(wanted), len(inside))
            assert item["others-share"] == share(outside.count(wanted), len(outside))
            # What sets a group apart is where it votes most differently from the others.
            assert int(item["share"]) > int(item["others-share"])

    # Statement 9 unites everyone: 21 of the 22 who voted on it agree.
    agreed = items(html, 'id="shared-agree"')
    assert {"statement": str(camps["statements"][8].pk), "direction": "agree", "share": "95"} in [
        {key: item[key] for key in ("statement", "direction", "share")} for item in agreed
    ]
    # Every statement with everyone's votes.
    first = camps["statements"][0]
    assert f'data-statement="{first.pk}" data-agree="9" data-disagree="10" data-pass="3"' in html


def test_an_imported_conversation_shows_its_groups_under_the_exports_own_ids(
    tmp_path: Path,
) -> None:
    # Pol.is numbers: statements 100-108, voters 500-519; the same two camps as above.
    comments = ["timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"]
    comments += [f"{1000 + n},,{99 + n},0,0,0,1,Énoncé {n}" for n in range(1, 10)]
    votes = ["timestamp,datetime,comment-id,voter-id,vote"]
    cards = {499 + card: two_camps(card) for card in range(1, 21)}
    for voter, chosen in cards.items():
        votes += [f"{2000 + n},,{99 + n},{voter},{value}" for n, value in chosen.items()]
    (tmp_path / "comments.csv").write_text("\n".join(comments) + "\n")
    (tmp_path / "votes.csv").write_text("\n".join(votes) + "\n")
    conversation = actions.import_polis(directory=tmp_path, title="Importée")
    Conversation.objects.filter(pk=conversation.pk).update(is_published=True)
    assert actions.refresh_map(conversation_id=conversation.pk) == MapState.READY
    labels = ConversationMap.objects.get(conversation=conversation).result["labels"]
    assert sorted(int(voter) for voter in labels) == sorted(cards)

    html = page("map", conversation).content.decode()
    letters = {int(voter): "ABCDE"[group] for voter, group in labels.items()}
    for letter in ("A", "B"):
        members = [voter for voter, found in letters.items() if found == letter]
        assert f'data-group="{letter}" data-size="{len(members)}"' in html
        for item in items(html, f'id="group-{letter}"'):
            number = int(item["statement"]) - 99  # the export's own statement id
            wanted = AGREE if item["direction"] == "agree" else DISAGREE
            inside = [cards[voter][number] for voter in members]
            assert item["share"] == share(inside.count(wanted), len(inside))
    assert 'data-statement="108" data-agree="19" data-disagree="1" data-pass="0"' in html


def test_the_map_pages_read_the_stored_map_in_a_bounded_number_of_queries(
    camps: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8) as small:
        assert page("map", camps["conversation"]).status_code == 200
    # Twice as many voters: not one query more.
    more = {card: two_camps(card - 22) for card in range(23, 43)}
    vote(camps["conversation"], camps["statements"], more)
    actions.refresh_map(conversation_id=camps["conversation"].pk)
    for name in ("map", "projector"):
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert page(name, camps["conversation"]).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert page("projector", camps["conversation"], HTTP_HX_REQUEST="true").status_code == 200


def test_the_projector_is_a_full_page_that_htmx_refreshes_with_its_figures_only(
    camps: dict[str, Any],
) -> None:
    conversation = camps["conversation"]
    full = page("projector", conversation).content.decode()
    assert full.startswith("<!DOCTYPE html>")
    assert 'hx-trigger="every 5s"' in full
    assert 'src="data:image/svg+xml' in full  # the QR code to vote
    assert reverse("conversations:conversation", kwargs={"slug": conversation.slug}) in full
    assert 'data-people="22" data-votes="184"' in full
    assert "style=" not in full
    assert "<script>" not in full

    response = page("projector", conversation, HTTP_HX_REQUEST="true")
    assert "HX-Request" in response["Vary"]  # a cache never serves the fragment as the page
    assert "no-cache" in response["Cache-Control"]
    fragment = response.content.decode()
    assert 'id="room-figures"' in fragment
    assert 'data-people="22" data-votes="184"' in fragment
    for outside in ("<html", "<head", "hx-trigger", "data:image/svg+xml", "<h1"):
        assert outside not in fragment
    assert fragment.count('class="room__group"') == 2

    # New votes: the next refresh says so, from the votes, even before the map is made again.
    vote(conversation, camps["statements"], {30: latecomer(30)})
    again = page("projector", conversation, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-people="23" data-votes="186"' in again


def test_the_pages_never_compute_the_map_and_say_when_there_is_none_yet() -> None:
    conversation = published()
    statements = make_statements(conversation, 9)
    vote(conversation, statements, {card: two_camps(card) for card in range(1, 21)})
    for name in ("map", "projector"):
        html = page(name, conversation).content.decode()
        assert 'data-map-state="none"' in html
        assert 'data-people="20"' in html
    assert not ConversationMap.objects.exists()


def test_too_few_votes_say_how_many_more_people_are_needed() -> None:
    conversation = published()
    statements = make_statements(conversation, 8)
    vote(conversation, statements, {1: dict.fromkeys(range(1, 9), AGREE), 2: {1: AGREE}})
    assert actions.refresh_map(conversation_id=conversation.pk) == MapState.TOO_FEW
    for name in ("map", "projector"):
        html = page(name, conversation).content.decode()
        assert 'data-map-state="too-few"' in html
        # One person voted on 7 statements or more; three are needed.
        assert 'data-more-people="2"' in html
        assert ConversationMap.objects.get().reason not in html  # the engine's English


def test_too_few_statements_are_named_as_the_reason() -> None:
    conversation = published()
    statements = make_statements(conversation, 3)
    vote(conversation, statements, {1: {1: AGREE, 2: AGREE, 3: DISAGREE}})
    actions.refresh_map(conversation_id=conversation.pk)
    html = page("map", conversation).content.decode()
    assert 'data-map-state="too-few"' in html
    assert "data-more-people" not in html  # more people would not help: more statements would


def test_the_report_is_a_pdf_with_the_groups_and_every_statement(camps: dict[str, Any]) -> None:
    response = page("report", camps["conversation"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert camps["conversation"].title.replace("\xa0", " ") in text  # pdftotext: a plain space
    for statement in camps["statements"]:
        assert statement.text in text
    assert re.search(r"\b(?:A|B)\b", text)


def test_a_resident_cannot_see_the_map_of_an_unpublished_conversation(world: World) -> None:
    conversation = make_conversation(is_published=False)
    resident, coordinator = Client(), Client()
    resident.force_login(world.person("resident"))
    coordinator.force_login(world.person("coordinator"))
    for name in ("map", "projector", "report"):
        assert page(name, conversation, resident).status_code == 404
        assert page(name, conversation, coordinator).status_code == 200


def test_the_map_pages_answer_get_only(camps: dict[str, Any]) -> None:
    for name in ("map", "projector", "report"):
        url = reverse(f"conversations:{name}", kwargs={"slug": camps["conversation"].slug})
        assert Client().post(url).status_code == 405
