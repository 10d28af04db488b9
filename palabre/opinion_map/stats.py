"""Pol.is statement statistics: probabilities, z-tests, representativeness and consensus."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from numpy.typing import NDArray

from palabre.opinion_map.model import (
    Direction,
    FloatArray,
    GroupAwareConsensus,
    IntArray,
    StatementStats,
)


def critical_value(confidence: float) -> float:
    """Return the one-sided z threshold of a confidence level (1.2816 for 90 %)."""
    return NormalDist().inv_cdf(confidence)


@dataclass(frozen=True, eq=False)
class Counts:
    """Agree, disagree and total (passes included) votes per statement, for some participants."""

    agree: IntArray
    disagree: IntArray
    seen: IntArray

    @classmethod
    def of(cls, values: FloatArray) -> Counts:
        """Count the votes of a participants x statements block."""
        return cls(
            np.count_nonzero(values == 1, axis=0).astype(np.int64),
            np.count_nonzero(values == -1, axis=0).astype(np.int64),
            np.count_nonzero(~np.isnan(values), axis=0).astype(np.int64),
        )

    def __sub__(self, other: Counts) -> Counts:
        return Counts(
            self.agree - other.agree, self.disagree - other.disagree, self.seen - other.seen
        )


def probability(successes: IntArray, trials: IntArray) -> FloatArray:
    """Return the Laplace-smoothed probability (s + 1) / (n + 2)."""
    result: FloatArray = (successes + 1.0) / (trials + 2.0)
    return result


def one_proportion_z(successes: IntArray, trials: IntArray) -> FloatArray:
    """Return Pol.is' z statistic that a proportion exceeds one half."""
    s = successes + 1.0
    n = trials + 1.0
    result: FloatArray = 2.0 * np.sqrt(n) * (s / n - 0.5)
    return result


def two_proportion_z(
    successes_in: IntArray, successes_out: IntArray, trials_in: IntArray, trials_out: IntArray
) -> FloatArray:
    """Return Pol.is' z statistic that a group's proportion exceeds the rest's."""
    s1, s2 = successes_in + 1.0, successes_out + 1.0
    n1, n2 = trials_in + 1.0, trials_out + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    denominator = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / denominator
    # Everyone agreeing makes the pooled variance 0; the limit of the statistic is 0 there.
    result: FloatArray = np.where(pooled == 1, 0.0, z)
    return result


@dataclass(frozen=True, eq=False)
class GroupStats:
    """Every Pol.is statistic of every statement for one group against the others."""

    statements: IntArray
    na: IntArray
    nd: IntArray
    ns: IntArray
    pa: FloatArray
    pd: FloatArray
    pat: FloatArray
    pdt: FloatArray
    ra: FloatArray
    rd: FloatArray
    rat: FloatArray
    rdt: FloatArray

    @classmethod
    def compare(cls, statements: IntArray, inside: Counts, outside: Counts) -> GroupStats:
        """Compute a group's statistics from its counts and the counts of everyone else."""
        pa = probability(inside.agree, inside.seen)
        pd = probability(inside.disagree, inside.seen)
        return cls(
            statements=statements,
            na=inside.agree,
            nd=inside.disagree,
            ns=inside.seen,
            pa=pa,
            pd=pd,
            pat=one_proportion_z(inside.agree, inside.seen),
            pdt=one_proportion_z(inside.disagree, inside.seen),
            ra=pa / probability(outside.agree, outside.seen),
            rd=pd / probability(outside.disagree, outside.seen),
            rat=two_proportion_z(inside.agree, outside.agree, inside.seen, outside.seen),
            rdt=two_proportion_z(inside.disagree, outside.disagree, inside.seen, outside.seen),
        )

    def describe(self, index: int) -> StatementStats:
        """Return one statement's statistics in its more representative direction."""
        agree = bool(self.rat[index] > self.rdt[index])
        direction: Direction = "agree" if agree else "disagree"
        return StatementStats(
            statement=int(self.statements[index]),
            direction=direction,
            n_success=int(self.na[index] if agree else self.nd[index]),
            n_trials=int(self.ns[index]),
            p_success=float(self.pa[index] if agree else self.pd[index]),
            p_test=float(self.pat[index] if agree else self.pdt[index]),
            repness=float(self.ra[index] if agree else self.rd[index]),
            repness_test=float(self.rat[index] if agree else self.rdt[index]),
        )


