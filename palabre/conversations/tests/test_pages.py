"""The conversation's pages through the client: a phone votes without an account, a resident
proposes a statement, the team starts, seeds and moderates, the map is published as JSON."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palabre.conversations import actions, device, views
from palabre.conversations.models import (
    Conversation,
    Moderation,
    Origin,
    Participant,
    Statement,
    Value,
    Vote,
)
from palabre.conversations.tests.factories import make_conversation, make_statements
from palabre.core.testing import World
from palabre.core.throttle import Limit
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


def page(conversation: Conversation) -> str:
    return reverse("conversations:conversation", args=[conversation.slug])


def vote_url(conversation: Conversation) -> str:
    return reverse("conversations:vote", args=[conversation.slug])


def phone(conversation: Conversation) -> Client:
    """A phone that opened the conversation's page (and so holds its device cookie)."""
    client = Client()
    response = client.get(page(conversation))
    assert response.status_code == 200
    assert device.COOKIE in response.cookies
    return client


def next_statement_id(client: Client, conversation: Conversation) -> int | None:
    found = client.get(page(conversation)).context["next"]
    return None if found is None else int(found.pk)


def test_a_phone_votes_without_an_account_and_nothing_about_it_is_stored() -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 3)
    client = phone(conversation)
    token = client.cookies[device.COOKIE].value
    shown = next_statement_id(client, conversation)
    assert shown == statements[0].pk
    response = client.post(vote_url(conversation), {"statement": shown, "value": "agree"})
    assert response.status_code == 303
    assert response["Location"].endswith(page(conversation) + "#vote")
    voter = Participant.objects.get(conversation=conversation)
    assert voter.card is None
    assert voter.external_id is None
    assert token not in voter.device  # only a digest of a signed value's token
    assert list(voter.votes.values_list("statement", "value")) == [(shown, Value.AGREE)]
    # The next statement is another one, and the page counts the vote.
    after = client.get(page(conversation))
    assert after.context["next"].pk == statements[1].pk
    assert after.context["voted_count"] == 1


def test_statements_come_by_fewest_votes_first_then_oldest() -> None:
    conversation = make_conversation()
    first, second, third = make_statements(conversation, 3)
    for number in (1, 2):
        voter = actions.participant_for_card(conversation=conversation, number=number)
        actions.cast_vote(participant=voter, statement=first, value=Value.AGREE)
    voter = actions.participant_for_card(conversation=conversation, number=3)
    actions.cast_vote(participant=voter, statement=second, value=Value.AGREE)
    client = phone(conversation)
    assert next_statement_id(client, conversation) == third.pk
    client.post(vote_url(conversation), {"statement": third.pk, "value": "pass"})
    assert next_statement_id(client, conversation) == second.pk
    client.post(vote_url(conversation), {"statement": second.pk, "value": "disagree"})
    assert next_statement_id(client, conversation) == first.pk
    client.post(vote_url(conversation), {"statement": first.pk, "value": "agree"})
    done = client.get(page(conversation))
    assert done.context["next"] is None
    assert done.context["voted_count"] == 3


def test_a_vote_changed_keeps_one_row_with_the_last_value() -> None:
    conversation = make_conversation()
    (statement,) = make_statements(conversation, 1)
    client = phone(conversation)
    for value in ("agree", "disagree", "disagree"):
        client.post(vote_url(conversation), {"statement": statement.pk, "value": value})
    assert list(Vote.objects.values_list("value", flat=True)) == [Value.DISAGREE]
    mine = client.get(page(conversation)).context["my_votes"]
    assert [(s.pk, v) for s, v in mine] == [(statement.pk, Value.DISAGREE)]


def test_two_phones_are_two_participants() -> None:
    conversation = make_conversation()
    (statement,) = make_statements(conversation, 1)
    for client in (phone(conversation), phone(conversation)):
        client.post(vote_url(conversation), {"statement": statement.pk, "value": "agree"})
    assert Participant.objects.filter(conversation=conversation).count() == 2


