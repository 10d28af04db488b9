"""The opinion map: computed by the worker from the stored votes, the same as the engine's
command line on a Pol.is export, and skipped when the votes did not change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from palabre.conversations import actions
from palabre.conversations.analysis import compute_map
from palabre.conversations.models import (
    Conversation,
    ConversationMap,
    MapState,
    Moderation,
    Participant,
    Statement,
    Value,
    Vote,
)
from palabre.conversations.tasks import update_map
from palabre.conversations.tests.factories import (
    POLIS_CONVERSATIONS,
    make_conversation,
    make_statements,
)
from palabre.opinion_map.cli import main

pytestmark = pytest.mark.django_db


def cli_json(directory: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["analyze", str(directory), "--json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def stored(conversation: Conversation) -> ConversationMap:
    return ConversationMap.objects.get(conversation=conversation)


def test_too_few_votes_store_a_clear_state_and_no_map() -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 3)
    voter = actions.participant_for_card(conversation=conversation, number=1)
    for statement in statements:
        actions.cast_vote(participant=voter, statement=statement, value=Value.AGREE)
    assert update_map.call(conversation_id=conversation.pk) == MapState.TOO_FEW
    opinion_map = stored(conversation)
    assert opinion_map.state == MapState.TOO_FEW
    assert opinion_map.result == {}
    assert opinion_map.vote_count == 3
    assert "at least 3 participants" in opinion_map.reason


def test_with_fewer_than_7_statements_voting_on_all_of_them_puts_one_on_the_map() -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 4)
    for number in range(1, 13):
        voter = actions.participant_for_card(conversation=conversation, number=number)
        for index, statement in enumerate(statements):
            agree = (number <= 6) == (index < 2) or number % 5 == 0
            actions.cast_vote(
                participant=voter, statement=statement, value=Value.AGREE if agree else -1
            )
    skipped = actions.participant_for_card(conversation=conversation, number=13)
    for statement in statements[:3]:
        actions.cast_vote(participant=skipped, statement=statement, value=Value.AGREE)
    assert update_map.call(conversation_id=conversation.pk) == MapState.READY
    labels = stored(conversation).result["labels"]
    assert len(labels) == 12  # the 13th voted on 3 of the 4 statements


def test_a_conversation_without_votes_has_no_map_yet() -> None:
    conversation = make_conversation()
    assert actions.refresh_map(conversation_id=conversation.pk) == MapState.TOO_FEW
    assert stored(conversation).vote_count == 0
    assert actions.refresh_map(conversation_id=987654) == "no such conversation"


def test_votes_cast_live_give_two_camps_and_an_unchanged_input_is_not_computed_again() -> None:
    conversation = make_conversation()
    statements = make_statements(conversation, 8)
    for card in range(1, 21):
        voter = actions.participant_for_card(conversation=conversation, number=card)
        camp = 1 if card <= 10 else -1
        for position, statement in enumerate(statements):
            value = camp if position < 5 else Value.AGREE  # the last three: shared by all
            actions.cast_vote(participant=voter, statement=statement, value=value)
    assert actions.refresh_map(conversation_id=conversation.pk) == MapState.READY
    result = stored(conversation).result
    assert result == compute_map(conversation)
    assert result["group_count"] == 2
    cards = dict(Participant.objects.values_list("pk", "card"))
    groups = {(cards[int(pk)] or 0) <= 10: group for pk, group in result["labels"].items()}
    assert len(groups) == 2
    assert groups[True] != groups[False]
    assert set(result["consensus"]["agree"]) <= {s.pk for s in statements[5:]}
    assert stored(conversation).vote_count == 160
    assert actions.refresh_map(conversation_id=conversation.pk) == "unchanged"
    # Rejecting a statement changes the input: the map is made again.
    Statement.objects.filter(pk=statements[0].pk).update(moderation=Moderation.REJECTED)
    assert actions.refresh_map(conversation_id=conversation.pk) == MapState.READY


@pytest.mark.shared_data
@pytest.mark.parametrize("name", POLIS_CONVERSATIONS)
def test_an_imported_polis_conversation_maps_exactly_as_the_engines_command_line(
    name: str,
    shared_data: Path,
    capsys: pytest.CaptureFixture[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    directory = shared_data / "polis" / name
    with django_capture_on_commit_callbacks(execute=True):
        conversation = actions.import_polis(directory=directory, title=name)
    job = DBTaskResult.objects.get(task_path__endswith="update_map")
    assert job.args_kwargs["kwargs"] == {"conversation_id": conversation.pk}
    assert update_map.call(conversation_id=conversation.pk) == MapState.READY
    assert stored(conversation).result == cli_json(directory, capsys)
    assert update_map.call(conversation_id=conversation.pk) == "unchanged"


@pytest.mark.shared_data
def test_an_import_keeps_the_exports_numbers_moderation_and_latest_votes(
    shared_data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = shared_data / "polis" / "london.youth.policing"
    conversation = actions.import_polis(directory=source, title="London youth policing")
    assert conversation.slug == "london-youth-policing"
    assert conversation.imported_from == "Pol.is: london.youth.policing/votes.csv"
    statements = Statement.objects.filter(conversation=conversation)
    assert statements.filter(external_id=35).get().moderation == Moderation.ACCEPTED
    assert Vote.objects.filter(statement__conversation=conversation).count() == 638  # 640 - 2
    # Only participants-votes.csv (no vote times): the same map as the command line's too.
    for file in ("comments.csv", "participants-votes.csv"):
        shutil.copy(source / file, tmp_path / file)
    wide = actions.import_polis(directory=tmp_path, title="London youth policing")
    assert wide.slug == "london-youth-policing-2"
    actions.refresh_map(conversation_id=wide.pk)
    assert stored(wide).result == cli_json(tmp_path, capsys)


def test_a_folder_without_an_export_is_refused(tmp_path: Path) -> None:
    with pytest.raises(actions.ConversationError, match="ne peut pas être lu"):
        actions.import_polis(directory=tmp_path, title="Rien")
    assert not Conversation.objects.exists()
