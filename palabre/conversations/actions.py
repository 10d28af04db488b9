"""Writes on opinion conversations: who votes (a device, a paper card, an imported id), votes
(the latest one kept per participant and statement), Pol.is imports, and the opinion map
stored by the background worker."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from palabre.contributions.actions import public_version
from palabre.contributions.masking import find_personal_data
from palabre.conversations import analysis, bridging
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
from palabre.conversations.permissions import (
    can_run_any_conversation,
    can_run_conversation,
    can_start_conversations,
)
from palabre.core.invisible import without_invisible
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
# A statement is read on a phone and printed on a card: short (Pol.is allows 140 characters).
STATEMENT_LENGTH = 280
# A device token shorter than this is not one Palabre handed out.
MIN_TOKEN_LENGTH = 16
_POLIS_MODERATION = {-1: Moderation.REJECTED, 0: Moderation.PENDING, 1: Moderation.ACCEPTED}


def device_digest(token: str, conversation_id: int) -> str:
    """The digest stored for a device token in one conversation: the token itself is never
    stored, and the same phone's participations in two conversations cannot be linked."""
    return hashlib.sha256(f"{conversation_id}:{token}".encode()).hexdigest()


def participant_for_device(*, conversation: Conversation, token: str) -> Participant:
    """Return the participant voting from this device, made on its first vote."""
    if len(token) < MIN_TOKEN_LENGTH:
        raise ConversationError(_("This device is not recognised: reload the page and vote again."))
    return _participant(conversation, device=device_digest(token, conversation.pk))


def forget_device(*, conversation: Conversation, token: str) -> int:
    """Erase the votes of the participant voting from this device (their right to erasure);
    return how many votes were erased (0 when there were none: a second click is no error)."""
    found = Participant.objects.filter(
        conversation=conversation, device=device_digest(token, conversation.pk)
    )
    with transaction.atomic():
        erased = Vote.objects.filter(participant__in=found).count()
        found.delete()
        if erased:
            schedule_map_on_commit(conversation.pk)
    return erased


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


def create_conversation(
    *, by: Any, title: str, statements: Iterable[str] = (), slug: str = "", **fields: Any
) -> Conversation:
    """Start a conversation (a draft until published), with its first statements, one per
    item of `statements`. Its short name in addresses is `slug`, or made from the title, with
    a number added when taken. A facilitator
    starts conversations only for the workshops they run."""
    if not can_start_conversations(by):
        raise PermissionDenied
    workshop = fields.get("workshop")
    if not can_run_any_conversation(by) and (
        workshop is None or not can_run_conversation(by, Conversation(workshop=workshop))
    ):
        raise PermissionDenied
    texts = [_statement_text(text) for text in statements if text.strip()]
    with transaction.atomic():
        conversation = _create_conversation(title=title, slug_base=slug, **fields)
        for text in texts:
            add_statement(conversation=conversation, text=text)
    return conversation


def update_conversation(*, by: Any, conversation: Conversation, **fields: Any) -> None:
    """Change a conversation's title, place, dates or publication."""
    _require_runs(by, conversation)
    workshop = fields.get("workshop", conversation.workshop)
    if not can_run_any_conversation(by) and (
        workshop is None or not can_run_conversation(by, Conversation(workshop=workshop))
    ):
        raise PermissionDenied
    Conversation.objects.filter(pk=conversation.pk).update(**fields)


def seed_statements(*, by: Any, conversation: Conversation, texts: Iterable[str]) -> int:
    """Add the staff's statements (open to votes at once); return how many were added. A
    statement already in the conversation, word for word, is not added twice (a form sent
    twice adds nothing the second time)."""
    _require_runs(by, conversation)
    cleaned = list(dict.fromkeys(_statement_text(text) for text in texts if text.strip()))
    with transaction.atomic():
        # Locks the conversation's row: two sends of the same form add the statements once.
        Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
        existing = set(conversation.statements.values_list("text", flat=True))
        added = [text for text in cleaned if text not in existing]
        for text in added:
            add_statement(conversation=conversation, text=text)
    return len(added)


def propose_statement(
    *, conversation: Conversation, text: str, at: datetime | None = None
) -> Statement:
    """A resident's statement: kept for moderation, shown (once accepted) with any personal
    data it holds masked, as contributions are (`palabre.contributions.masking`)."""
    now = timezone.now()
    if not conversation.is_open(now):
        raise ConversationError(_("This conversation is not open: statements cannot be added."))
    text = _statement_text(text)
    personal_data = [
        {"start": f.start, "end": f.end, "kind": str(f.kind), "state": "masked"}
        for f in find_personal_data(text)
    ]
    return add_statement(
        conversation=conversation,
        text=public_version(text, personal_data),
        origin=Origin.RESIDENT,
        at=at,
        submitted_text=text,
    )