def test_a_vote_without_the_device_cookie_is_refused_and_explained() -> None:
    conversation = make_conversation()
    (statement,) = make_statements(conversation, 1)
    response = Client().post(vote_url(conversation), {"statement": statement.pk, "value": "agree"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert device.COOKIE in response.cookies  # the next try works
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"value": "agree"},
        {"statement": "abc", "value": "agree"},
        {"statement": "1", "value": "maybe"},
        {"statement": "1"},
    ],
)
def test_a_malformed_vote_is_refused(data: dict[str, str]) -> None:
    conversation = make_conversation()
    make_statements(conversation, 1)
    response = phone(conversation).post(vote_url(conversation), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Vote.objects.exists()


def test_a_vote_on_a_statement_not_open_or_elsewhere_is_refused() -> None:
    conversation = make_conversation()
    other = make_conversation(slug="ailleurs")
    (elsewhere,) = make_statements(other, 1)
    pending = actions.propose_statement(conversation=conversation, text="Plus de bancs")
    client = phone(conversation)
    for statement in (elsewhere, pending):
        response = client.post(
            vote_url(conversation), {"statement": statement.pk, "value": "agree"}
        )
        assert response.status_code == 400
    assert not Vote.objects.exists()


def test_a_closed_conversation_shows_no_buttons_and_refuses_votes() -> None:
    conversation = make_conversation(opened_days_ago=10, closes_in_days=-1)
    (statement,) = make_statements(conversation, 1)
    client = phone(conversation)
    shown = client.get(page(conversation))
    assert shown.context["state"] == "closed"
    assert b'name="value"' not in shown.content
    response = client.post(vote_url(conversation), {"statement": statement.pk, "value": "agree"})
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_an_htmx_vote_answers_with_the_voting_section_only() -> None:
    conversation = make_conversation()
    first, second = make_statements(conversation, 2)
    client = phone(conversation)
    response = client.post(
        vote_url(conversation), {"statement": first.pk, "value": "agree"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith('<section id="voting"')
    assert "<html" not in text
    assert f'value="{second.pk}"' in text


def test_votes_from_one_phone_are_rate_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        views, "VOTES_PER_DEVICE", Limit("conversation-votes", 3, timedelta(hours=1))
    )
    conversation = make_conversation()
    (statement,) = make_statements(conversation, 1)
    client = phone(conversation)
    codes = [
        client.post(
            vote_url(conversation), {"statement": statement.pk, "value": "agree"}
        ).status_code
        for _ in range(4)
    ]
    assert codes == [303, 303, 303, 429]
    # Another phone in the same room is not held back.
    other = phone(conversation).post(
        vote_url(conversation), {"statement": statement.pk, "value": "pass"}
    )
    assert other.status_code == 303


def test_new_voters_from_one_address_are_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        views, "NEW_DEVICES_PER_CLIENT", Limit("conversation-devices", 2, timedelta(hours=1))
    )
    conversation = make_conversation()
    (statement,) = make_statements(conversation, 1)
    phones = [phone(conversation) for _ in range(3)]
    codes = [
        client.post(
            vote_url(conversation), {"statement": statement.pk, "value": "agree"}
        ).status_code
        for client in phones
    ]
    assert codes == [303, 303, 429]
    # A phone already voting still changes its vote.
    again = phones[0].post(vote_url(conversation), {"statement": statement.pk, "value": "pass"})
    assert again.status_code == 303
    assert Participant.objects.count() == 2


def test_the_conversation_page_reads_a_bounded_number_of_times(
    django_assert_max_num_queries: Any,
) -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 30)
    client = phone(conversation)
    for statement in statements[:20]:
        client.post(vote_url(conversation), {"statement": statement.pk, "value": "agree"})
    with django_assert_max_num_queries(8):
        response = client.get(page(conversation))
    assert len(response.context["my_votes"]) == 20


def test_a_resident_proposes_a_statement_masked_and_waiting_for_moderation(world: World) -> None:
    conversation = make_conversation()
    client = phone(conversation)
    url = reverse("conversations:propose", args=[conversation.slug])
    response = client.post(url, {"text": "Appelez Marc au 0478 12 34 56 pour les bancs"})
    assert response.status_code == 302
    statement = Statement.objects.get(conversation=conversation)
    assert statement.origin == Origin.RESIDENT
    assert statement.moderation == Moderation.PENDING
    assert "0478" not in statement.text
    assert "[…]" in statement.text
    assert "0478" in statement.submitted_text
    assert client.get(page(conversation)).context["next"] is None  # not shown yet
    # The moderator reads it as typed, rewords it and accepts it: what was typed is erased.
    staff = Client()
    staff.force_login(world.person("coordinator"))
    manage = staff.get(reverse("conversations:manage", args=[conversation.slug]))
    assert "0478 12 34 56" in manage.content.decode()
    moderate = reverse("conversations:moderate", args=[conversation.slug, statement.pk])
    prefix = f"s{statement.pk}"
    answer = staff.post(
        moderate, {f"{prefix}-decision": "accept", f"{prefix}-text": "Plus de bancs"}
    )
    assert answer.status_code == 302
    statement.refresh_from_db()
    assert (statement.text, statement.moderation, statement.submitted_text) == (
        "Plus de bancs",
        Moderation.ACCEPTED,
        "",
    )
    assert client.get(page(conversation)).context["next"] == statement
    # A second click (reject) changes nothing.
    staff.post(moderate, {f"{prefix}-decision": "reject", f"{prefix}-text": ""})
    statement.refresh_from_db()
    assert statement.moderation == Moderation.ACCEPTED


