"""Writes on participatory budgets: rules set and frozen, voting codes made and used, ballots
cast (the last one counts), the vote closed and the results published."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from palabre.budgets.models import (
    Ballot,
    BallotType,
    CodeBatch,
    Envelope,
    Event,
    EventKind,
    Phase,
    Process,
    Project,
    Voter,
    VotingCode,
)
from palabre.budgets.permissions import can_run_budgets
from palabre.neighbourhoods.models import Neighbourhood

# Voting codes: no 0/O, 1/I/L look-alikes; 12 characters (31^12 ≈ 8·10^17) printed in 3 groups.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
MAX_CODES_AT_ONCE = 2_000  # one PDF of letters: WeasyPrint lays out ~20 pages a second


class Refused(Exception):
    """A write refused with a message for the person, in their language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Cast:
    """A ballot as stored: its receipt code and how many times it was sent (1 = first)."""

    receipt: str
    revision: int


def _require_staff(by: Any) -> None:
    if not can_run_budgets(by):
        raise PermissionDenied


def _log(process: Process, kind: EventKind, by: Any, detail: str = "") -> None:
    Event.objects.create(process=process, kind=kind, by=by, detail=detail[:300])


def create_process(
    *,
    by: Any,
    slug: str,
    title: str,
    ideas: tuple[date, date],
    review_until: date,
    vote: tuple[datetime, datetime],
    description: str = "",
    rule: str = "mes-add1",
    ballot_type: str = BallotType.APPROVAL_BUDGET,
    max_choices: int | None = None,
    points: int | None = None,
    minimum_age: int = 16,
    is_published: bool = True,
) -> Process:
    """Start a participatory budget with its calendar (its envelopes come next)."""
    _require_staff(by)
    with transaction.atomic():
        process = Process.objects.create(
            slug=slug,
            title=title,
            description=description,
            ideas_from=ideas[0],
            ideas_until=ideas[1],
            review_until=review_until,
            vote_opens_at=vote[0],
            vote_closes_at=vote[1],
            rule=rule,
            ballot_type=ballot_type,
            max_choices=max_choices,
            points=points,
            minimum_age=minimum_age,
            is_published=is_published,
        )
        _log(process, EventKind.RULES_SET, by, f"{rule}, {ballot_type}")
    return process


def add_envelope(
    *, by: Any, process: Process, neighbourhood: Neighbourhood | None, amount: int
) -> Envelope:
    """Give the process an envelope: a neighbourhood's money, or the whole city's (one each;
    none added once the ballot is frozen)."""
    _require_staff(by)
    if Process.objects.filter(pk=process.pk, rules_frozen_at__isnull=False).exists():
        raise Refused(_("The ballot is frozen: envelopes can no longer be added."))
    try:
        with transaction.atomic():
            return Envelope.objects.create(
                process=process, neighbourhood=neighbourhood, amount=amount
            )
    except IntegrityError:
        place = neighbourhood.name if neighbourhood else _("the whole city")
        raise Refused(
            _("This budget already has an envelope for %(place)s.") % {"place": place}
        ) from None


def add_project(
    *, by: Any, envelope: Envelope, title: str, cost: int, summary: str = "", position: int = 0
) -> Project:
    """Put a project on an envelope's ballot; refused once the rules are frozen (the ballot
    voters see cannot change during the vote)."""
    _require_staff(by)
    if Process.objects.filter(pk=envelope.process_id, rules_frozen_at__isnull=False).exists():
        raise Refused(_("The ballot is frozen: projects can no longer be added."))
    return Project.objects.create(
        envelope=envelope, title=title, summary=summary, cost=cost, position=position
    )


