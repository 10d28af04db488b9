"""Writes of the counting side: paper ballots keyed twice and their differences resolved, and
ballots of a vote held elsewhere imported in bulk. (The online vote is in actions.py.)

Paper ballots are not voters: they are counted from the agreed readings (`agreed_readings`),
with the online ballots, when the results are published (ADR 0068).
"""

from __future__ import annotations

import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from palabre.budgets import counting
from palabre.budgets.actions import Refused, ballot_text, check_choices
from palabre.budgets.models import (
    Ballot,
    BallotType,
    Channel,
    Envelope,
    Event,
    EventKind,
    PaperEntry,
    PaperRound,
    Phase,
    Process,
    Voter,
)
from palabre.budgets.permissions import can_key_paper, can_run_budgets


def _open_for_paper(envelope: Envelope, now: datetime) -> Process:
    process = Process.objects.get(pk=envelope.process_id)
    if process.phase(now) not in (Phase.VOTE, Phase.COUNTING):
        if process.phase(now) == Phase.RESULTS:
            raise Refused(_("The results are published: paper ballots can no longer change."))
        raise Refused(_("Paper ballots are keyed once the vote is open."))
    return process


def _reading(
    envelope: Envelope, project_ids: Iterable[int], points: Mapping[int, int] | None
) -> str:
    """What a paper ballot says, as stored like an online ballot (`Ballot.choices`): the
    rules of the ballot are applied when it is counted, not when it is keyed."""
    known = set(envelope.projects.values_list("pk", flat=True))
    given = {pk: count for pk, count in (points or {}).items() if count}
    ordered = list(dict.fromkeys(project_ids))
    if any(pk not in known for pk in [*ordered, *given]):
        raise Refused(
            _("A project you chose is not on this ballot. Choose among the projects listed.")
        )
    if given:
        return ",".join(f"{pk}:{count}" for pk, count in sorted(given.items()))
    if Process.objects.filter(pk=envelope.process_id, ballot_type=BallotType.RANKING).exists():
        return ",".join(map(str, ordered))
    return ",".join(map(str, sorted(ordered)))


def key_paper_ballot(
    *,
    by: Any,
    envelope: Envelope,
    number: int,
    project_ids: Iterable[int],
    points: Mapping[int, int] | None = None,
    spoilt: bool = False,
    now: datetime | None = None,
) -> PaperEntry:
    """Record what `by` reads on paper ballot `number`: the first keying, or the second one
    by someone else. Sending the same reading again changes nothing."""
    if not can_key_paper(by):
        raise PermissionDenied
    _open_for_paper(envelope, now or timezone.now())
    choices = "" if spoilt else _reading(envelope, project_ids, points)
    if not spoilt and not choices:
        raise Refused(_("Tick the projects marked on the ballot, or mark it blank."))
    keyings = PaperEntry.objects.filter(envelope=envelope, number=number, round__lte=2)
    mine = keyings.filter(entered_by=by).first()
    if mine is not None:
        if (mine.choices, mine.spoilt) == (choices, spoilt):
            return mine  # the same form sent twice
        raise Refused(
            _(
                "You already keyed ballot no. %(number)d, differently. The second keying is "
                "done by someone else; a coordinator settles any difference."
            )
            % {"number": number}
        )
    for keying in (PaperRound.FIRST, PaperRound.SECOND):
        try:
            with transaction.atomic():
                return PaperEntry.objects.create(
                    envelope=envelope,
                    number=number,
                    round=keying,
                    choices=choices,
                    spoilt=spoilt,
                    entered_by=by,
                )
        except IntegrityError:
            # Taken by someone else (or this person, in a race with themselves): try the next
            # round; the constraints decide, no count is read first.
            if keyings.filter(entered_by=by).exists():
                return keyings.get(entered_by=by)
    raise Refused(_("Ballot no. %(number)d was already keyed twice.") % {"number": number})


def resolve_paper_ballot(
    *,
    by: Any,
    envelope: Envelope,
    number: int,
    project_ids: Iterable[int],
    points: Mapping[int, int] | None = None,
    spoilt: bool = False,
    now: datetime | None = None,
) -> PaperEntry:
    """Settle a difference between the two keyings of ballot `number` (coordinators), after
    reading the paper again."""
    if not can_run_budgets(by):
        raise PermissionDenied
    process = _open_for_paper(envelope, now or timezone.now())
    readings = {e.round: e for e in PaperEntry.objects.filter(envelope=envelope, number=number)}
    first, second = readings.get(PaperRound.FIRST), readings.get(PaperRound.SECOND)
    if first is None or second is None or _same(first, second):
        raise Refused(_("This ballot has no difference to resolve."))
    choices = "" if spoilt else _reading(envelope, project_ids, points)
    with transaction.atomic():
        entry, created = PaperEntry.objects.get_or_create(
            envelope=envelope,
            number=number,
            round=PaperRound.RESOLVED,
            defaults={"choices": choices, "spoilt": spoilt, "entered_by": by},
        )
        if created:
            Event.objects.create(
                process=process, kind=EventKind.PAPER_RESOLVED, by=by, detail=f"n° {number}"
            )
    return entry


def _same(first: PaperEntry, second: PaperEntry) -> bool:
    return (first.choices, first.spoilt) == (second.choices, second.spoilt)


@dataclass(frozen=True)
class Reading:
    """Where one paper ballot stands: its keyings and, once agreed, what counts."""

    number: int
    first: PaperEntry | None
    second: PaperEntry | None
    resolved: PaperEntry | None

    @property
    def agreed(self) -> PaperEntry | None:
        if self.resolved is not None:
            return self.resolved
        if self.first and self.second and _same(self.first, self.second):
            return self.first
        return None

    @property
    def differs(self) -> bool:
        return bool(self.first and self.second and not _same(self.first, self.second))


