"""Support across opinion groups (issue 19, item 5): how many of the map's groups mostly agree
with each statement, stored with the map; counted in groups, never in votes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from palabre.conversations import actions, analysis, bridging
from palabre.conversations.models import (
    Conversation,
    ConversationMap,
    MapState,
    Statement,
    Value,
)
from palabre.conversations.tests.factories import make_conversation, make_statements
from palabre.opinion_map import Votes

pytestmark = pytest.mark.django_db


def two_camps(conversation: Conversation) -> list[Statement]:
    """Cards 1..10 agree with statement X (the first), cards 11..20 disagree with it; all
    agree with Y (the sixth) and the two after it. Four more statements split the camps."""
    statements = make_statements(conversation, 8)
    for card in range(1, 21):
        voter = actions.participant_for_card(conversation=conversation, number=card)
        camp = Value.AGREE if card <= 10 else Value.DISAGREE
        for position, statement in enumerate(statements):
            value = camp if position < 5 else Value.AGREE
            actions.cast_vote(participant=voter, statement=statement, value=value)
    return statements


def mapped(conversation: Conversation) -> dict[str, Any]:
    """Compute the map as the worker does, then store its support (the worker does both once
    actions.refresh_map calls bridging.store_support; calling it again changes nothing)."""
    assert actions.refresh_map(conversation_id=conversation.pk) == MapState.READY
    result: dict[str, Any] = ConversationMap.objects.get(conversation=conversation).result
    bridging.store_support(conversation=conversation, result=result)
    return result


def support(statement: Statement) -> tuple[int | None, int | None]:
    statement.refresh_from_db()
    return statement.groups_agreeing, statement.group_count


def test_a_statement_both_camps_agree_with_is_agreed_across_both_groups() -> None:
    conversation = make_conversation()
    statements = two_camps(conversation)
    result = mapped(conversation)
    assert result["group_count"] == 2
    x, y = statements[0], statements[5]
    assert support(y) == (2, 2)
    assert support(x) == (1, 2)  # one camp agrees, the other disagrees
    stored = Statement.objects.get(pk=y.pk)
    assert stored.support_computed_at is not None


def test_no_map_stores_no_support_and_a_map_lost_clears_it() -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 3)
    voter = actions.participant_for_card(conversation=conversation, number=1)
    actions.cast_vote(participant=voter, statement=statements[0], value=Value.AGREE)
    assert actions.refresh_map(conversation_id=conversation.pk) == MapState.TOO_FEW
    bridging.store_support(conversation=conversation, result={})
    assert support(statements[0]) == (None, None)
    Statement.objects.filter(pk=statements[1].pk).update(groups_agreeing=2, group_count=2)
    bridging.store_support(conversation=conversation, result={})
    assert support(statements[1]) == (None, None)


def test_support_read_from_older_votes_never_replaces_a_newer_one() -> None:
    conversation = make_conversation()
    statements = two_camps(conversation)
    mapped(conversation)
    earlier = timezone.now() - timedelta(minutes=1)
    updated = bridging.store_support(conversation=conversation, result={}, at=earlier)
    assert updated == 0
    assert support(statements[5]) == (2, 2)


def test_storing_support_takes_a_few_queries_whatever_the_number_of_statements(
    django_assert_max_num_queries: Any,
) -> None:
    conversation = make_conversation()
    two_camps(conversation)
    make_statements(conversation, 30)  # no votes: 0 groups agreeing
    result = mapped(conversation)
    votes = analysis.map_input(conversation).votes
    # The statements, one update for all, one per number of groups agreeing (1 and 2), and
    # the savepoint around the updates.
    with django_assert_max_num_queries(6):
        updated = bridging.store_support(conversation=conversation, result=result, votes=votes)
    assert updated == 38
    assert Statement.objects.filter(conversation=conversation, groups_agreeing=0).count() == 30


def votes(rows: list[tuple[int, int, int]]) -> Votes:
    """(participant, statement, value) rows, all at the same time."""
    columns = list(zip(*rows, strict=True)) if rows else [(), (), ()]
    return Votes(
        np.array(columns[0], dtype=np.int64),
        np.array(columns[1], dtype=np.int64),
        np.array(columns[2], dtype=np.int64),
        np.zeros(len(rows), dtype=np.int64),
    )


# Group 0: participants 1..3; group 1: participants 11..20; participant 99 is on no group.
LABELS = {str(p): 0 for p in range(1, 4)} | {str(p): 1 for p in range(11, 21)}


def test_a_group_mostly_agrees_when_more_than_half_of_its_voters_agree() -> None:
    rows = [(1, 7, 1), (2, 7, 1), (3, 7, -1)]  # group 0: 2 of 3 agree
    rows += [(p, 7, 1) for p in range(11, 16)] + [(p, 7, 0) for p in range(16, 21)]  # 5 of 10
    assert bridging.groups_agreeing(votes(rows), LABELS, 2) == {7: 1}  # a pass is no agreement


def test_a_group_needs_three_voters_to_count() -> None:
    rows = [(1, 7, 1), (2, 7, 1)] + [(p, 7, 1) for p in range(11, 14)]
    assert bridging.groups_agreeing(votes(rows), LABELS, 2) == {7: 1}  # two voters: not yet
    rows.append((3, 7, 1))
    assert bridging.groups_agreeing(votes(rows), LABELS, 2) == {7: 2}


def test_one_group_voting_more_cannot_raise_the_figure() -> None:
    small = [(1, 7, 1), (2, 7, 1), (3, 7, 1)]  # group 0 agrees
    against = [(p, 7, -1) for p in range(11, 17)]  # group 1 mostly disagrees
    before = bridging.groups_agreeing(votes(small + against), LABELS, 2)
    # The big group's remaining members all vote agree: it is still a majority of its voters
    # that decides, and one group is one group.
    more = [(p, 7, 1) for p in range(17, 21)]
    after = bridging.groups_agreeing(votes(small + against + more), LABELS, 2)
    assert before == after == {7: 1}


def test_participants_outside_the_groups_and_replaced_votes_do_not_count() -> None:
    rows = [(99, 7, 1)] * 5 + [(1, 7, 1), (2, 7, 1), (3, 7, 1)]
    assert bridging.groups_agreeing(votes(rows), LABELS, 2) == {7: 1}
    # The latest vote of each participant counts, on the same instant the higher value.
    changed = Votes(
        np.array([1, 1, 2, 3], dtype=np.int64),
        np.array([7, 7, 7, 7], dtype=np.int64),
        np.array([1, -1, 1, 1], dtype=np.int64),
        np.array([1, 2, 1, 1], dtype=np.int64),  # participant 1 changed their mind
    )
    assert bridging.groups_agreeing(changed, LABELS, 2) == {7: 1}  # 2 of 3 still agree
    assert bridging.groups_agreeing(votes([]), LABELS, 2) == {}