def set_rules(
    *,
    by: Any,
    process: Process,
    rule: str,
    ballot_type: str,
    max_choices: int | None,
    points: int | None = None,
) -> None:
    """Choose the counting rule and the ballot; refused, and logged, once they are frozen."""
    _require_staff(by)
    limited = ballot_type in (BallotType.APPROVAL_MAX, BallotType.RANKING)
    max_choices = max_choices if limited else None
    points = points if ballot_type == BallotType.CUMULATIVE else None
    detail = f"{rule}, {ballot_type}" + (f", max {max_choices}" if max_choices else "")
    detail += f", {points} points" if points else ""
    with transaction.atomic():
        # One conditional UPDATE: a change racing with the freeze cannot slip in after it.
        changed = Process.objects.filter(pk=process.pk, rules_frozen_at__isnull=True).update(
            rule=rule, ballot_type=ballot_type, max_choices=max_choices, points=points
        )
        kind = EventKind.RULES_SET if changed else EventKind.RULES_CHANGE_REFUSED
        _log(process, kind, by, detail)
    if not changed:
        raise Refused(_("The rules were frozen before the vote: they can no longer change."))
    process.refresh_from_db()


def freeze_rules(*, by: Any, process: Process, now: datetime | None = None) -> None:
    """Freeze the rule and the ballot (once): the vote can open."""
    _require_staff(by)
    now = now or timezone.now()
    with transaction.atomic():
        if Process.objects.filter(pk=process.pk, rules_frozen_at__isnull=True).update(
            rules_frozen_at=now
        ):
            process.refresh_from_db()
            _log(process, EventKind.RULES_FROZEN, by, f"{process.rule}, {process.ballot_type}")


