"""Reads behind the open data: what an anonymous visitor of the public pages sees, nothing more.

Every dataset starts from the owning app's visibility query called for an anonymous visitor
(`NOBODY`), so a row is published exactly when its public page shows it. Only the loading is
tuned here (fewer joins, the counts the datasets publish). Counts are raw here; the records
(`records.py`) suppress the small ones.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, QuerySet

from palabre.budgets.models import Envelope
from palabre.budgets.queries import visible_envelopes, visible_processes
from palabre.contributions.models import Theme
from palabre.conversations.analysis import map_ids
from palabre.conversations.models import (
    Conversation,
    MapState,
    Moderation,
    Participant,
    Statement,
    Vote,
)
from palabre.conversations.queries import visible_conversations
from palabre.initiatives.models import Initiative
from palabre.initiatives.queries import showcase
from palabre.official_requests.models import Request
from palabre.official_requests.queries import tracker
from palabre.workshops.models import Workshop
from palabre.workshops.queries import Attendance, attendance_of, public_workshops

NOBODY = AnonymousUser()


def workshops(neighbourhood: str | None = None) -> QuerySet[Workshop]:
    """Public workshops and events with a date, oldest first (as the public calendar)."""
    queryset = (
        public_workshops()
        .prefetch_related(None)
        .select_related("cycle", "neighbourhood", "venue")
        .order_by("starts_at", "pk")
    )
    if neighbourhood is not None:
        queryset = queryset.filter(neighbourhood__slug=neighbourhood)
    return queryset


def attendance(workshops: list[Workshop]) -> dict[int, Attendance]:
    """Who came to each of these workshops (one query)."""
    if not workshops:
        return {}
    return attendance_of(Workshop.objects.filter(pk__in=[w.pk for w in workshops]))


def requests(neighbourhood: str | None = None) -> QuerySet[Request]:
    """Requests of the public follow-up page (sent, not merged), newest sent first."""
    queryset = (
        tracker(NOBODY)
        .select_related("workshop")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position", "name")))
    )
    if neighbourhood is not None:
        queryset = queryset.filter(neighbourhood__slug=neighbourhood)
    return queryset


def citizen_actions(neighbourhood: str | None = None) -> QuerySet[Initiative]:
    """Citizen actions of the public showcase (under way and done), with their volunteers'
    number, newest first."""
    queryset = (
        showcase(NOBODY)
        .annotate(volunteer_count=Count("volunteers", distinct=True))
        .order_by("-starts_on", "-pk")
    )
    if neighbourhood is not None:
        queryset = queryset.filter(neighbourhood__slug=neighbourhood)
    return queryset


def budget_results() -> QuerySet[Envelope]:
    """Envelopes whose results are published, newest vote first, with their projects."""
    return (
        visible_envelopes(NOBODY)
        .filter(
            process__in=visible_processes(NOBODY),
            process__published_at__isnull=False,
            result__isnull=False,
        )
        .select_related("process")
        .order_by("-process__vote_opens_at", "process__pk", "pk")
    )


def opinion_maps() -> QuerySet[Conversation]:
    """Public conversations whose opinion map is ready, newest first, with the stored map."""
    return (
        visible_conversations(NOBODY)
        .filter(opinion_map__state=MapState.READY)
        .select_related("opinion_map")
        .order_by("-created_at", "pk")
    )


# Opinion maps: how each group voted on each statement ----------------------------------------

ALL = ""  # the key of "everyone" among the groups


@dataclass
class Votes:
    """Agree, disagree and pass votes on one statement, by one group or by everyone."""

    agree: int = 0
    disagree: int = 0
    passed: int = 0

    def add(self, value: int) -> None:
        if value > 0:
            self.agree += 1
        elif value < 0:
            self.disagree += 1
        else:
            self.passed += 1


@dataclass
class MapTable:
    """One conversation's map in figures: group sizes, and each accepted statement's votes by
    everyone (key ALL) and by each group (keys "A", "B" …)."""

    letters: list[str]
    sizes: dict[str, int]
    people: int
    votes: int
    statements: list[tuple[int, str]]
    counts: dict[int, dict[str, Votes]] = field(default_factory=dict)


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _letter(group: int) -> str:
    # The letters the map's pages use (conversations.room).
    return LETTERS[group] if group < len(LETTERS) else str(group + 1)


def map_tables(conversations: list[Conversation]) -> dict[int, MapTable]:
    """Each conversation's map in figures, for any number of them in three queries.

    Only accepted statements are published (a resident's words were masked and moderated);
    people are placed in groups by the stored map, as on the map's pages.
    """
    ids = [c.pk for c in conversations]
    if not ids:
        return {}
    statements: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, owner, text in (
        Statement.objects.filter(conversation__in=ids, moderation=Moderation.ACCEPTED)
        .order_by("written_at", "pk")
        .values_list("pk", "conversation_id", "text")
    ):
        statements[owner].append((pk, text))
    participants: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for pk, owner, external in (
        Participant.objects.filter(conversation__in=ids)
        .order_by("pk")
        .values_list("pk", "conversation_id", "external_id")
    ):
        participants[owner].append((pk, external))
    votes = list(
        Vote.objects.filter(statement__conversation__in=ids).values_list(
            "participant_id", "statement_id", "value", "statement__conversation_id"
        )
    )
    tables: dict[int, MapTable] = {}
    group_of: dict[int, str] = {}
    for conversation in conversations:
        result = conversation.opinion_map.result or {}
        labels = {int(person): int(group) for person, group in result.get("labels", {}).items()}
        letters = [_letter(g) for g in range(int(result.get("group_count", 0)))]
        on_map = map_ids(participants[conversation.pk])
        for pk, map_id in on_map.items():
            if map_id in labels and labels[map_id] < len(letters):
                group_of[pk] = _letter(labels[map_id])
        sizes = Counter(group_of[pk] for pk in on_map if pk in group_of)
        tables[conversation.pk] = MapTable(
            letters=letters,
            sizes={letter: sizes[letter] for letter in letters},
            people=0,
            votes=0,
            statements=statements[conversation.pk],
            counts={
                pk: {key: Votes() for key in (ALL, *letters)}
                for pk, _text in statements[conversation.pk]
            },
        )
    voters: dict[int, set[int]] = defaultdict(set)
    for participant, statement, value, conversation_id in votes:
        table = tables[conversation_id]
        table.votes += 1
        voters[conversation_id].add(participant)
        counts = table.counts.get(statement)
        if counts is None:  # a statement not published (waiting, rejected)
            continue
        counts[ALL].add(value)
        group = group_of.get(participant)
        if group is not None:
            counts[group].add(value)
    for conversation_id, people in voters.items():
        tables[conversation_id].people = len(people)
    return tables
