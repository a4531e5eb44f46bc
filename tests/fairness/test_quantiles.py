"""Bootstrap intervals: the vectorised quantiles give numpy.nanquantile's numbers, bit for bit."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from auditkit.fairness._core import _quantiles


def _reference(replicates: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Oracle: numpy.nanquantile column by column, unusable columns (half undefined) nan."""
    defined = np.isfinite(replicates).sum(axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = np.nanquantile(replicates, [alpha / 2, 1 - alpha / 2], axis=0)
    unusable = defined < max(1, replicates.shape[0] // 2)
    low[unusable] = np.nan
    high[unusable] = np.nan
    return low, high


@pytest.mark.parametrize("shape", [(200, 3), (1000, 7, 4), (50, 2, 3, 2), (1, 4), (2, 5)])
@pytest.mark.parametrize("holes", [0, 7, 3])
@pytest.mark.parametrize("alpha", [0.05, 0.1 / 3, 0.5])
def test_quantiles_equal_nanquantile_bit_for_bit(shape, holes, alpha):
    """Columns with and without nan or inf, values over 18 orders of magnitude."""
    rng = np.random.default_rng(sum(shape) + holes)
    replicates = rng.normal(size=shape) * rng.choice([1e-9, 1.0, 1e9], size=shape)
    if holes:
        replicates.flat[::holes] = np.nan
        replicates.flat[::11] = np.inf
        replicates.flat[::13] = -np.inf
    if len(shape) > 2:
        replicates[:, 0] = np.nan  # a group never defined
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = _quantiles(np.moveaxis(replicates, 0, -1).copy(), alpha)
    for mine, expected in zip(got, _reference(replicates.copy(), alpha), strict=True):
        assert mine.shape == expected.shape
        assert mine.tobytes() == expected.tobytes()
