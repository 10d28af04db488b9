"""What the map's pages show (the text version, the projector, the report): the stored map
(computed by the worker, never here) read against the conversation's votes.

The stored map says who is in which group and which statements matter; the figures beside them
are counted here from the votes, in four queries whatever the size of the conversation: the
stored map, the statements, the participants (for their ids on the map) and the votes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import numpy as np

from palabre.conversations.analysis import map_ids
from palabre.conversations.models import (
    Conversation,
    ConversationMap,
    MapState,
    Moderation,
    Origin,
    Participant,
    Statement,
    Vote,
)
from palabre.opinion_map import Parameters
from palabre.opinion_map.stats import two_proportion_z

Direction = Literal["agree", "disagree"]
State = Literal["none", "too-few", "ready"]
NONE: State = "none"
TOO_FEW: State = "too-few"
READY: State = "ready"
# Groups are named by letters on every page, as on Pol.is' map.
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# The worker maps with the engine's default parameters (analysis.map_input).
PARAMETERS = Parameters()


def percent(part: int, whole: int) -> int | None:
    """`part` of `whole` as a whole percentage, halves rounded up; None for nobody."""
    if whole <= 0:
        return None
    return (200 * part + whole) // (2 * whole)


@dataclass(frozen=True)
class Tally:
    """How some people voted on one statement."""

    agree: int = 0
    disagree: int = 0
    passed: int = 0

    @property
    def voted(self) -> int:
        return self.agree + self.disagree + self.passed

    @property
    def agree_share(self) -> int | None:
        return percent(self.agree, self.voted)

    @property
    def disagree_share(self) -> int | None:
        return percent(self.disagree, self.voted)

    @property
    def pass_share(self) -> int | None:
        return percent(self.passed, self.voted)

    def count(self, direction: Direction) -> int:
        return self.agree if direction == "agree" else self.disagree

    def share(self, direction: Direction) -> int | None:
        return percent(self.count(direction), self.voted)


@dataclass(frozen=True)
class Shown:
    """A statement as people read it, with its number on the map (and its row)."""

    id: int
    text: str
    pk: int


@dataclass(frozen=True)
class Apart:
    """A statement that sets a group apart: how the group and the other groups voted on it."""

    statement: Shown
    direction: Direction
    group: Tally
    others: Tally

    @property
    def group_count(self) -> int:
        return self.group.count(self.direction)

    @property
    def group_share(self) -> int | None:
        return self.group.share(self.direction)

    @property
    def others_count(self) -> int:
        return self.others.count(self.direction)

    @property
    def others_share(self) -> int | None:
        return self.others.share(self.direction)


@dataclass(frozen=True)
class Group:
    """An opinion group: its letter, how many people, and what sets it apart."""

    index: int
    letter: str
    size: int
    apart: tuple[Apart, ...]


@dataclass(frozen=True)
class GroupTally:
    """How one group voted on a statement that unites everyone (`share`: in its direction)."""

    letter: str
    tally: Tally
    share: int | None


@dataclass(frozen=True)
class Shared:
    """A statement most people agree (or disagree) with, across the groups."""

    statement: Shown
    direction: Direction
    everyone: Tally
    by_group: tuple[GroupTally, ...]

    @property
    def count(self) -> int:
        return self.everyone.count(self.direction)

    @property
    def share(self) -> int | None:
        return self.everyone.share(self.direction)


@dataclass(frozen=True)
class Counted:
    """A statement with everyone's votes on it."""

    statement: Shown
    tally: Tally


@dataclass(frozen=True)
class Waiting:
    """Why there is no map yet, in numbers people can act on."""

    # Votes a person needs to be placed in a group, and people needed with that many.
    min_votes: int
    people_needed: int
    # People with enough votes so far, and how many more are needed (0: they all vote alike).
    people_ready: int
    more_people: int
    # Statements open to votes: fewer than min_votes and nobody can be placed.
    open_statements: int

    @property
    def too_few_statements(self) -> bool:
        return self.open_statements < self.min_votes


@dataclass(frozen=True)
class Room:
    """Everything the map's pages show about one conversation."""

    conversation: Conversation
    state: State
    computed_at: datetime | None
    people: int  # who voted at least once
    votes: int
    statements: tuple[Counted, ...]
    groups: tuple[Group, ...]
    agreed: tuple[Shared, ...]
    disagreed: tuple[Shared, ...]
    waiting: Waiting | None

    @property
    def min_votes(self) -> int:
        """Votes a person needs to be placed in a group."""
        return PARAMETERS.min_votes

    @property
    def grouped(self) -> int:
        """People placed in a group (those who voted on enough statements)."""
        return sum(group.size for group in self.groups)

    @property
    def ungrouped(self) -> int:
        """People who voted but on too few statements to be placed in a group."""
        return max(0, self.people - self.grouped)


def _is_public(moderation: str, origin: str) -> bool:
    # A resident's statement waiting for moderation is not shown; one imported unmoderated
    # from Pol.is was public there (Pol.is shows statements until a moderator rejects them).
    return moderation == Moderation.ACCEPTED or (
        origin == Origin.IMPORTED and moderation == Moderation.PENDING
    )