@pytest.mark.parametrize("text", ["", "   ", "x" * (actions.STATEMENT_LENGTH + 1)])
def test_an_empty_or_too_long_statement_is_refused_and_kept(text: str) -> None:
    conversation = make_conversation()
    url = reverse("conversations:propose", args=[conversation.slug])
    response = phone(conversation).post(url, {"text": text})
    assert response.status_code == 400
    assert response.context["form"].errors["text"]
    assert not Statement.objects.exists()


def test_no_statement_is_proposed_to_a_closed_conversation() -> None:
    conversation = make_conversation(opened_days_ago=10, closes_in_days=-1)
    url = reverse("conversations:propose", args=[conversation.slug])
    response = phone(conversation).post(url, {"text": "Un marché"})
    assert response.status_code == 400
    assert not Statement.objects.exists()


def _new(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "title": "Que faire de la place ?",
        "workshop": "",
        "neighbourhood": world.home.pk,
        "theme": "",
        "opens_on": "2027-01-10",
        "opens_time": "18:00",
        "closes_on": "2027-01-24",
        "closes_time": "20:00",
        "statements": "Plus d'arbres\n\nMoins de voitures\n",
    } | changes


def test_the_service_starts_a_draft_conversation_with_its_statements(world: World) -> None:
    client = Client()
    client.force_login(world.person("coordinator"))
    response = client.post(reverse("conversations:new"), _new(world))
    conversation = Conversation.objects.get()
    assert response["Location"] == reverse("conversations:manage", args=[conversation.slug])
    assert conversation.slug == "que-faire-de-la-place"
    assert not conversation.is_published
    assert list(conversation.statements.values_list("text", "moderation")) == [
        ("Plus d'arbres", Moderation.ACCEPTED),
        ("Moins de voitures", Moderation.ACCEPTED),
    ]
    zone = timezone.get_current_timezone()
    assert conversation.opens_at is not None
    assert conversation.opens_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") == "2027-01-10 18:00"
    # A draft is hidden from residents.
    assert Client().get(page(conversation)).status_code == 404