def readings(envelope: Envelope) -> list[Reading]:
    """Every paper ballot of the envelope, in number order, with its keyings."""
    by_number: dict[int, dict[int, PaperEntry]] = defaultdict(dict)
    for entry in envelope.paper.select_related("entered_by").order_by("number", "round"):
        by_number[entry.number][entry.round] = entry
    return [
        Reading(
            number,
            rounds.get(PaperRound.FIRST),
            rounds.get(PaperRound.SECOND),
            rounds.get(PaperRound.RESOLVED),
        )
        for number, rounds in sorted(by_number.items())
    ]


def unsettled_message(envelope: Envelope) -> str | None:
    """Why the envelope's paper ballots cannot be counted yet, or None."""
    pending = [r for r in readings(envelope) if r.agreed is None]
    if not pending:
        return None
    numbers = ", ".join(str(r.number) for r in pending[:10]) + ("…" if len(pending) > 10 else "")
    return ngettext(
        "%(count)d paper ballot is not agreed yet (keyed once, or two keyings differ): "
        "no. %(numbers)s.",
        "%(count)d paper ballots are not agreed yet (keyed once, or two keyings differ): "
        "no. %(numbers)s.",
        len(pending),
    ) % {"count": len(pending), "numbers": numbers}


def agreed_readings(envelope: Envelope) -> list[PaperEntry]:
    """The reading that counts for each paper ballot (every one must be agreed)."""
    return [r.agreed for r in readings(envelope) if r.agreed is not None]


def import_ballots(
    *,
    by: Any,
    envelope: Envelope,
    ballots: Sequence[tuple[str, Sequence[int]]],
    now: datetime | None = None,
) -> int:
    """Record in bulk the ballots of a vote held elsewhere (a city moving a past vote into
    Palabre; the demo): each `(channel, project ids)` is checked like an online ballot and
    becomes a voter of its own. Only while counting, before the results are published; all
    or nothing."""
    if not can_run_budgets(by):
        raise PermissionDenied
    now = now or timezone.now()
    process = Process.objects.get(pk=envelope.process_id)
    if process.phase(now) != Phase.COUNTING:
        raise Refused(_("Ballots are imported after the vote closes, before the results."))
    envelope = Envelope.objects.prefetch_related("projects").get(pk=envelope.pk)
    envelope.process = process
    rows: list[tuple[Voter, str]] = []
    batch = uuid.uuid4().hex[:12]
    for line, (channel, project_ids) in enumerate(ballots, start=1):
        try:
            chosen = check_choices(envelope, project_ids)
        except Refused as refused:
            raise Refused(
                _("Ballot %(line)d: %(problem)s") % {"line": line, "problem": refused.message}
            ) from None
        voter = Voter(
            process=process,
            key=f"import:{batch}:{line}",
            channel=Channel(channel),
            token=secrets.token_urlsafe(32),
        )
        rows.append((voter, ",".join(map(str, chosen))))
    with transaction.atomic():
        voters = Voter.objects.bulk_create([voter for voter, _ in rows])
        Ballot.objects.bulk_create(
            Ballot(
                envelope=envelope,
                voter=voter,
                choices=choices,
                channel=voter.channel,
                receipt=secrets.token_hex(6).upper(),
                cast_at=now,
            )
            for voter, (_, choices) in zip(voters, rows, strict=True)
        )
    return len(rows)


def publish_results(*, by: Any, process: Process, now: datetime | None = None) -> None:
    """Count every envelope under the frozen rule and publish the results (once). Refused
    while the vote is open or a paper ballot is not agreed."""
    if not can_run_budgets(by):
        raise PermissionDenied
    now = now or timezone.now()
    if process.phase(now) == Phase.RESULTS:
        return
    if process.phase(now) != Phase.COUNTING:
        raise Refused(_("Close the vote before publishing the results."))
    with transaction.atomic():
        locked = Process.objects.select_for_update().get(pk=process.pk)
        if locked.published_at is not None:
            return
        envelopes = list(
            locked.envelopes.select_related("neighbourhood").prefetch_related("projects")
        )
        for envelope in envelopes:
            unsettled = unsettled_message(envelope)
            if unsettled:
                place = envelope.neighbourhood.name if envelope.neighbourhood else _("Whole city")
                raise Refused(f"{place}{_(':')} {unsettled}")
        for envelope in envelopes:
            envelope.process = locked
            paper = [_paper_ballot(envelope, entry) for entry in agreed_readings(envelope)]
            envelope.result, envelope.recount = counting.count(envelope, paper)
            envelope.save(update_fields=["result", "recount"])
        if locked.closed_at is None:
            locked.closed_at = locked.vote_closes_at
        locked.published_at = now
        locked.save(update_fields=["closed_at", "published_at"])
        Event.objects.create(process=locked, kind=EventKind.RESULTS_PUBLISHED, by=by)
    process.refresh_from_db()


def _paper_ballot(envelope: Envelope, entry: PaperEntry) -> counting.Paper:
    """An agreed paper reading as counted: what it says, or why it counts for none."""
    if entry.spoilt:
        return counting.Paper(None, "spoilt")
    read = counting.parse(entry.choices)
    points = dict(zip(read.projects, read.points, strict=True)) if read.points else None
    try:
        text = ballot_text(envelope, read.projects, points=points)
    except Refused:
        return counting.Paper(None, "invalid")  # over the envelope, too many points or projects
    return counting.Paper(counting.parse(text), "")
