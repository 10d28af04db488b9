"""Support across opinion groups ("bridging"): how many of a conversation's opinion groups
mostly agree with each statement, stored on the statement when its map is stored (issue 19,
item 5), so that a request to officials resting on statements shows breadth, not volume.

The definition:

- The groups are those of the conversation's opinion map (`ConversationMap.result`: `labels`,
  participant id on the map -> group, and `group_count`). A participant the map left out (too
  few votes to place them) belongs to no group and counts for none.
- A group *mostly agrees* with a statement when more than half of its members who voted on it
  agree: agree > disagree + pass among those members (a pass is not agreement), and at least
  `MIN_VOTERS` of its members voted on it.
- The statement's support is the number of groups that mostly agree with it, stored with the
  number of groups on the map: "agreed across 3 of 4 groups".
- A request resting on several statements (of one conversation or several) shows the best one:
  the most groups mostly agreeing, then the fewest groups on its map (2 of 2 before 2 of 4).

Why groups and not votes: a count of agree votes rewards the largest group, and grows when one
camp mobilises. Here each group weighs one, whatever its size, and a group's answer is a
majority of its own voters: one group voting more (more members, or all of them) changes at
most its own answer, never the count of the other groups, so it cannot raise the figure beyond
its own single group.

Why `MIN_VOTERS` is 3: with one voter, one person would speak for a whole group; with two,
"more than half" means both, so the figure would measure a pair rather than a group. Three is
the smallest number where a majority is not unanimity: one member's dissent is outweighed, and
no single person or pair decides for their group. A statement added late, which few people saw,
gets no group's support until at least three members of that group voted on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from palabre.conversations import analysis
from palabre.conversations.models import Conversation, Statement
from palabre.opinion_map import Votes

# The fewest members of a group who voted on a statement for that group to count as agreeing.
MIN_VOTERS = 3


def groups_agreeing(votes: Votes, labels: Mapping[str, int], group_count: int) -> dict[int, int]:
    """Statement id on the map -> how many groups mostly agree with it, for every statement
    voted on (one pass over the votes; the latest vote of each participant on a statement)."""
    if not len(votes) or not labels or group_count < 1:
        return {}
    participants = np.array(sorted(int(p) for p in labels), dtype=np.int64)
    groups_of = np.array([labels[str(p)] for p in participants], dtype=np.int64)
    latest = _latest(votes)
    voters, statements, values = (
        votes.participants[latest],
        votes.statements[latest],
        votes.values[latest],
    )
    position = np.searchsorted(participants, voters).clip(max=len(participants) - 1)
    placed = participants[position] == voters
    group = groups_of[position[placed]]
    ids, row = np.unique(statements[placed], return_inverse=True)
    width = max(group_count, int(groups_of.max()) + 1)
    voted = np.zeros((len(ids), width), dtype=np.int64)
    agreed = np.zeros((len(ids), width), dtype=np.int64)
    np.add.at(voted, (row, group), 1)
    np.add.at(agreed, (row, group), (values[placed] == 1).astype(np.int64))
    # agree > disagree + pass  <=>  2 * agree > voted
    mostly = (voted >= MIN_VOTERS) & (2 * agreed > voted)
    return {
        int(statement): int(count) for statement, count in zip(ids, mostly.sum(axis=1), strict=True)
    }


def _latest(votes: Votes) -> Any:
    """Indexes of the vote kept per participant and statement: the latest, and on the same
    instant the higher value (the engine's rule; the database already keeps one per pair)."""
    order = np.lexsort((votes.values, votes.times, votes.statements, votes.participants))
    pairs = np.stack([votes.participants[order], votes.statements[order]], axis=1)
    last = np.ones(len(order), dtype=bool)
    last[:-1] = np.any(pairs[1:] != pairs[:-1], axis=1)
    return order[last]


def store_support(
    *,
    conversation: Conversation,
    result: Mapping[str, Any],
    votes: Votes | None = None,
    at: datetime | None = None,
) -> int:
    """Store on each statement of `conversation` how many groups of its map (`result`, the
    engine's JSON; empty when there is no map) mostly agree with it; `votes` are the ones the
    map was computed from (read again when not given), `at` when they were read (a support
    stored from votes read later is never replaced). Return the number of statements updated.

    Called by the worker once it stored the map (actions.refresh_map, with the votes it read):
    one query for the statements, one update for all of them and one per number of groups
    agreeing, whatever the number of statements (without `votes`, three more to read them)."""
    at = at or timezone.now()
    group_count = int(result.get("group_count") or 0)
    labels: Mapping[str, int] = result.get("labels") or {}
    rows = list(
        Statement.objects.filter(conversation=conversation)
        .order_by("pk")
        .values_list("pk", "external_id")
    )
    statement_id = analysis.map_ids(rows)
    counts: dict[int, int] = {}
    if group_count and labels:
        if votes is None:
            votes = analysis.map_input(conversation).votes
        counts = groups_agreeing(votes, labels, group_count)
    by_count: dict[int, list[int]] = {}
    for pk, map_id in statement_id.items():
        count = counts.get(map_id, 0)
        if count:
            by_count.setdefault(count, []).append(pk)
    # Two workers may store maps of the same conversation: the support of the later reading
    # stays, as the map does (actions.refresh_map).
    fresh = Q(support_computed_at__isnull=True) | Q(support_computed_at__lte=at)
    statements = Statement.objects.filter(conversation=conversation).filter(fresh)
    with transaction.atomic():
        updated = statements.update(
            groups_agreeing=0 if group_count else None,
            group_count=group_count or None,
            support_computed_at=at,
        )
        for count, pks in sorted(by_count.items()):
            statements.filter(pk__in=pks).update(groups_agreeing=count)
    return updated
