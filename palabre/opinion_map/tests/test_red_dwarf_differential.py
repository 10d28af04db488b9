"""Differential checks against red-dwarf 0.4.0 run live on small generated conversations."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reddwarf.implementations import polis as reddwarf
from sklearn.metrics import adjusted_rand_score

from palabre.opinion_map import Votes, analyze
from palabre.opinion_map.tests.helpers import planted_votes


def _red_dwarf(votes: Votes, moderated_out: list[int]) -> Any:
    records = [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": int(t)}
        for p, s, v, t in zip(
            votes.participants, votes.statements, votes.values, votes.times, strict=True
        )
    ]
    return reddwarf.run_pipeline(
        votes=records,
        mod_out_statement_ids=moderated_out,
        random_state=0,
        reducer_kwargs={"svd_solver": "full"},
    )


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    participants=st.integers(20, 70),
    # From 12 statements on, two participants with identical votes are rare: red-dwarf's start
    # treats such twins as distinct points (float noise), Palabre as one (docs/opinions.md).
    statements=st.integers(12, 25),
    # Real opinion structure: on a structureless cloud k-means is chaotic, and red-dwarf's own
    # result then changes with the mere order of the participants (docs/opinions.md).
    camps=st.integers(2, 3),
    moderated=st.lists(st.integers(0, 7), max_size=2, unique=True),
)
def test_groups_and_consensus_agree_with_red_dwarf_on_generated_conversations(
    seed: int, participants: int, statements: int, camps: int, moderated: list[int]
) -> None:
    votes = planted_votes(seed, participants, statements, camps, density=0.9, noise=0.2)
    ours = analyze(votes, moderated)
    theirs = _red_dwarf(votes, moderated)
    clustered = theirs.participants_df[theirs.participants_df["to_cluster"]]
    assert sorted(ours.labels) == [int(p) for p in clustered.index]
    assert ours.group_count == len(set(clustered["cluster_id"]))
    their_labels = [int(g) for g in clustered["cluster_id"]]
    assert adjusted_rand_score(their_labels, [ours.labels[int(p)] for p in clustered.index]) >= 0.95
    for direction, mine in (("agree", ours.consensus_agree), ("disagree", ours.consensus_disagree)):
        expected = [int(s["tid"]) for s in theirs.consensus[direction]]
        assert len(mine) == len(expected)
        assert len({s.statement for s in mine} & set(expected)) >= len(expected) - 1
    gac = theirs.group_aware_consensus["agree"]
    for statement, value in gac.items():
        assert ours.group_aware_consensus[int(statement)].agree == pytest.approx(value)


def test_coordinates_match_red_dwarfs_projection() -> None:
    votes = planted_votes(seed=99, participants=50, statements=15, camps=2, density=0.7)
    ours = analyze(votes, [3])
    theirs = _red_dwarf(votes, [3])
    expected = np.array([theirs.participant_projections[p] for p in ours.participants])
    assert np.allclose(ours.coordinates, expected, atol=1e-6)
