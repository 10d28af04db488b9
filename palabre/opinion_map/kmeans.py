"""K-means with Pol.is' deterministic initialisation, and the number of groups by silhouette."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from palabre.opinion_map.model import FloatArray, IntArray, NotEnoughParticipants, Parameters

# Rows of the distance matrix computed at once by the silhouette: bounds memory to ~16 MB.
_DISTANCE_BLOCK_CELLS = 2_000_000


@dataclass(frozen=True, eq=False)
class Clustering:
    """Group index of each point, the number of groups and its silhouette."""

    labels: IntArray
    group_count: int
    silhouette: float
    silhouettes: dict[int, float]


def cluster(points: FloatArray, parameters: Parameters) -> Clustering:
    """Cluster 2-D points for every allowed group count and keep the best silhouette."""
    # Work on lexicographically sorted points: the outcome then depends on the positions
    # only, never on the order (or ids) of the participants.
    order = np.lexsort((points[:, 1], points[:, 0]))
    ordered = points[order]
    distinct = np.unique(ordered, axis=0)
    largest = min(parameters.max_groups, len(distinct), len(points) - 1)
    if largest < parameters.min_groups:
        raise NotEnoughParticipants(
            f"{len(points)} participant(s) with {len(distinct)} distinct position(s) cannot "
            f"form {parameters.min_groups} groups: at least {parameters.min_groups + 1} "
            f"participants who vote in {parameters.min_groups} or more different ways are needed"
        )
    starts = [_polis_start]
    if parameters.extra_start:
        starts.append(_farthest_first_start)
    labellings: dict[tuple[int, int], IntArray] = {}
    for count in range(parameters.min_groups, largest + 1):
        for number, start in enumerate(starts):
            labellings[count, number] = lloyd(
                ordered, start(distinct, count), parameters.max_iterations, parameters.tolerance
            )
    scores = silhouette_scores(ordered, labellings)
    # Best silhouette wins; on a tie, fewer groups, then Pol.is' own start.
    best_count, best_start = max(labellings, key=lambda key: (scores[key], -key[0], -key[1]))
    per_count = {
        count: max(scores[count, number] for number in range(len(starts)))
        for count in range(parameters.min_groups, largest + 1)
    }
    chosen = labellings[best_count, best_start]
    labels = np.empty(len(points), dtype=np.int64)
    labels[order] = chosen
    return Clustering(labels, best_count, scores[best_count, best_start], per_count)


def _polis_start(distinct: FloatArray, count: int) -> FloatArray:
    """Pol.is' start: the first k distinct points in (x, y) order."""
    start: FloatArray = distinct[:count]
    return start


def _farthest_first_start(distinct: FloatArray, count: int) -> FloatArray:
    """Start from the first distinct point, then repeatedly add the point farthest from all."""
    chosen = [0]
    nearest = ((distinct - distinct[0]) ** 2).sum(axis=1)
    for _ in range(1, count):
        index = int(np.argmax(nearest))
        chosen.append(index)
        nearest = np.minimum(nearest, ((distinct - distinct[index]) ** 2).sum(axis=1))
    start: FloatArray = distinct[chosen]
    return start


def lloyd(
    points: FloatArray, initial_centers: FloatArray, max_iterations: int, tolerance: float
) -> IntArray:
    """Run Lloyd's k-means from the given centres, stopping as scikit-learn does."""
    count = len(initial_centers)
    centers = initial_centers.astype(np.float64, copy=True)
    threshold = float(np.mean(np.var(points, axis=0))) * tolerance
    previous = np.full(len(points), -1, dtype=np.int64)
    labels = previous
    converged = False
    for _ in range(max_iterations):
        labels = _nearest(points, centers)
        updated = _means(points, labels, centers, count)
        shift = float(np.sum((updated - centers) ** 2))
        centers = updated
        if np.array_equal(labels, previous):
            converged = True
            break
        if shift <= threshold:
            break
        previous = labels
    if not converged:
        labels = _nearest(points, centers)
    return labels


def _nearest(points: FloatArray, centers: FloatArray) -> IntArray:
    distances = ((points[:, np.newaxis, :] - centers[np.newaxis, :, :]) ** 2).sum(axis=2)
    nearest: IntArray = np.argmin(distances, axis=1).astype(np.int64)
    return nearest


def _means(points: FloatArray, labels: IntArray, centers: FloatArray, count: int) -> FloatArray:
    sums = np.zeros((count, points.shape[1]))
    np.add.at(sums, labels, points)
    sizes = np.bincount(labels, minlength=count).astype(np.float64)
    empty = np.flatnonzero(sizes == 0)
    if empty.size:
        # As scikit-learn: an emptied group restarts at the points farthest from their
        # centre (taken from the points' own group), so k groups always come out.
        distance = ((points - centers[labels]) ** 2).sum(axis=1)
        farthest = np.argsort(-distance, kind="stable")[: empty.size]
        for group, index in zip(empty, farthest, strict=True):
            sums[labels[index]] -= points[index]
            sizes[labels[index]] -= 1
            sums[group] = points[index]
            sizes[group] = 1
    means: FloatArray = sums / np.maximum(sizes, 1)[:, np.newaxis]
    return means


def silhouette_scores[K](points: FloatArray, candidates: dict[K, IntArray]) -> dict[K, float]:
    """Return the mean silhouette of each labelling, sharing one pass over the distances."""
    n = len(points)
    one_hots = {key: np.eye(int(labels.max()) + 1)[labels] for key, labels in candidates.items()}
    totals = {key: np.empty((n, one_hot.shape[1])) for key, one_hot in one_hots.items()}
    block = max(1, _DISTANCE_BLOCK_CELLS // max(n, 1))
    xs, ys = points[:, 0], points[:, 1]
    for start in range(0, n, block):
        stop = min(n, start + block)
        # In-place squares and root: several times faster than np.hypot on 10^8 pairs.
        distances = np.subtract.outer(xs[start:stop], xs)
        distances *= distances
        dy = np.subtract.outer(ys[start:stop], ys)
        dy *= dy
        distances += dy
        np.sqrt(distances, out=distances)
        for key, one_hot in one_hots.items():
            totals[key][start:stop] = distances @ one_hot
    return {key: _mean_silhouette(totals[key], labels) for key, labels in candidates.items()}


def _mean_silhouette(totals: FloatArray, labels: IntArray) -> float:
    count = totals.shape[1]
    sizes = np.bincount(labels, minlength=count).astype(np.float64)
    if np.count_nonzero(sizes) < 2:
        return -1.0
    rows = np.arange(len(labels))
    own_size = sizes[labels]
    within = totals[rows, labels] / np.maximum(own_size - 1, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        other = totals / sizes[np.newaxis, :]
    other[rows, labels] = np.inf
    other[:, sizes == 0] = np.inf
    nearest = other.min(axis=1)
    denominator = np.maximum(within, nearest)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(denominator > 0, (nearest - within) / denominator, 0.0)
    # A participant alone in their group scores 0, as in scikit-learn.
    score[own_size == 1] = 0.0
    return float(np.mean(score))