def normalise_code(text: str) -> str:
    """A code as typed (spaces, dashes, small letters) in its stored form."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def make_codes(*, by: Any, process: Process, label: str, count: int) -> CodeBatch:
    """Make `count` one-time voting codes for letters printed together."""
    _require_staff(by)
    if not 1 <= count <= MAX_CODES_AT_ONCE:
        raise Refused(
            _("Make between 1 and %(most)d codes at a time.") % {"most": MAX_CODES_AT_ONCE}
        )
    with transaction.atomic():
        batch = CodeBatch.objects.create(process=process, label=label, created_by=by)
        VotingCode.objects.bulk_create(
            VotingCode(batch=batch, code=_new_code()) for _ in range(count)
        )
        _log(process, EventKind.CODES_PRINTED, by, f"{label}: {count}")
    return batch


def redeem_code(*, process: Process, code: str, now: datetime | None = None) -> Voter:
    """Turn a voting code into a voter, once; a used or unknown code is refused."""
    now = now or timezone.now()
    if process.phase(now) != Phase.VOTE:
        raise Refused(vote_not_open(process, now))
    typed = normalise_code(code)
    with transaction.atomic():
        found = VotingCode.objects.filter(batch__process=process, code=typed)
        # The conditional UPDATE is the guard: two people typing the same code at once, one wins.
        if not found.filter(used_at__isnull=True).update(used_at=now):
            if found.exists():
                raise Refused(
                    _(
                        "This code has already been used. If you voted with it, open the link "
                        "on your receipt to change your ballot."
                    )
                )
            raise Refused(_("This code is not a voting code of this budget. Check each letter."))
        voting_code = found.get()
        return Voter.objects.create(
            process=process,
            key=f"code:{voting_code.pk}",
            channel="code",
            token=secrets.token_urlsafe(32),
        )


def vote_not_open(process: Process, now: datetime) -> str:
    if process.phase(now) in (Phase.COUNTING, Phase.RESULTS):
        return _("The vote is closed: ballots are no longer accepted.")
    return _("The vote is not open yet.")


def check_choices(
    envelope: Envelope, project_ids: Iterable[int], *, costs: dict[int, int] | None = None
) -> list[int]:
    """The chosen projects, checked against the envelope and the ballot's rules; `Refused`
    says what is wrong in the voter's words. `costs` (project id: cost, every project of the
    envelope) saves reading them when the caller already has."""
    chosen = sorted(set(project_ids))
    process = envelope.process
    if costs is None:
        costs = {project.pk: project.cost for project in envelope.projects.all()}
    if not chosen:
        raise Refused(_("Choose at least one project."))
    _on_this_ballot(chosen, costs)
    if process.ballot_type == BallotType.APPROVAL_MAX and len(chosen) > (process.max_choices or 0):
        most = process.max_choices or 0
        raise Refused(
            ngettext(
                "Choose at most %(most)d project (you chose %(count)d).",
                "Choose at most %(most)d projects (you chose %(count)d).",
                most,
            )
            % {"most": most, "count": len(chosen)}
        )
    total = sum(costs[pk] for pk in chosen)
    if process.ballot_type == BallotType.APPROVAL_BUDGET and total > envelope.amount:
        raise Refused(
            _(
                "Your choices cost %(total)s, more than the %(amount)s of this envelope. "
                "Remove a project."
            )
            % {"total": money(total), "amount": money(envelope.amount)}
        )
    return chosen


def _on_this_ballot(chosen: Iterable[int], costs: Mapping[int, int]) -> None:
    if any(pk not in costs for pk in chosen):
        raise Refused(
            _("A project you chose is not on this ballot. Choose among the projects listed.")
        )


def ballot_text(
    envelope: Envelope,
    project_ids: Iterable[int],
    *,
    points: Mapping[int, int] | None = None,
    costs: dict[int, int] | None = None,
) -> str:
    """The ballot as stored (see `Ballot.choices`), checked against the envelope and the
    ballot's rules: `project_ids` are the chosen projects (a ranking: most preferred first);
    a points ballot gives `points` per project instead."""
    process = envelope.process
    if costs is None:
        costs = {project.pk: project.cost for project in envelope.projects.all()}
    if process.ballot_type == BallotType.CUMULATIVE:
        given = {pk: count for pk, count in (points or {}).items() if count}
        _on_this_ballot(given, costs)
        if not given or any(count < 0 for count in given.values()):
            raise Refused(_("Give your points to at least one project."))
        total, most = sum(given.values()), process.points or 0
        if total > most:
            raise Refused(
                ngettext(
                    "You gave %(total)d points, but you have %(most)d point to share. Take some "
                    "back.",
                    "You gave %(total)d points, but you have %(most)d points to share. Take some "
                    "back.",
                    most,
                )
                % {"total": total, "most": most}
            )
        return ",".join(f"{pk}:{count}" for pk, count in sorted(given.items()))
    if process.ballot_type == BallotType.RANKING:
        ranked = list(project_ids)
        if not ranked:
            raise Refused(_("Rank at least one project."))
        _on_this_ballot(ranked, costs)
        if len(set(ranked)) != len(ranked):
            raise Refused(_("A project is ranked twice: give each project one place."))
        most = process.max_choices or 0
        if len(ranked) > most:
            raise Refused(
                ngettext(
                    "Rank at most %(most)d project (you ranked %(count)d).",
                    "Rank at most %(most)d projects (you ranked %(count)d).",
                    most,
                )
                % {"most": most, "count": len(ranked)}
            )
        return ",".join(map(str, ranked))
    return ",".join(map(str, check_choices(envelope, project_ids, costs=costs)))


def money(amount: int) -> str:
    """An amount in euros as people write it in Belgium (12 500 €)."""
    return f"{amount:,}".replace(",", "\u202f") + "\u00a0€"


def cast_ballot(
    *,
    voter: Voter,
    envelope: Envelope,
    project_ids: Iterable[int] = (),
    points: Mapping[int, int] | None = None,
    now: datetime | None = None,
) -> Cast:
    """Store the voter's ballot in the envelope, replacing the one they sent before.

    The process and the projects' costs are read afresh in one query (the vote may have
    closed); then one statement writes the ballot, in a transaction with the declaration of
    residence only for a voter's first neighbourhood ballot (ADR 0068, "Measured")."""
    now = now or timezone.now()
    process, costs = _process_and_costs(envelope)  # fresh: the vote may have closed
    if process.phase(now) != Phase.VOTE:
        raise Refused(vote_not_open(process, now))
    if envelope.process_id != voter.process_id:
        raise Refused(_("This ballot belongs to another participatory budget."))
    envelope.process = process
    choices = ballot_text(envelope, project_ids, points=points, costs=costs)
    if envelope.neighbourhood_id is None or voter.neighbourhood_id == envelope.neighbourhood_id:
        # Nothing to declare (a declared neighbourhood never changes): one statement, atomic
        # by itself.
        return _upsert(voter, envelope, choices, now)
    with transaction.atomic():
        _declare_residence(voter, envelope)
        return _upsert(voter, envelope, choices, now)