def moderate_statement(
    *, by: Any, statement: Statement, accept: bool, text: str | None = None
) -> None:
    """Accept a resident's statement (as it is shown, or reworded by the moderator) or reject
    it. Either way the words as the resident typed them are erased."""
    _require_runs(by, statement.conversation)
    fields: dict[str, Any] = {
        "moderation": Moderation.ACCEPTED if accept else Moderation.REJECTED,
        "submitted_text": "",
    }
    if accept and text is not None:
        fields["text"] = _statement_text(text)
    with transaction.atomic():
        # Only a statement still waiting: a second click, or a second moderator, changes nothing.
        changed = Statement.objects.filter(pk=statement.pk, moderation=Moderation.PENDING).update(
            **fields
        )
        if changed:
            schedule_map_on_commit(statement.conversation_id)


def forget_typed_statements(*, now: datetime | None = None) -> int:
    """Erase the words as typed of residents' statements still waiting for moderation once
    their conversation has closed (the masked text stays); return how many (nightly)."""
    return (
        Statement.objects.filter(
            moderation=Moderation.PENDING, conversation__closes_at__lte=now or timezone.now()
        )
        .exclude(submitted_text="")
        .update(submitted_text="")
    )


def _require_runs(by: Any, conversation: Conversation) -> None:
    if not can_run_conversation(by, conversation):
        raise PermissionDenied


def _statement_text(text: str) -> str:
    text = " ".join(without_invisible(text).split())
    if not text:
        raise ConversationError(_("Write the statement."))
    if len(text) > STATEMENT_LENGTH:
        raise ConversationError(
            _("This statement has %(length)d characters; the limit is %(max)d. Make it shorter.")
            % {"length": len(text), "max": STATEMENT_LENGTH}
        )
    return text


def add_statement(
    *,
    conversation: Conversation,
    text: str,
    origin: str = Origin.SEEDED,
    at: datetime | None = None,
    submitted_text: str = "",
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
        submitted_text=submitted_text,
    )


_UPSERT = """
INSERT INTO {table} (participant_id, statement_id, value, voted_at) VALUES (%s, %s, %s, %s)
ON CONFLICT (participant_id, statement_id) DO UPDATE
SET value = excluded.value, voted_at = excluded.voted_at
WHERE {table}.voted_at < excluded.voted_at
   OR ({table}.voted_at = excluded.voted_at AND {table}.value < excluded.value)
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
        stored = upsert_vote(participant.pk, statement.pk, value, at)
        if stored:
            schedule_map_on_commit(conversation.pk)
    return stored


def upsert_vote(participant_id: int, statement_id: int, value: int, at: datetime) -> bool:
    # One statement on both databases, decided by the unique (participant, statement)
    # constraint: the vote kept is the latest by the time it was made (on the same instant, the
    # higher value, as the engine decides), whatever order the submissions arrive in; a retry
    # or an older submission delayed on the way changes no row (its count says so on both:
    # RETURNING would be counted by SQLite only once read, after the page cache looked).
    sql = _UPSERT.format(table=Vote._meta.db_table)
    params = [participant_id, statement_id, value, connection.ops.adapt_datetimefield_value(at)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return bool(cursor.rowcount == 1)


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
            is_published=True,
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


def _create_conversation(*, title: str, slug_base: str = "", **fields: Any) -> Conversation:
    base = slugify(slug_base or title)[:SLUG_LENGTH].strip("-") or "conversation"
    taken = set(Conversation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    for number in range(1, 10_000):
        slug = base if number == 1 else f"{base}-{number}"
        if slug in taken:
            continue
        try:
            with transaction.atomic():
                return Conversation.objects.create(title=title, slug=slug, **fields)
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
            _store_support(conversation, fields, inputs, read_at)
            return str(fields["state"])
        except IntegrityError:
            pass  # another worker stored one meanwhile: replace it only if it is older
    # A worker that read the votes earlier never replaces the map of one that read them later.
    if not ConversationMap.objects.filter(
        conversation=conversation, computed_at__lte=read_at
    ).update(**fields):
        return "newer map kept"
    _store_support(conversation, fields, inputs, read_at)
    return str(fields["state"])


def _store_support(
    conversation: Conversation, fields: dict[str, Any], inputs: analysis.MapInput, at: datetime
) -> None:
    # Support across groups for requests resting on statements (ADR 0072), from the same read.
    bridging.store_support(
        conversation=conversation, result=fields["result"], votes=inputs.votes, at=at
    )