def group_statistics(
    values: FloatArray, labels: IntArray, group_count: int, statements: IntArray
) -> list[GroupStats]:
    """Compute each group's statistics on the clustered participants' votes."""
    everyone = Counts.of(values)
    result = []
    for group in range(group_count):
        inside = Counts.of(values[labels == group])
        result.append(GroupStats.compare(statements, inside, everyone - inside))
    return result


def group_aware_consensus(groups: list[GroupStats]) -> dict[int, GroupAwareConsensus]:
    """Multiply the groups' agree (and disagree) probabilities, statement by statement."""
    agree = np.prod([g.pa for g in groups], axis=0)
    disagree = np.prod([g.pd for g in groups], axis=0)
    return {
        int(statement): GroupAwareConsensus(float(a), float(d))
        for statement, a, d in zip(groups[0].statements, agree, disagree, strict=True)
    }


def consensus(
    values: FloatArray,
    statements: IntArray,
    excluded: NDArray[np.bool_],
    pick_max: int,
    confidence: float,
) -> tuple[tuple[StatementStats, ...], tuple[StatementStats, ...]]:
    """Select the statements most agreed (and most disagreed) on by all participants."""
    counts = Counts.of(values)
    threshold = critical_value(confidence)
    picked: list[tuple[StatementStats, ...]] = []
    for direction, successes in (("agree", counts.agree), ("disagree", counts.disagree)):
        p = probability(successes, counts.seen)
        z = one_proportion_z(successes, counts.seen)
        eligible = np.flatnonzero((p > 0.5) & (z > threshold) & ~excluded)
        # Best metric first; equal metrics keep the canonical order (decision 0069).
        ranked = eligible[np.argsort(-(p * z)[eligible], kind="stable")][:pick_max]
        picked.append(
            tuple(
                StatementStats(
                    statement=int(statements[i]),
                    direction="agree" if direction == "agree" else "disagree",
                    n_success=int(successes[i]),
                    n_trials=int(counts.seen[i]),
                    p_success=float(p[i]),
                    p_test=float(z[i]),
                )
                for i in ranked
            )
        )
    return picked[0], picked[1]


def representative(
    stats: GroupStats, excluded: NDArray[np.bool_], pick_max: int, confidence: float
) -> tuple[StatementStats, ...]:
    """Select a group's representative statements as Pol.is does."""
    threshold = critical_value(confidence)
    candidates = np.flatnonzero(~excluded)
    best_agree = _best_agree(stats, candidates, threshold)
    significant = candidates[
        ((stats.pat[candidates] > threshold) & (stats.rat[candidates] > threshold))
        | ((stats.pdt[candidates] > threshold) & (stats.rdt[candidates] > threshold))
    ]
    described = [stats.describe(int(i)) for i in significant]
    metric = np.array([_repness_metric(s) for s in described])
    ordered = [described[i] for i in np.argsort(-metric, kind="stable")]
    head: list[StatementStats] = []
    if best_agree is not None:
        head = [stats.describe(best_agree)]
    elif not ordered and candidates.size:
        # Nothing significant: still show the group's single most distinctive statement.
        scores = np.maximum(stats.rat[candidates], stats.rdt[candidates])
        head = [stats.describe(int(candidates[int(np.argmax(scores))]))]
    chosen = head + [s for s in ordered if not head or s.statement != head[0].statement]
    # Agreements before disagreements, each keeping its rank (Pol.is' display order).
    return tuple(sorted(chosen[:pick_max], key=lambda s: s.direction != "agree"))


def _repness_metric(stats: StatementStats) -> float:
    repness = stats.repness or 0.0
    test = stats.repness_test or 0.0
    return repness * test * stats.p_success * stats.p_test


def _best_agree(stats: GroupStats, candidates: IntArray, threshold: float) -> int | None:
    """Return the statement a group agrees on most distinctively, if it agrees on any.

    Pol.is' scan, in the canonical order: the first statement that qualifies, then any that
    beats it. The result can depend on the order, which is why statements come in order of
    writing (Pol.is numbers them so) when it is known.
    """
    best: int | None = None
    for raw in candidates:
        i = int(raw)
        if stats.na[i] == 0 and stats.nd[i] == 0:
            continue
        if best is None:
            if stats.pat[i] > threshold or (stats.ra[i] > 1.0 and stats.pa[i] > 0.5):
                best = i
        elif stats.ra[best] > 1.0:
            this = stats.ra[i] * stats.rat[i] * stats.pa[i] * stats.pat[i]
            if this > stats.ra[best] * stats.rat[best] * stats.pa[best] * stats.pat[best]:
                best = i
        elif stats.pa[i] * stats.pat[i] > stats.pa[best] * stats.pat[best]:
            best = i
    return best
