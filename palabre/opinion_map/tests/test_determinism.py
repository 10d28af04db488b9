"""The same votes give the same map whatever their order and whatever the ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from palabre.opinion_map import OpinionMapError, Votes, analyze
from palabre.opinion_map.model import IntArray
from palabre.opinion_map.polis_csv import read_export
from palabre.opinion_map.tests.helpers import planted_votes


@st.composite
def conversations(draw: st.DrawFn) -> Votes:
    """Planted conversations, with some participants changing their mind later (or at once)."""
    votes = planted_votes(
        seed=draw(st.integers(0, 2**32 - 1)),
        participants=draw(st.integers(3, 40)),
        statements=draw(st.integers(2, 20)),
        camps=draw(st.integers(1, 4)),
        density=draw(st.floats(0.3, 1.0)),
    )
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    again = rng.random(len(votes)) < draw(st.floats(0.0, 0.3))
    # Re-votes at a later time, or at exactly the same time (a conflict to settle).
    later = votes.times[again] + rng.integers(0, 2, int(again.sum())) * rng.integers(
        1, 1000, int(again.sum())
    )
    return Votes(
        np.concatenate([votes.participants, votes.participants[again]]),
        np.concatenate([votes.statements, votes.statements[again]]),
        np.concatenate([votes.values, rng.integers(-1, 2, int(again.sum()))]),
        np.concatenate([votes.times, later]),
    )


def _outcome(votes: Votes, moderated_out: list[int]) -> dict[str, Any] | str:
    try:
        return analyze(votes, moderated_out).to_json(details=True)
    except OpinionMapError as error:
        return f"{type(error).__name__}: {error}"


def _relabelled(votes: Votes, people: IntArray, topics: IntArray, order: IntArray) -> Votes:
    return Votes(
        people[votes.participants][order],
        topics[votes.statements][order],
        votes.values[order],
        votes.times[order],
    )


def _rename(outcome: dict[str, Any], people: IntArray, topics: IntArray) -> dict[str, Any]:
    """Rewrite an outcome computed on original ids with the new ids."""

    def person(key: str) -> str:
        return str(people[int(key)])

    def topic(ids: list[int]) -> list[int]:
        return [int(topics[i]) for i in ids]

    renamed = dict(outcome)
    renamed["labels"] = {person(p): g for p, g in outcome["labels"].items()}
    renamed["coordinates"] = {person(p): xy for p, xy in outcome["coordinates"].items()}
    renamed["consensus"] = {d: topic(ids) for d, ids in outcome["consensus"].items()}
    renamed["repness"] = {g: topic(ids) for g, ids in outcome["repness"].items()}
    renamed["group_aware_consensus"] = {
        str(topics[int(s)]): c for s, c in outcome["group_aware_consensus"].items()
    }
    for section in ("consensus_stats", "repness_stats"):
        renamed[section] = {
            key: [{**s, "statement": int(topics[s["statement"]])} for s in rows]
            for key, rows in outcome[section].items()
        }
    return renamed


def _canonical(outcome: dict[str, Any]) -> dict[str, Any]:
    """Sort every id-keyed mapping so that two outcomes compare regardless of key order."""
    return {
        key: dict(sorted(value.items())) if isinstance(value, dict) else value
        for key, value in outcome.items()
    }


@settings(max_examples=60, deadline=None)
@given(conversations(), st.integers(0, 2**32 - 1), st.data())
def test_shuffling_votes_and_renaming_ids_in_order_changes_nothing(
    votes: Votes, seed: int, data: st.DataObject
) -> None:
    rng = np.random.default_rng(seed)
    moderated = data.draw(st.lists(st.integers(0, 19), max_size=3))
    # Increasing maps with gaps: any ids, same relative order.
    people = np.cumsum(rng.integers(1, 10**6, 40)) + 10**9
    topics = np.cumsum(rng.integers(1, 10**3, 20))
    order = rng.permutation(len(votes))
    original = _outcome(votes, moderated)
    shuffled = _outcome(_relabelled(votes, people, topics, order), topics[moderated].tolist())
    if isinstance(original, str):
        assert isinstance(shuffled, str)
        assert original.split(":")[0] == shuffled.split(":")[0]
    else:
        assert isinstance(shuffled, dict)
        assert _canonical(shuffled) == _canonical(_rename(original, people, topics))


# Participants 0 and 1 are mirror images (swap statements 0 and 7), and 2 is equidistant:
# nothing in the votes orients the first axis, which used to follow the statement order.
_MIRRORED = Votes(
    np.repeat([0, 1, 2], 8),
    np.tile(np.arange(8), 3),
    np.array(
        [
            *[1, -1, 1, 0, 1, -1, 1, -1],
            *[-1, -1, 1, 0, 1, -1, 1, 1],
            *[1, -1, 1, 1, 0, -1, 1, 1],
        ]
    ),
    np.array(
        [
            *[891757, 704364, 818195, 671735, 670189, 415605, 656579, 273166],
            *[331729, 271551, 750506, 664875, 584518, 30703, 558768, 532482],
            *[410016, 583094, 319909, 338391, 812398, 714449, 499526, 521209],
        ]
    ),
)


# Two equal variances (eigenvalues 10, 4, 4): the second axis used to turn with the row order.
_EQUAL_VARIANCES = Votes(
    np.repeat([0, 1, 2, 3], 8),
    np.tile(np.arange(8), 4),
    np.array(
        [
            *[-1, 1, 1, -1, -1, -1, -1, -1],
            *[-1, 1, -1, 1, 1, -1, 1, -1],
            *[1, 1, 1, -1, 1, -1, -1, -1],
            *[-1, 1, 1, -1, 1, 1, -1, -1],
        ]
    ),
    np.array(
        [
            *[547815, 946113, 406640, 435326, 812141, 485641, 250264, 519115],
            *[506728, 408590, 530917, 578795, 970821, 70350, 913031, 488383],
            *[379475, 610144, 115598, 743879, 94289, 429830, 201692, 302802],
            *[470883, 5890, 888646, 756478, 958356, 77575, 176251, 489988],
        ]
    ),
)


@settings(max_examples=40, deadline=None)
@given(conversations(), st.integers(0, 2**32 - 1))
@example(votes=_MIRRORED, seed=0)
@example(votes=_EQUAL_VARIANCES, seed=57)
def test_renaming_ids_in_any_order_keeps_groups_and_positions(votes: Votes, seed: int) -> None:
    rng = np.random.default_rng(seed)
    people = rng.permutation(40) * 3 + 1
    topics = rng.permutation(20) + 100
    original = _outcome(votes, [])
    renamed = _outcome(_relabelled(votes, people, topics, rng.permutation(len(votes))), [])
    if isinstance(original, str):
        assert isinstance(renamed, str)
        return
    assert isinstance(renamed, dict)
    expected = _rename(original, people, topics)
    assert renamed["group_count"] == expected["group_count"]
    assert renamed["labels"] == expected["labels"]
    assert renamed["coordinates"] == expected["coordinates"]
    assert renamed["silhouette"] == expected["silhouette"]
    assert renamed["group_aware_consensus"] == expected["group_aware_consensus"]
    # Statements with exactly equal statistics are ranked by id, and renaming may swap two
    # of them; the ranking metric must still be the same, rank by rank.
    for direction in ("agree", "disagree"):
        assert _metrics(renamed, direction) == _metrics(expected, direction)


def test_a_mirror_symmetric_conversation_is_oriented_by_vote_times() -> None:
    # Every statement order gives the same map; which mirror image wins follows the times.
    rng = np.random.default_rng(7)
    maps = [
        analyze(_relabelled(_MIRRORED, np.arange(3), rng.permutation(8), np.arange(24)))
        for _ in range(8)
    ]
    for other in maps[1:]:
        assert other.labels == maps[0].labels
        assert np.array_equal(other.coordinates, maps[0].coordinates)
    # Participant 1 cast the earliest vote (time 30703): positive side of the first axis.
    assert maps[0].coordinates[1, 0] > 0 > maps[0].coordinates[0, 0]


def _metrics(outcome: dict[str, Any], direction: str) -> list[float]:
    return [s["p_success"] * s["p_test"] for s in outcome["consensus_stats"][direction]]


def test_a_real_conversation_gives_the_same_groups_under_scrambled_ids(
    shared_data: Path,
) -> None:
    conversation = read_export(shared_data / "polis" / "canadian-electoral-reform")
    votes = conversation.votes
    rng = np.random.default_rng(2024)
    people = rng.permutation(int(votes.participants.max()) + 1) + 5000
    topics = rng.permutation(int(votes.statements.max()) + 1) + 7000
    order = rng.permutation(len(votes))
    original = analyze(votes, conversation.moderated_out)
    scrambled = analyze(
        _relabelled(votes, people, topics, order),
        [int(topics[s]) for s in conversation.moderated_out],
    )
    assert scrambled.labels == {int(people[p]): g for p, g in original.labels.items()}
    assert [s.statement for s in scrambled.consensus_agree] == [
        int(topics[s.statement]) for s in original.consensus_agree
    ]
