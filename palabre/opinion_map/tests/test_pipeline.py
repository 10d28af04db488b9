"""The engine's API: votes in, groups, consensus and representative statements out."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from palabre.opinion_map import (
    InvalidVotes,
    NotEnoughParticipants,
    OpinionMapError,
    Parameters,
    Vote,
    VoteRecord,
    Votes,
    analyze,
)
from palabre.opinion_map.tests.helpers import planted, planted_votes


# Three camps always lie in a plane; a fourth may be hidden by the 2-D projection.
@pytest.mark.parametrize("camps", [2, 3])
def test_planted_camps_are_recovered_exactly(camps: int) -> None:
    votes, camp = planted(seed=11, participants=120, statements=40, camps=camps, noise=0.1)
    result = analyze(votes)
    assert result.group_count == camps
    found = [result.labels[p] for p in range(120)]
    assert adjusted_rand_score(camp, found) == 1.0


def test_the_latest_vote_of_a_participant_on_a_statement_counts() -> None:
    base = planted_votes(seed=1, participants=30, statements=10)
    everyone = np.arange(30)
    # Statement 99: everyone first agrees, then changes their mind and disagrees.
    votes = Votes(
        np.concatenate([base.participants, everyone, everyone]),
        np.concatenate([base.statements, np.full(60, 99)]),
        np.concatenate([base.values, np.full(30, Vote.DISAGREE), np.full(30, Vote.AGREE)]),
        np.concatenate([base.times, np.full(30, 2_000_000), np.full(30, 1_000_000)]),
    )
    result = analyze(votes)
    assert 99 in [s.statement for s in result.consensus_disagree]
    assert 99 not in [s.statement for s in result.consensus_agree]
    changed = next(s for s in result.consensus_disagree if s.statement == 99)
    assert (changed.n_success, changed.n_trials) == (30, 30)


def test_a_same_time_conflict_does_not_depend_on_the_order_of_the_votes() -> None:
    base = planted_votes(seed=2, participants=20, statements=10)
    conflict = [VoteRecord(0, 3, Vote.AGREE, 5), VoteRecord(0, 3, Vote.DISAGREE, 5)]
    rows = list(zip(base.participants, base.statements, base.values, base.times + 10, strict=True))
    first = analyze(Votes.from_records([*conflict, *rows])).to_json(details=True)
    second = analyze(Votes.from_records([*rows, *conflict[::-1]])).to_json(details=True)
    assert first == second


def test_only_participants_with_enough_votes_are_grouped_but_all_are_placed() -> None:
    base = planted_votes(seed=3, participants=40, statements=12, density=1.0)
    # Participant 500 votes on 6 statements only: one short of Pol.is' 7.
    few = Votes(
        np.full(6, 500), np.arange(6), np.ones(6, dtype=np.int64), np.zeros(6, dtype=np.int64)
    )
    votes = _concat(base, few)
    result = analyze(votes)
    assert 500 not in result.labels
    assert 500 in result.participants
    assert len(result.coordinates) == 41
    assert 500 in analyze(votes, parameters=Parameters(min_votes=6)).labels


def test_moderated_out_statements_are_never_consensus_nor_representative() -> None:
    votes = planted_votes(seed=4, participants=60, statements=12, noise=0.05)
    everyone = analyze(votes)
    picked = {s.statement for s in everyone.consensus_agree + everyone.consensus_disagree}
    for stats in everyone.repness.values():
        picked |= {s.statement for s in stats}
    assert picked
    result = analyze(votes, moderated_out=picked)
    shown = {s.statement for s in result.consensus_agree + result.consensus_disagree}
    for stats in result.repness.values():
        shown |= {s.statement for s in stats}
    assert not shown & picked
    assert result.moderated_out == frozenset(picked)


def test_votes_on_moderated_out_statements_still_count_towards_the_minimum() -> None:
    votes = Votes(
        np.repeat(np.arange(12), 8),
        np.tile(np.arange(8), 12),
        np.tile([1, -1, 1, 1, -1, 0, 1, -1], 12) * np.repeat([1, -1] * 6, 8),
        np.zeros(96, dtype=np.int64),
    )
    result = analyze(votes, moderated_out=[7])
    assert len(result.labels) == 12


def test_the_number_of_groups_can_be_forced() -> None:
    votes = planted_votes(seed=5, participants=80, statements=20, camps=2)
    assert analyze(votes, parameters=Parameters(min_groups=4, max_groups=4)).group_count == 4


def test_votes_for_statements_outside_the_conversation_are_refused() -> None:
    votes = planted_votes(seed=6, participants=10, statements=8)
    with pytest.raises(InvalidVotes, match=r"not in the conversation, e\.g\. 7"):
        analyze(votes, statements=range(7))


def test_a_conversation_without_votes_is_refused() -> None:
    with pytest.raises(OpinionMapError, match="no votes"):
        analyze(Votes.from_records([]))


def test_fewer_participants_than_groups_is_refused() -> None:
    votes = planted_votes(seed=7, participants=2, statements=9, density=1.0)
    with pytest.raises(NotEnoughParticipants, match="cannot form 2 groups"):
        analyze(votes)


def test_participants_sharing_one_position_cannot_be_split() -> None:
    same = [VoteRecord(p, s, Vote.AGREE, 0) for p in range(10) for s in range(8)]
    with pytest.raises(NotEnoughParticipants, match="1 distinct position"):
        analyze(Votes.from_records(same))


def test_nobody_with_enough_votes_is_refused() -> None:
    votes = planted_votes(seed=8, participants=10, statements=5, density=1.0)
    with pytest.raises(NotEnoughParticipants, match="at least 7 statements"):
        analyze(votes)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (([1], [1], [2], [0]), "unknown vote value 2"),
        (([1, 2], [1], [1], [0]), "differ in length"),
        (([1.5], [1], [1], [0]), "whole numbers"),
        (([[1]], [1], [1], [0]), "one-dimensional"),
    ],
)
def test_malformed_votes_are_refused(
    columns: tuple[list[object], list[object], list[object], list[object]], message: str
) -> None:
    with pytest.raises(InvalidVotes, match=message):
        Votes(*(np.asarray(c) for c in columns))


def test_records_that_are_not_numbers_are_refused() -> None:
    with pytest.raises(InvalidVotes, match="four whole numbers"):
        Votes.from_records([("alice", 1, 1, 0)])  # type: ignore[list-item]


@pytest.mark.parametrize(
    "arguments",
    [
        {"min_votes": 0},
        {"min_groups": 1},
        {"min_groups": 4, "max_groups": 3},
        {"pick_max": 0},
        {"confidence": 1.0},
        {"max_iterations": 0},
    ],
)
def test_impossible_parameters_are_refused(arguments: dict[str, int | float]) -> None:
    with pytest.raises(OpinionMapError):
        Parameters(**arguments)  # type: ignore[arg-type]


def test_statistics_follow_pol_is_smoothing() -> None:
    result = analyze(planted_votes(seed=9, participants=50, statements=15))
    for stats in result.repness[0] + result.consensus_agree:
        assert stats.p_success == (stats.n_success + 1) / (stats.n_trials + 2)
        assert stats.p_test == pytest.approx(
            2 * np.sqrt(stats.n_trials + 1) * ((stats.n_success + 1) / (stats.n_trials + 1) - 0.5)
        )
    for stats in result.repness[0]:
        assert stats.repness is not None
        assert stats.repness_test is not None


def test_representative_statements_list_agreements_first() -> None:
    result = analyze(planted_votes(seed=10, participants=80, statements=20, camps=3))
    for stats in result.repness.values():
        directions = [s.direction for s in stats]
        assert directions == sorted(directions, key=lambda d: d != "agree")
        assert 1 <= len(stats) <= 5


def _concat(first: Votes, second: Votes) -> Votes:
    return Votes(
        np.concatenate([first.participants, second.participants]),
        np.concatenate([first.statements, second.statements]),
        np.concatenate([first.values, second.values]),
        np.concatenate([first.times, second.times.astype(np.int64)]),
    )
