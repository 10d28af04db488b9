"""Project participants on the first two principal components, with Pol.is' handling of gaps."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from palabre.opinion_map.model import FloatArray

# Relative gap under which two variances (eigenvalues) count as equal.
_DEGENERATE = 1e-9


def project(values: FloatArray, moderated_out: NDArray[np.bool_]) -> FloatArray:
    """Return each participant's (x, y) position as Pol.is (and red-dwarf) computes it.

    Rows come in canonical order (``canonical.py``), decided by content: that order is the last
    resort for the axes that exactly symmetric votes leave unoriented or (equal variances)
    free to turn.
    """
    filtered = values.copy()
    # Pol.is zeroes moderated-out statements for everyone (a pass, not a gap), so they
    # neither steer the components nor count as missing in the sparsity scaling below.
    filtered[:, moderated_out] = 0.0
    present = ~np.isnan(filtered)
    seen = np.count_nonzero(present, axis=0)
    sums = np.where(present, filtered, 0.0).sum(axis=0)
    column_means = np.divide(sums, seen, out=np.zeros_like(sums), where=seen > 0)
    # Missing votes take the statement's mean vote, then PCA runs on the completed matrix.
    imputed = np.where(present, filtered, column_means)
    del filtered
    imputed -= imputed.mean(axis=0)
    components = principal_components(imputed, 2, canonical_basis=True)
    # Row by row rather than a BLAS product, whose blocking is free to round a row differently
    # by its place: participants with the same votes are then sure to get bit-identical
    # positions, hence one k-means start point (the old rounding to 9 decimals ensured it).
    projected = np.einsum("ij,kj->ik", imputed, components)
    # Participants who voted on few statements sit near the centre after imputation;
    # Pol.is stretches them back out by sqrt(statements / votes cast).
    n_votes = np.count_nonzero(present, axis=1)
    scale = np.sqrt(values.shape[1] / np.maximum(1, n_votes))
    projected *= scale[:, np.newaxis]
    _orient(components, projected)
    result: FloatArray = projected + 0.0  # no negative zeros
    return result


def principal_components(
    centered: FloatArray, count: int, *, canonical_basis: bool = False
) -> FloatArray:
    """Return the leading principal axes (rows) of an already centred matrix.

    Equal variances leave the axes free to turn within their eigenspace, and the eigensolver
    then picks them in a way that depends on its implementation; with ``canonical_basis``
    they are chosen from the participants' positions instead (see ``_canonical_basis``).
    """
    n_rows, n_columns = centered.shape
    usable = min(count, n_rows, n_columns)
    components = np.zeros((count, n_columns))
    if usable == 0:
        return components
    # An eigen-decomposition of the smaller Gram matrix is several times faster than a
    # full SVD of a 10,000 x 1,000 matrix and gives the same axes.
    gram = n_columns > n_rows
    eigenvalues, vectors = np.linalg.eigh(centered @ centered.T if gram else centered.T @ centered)
    eigenvalues, vectors = eigenvalues[::-1], vectors[:, ::-1]
    tolerance = _DEGENERATE * max(float(eigenvalues[0]), 0.0)
    # The axes needed: the first `usable`, plus any axis of equal variance to the last one.
    needed = usable
    while needed < len(eigenvalues) and (
        eigenvalues[usable - 1] - eigenvalues[needed] <= tolerance
    ):
        needed += 1
    axes = np.zeros((needed, n_columns))
    for index in range(needed):
        if not gram:
            axes[index] = vectors[:, index]
            continue
        singular = np.sqrt(max(float(eigenvalues[index]), 0.0))
        axis = centered.T @ vectors[:, index]
        norm = float(np.linalg.norm(axis))
        # A vanishing axis means no variance left in that direction: leave it at zero.
        if singular > 1e-9 and norm > 1e-9:
            axes[index] = axis / norm
    if canonical_basis:
        first = 0
        while first < usable:
            last = first + 1
            while last < needed and eigenvalues[last - 1] - eigenvalues[last] <= tolerance:
                last += 1
            if last - first > 1 and eigenvalues[first] > tolerance:
                axes[first:last] = _canonical_basis(centered, axes[first:last])
            first = last
    components[:usable] = axes[:usable]
    return components


def _canonical_basis(centered: FloatArray, axes: FloatArray) -> FloatArray:
    """Return an orthonormal basis of the eigenspace spanned by ``axes`` that ignores it.

    Gram-Schmidt on the participants' positions in that space, in canonical order: a rotation
    of the input basis gives the same result, so the choice is the votes', not the
    eigensolver's.
    """
    positions = centered @ axes.T
    scale = float(np.max(np.linalg.norm(positions, axis=1)))
    basis: list[FloatArray] = []
    # Identity vectors last: only reached if every participant sits at the centre.
    for candidate in [*positions, *np.eye(len(axes))]:
        residual = candidate - sum((float(candidate @ b) * b for b in basis), np.zeros(len(axes)))
        norm = float(np.linalg.norm(residual))
        if norm > _DEGENERATE * max(scale, 1.0):
            basis.append(residual / norm)
            if len(basis) == len(axes):
                break
    rotated: FloatArray = np.array(basis) @ axes
    return rotated


def _orient(components: FloatArray, projected: FloatArray) -> None:
    """Flip each axis so that its largest loading is positive, as scikit-learn's PCA does."""
    for index, axis in enumerate(components):
        sign = _axis_sign(axis, projected[:, index])
        if sign < 0:
            components[index] *= -1.0
            projected[:, index] *= -1.0


def _axis_sign(axis: FloatArray, positions: FloatArray) -> float:
    magnitude = np.abs(axis)
    top = float(magnitude.max())
    if top == 0.0:
        return 1.0
    # scikit-learn keeps the first maximal loading in id order; with near-ties of opposite
    # sign, rather than whatever comes first, criteria that read the whole axis decide.
    leaders = axis[magnitude >= top * (1 - 1e-9)]
    if np.all(leaders > 0) or np.all(leaders < 0):
        return 1.0 if leaders[0] > 0 else -1.0
    for values in (axis, positions):
        for power in (3, 1):
            total = float(np.sum(values**power))
            scale = float(np.sum(np.abs(values) ** power))
            if abs(total) > 1e-9 * scale:
                return 1.0 if total > 0 else -1.0
    return _first_sign(positions)


def _first_sign(positions: FloatArray) -> float:
    """Put the first participant off the centre, in canonical order, on the positive side.

    Only reached when the votes are exactly symmetric along the axis (e.g. two participants
    who are mirror images of each other). The canonical order tells mirror images apart by
    content: the statements' first votes or times of writing, else the participants' own
    earliest votes (decision 0069).
    """
    scale = float(np.max(np.abs(positions)))
    off_centre = np.flatnonzero(np.abs(positions) > 1e-9 * scale)
    if off_centre.size == 0:
        return 1.0
    return 1.0 if positions[off_centre[0]] > 0 else -1.0
