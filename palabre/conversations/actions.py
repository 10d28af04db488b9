"""Writes on opinion conversations: who votes (a device, a paper card, an imported id), votes
(the latest one kept per participant and statement), Pol.is imports, and the opinion map
stored by the background worker."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from palabre.conversations import analysis
from palabre.conversations.models import (
    Conversation,
    ConversationMap,
    MapState,
    Moderation,
    Origin,
    Participant,
    Statement,
    Value,
    Vote,
)
from palabre.neighbourhoods.models import Neighbourhood
from palabre.opinion_map import OpinionMapError
from palabre.opinion_map.polis_csv import ExportError, read_export


class ConversationError(Exception):
    """A write refused, with the reason for the person, in their language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Votes arriving together are mapped together: the worker waits this long after the first (the
# room sees the map within a few seconds of the last vote: issue 19 asks for 5).
MAP_DELAY = timedelta(seconds=2)
SLUG_LENGTH = 70
# A device token shorter than this is not one Palabre handed out.
MIN_TOKEN_LENGTH = 16
_POLIS_MODERATION = {-1: Moderation.REJECTED, 0: Moderation.PENDING, 1: Moderation.ACCEPTED}


def device_digest(token: str) -> str:
    """The digest stored for a device token (the token itself is never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


def participant_for_device(*, conversation: Conversation, token: str) -> Participant:
    """Return the participant voting from this device, made on its first vote."""
    if len(token) < MIN_TOKEN_LENGTH:
        raise ConversationError(_("This device is not recognised: reload the page and vote again."))
    return _participant(conversation, device=device_digest(token))


def participant_for_card(*, conversation: Conversation, number: int) -> Participant:
    """Return the participant holding this paper card, made when its first vote is typed in."""
    if number < 1:
        raise ConversationError(_("A card number is a whole number from 1."))
    return _participant(conversation, card=number)


def _participant(conversation: Conversation, **identity: Any) -> Participant:
    # Closed by the unique constraint: of two first votes sent at once from the same device,
    # one creates the participant and the other finds it.
    found = Participant.objects.filter(conversation=conversation, **identity).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Participant.objects.create(conversation=conversation, **identity)
    except IntegrityError:
        return Participant.objects.get(conversation=conversation, **identity)


def add_statement(
    *,
    conversation: Conversation,
    text: str,
    origin: str = Origin.SEEDED,
    at: datetime | None = None,
) -> Statement:
    """Add a statement: one seeded by the staff is open to votes at once, one submitted by a
    resident waits for moderation."""
    if origin not in (Origin.SEEDED, Origin.RESIDENT):
        raise ConversationError(_("Statements are seeded by the staff or submitted by residents."))
    moderation = Moderation.ACCEPTED if origin == Origin.SEEDED else Moderation.PENDING
    return Statement.objects.create(
        conversation=conversation,
        text=text,
        origin=origin,
        moderation=moderation,
        written_at=at or timezone.now(),
    )


_UPSERT = """
INSERT INTO {table} (participant_id, statement_id, value, voted_at) VALUES (%s, %s, %s, %s)
ON CONFLICT (participant_id, statement_id) DO UPDATE
SET value = excluded.value, voted_at = excluded.voted_at
WHERE {table}.voted_at < excluded.voted_at
   OR ({table}.voted_at = excluded.voted_at AND {table}.value < excluded.value)
RETURNING id
"""


def cast_vote(
    *, participant: Participant, statement: Statement, value: int, at: datetime | None = None
) -> bool:
    """Record a participant's vote on a statement made at `at` (default now); True when it is
    now the vote kept, False when a newer one (or this very one, sent again) already is."""
    now = timezone.now()
    # A phone's clock may run ahead: a vote dated in the future would stay unchangeable until then.
    at = min(at or now, now)
    if value not in Value.values:
        raise ConversationError(_("A vote is agree, disagree or pass."))
    # Fresh: the statement may have been set aside, the conversation closed.
    statement = Statement.objects.select_related("conversation").get(pk=statement.pk)
    conversation = statement.conversation
    if conversation.pk != participant.conversation_id:
        raise ConversationError(_("This statement belongs to another conversation."))
    if statement.moderation != Moderation.ACCEPTED:
        raise ConversationError(_("This statement is not open to votes."))
    if not (conversation.is_open(now) and conversation.is_open(at)):
        if conversation.closes_at is not None and now >= conversation.closes_at:
            raise ConversationError(_("This conversation is closed: votes are no longer accepted."))
        raise ConversationError(_("This conversation is not open to votes yet."))
    with transaction.atomic():
        stored = _upsert(participant.pk, statement.pk, value, at)
        if stored:
            schedule_map_on_commit(conversation.pk)
    return stored


def _upsert(participant_id: int, statement_id: int, value: int, at: datetime) -> bool:
    # One statement on both databases, decided by the unique (participant, statement)
    # constraint: the vote kept is the latest by the time it was made (on the same instant, the
    # higher value, as the engine decides), whatever order the submissions arrive in; a retry
    # or an older submission delayed on the way changes nothing and returns no row.
    sql = _UPSERT.format(table=Vote._meta.db_table)
    params = [participant_id, statement_id, value, connection.ops.adapt_datetimefield_value(at)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def import_polis(
    *, directory: Path, title: str, neighbourhood: Neighbourhood | None = None
) -> Conversation:
    """Make a conversation from a Pol.is export (comments.csv with votes.csv or
    participants-votes.csv): its statements, participants and their latest votes."""
    try:
        export = read_export(Path(directory))
    except ExportError as error:
        raise ConversationError(
            _("This Pol.is export cannot be read: %(error)s") % {"error": error}
        ) from None
    votes = export.votes
    moment = _clock(
        [s.written for s in export.statements.values() if s.written is not None]
        + votes.times.tolist()
    )
    latest = _latest_votes(
        votes.participants.tolist(),
        votes.statements.tolist(),
        votes.values.tolist(),
        votes.times.tolist(),
    )
    with transaction.atomic():
        conversation = _create_conversation(
            title=title,
            neighbourhood=neighbourhood,
            imported_from=f"Pol.is: {Path(directory).name}/{export.source}"[:300],
        )
        first_votes = _first_votes(votes.statements.tolist(), votes.times.tolist())
        statements = Statement.objects.bulk_create(
            Statement(
                conversation=conversation,
                text=s.text,
                # A comment without its time of writing: its first vote stands in.
                written_at=moment(s.written if s.written is not None else first_votes.get(s.id, 0)),
                origin=Origin.IMPORTED,
                moderation=_POLIS_MODERATION[s.moderated],
                external_id=s.id,
            )
            for s in sorted(export.statements.values(), key=lambda s: s.id)
        )
        participants = Participant.objects.bulk_create(
            Participant(conversation=conversation, external_id=voter)
            for voter in sorted({voter for voter, statement in latest})
        )
        statement_pk = {s.external_id: s.pk for s in statements}
        participant_pk = {p.external_id: p.pk for p in participants}
        Vote.objects.bulk_create(
            (
                Vote(
                    participant_id=participant_pk[voter],
                    statement_id=statement_pk[comment],
                    value=value,
                    voted_at=moment(time),
                )
                for (voter, comment), (time, value) in latest.items()
            ),
            batch_size=2_000,
        )
        schedule_map_on_commit(conversation.pk)
    return conversation


def _latest_votes(
    participants: list[int], statements: list[int], values: list[int], times: list[int]
) -> dict[tuple[int, int], tuple[int, int]]:
    """(participant, statement) -> (time, value) of the vote kept: the latest, and on the same
    instant the higher value (the engine's rule, and cast_vote's)."""
    latest: dict[tuple[int, int], tuple[int, int]] = {}
    for participant, statement, value, time in zip(
        participants, statements, values, times, strict=True
    ):
        key = (participant, statement)
        if key not in latest or (time, value) > latest[key]:
            latest[key] = (time, value)
    return latest


def _first_votes(statements: list[int], times: list[int]) -> dict[int, int]:
    first: dict[int, int] = {}
    for statement, time in zip(statements, times, strict=True):
        first[statement] = min(time, first.get(statement, time))
    return first


def _clock(times: Iterable[int]) -> Callable[[int], datetime]:
    """How the export's integer times become moments: Pol.is writes milliseconds since 1970;
    an export whose times are all small enough to be seconds is read as seconds."""
    largest = max((abs(t) for t in times), default=0)
    unit = timedelta(milliseconds=1) if largest >= 10**11 else timedelta(seconds=1)

    def moment(time: int) -> datetime:
        return analysis.EPOCH + time * unit

    return moment


def _create_conversation(
    *, title: str, neighbourhood: Neighbourhood | None, imported_from: str
) -> Conversation:
    base = slugify(title)[:SLUG_LENGTH].strip("-") or "conversation"
    taken = set(Conversation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    for number in range(1, 10_000):
        slug = base if number == 1 else f"{base}-{number}"
        if slug in taken:
            continue
        try:
            with transaction.atomic():
                return Conversation.objects.create(
                    title=title,
                    slug=slug,
                    neighbourhood=neighbourhood,
                    imported_from=imported_from,
                )
        except IntegrityError:  # taken meanwhile by another import
            continue
    raise ConversationError(_("Too many conversations already have this title."))


def schedule_map_on_commit(conversation_id: int) -> None:
    """Have the worker compute the conversation's map once the votes are committed."""
    transaction.on_commit(lambda: schedule_map(conversation_id=conversation_id))


def schedule_map(*, conversation_id: int) -> bool:
    """Queue the map's computation unless one is already waiting; True when queued."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from palabre.conversations.tasks import update_map

    waiting = DBTaskResult.objects.filter(
        task_path=update_map.module_path,
        status=TaskResultStatus.READY,
        args_kwargs__kwargs__conversation_id=conversation_id,
    )
    if waiting.exists():
        return False
    update_map.using(run_after=timezone.now() + MAP_DELAY).enqueue(conversation_id=conversation_id)
    return True


def refresh_map(*, conversation_id: int) -> str:
    """Compute and store the conversation's opinion map, unless its votes are unchanged since
    the stored one; return what was done (for the worker's log)."""
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return "no such conversation"
    read_at = timezone.now()
    inputs = analysis.map_input(conversation)
    stored = ConversationMap.objects.filter(conversation=conversation).first()
    if stored is not None and stored.input_digest == inputs.digest:
        return "unchanged"
    fields: dict[str, Any] = {
        "state": MapState.READY,
        "result": {},
        "reason": "",
        "vote_count": inputs.vote_count,
        "input_digest": inputs.digest,
        "computed_at": read_at,
    }
    try:
        fields["result"] = analysis.compute_map(conversation, inputs=inputs)
    except OpinionMapError as error:
        fields["state"], fields["reason"] = MapState.TOO_FEW, str(error)[:300]
    if stored is None:
        try:
            with transaction.atomic():
                ConversationMap.objects.create(conversation=conversation, **fields)
            return str(fields["state"])
        except IntegrityError:
            pass  # another worker stored one meanwhile: replace it only if it is older
    # A worker that read the votes earlier never replaces the map of one that read them later.
    if not ConversationMap.objects.filter(
        conversation=conversation, computed_at__lte=read_at
    ).update(**fields):
        return "newer map kept"
    return str(fields["state"])
