"""Bootstrap intervals: the fast quantiles give numpy.nanquantile's numbers, bit for bit."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from auditkit.fairness._core import _quantiles, _smallest


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


def _check(replicates: np.ndarray, alpha: float) -> None:
    """``_quantiles`` (replicates on the last axis) against the oracle, byte for byte."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = _quantiles(np.moveaxis(replicates, 0, -1).copy(), alpha)
    for mine, expected in zip(got, _reference(replicates.copy(), alpha), strict=True):
        assert mine.shape == expected.shape
        assert mine.tobytes() == expected.tobytes()


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
    _check(replicates, alpha)


def _bootstrap_like(rng: np.random.Generator, n: int, columns: int) -> np.ndarray:
    """Replicates as the core makes them: rates and ratios with many ties, zeros of both signs,
    nan (undefined: empty denominators), inf (a zero reference), in every proportion."""
    kind = rng.integers(0, 6, size=columns)
    scale = rng.choice([1e-12, 1e-3, 1.0, 1e6], size=columns)
    out = np.empty((n, columns))
    for c in range(columns):
        if kind[c] == 0:  # a rate of a small group: few distinct values, many ties
            out[:, c] = rng.binomial(int(rng.integers(1, 30)), 0.3, n) / 30.0
        elif kind[c] == 1:  # continuous
            out[:, c] = rng.normal(size=n) * scale[c]
        elif kind[c] == 2:  # a constant (the reference's ratio to itself)
            out[:, c] = float(rng.choice([1.0, 0.0, -0.0]))
        elif kind[c] == 3:  # differences around zero, with both signed zeros
            out[:, c] = rng.integers(-2, 3, n) * scale[c]
            out[rng.random(n) < 0.3, c] = -0.0
        elif kind[c] == 4:  # sorted: the first replicates are the smallest (or largest)
            out[:, c] = np.sort(rng.normal(size=n))[:: int(rng.choice([1, -1]))]
        else:  # undefined or infinite in some replicates
            out[:, c] = rng.normal(size=n)
            out[rng.random(n) < rng.uniform(0, 0.7), c] = np.nan
            out[rng.random(n) < 0.05, c] = np.inf
            out[rng.random(n) < 0.05, c] = -np.inf
    return out


@pytest.mark.parametrize("seed", range(40))
def test_quantiles_equal_nanquantile_on_bootstrap_like_replicates(seed):
    """Many seeds, both paths of the tail search (sampled threshold, whole sort), Bonferroni
    levels, series with ties, both zeros, nan and inf: numpy.nanquantile's bytes."""
    rng = np.random.default_rng(seed)
    n = int(rng.choice([1, 2, 3, 255, 256, 999, 1000, 2000]))
    replicates = _bootstrap_like(rng, n, int(rng.integers(1, 60)))
    for alpha in (0.05, 0.05 / 7, 0.05 / 149, 0.1, 0.5, 1.0):
        _check(replicates, alpha)


def test_smallest_takes_every_path():
    """The tail search equals a sort: a sampled threshold, too few values under it (the first
    replicates are the smallest), too many (ties), and nan."""
    rng = np.random.default_rng(3)
    values = rng.normal(size=(6, 1000))
    values[1] = np.sort(values[1])  # the sample holds the smallest values: too few under it
    values[2] = 0.5  # all tied: too many under it
    values[3, rng.random(1000) < 0.5] = np.nan
    values[4, :990] = np.nan  # fewer values than asked for
    expected = np.sort(values, axis=-1)[:, :26]
    assert _smallest(values, 26).tobytes() == expected.tobytes()
    assert _smallest(values, 1).tobytes() == expected[:, :1].tobytes()
    assert _smallest(values, 200).tobytes() == np.sort(values, axis=-1)[:, :200].tobytes()