def test_a_conversation_closing_before_it_opens_is_refused_with_everything_kept(
    world: World,
) -> None:
    client = Client()
    client.force_login(world.person("coordinator"))
    response = client.post(
        reverse("conversations:new"), _new(world, closes_on="2027-01-01", closes_time="10:00")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["closes_on"]
    assert "Moins de voitures" in response.content.decode()
    assert not Conversation.objects.exists()


def test_a_facilitator_starts_one_for_their_workshop_only(world: World) -> None:
    mine = make_hosted_workshop(world)
    other = make_hosted_workshop(world)
    other.facilitators.clear()
    client = Client()
    client.force_login(world.person("facilitator"))
    refused = client.post(reverse("conversations:new"), _new(world, workshop=other.pk))
    assert refused.status_code == 400
    assert refused.context["form"].errors["workshop"]
    response = client.post(reverse("conversations:new"), _new(world, workshop=mine.pk))
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.workshop == mine
    # They run it: its page for the team, its draft visible to them.
    assert client.get(reverse("conversations:manage", args=[conversation.slug])).status_code == 200
    assert client.get(page(conversation)).status_code == 200


def test_the_same_statements_sent_twice_are_added_once(world: World) -> None:
    conversation = make_conversation()
    client = Client()
    client.force_login(world.person("coordinator"))
    url = reverse("conversations:seed", args=[conversation.slug])
    for _ in range(2):
        assert client.post(url, {"statements": "Une fontaine\nDes arbres"}).status_code == 302
    assert conversation.statements.count() == 2


def test_the_actions_recheck_who_runs_the_conversation(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    conversation = make_conversation()
    with pytest.raises(PermissionDenied):
        actions.seed_statements(
            by=world.person("facilitator"), conversation=conversation, texts=["x"]
        )
    with pytest.raises(PermissionDenied):
        actions.create_conversation(by=world.person("resident"), title="x")


def test_map_json_says_waiting_then_gives_the_map(world: World) -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 4)
    url = reverse("conversations:map_json", args=[conversation.slug])
    waiting = json.loads(Client().get(url).content)
    assert waiting["state"] == "waiting"
    assert waiting["group_count"] == 0
    for number in range(1, 21):
        voter = actions.participant_for_card(conversation=conversation, number=number)
        for index, statement in enumerate(statements):
            agree = (number <= 10) == (index % 2 == 0)
            actions.cast_vote(
                participant=voter,
                statement=statement,
                value=Value.AGREE if agree else Value.DISAGREE,
            )
    actions.refresh_map(conversation_id=conversation.pk)
    data = json.loads(Client().get(url).content)
    assert data["state"] == "ready"
    assert data["vote_count"] == 80
    assert {"group_count", "labels", "consensus", "repness"} <= set(data)
    assert len(data["labels"]) == 20
    assert data["group_count"] == len(set(data["labels"].values())) >= 2


def test_a_phone_erases_its_votes_and_a_second_click_is_no_error() -> None:
    conversation = make_conversation()
    first, second = make_statements(conversation, 2)
    client, other = phone(conversation), phone(conversation)
    for statement in (first, second):
        client.post(vote_url(conversation), {"statement": statement.pk, "value": "agree"})
    other.post(vote_url(conversation), {"statement": first.pk, "value": "pass"})
    url = reverse("conversations:forget", args=[conversation.slug])
    assert client.post(url).status_code == 302
    assert list(Vote.objects.values_list("value", flat=True)) == [Value.PASS]
    assert Participant.objects.count() == 1
    assert client.post(url).status_code == 302
    assert client.get(page(conversation)).context["voted_count"] == 0


def test_the_map_offers_the_service_a_request_resting_on_a_statement(world: World) -> None:
    conversation = make_conversation()
    (statement,) = make_statements(conversation, 1)
    url = reverse("conversations:map", args=[conversation.slug])
    link = f"{reverse('official_requests:draft')}?statement={statement.pk}"
    staff = Client()
    staff.force_login(world.person("coordinator"))
    assert link in staff.get(url).content.decode()
    assert link not in Client().get(url).content.decode()
    draft = staff.get(link)
    assert draft.status_code == 200


def test_the_list_offers_each_conversation_to_those_who_run_it_in_bounded_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    mine = make_hosted_workshop(world)
    for number in range(6):
        conversation = make_conversation(slug=f"c{number}")
        if number % 2:
            Conversation.objects.filter(pk=conversation.pk).update(workshop=mine)
    client = Client()
    client.force_login(world.person("facilitator"))
    with django_assert_max_num_queries(12):
        listed = client.get(reverse("conversations:index"))
    text = listed.content.decode()
    runs = {f"c{n}" for n in range(6) if f'href="/avis/c{n}/gerer/"' in text}
    assert runs == {"c1", "c3", "c5"}


def test_a_conversation_of_a_workshop_long_past_is_still_edited(world: World) -> None:
    old = make_hosted_workshop(world, days_from_now=-200)
    conversation = make_conversation()
    Conversation.objects.filter(pk=conversation.pk).update(workshop=old)
    client = Client()
    client.force_login(world.person("facilitator"))
    url = reverse("conversations:manage", args=[conversation.slug])
    data = _new(world, workshop=old.pk, title="Nouvelle question", is_published="on")
    assert client.post(url, data).status_code == 302
    conversation.refresh_from_db()
    assert (conversation.title, conversation.workshop) == ("Nouvelle question", old)


def test_the_words_typed_of_a_statement_never_moderated_are_erased_after_the_close() -> None:
    from palabre.privacy.actions import apply_retention

    conversation = make_conversation(closes_in_days=3)
    statement = actions.propose_statement(
        conversation=conversation, text="Appelez le 0478 12 34 56"
    )
    assert apply_retention().typed_statements == 0
    later = timezone.now() + timedelta(days=4)
    assert apply_retention(now=later).typed_statements == 1
    statement.refresh_from_db()
    assert statement.submitted_text == ""
    assert "[…]" in statement.text  # the masked text stays
    assert apply_retention(now=later).typed_statements == 0
