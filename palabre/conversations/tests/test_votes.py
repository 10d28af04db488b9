"""Who votes and how votes are kept: one row per participant and statement, the latest."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from palabre.conversations import actions
from palabre.conversations.models import Moderation, Origin, Participant, Value, Vote
from palabre.conversations.tests.factories import make_conversation, make_statements

pytestmark = pytest.mark.django_db

TOKEN = "d3v1ce-t0ken-0f-a-phone-in-the-hall"


def kept(participant: Participant) -> list[tuple[int, int]]:
    return list(Vote.objects.filter(participant=participant).values_list("statement", "value"))


def test_a_later_vote_replaces_the_earlier_one_in_the_same_row() -> None:
    conversation = make_conversation()
    (statement,) = make_statements(conversation, 1)
    voter = actions.participant_for_device(conversation=conversation, token=TOKEN)
    now = timezone.now()
    assert actions.cast_vote(
        participant=voter, statement=statement, value=Value.AGREE, at=now - timedelta(minutes=2)
    )
    assert actions.cast_vote(participant=voter, statement=statement, value=Value.DISAGREE, at=now)
    assert kept(voter) == [(statement.pk, Value.DISAGREE)]


def test_a_retry_or_an_older_delayed_vote_does_not_overwrite_a_newer_one() -> None:
    conversation = make_conversation()
    (statement,) = make_statements(conversation, 1)
    voter = actions.participant_for_device(conversation=conversation, token=TOKEN)
    now = timezone.now()
    assert actions.cast_vote(participant=voter, statement=statement, value=Value.AGREE, at=now)
    # The same submission sent again, then one made a minute earlier that arrives late.
    assert not actions.cast_vote(participant=voter, statement=statement, value=1, at=now)
    older = now - timedelta(minutes=1)
    assert not actions.cast_vote(participant=voter, statement=statement, value=-1, at=older)
    assert kept(voter) == [(statement.pk, Value.AGREE)]
    assert Vote.objects.get().voted_at == now


def test_a_vote_dated_in_the_future_counts_as_now_and_can_be_changed() -> None:
    conversation = make_conversation()
    (statement,) = make_statements(conversation, 1)
    voter = actions.participant_for_device(conversation=conversation, token=TOKEN)
    ahead = timezone.now() + timedelta(hours=1)  # a phone whose clock runs an hour fast
    assert actions.cast_vote(participant=voter, statement=statement, value=Value.AGREE, at=ahead)
    assert Vote.objects.get().voted_at <= timezone.now()
    assert actions.cast_vote(participant=voter, statement=statement, value=Value.DISAGREE)
    assert kept(voter) == [(statement.pk, Value.DISAGREE)]


def test_on_the_same_instant_the_higher_value_is_kept_whatever_arrives_first() -> None:
    conversation = make_conversation()
    (statement,) = make_statements(conversation, 1)
    voter = actions.participant_for_card(conversation=conversation, number=12)
    now = timezone.now()
    actions.cast_vote(participant=voter, statement=statement, value=Value.AGREE, at=now)
    assert not actions.cast_vote(participant=voter, statement=statement, value=0, at=now)
    assert kept(voter) == [(statement.pk, Value.AGREE)]


def test_the_same_device_token_is_one_participant_and_the_token_is_not_stored() -> None:
    conversation, other = make_conversation(), make_conversation(slug="parc")
    first = actions.participant_for_device(conversation=conversation, token=TOKEN)
    again = actions.participant_for_device(conversation=conversation, token=TOKEN)
    another = actions.participant_for_device(conversation=conversation, token=TOKEN + "2")
    elsewhere = actions.participant_for_device(conversation=other, token=TOKEN)
    assert first == again
    assert len({first.pk, another.pk, elsewhere.pk}) == 3
    assert first.device == actions.device_digest(TOKEN, conversation.pk) != TOKEN
    assert elsewhere.device != first.device  # one phone in two conversations: not linkable
    assert len(first.device) == 64
    assert not Participant.objects.filter(device__contains=TOKEN).exists()


def test_a_device_token_too_short_to_be_ours_is_refused() -> None:
    with pytest.raises(actions.ConversationError):
        actions.participant_for_device(conversation=make_conversation(), token="abc")


def test_each_card_number_is_one_voter() -> None:
    conversation = make_conversation()
    (statement,) = make_statements(conversation, 1)
    card_7 = actions.participant_for_card(conversation=conversation, number=7)
    assert actions.participant_for_card(conversation=conversation, number=7) == card_7
    card_8 = actions.participant_for_card(conversation=conversation, number=8)
    assert card_8 != card_7
    actions.cast_vote(participant=card_7, statement=statement, value=Value.AGREE)
    actions.cast_vote(participant=card_8, statement=statement, value=Value.DISAGREE)
    assert Vote.objects.filter(statement=statement).count() == 2
    with pytest.raises(actions.ConversationError):
        actions.participant_for_card(conversation=conversation, number=0)


def test_a_residents_statement_waits_for_moderation_and_a_seeded_one_does_not() -> None:
    conversation = make_conversation()
    (seeded,) = make_statements(conversation, 1)
    (submitted,) = make_statements(conversation, 1, origin=Origin.RESIDENT)
    assert seeded.moderation == Moderation.ACCEPTED
    assert submitted.moderation == Moderation.PENDING


@pytest.mark.parametrize("moderation", [Moderation.PENDING, Moderation.REJECTED])
def test_no_vote_on_a_statement_not_accepted(moderation: str) -> None:
    conversation = make_conversation()
    (statement,) = make_statements(conversation, 1, origin=Origin.RESIDENT)
    statement.moderation = moderation
    statement.save(update_fields=["moderation"])
    voter = actions.participant_for_device(conversation=conversation, token=TOKEN)
    with pytest.raises(actions.ConversationError, match="pas ouverte aux votes"):
        actions.cast_vote(participant=voter, statement=statement, value=Value.AGREE)
    assert not Vote.objects.exists()


def test_no_vote_on_another_conversations_statement() -> None:
    conversation, other = make_conversation(), make_conversation(slug="parc")
    (elsewhere,) = make_statements(other, 1)
    voter = actions.participant_for_device(conversation=conversation, token=TOKEN)
    with pytest.raises(actions.ConversationError, match="une autre conversation"):
        actions.cast_vote(participant=voter, statement=elsewhere, value=Value.AGREE)
    assert not Vote.objects.exists()


def test_no_vote_after_closing_nor_before_opening() -> None:
    closed = make_conversation(opened_days_ago=10, closes_in_days=-1)
    (statement,) = make_statements(closed, 1)
    voter = actions.participant_for_card(conversation=closed, number=1)
    with pytest.raises(actions.ConversationError, match="est close"):
        actions.cast_vote(participant=voter, statement=statement, value=Value.AGREE)
    future = make_conversation(slug="futur", opened_days_ago=-2, closes_in_days=10)
    (statement,) = make_statements(future, 1)
    voter = actions.participant_for_card(conversation=future, number=1)
    with pytest.raises(actions.ConversationError, match="pas encore ouverte"):
        actions.cast_vote(participant=voter, statement=statement, value=Value.AGREE)
    assert not Vote.objects.exists()


def test_a_vote_is_agree_disagree_or_pass() -> None:
    conversation = make_conversation()
    (statement,) = make_statements(conversation, 1)
    voter = actions.participant_for_card(conversation=conversation, number=1)
    with pytest.raises(actions.ConversationError):
        actions.cast_vote(participant=voter, statement=statement, value=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            participant=voter, statement=statement, value=2, voted_at=timezone.now()
        )


@pytest.mark.parametrize(
    "identity",
    [{}, {"device": "a" * 64, "card": 3}, {"card": 3, "external_id": 4}],
    ids=["neither", "device-and-card", "card-and-export-id"],
)
def test_the_database_refuses_a_participant_without_exactly_one_identity(
    identity: dict[str, Any],
) -> None:
    conversation = make_conversation()
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(conversation=conversation, **identity)


def test_the_database_refuses_a_card_number_twice_in_a_conversation() -> None:
    conversation = make_conversation()
    Participant.objects.create(conversation=conversation, card=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(conversation=conversation, card=5)


def test_votes_queue_one_map_computation_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    conversation = make_conversation()
    first, second = make_statements(conversation, 2)
    voter = actions.participant_for_device(conversation=conversation, token=TOKEN)
    with django_capture_on_commit_callbacks(execute=True):
        actions.cast_vote(participant=voter, statement=first, value=Value.AGREE)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        actions.cast_vote(participant=voter, statement=second, value=Value.PASS, at=now)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # a retry
        actions.cast_vote(participant=voter, statement=second, value=Value.PASS, at=now)
    assert callbacks == []
    jobs = DBTaskResult.objects.filter(task_path__endswith="update_map")
    assert jobs.count() == 1
    assert jobs.get().args_kwargs["kwargs"] == {"conversation_id": conversation.pk}
