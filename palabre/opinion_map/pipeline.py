"""The whole Pol.is pipeline, from raw votes to groups, consensus and representative statements."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from palabre.opinion_map.kmeans import cluster
from palabre.opinion_map.matrix import build_matrix
from palabre.opinion_map.model import (
    InvalidVotes,
    NotEnoughParticipants,
    OpinionMap,
    Parameters,
    Votes,
)
from palabre.opinion_map.pca import project
from palabre.opinion_map.stats import (
    consensus,
    group_aware_consensus,
    group_statistics,
    representative,
)


def analyze(
    votes: Votes,
    moderated_out: Iterable[int] = (),
    parameters: Parameters | None = None,
    *,
    statements: Iterable[int] | None = None,
    statement_times: Mapping[int, int] | None = None,
) -> OpinionMap:
    """Find the opinion groups, the consensus and each group's representative statements.

    ``statements`` lists the statements of the conversation (votes on others are refused);
    ``statement_times`` says when each was written (any integer clock): exact ties and the
    choice of each group's best agreement then follow that order, as Pol.is follows its
    statement numbers. Without it, the time of each statement's first vote stands in.
    """
    parameters = parameters or Parameters()
    excluded_ids = frozenset(int(s) for s in moderated_out)
    if statements is not None:
        known = np.fromiter((int(s) for s in statements), dtype=np.int64)
        unknown = np.setdiff1d(votes.statements, known)
        if unknown.size:
            raise InvalidVotes(
                f"{unknown.size} statement id(s) receive votes but are not in the conversation, "
                f"e.g. {int(unknown[0])}"
            )
    if statement_times is not None:
        unknown = np.setdiff1d(
            votes.statements,
            np.fromiter(statement_times, dtype=np.int64, count=len(statement_times)),
        )
        if unknown.size:
            raise InvalidVotes(
                f"{unknown.size} statement id(s) receive votes but have no time of writing, "
                f"e.g. {int(unknown[0])}"
            )
    # Everything below runs in the matrix's canonical order (decided by content, never by the
    # ids), which also settles every exact tie; results go back to ids only at the end.
    matrix = build_matrix(votes, excluded_ids, statement_times)
    coordinates = project(matrix.values, matrix.excluded)
    clustered = matrix.vote_counts() >= parameters.min_votes
    if np.count_nonzero(clustered) == 0:
        raise NotEnoughParticipants(
            f"no participant voted on at least {parameters.min_votes} statements"
        )
    clustering = cluster(coordinates[clustered], parameters)
    grouped_values = matrix.values[clustered]
    groups = group_statistics(
        grouped_values, clustering.labels, clustering.group_count, matrix.statements
    )
    # Consensus looks at everyone who voted, as red-dwarf does, not only clustered people.
    agree, disagree = consensus(
        matrix.values,
        matrix.statements,
        matrix.excluded,
        parameters.pick_max,
        parameters.confidence,
    )
    clustered_ids = matrix.participants[clustered]
    by_id = np.argsort(matrix.participants)
    return OpinionMap(
        participants=tuple(int(p) for p in matrix.participants[by_id]),
        coordinates=coordinates[by_id],
        labels={
            int(p): int(g) for p, g in sorted(zip(clustered_ids, clustering.labels, strict=True))
        },
        group_count=clustering.group_count,
        silhouette=clustering.silhouette,
        statements=tuple(sorted(int(s) for s in matrix.statements)),
        moderated_out=excluded_ids,
        group_aware_consensus=dict(sorted(group_aware_consensus(groups).items())),
        consensus_agree=agree,
        consensus_disagree=disagree,
        repness={
            group: representative(
                stats, matrix.excluded, parameters.pick_max, parameters.confidence
            )
            for group, stats in enumerate(groups)
        },
        parameters=parameters,
    )