def room(conversation: Conversation) -> Room:
    """Read the conversation's stored map and its votes into what the map's pages show."""
    stored = ConversationMap.objects.filter(conversation=conversation).first()
    statement_rows = list(
        Statement.objects.filter(conversation=conversation)
        .order_by("written_at", "pk")
        .values_list("pk", "external_id", "text", "moderation", "origin")
    )
    vote_rows = list(
        Vote.objects.filter(statement__conversation=conversation).values_list(
            "participant_id", "statement_id", "value"
        )
    )
    statement_id = map_ids([(pk, external) for pk, external, *_rest in statement_rows])
    shown = {
        pk: Shown(statement_id[pk], text, pk)
        for pk, _external, text, moderation, origin in statement_rows
        if _is_public(moderation, origin)
    }
    everyone: dict[int, Counter[int]] = defaultdict(Counter)
    votes_per_person: Counter[int] = Counter()
    for participant, statement, value in vote_rows:
        everyone[statement][value] += 1
        votes_per_person[participant] += 1
    counted = tuple(Counted(statement, _tally(everyone[pk])) for pk, statement in shown.items())
    groups: tuple[Group, ...] = ()
    agreed: tuple[Shared, ...] = ()
    disagreed: tuple[Shared, ...] = ()
    waiting = None
    if stored is not None and _is_ready(stored):
        state: State = READY
        groups, agreed, disagreed = _read_map(
            conversation, stored.result, vote_rows, shown, everyone
        )
    else:
        state = NONE if stored is None else TOO_FEW
        open_count = sum(1 for row in statement_rows if row[3] == Moderation.ACCEPTED)
        waiting = _waiting(votes_per_person, open_count)
    return Room(
        conversation=conversation,
        state=state,
        computed_at=stored.computed_at if stored is not None else None,
        people=len(votes_per_person),
        votes=len(vote_rows),
        statements=counted,
        groups=groups,
        agreed=agreed,
        disagreed=disagreed,
        waiting=waiting,
    )


def _read_map(
    conversation: Conversation,
    result: dict[str, Any],
    vote_rows: list[tuple[int, int, int]],
    shown: dict[int, Shown],
    everyone: dict[int, Counter[int]],
) -> tuple[tuple[Group, ...], tuple[Shared, ...], tuple[Shared, ...]]:
    """The groups and the consensus of a stored map, with their figures counted from the votes."""
    # The map names people by their ids on the map: back to rows, as analysis.map_input does.
    participant_id = map_ids(
        list(
            Participant.objects.filter(conversation=conversation)
            .order_by("pk")
            .values_list("pk", "external_id")
        )
    )
    labels = {int(person): int(group) for person, group in result.get("labels", {}).items()}
    group_of = {pk: labels[map_id] for pk, map_id in participant_id.items() if map_id in labels}
    group_count = int(result.get("group_count", 0))
    in_group: dict[tuple[int, int], Counter[int]] = defaultdict(Counter)
    for participant, statement, value in vote_rows:
        group = group_of.get(participant)
        if group is not None:
            in_group[group, statement][value] += 1
    by_map_id = {statement.id: pk for pk, statement in shown.items()}
    sizes = Counter(group_of.values())

    def known(ids: list[Any]) -> list[int]:
        # A statement no longer public (or unknown) is left out rather than shown by number.
        return [by_map_id[int(i)] for i in ids if int(i) in by_map_id]

    def others_of(group: int, pk: int) -> Tally:
        rest: Counter[int] = Counter()
        for other in range(group_count):
            if other != group:
                rest.update(in_group[other, pk])
        return _tally(rest)

    groups = []
    for group in range(group_count):
        apart = []
        for pk in known(result.get("repness", {}).get(str(group), [])):
            inside, outside = _tally(in_group[group, pk]), others_of(group, pk)
            apart.append(
                Apart(shown[pk], _direction_apart(inside, outside), group=inside, others=outside)
            )
        groups.append(Group(group, _letter(group), sizes[group], tuple(apart)))

    def shared(direction: Direction) -> tuple[Shared, ...]:
        return tuple(
            Shared(
                shown[pk],
                direction,
                everyone=_tally(everyone[pk]),
                by_group=tuple(
                    GroupTally(
                        _letter(g),
                        _tally(in_group[g, pk]),
                        _tally(in_group[g, pk]).share(direction),
                    )
                    for g in range(group_count)
                ),
            )
            for pk in known(result.get("consensus", {}).get(direction, []))
        )

    return tuple(groups), shared("agree"), shared("disagree")


def _is_ready(stored: ConversationMap) -> bool:
    return stored.state == MapState.READY and bool(stored.result)


def _letter(group: int) -> str:
    return LETTERS[group] if group < len(LETTERS) else str(group + 1)


def _tally(counts: Counter[int]) -> Tally:
    return Tally(agree=counts[1], disagree=counts[-1], passed=counts[0])


def _direction_apart(inside: Tally, outside: Tally) -> Direction:
    """Whether the group stands out by agreeing or by disagreeing: the engine's own rule (the
    direction whose difference with the other groups is the more significant)."""

    def z(direction: Direction) -> float:
        found = two_proportion_z(
            np.array([inside.count(direction)]),
            np.array([outside.count(direction)]),
            np.array([inside.voted]),
            np.array([outside.voted]),
        )
        return float(found[0])

    return "agree" if z("agree") > z("disagree") else "disagree"


def _waiting(votes_per_person: Counter[int], open_statements: int) -> Waiting:
    needed = PARAMETERS.min_groups + 1
    ready = sum(1 for count in votes_per_person.values() if count >= PARAMETERS.min_votes)
    return Waiting(
        min_votes=PARAMETERS.min_votes,
        people_needed=needed,
        people_ready=ready,
        more_people=max(0, needed - ready),
        open_statements=open_statements,
    )
