"""Pol.is exports in and out: a conversation imported from comments.csv and votes.csv (read by
`palabre.opinion_map.polis_csv`), and written back in the same format.

What an export holds (the same public data as map.json, with the statements' words):
- comments.csv: every statement under its id on the map (an imported one keeps its Pol.is
  number, the others come after the largest), its time of writing, its agree and disagree
  counts and its moderation as Pol.is writes it (1 accepted, 0 waiting, -1 rejected). A
  resident's statement that no moderator accepted keeps its row (so that the ids and the map
  stay the same) with an empty `comment-body`: words a moderator has not accepted are never
  published, and the words as typed (`submitted_text`) never leave the database. `author-id`
  is empty: Palabre does not link a statement to who wrote it.
- votes.csv: each participant's latest vote on each statement, under the participant's id on
  the map; how they took part (a device digest, a card number) is not written.
Times are milliseconds since 1970, as Pol.is writes them; `datetime` is the same moment, in UTC.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Q
from django.utils.text import slugify

from palabre.conversations import actions, analysis
from palabre.conversations.models import (
    Conversation,
    Moderation,
    Origin,
    Participant,
    Statement,
    Value,
    Vote,
)
from palabre.conversations.permissions import can_run_any_conversation
from palabre.neighbourhoods.models import Neighbourhood
from palabre.opinion_map.polis_csv import COMMENTS, VOTES

COMMENTS_HEADER = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
VOTES_HEADER = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
FILES = (COMMENTS, VOTES)
POLIS_MODERATION = {Moderation.ACCEPTED: 1, Moderation.PENDING: 0, Moderation.REJECTED: -1}
# Votes read from the database at a time while streaming an export.
CHUNK = 2_000
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def milliseconds(moment: datetime) -> int:
    """A moment as Pol.is writes it: whole milliseconds since 1970 (rounded down)."""
    return (moment - analysis.EPOCH) // timedelta(milliseconds=1)


def _date_text(moment: datetime) -> str:
    # Pol.is' `datetime` column (JavaScript's Date.toString), in UTC and in English whatever the
    # server's locale.
    at = moment.astimezone(UTC)
    return f"{_DAYS[at.weekday()]} {_MONTHS[at.month - 1]} {at.day:02d} {at:%H:%M:%S} UTC {at.year}"


def _published_text(origin: str, moderation: str, text: str) -> str:
    if origin == Origin.RESIDENT and moderation != Moderation.ACCEPTED:
        return ""
    return text


def comment_rows(conversation: Conversation) -> Iterator[tuple[Any, ...]]:
    """comments.csv's rows, header first, by id (one query)."""
    rows = list(
        Statement.objects.filter(conversation=conversation)
        .order_by("pk")
        .annotate(
            agrees=Count("votes", filter=Q(votes__value=Value.AGREE)),
            disagrees=Count("votes", filter=Q(votes__value=Value.DISAGREE)),
        )
        .values_list(
            "pk",
            "external_id",
            "written_at",
            "agrees",
            "disagrees",
            "moderation",
            "origin",
            "text",
        )
    )
    ids = analysis.map_ids([(row[0], row[1]) for row in rows])
    yield COMMENTS_HEADER
    for pk, _external, written, agrees, disagrees, moderation, origin, text in sorted(
        rows, key=lambda row: ids[row[0]]
    ):
        yield (
            milliseconds(written),
            _date_text(written),
            ids[pk],
            "",
            agrees,
            disagrees,
            POLIS_MODERATION[Moderation(moderation)],
            _published_text(origin, moderation, text),
        )


def vote_rows(conversation: Conversation) -> Iterator[tuple[Any, ...]]:
    """votes.csv's rows, header first, read from the database a chunk at a time."""
    statement_ids = analysis.map_ids(
        list(
            Statement.objects.filter(conversation=conversation)
            .order_by("pk")
            .values_list("pk", "external_id")
        )
    )
    participant_ids = analysis.map_ids(
        list(
            Participant.objects.filter(conversation=conversation)
            .order_by("pk")
            .values_list("pk", "external_id")
        )
    )
    yield VOTES_HEADER
    votes = (
        Vote.objects.filter(statement__conversation=conversation)
        .order_by("statement_id", "participant_id")
        .values_list("statement_id", "participant_id", "value", "voted_at")
    )
    for statement, participant, value, voted_at in votes.iterator(chunk_size=CHUNK):
        yield (
            milliseconds(voted_at),
            _date_text(voted_at),
            statement_ids[statement],
            participant_ids[participant],
            value,
        )


def csv_lines(rows: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    """Each row as one CSV record (RFC 4180 quoting, "\\n" line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def rows_of(conversation: Conversation, name: str) -> Iterator[tuple[Any, ...]]:
    """The rows of the export file `name` (comments.csv or votes.csv)."""
    if name == COMMENTS:
        return comment_rows(conversation)
    if name == VOTES:
        return vote_rows(conversation)
    raise ValueError(name)


def write_export(conversation: Conversation, directory: Path) -> list[Path]:
    """Write comments.csv and votes.csv into `directory` (made if missing); return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FILES:
        path = directory / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.writelines(csv_lines(rows_of(conversation, name)))
        written.append(path)
    return written


def import_uploads(
    *,
    by: Any,
    title: str,
    neighbourhood: Neighbourhood | None,
    comments: UploadedFile[bytes],
    votes: UploadedFile[bytes],
) -> Conversation:
    """Import an export sent through the import page: the two files are written to a temporary
    folder, read there, and removed. ConversationError says what cannot be read, naming the
    file (never the temporary folder)."""
    if not can_run_any_conversation(by):
        raise PermissionDenied
    with tempfile.TemporaryDirectory(prefix="palabre-polis-") as temporary:
        # The folder's name is kept in Conversation.imported_from.
        directory = Path(temporary) / (slugify(title)[:60] or "export")
        directory.mkdir()
        for name, upload in ((COMMENTS, comments), (VOTES, votes)):
            with (directory / name).open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
        try:
            return actions.import_polis(
                directory=directory, title=title, neighbourhood=neighbourhood
            )
        except actions.ConversationError as error:
            message = error.message.replace(f"{directory}/", "").replace(str(directory), "")
            raise actions.ConversationError(message) from None