_PROCESS_AND_COSTS = """
SELECT process.*, project.id AS project_pk, project.cost AS project_cost
FROM {process} process LEFT JOIN {project} project ON project.envelope_id = %s
WHERE process.id = %s
"""


def _process_and_costs(envelope: Envelope) -> tuple[Process, dict[int, int]]:
    """The envelope's process as it stands now and the cost of each of its projects, in one
    query (a raw one: the ORM's joined query took three times the CPU, and casting is bound by
    the CPU of the web process)."""
    sql = _PROCESS_AND_COSTS.format(process=Process._meta.db_table, project=Project._meta.db_table)
    rows = list(Process.objects.raw(sql, [envelope.pk, envelope.process_id]))
    if not rows:
        raise Process.DoesNotExist
    costs = {
        row.project_pk: row.project_cost  # type: ignore[attr-defined]
        for row in rows
        if row.project_pk is not None  # type: ignore[attr-defined]
    }
    return rows[0], costs


def _declare_residence(voter: Voter, envelope: Envelope) -> None:
    # The first neighbourhood ballot declares where the voter lives; one conditional UPDATE
    # (still undeclared, or already this neighbourhood), so that two first ballots sent at once
    # for two neighbourhoods cannot both pass: the second waits for the first and then finds
    # the voter declared elsewhere.
    undeclared_or_here = Q(neighbourhood__isnull=True) | Q(
        neighbourhood_id=envelope.neighbourhood_id
    )
    if not Voter.objects.filter(undeclared_or_here, pk=voter.pk).update(
        neighbourhood_id=envelope.neighbourhood_id
    ):
        raise Refused(
            _(
                "You already voted for the projects of another neighbourhood: each person votes "
                "in the neighbourhood where they live, and for the whole city."
            )
        )
    voter.neighbourhood_id = envelope.neighbourhood_id


_UPSERT = """
INSERT INTO {table} (envelope_id, voter_id, choices, channel, receipt, revision, cast_at)
VALUES (%s, %s, %s, %s, %s, 1, %s)
ON CONFLICT (envelope_id, voter_id) DO UPDATE
SET choices = excluded.choices, cast_at = excluded.cast_at, revision = {table}.revision + 1
RETURNING receipt, revision
"""


def _upsert(voter: Voter, envelope: Envelope, choices: str, now: datetime) -> Cast:
    # One statement on both databases: the unique (envelope, voter) constraint decides between
    # insert and update, so simultaneous submissions queue on the row and none is lost; each
    # gets its own revision number, and the one written last is the ballot kept.
    sql = _UPSERT.format(table=Ballot._meta.db_table)
    params: list[Any] = [
        envelope.pk,
        voter.pk,
        choices,
        voter.channel,
        _new_code(),
        connection.ops.adapt_datetimefield_value(now),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        receipt, revision = cursor.fetchone()
    return Cast(receipt=receipt, revision=revision)


def close_vote(*, by: Any, process: Process, now: datetime | None = None) -> None:
    """Close the vote now (it also closes by itself at its closing time)."""
    _require_staff(by)
    now = now or timezone.now()
    with transaction.atomic():
        if Process.objects.filter(pk=process.pk, closed_at__isnull=True).update(closed_at=now):
            _log(process, EventKind.VOTE_CLOSED, by)
    process.refresh_from_db()
