"""Pol.is import and export (transfer_views.py) x every persona."""

from __future__ import annotations

from typing import Any

from palabre.core.testing import MatrixRow, World, everyone, only

STAFF = ("coordinator", "administrator")
SLUG = "export-place"


def _published(world: World) -> dict[str, Any]:
    """A published city-wide conversation with one vote."""
    from palabre.conversations import actions
    from palabre.conversations.tests.factories import make_conversation, make_statements

    conversation = make_conversation(slug=SLUG)
    (statement,) = make_statements(conversation, 1)
    voter = actions.participant_for_card(conversation=conversation, number=1)
    actions.cast_vote(participant=voter, statement=statement, value=1)
    return {"slug": conversation.slug}


def _comments(world: World) -> dict[str, Any]:
    return _published(world) | {"csv_file": "comments.csv"}


def _votes(world: World) -> dict[str, Any]:
    return _published(world) | {"csv_file": "votes.csv"}


def _unknown_file(world: World) -> dict[str, Any]:
    return _published(world) | {"csv_file": "summary.csv"}


def _draft(world: World) -> dict[str, Any]:
    from palabre.conversations.models import Conversation

    found = _votes(world)
    Conversation.objects.filter(slug=found["slug"]).update(is_published=False)
    return found


def _unreadable_export(world: World) -> dict[str, Any]:
    """The import form with a comments.csv and a votes.csv that is not a Pol.is file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "title": "Import refusé",
        "comments": SimpleUploadedFile(
            "comments.csv", b"comment-id,moderated,comment-body\n1,1,Des bancs\n", "text/csv"
        ),
        "votes": SimpleUploadedFile("votes.csv", b"not,a,pol.is\nfile,at,all\n", "text/csv"),
    }


ROWS = [
    MatrixRow("conversations:import", only(200, STAFF, otherwise=403)),
    MatrixRow(
        "conversations:import",
        only(400, STAFF, otherwise=403),
        method="post",
        data=_unreadable_export,
        state="unreadable export",
    ),
    MatrixRow("conversations:export", everyone(200), kwargs=_comments, state="comments.csv"),
    MatrixRow("conversations:export", everyone(200), kwargs=_votes, state="votes.csv"),
    MatrixRow("conversations:export", everyone(404), kwargs=_unknown_file, state="unknown file"),
    MatrixRow(
        "conversations:export", only(200, STAFF, otherwise=404), kwargs=_draft, state="draft"
    ),
]
