"""Project participants on the first two principal components, with Pol.is' handling of gaps."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from palabre.opinion_map.model import FloatArray

# Coordinates are rounded to this many decimals so that float noise from a different
# summation order (e.g. statements listed in another order) cannot change the clustering.
COORDINATE_DECIMALS = 9


def project(values: FloatArray, moderated_out: NDArray[np.bool_]) -> FloatArray:
    """Return each participant's (x, y) position as Pol.is (and red-dwarf) computes it."""
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
    components = principal_components(imputed, 2)
    projected = imputed @ components.T
    # Participants who voted on few statements sit near the centre after imputation;
    # Pol.is stretches them back out by sqrt(statements / votes cast).
    n_votes = np.count_nonzero(present, axis=1)
    scale = np.sqrt(values.shape[1] / np.maximum(1, n_votes))
    projected *= scale[:, np.newaxis]
    _orient(components, projected)
    result: FloatArray = np.round(projected, COORDINATE_DECIMALS) + 0.0
    return result


def principal_components(centered: FloatArray, count: int) -> FloatArray:
    """Return the leading principal axes (rows) of an already centred matrix."""
    n_rows, n_columns = centered.shape
    usable = min(count, n_rows, n_columns)
    components = np.zeros((count, n_columns))
    if usable == 0:
        return components
    # An eigen-decomposition of the smaller Gram matrix is several times faster than a
    # full SVD of a 10,000 x 1,000 matrix and gives the same axes.
    if n_columns <= n_rows:
        _, vectors = np.linalg.eigh(centered.T @ centered)
        components[:usable] = vectors[:, ::-1][:, :usable].T
    else:
        eigenvalues, vectors = np.linalg.eigh(centered @ centered.T)
        for index in range(usable):
            position = len(eigenvalues) - 1 - index
            singular = np.sqrt(max(float(eigenvalues[position]), 0.0))
            axis = centered.T @ vectors[:, position]
            norm = float(np.linalg.norm(axis))
            # A vanishing axis means no variance left in that direction: leave it at zero.
            if singular > 1e-9 and norm > 1e-9:
                components[index] = axis / norm
    return components


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
    # scikit-learn keeps the first maximal loading; with near-ties of opposite sign that
    # "first" depends on the statement order, so fall back to order-free criteria instead.
    leaders = axis[magnitude >= top * (1 - 1e-9)]
    if np.all(leaders > 0) or np.all(leaders < 0):
        return 1.0 if leaders[0] > 0 else -1.0
    for values in (axis, positions):
        for power in (3, 1):
            total = float(np.sum(values**power))
            scale = float(np.sum(np.abs(values) ** power))
            if abs(total) > 1e-9 * scale:
                return 1.0 if total > 0 else -1.0
    return 1.0
