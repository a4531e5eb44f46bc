"""Calibration of a classifier's scores: do cases scored 0.7 turn out positive 70 % of the time?

Two numbers describe it: the Brier score (mean squared difference between score and outcome) and
the expected calibration error (ECE: over ten equal-width score bins, the share-weighted gap
between the mean score and the observed rate). Both are reported.

The judgement must hold under the null. ECE is biased upwards in finite samples: a perfectly
calibrated model scored on a few hundred cases shows a gap from sampling noise alone, larger when
the cases are few. So the observed ECE is compared with the ECE that *perfectly calibrated* scores
would show on the same cases (consistency resampling, Bröcker and Smith 2007): outcomes are drawn
as Bernoulli(score) ``replicates`` times with a seeded generator (per fine score bin, from the
bin's sums: see :func:`calibration_from_bins`), and the observed ECE passes when it is within the
95th percentile of those draws plus a tolerance, warns up to twice the tolerance and fails beyond.
Everything is computed from per-bin sums, so a table aggregated where it lives is judged by the
same code as a file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from auditkit.performance._statistics import BINS, FINE, CalibrationBins

if TYPE_CHECKING:
    FloatArray = npt.NDArray[np.float64]

__all__ = [
    "bins_of_arrays",
    "calibration_check",
    "calibration_from_bins",
    "expected_calibration_error",
]


def expected_calibration_error(
    y: FloatArray, score: FloatArray, weight: FloatArray | None = None, *, bins: int = BINS
) -> float:
    """Share-weighted gap between mean score and observed rate over equal-width score bins.

    Examples
    --------
    >>> import numpy as np
    >>> round(expected_calibration_error(np.array([0.0, 1.0]), np.array([0.0, 1.0])), 3)
    0.0
    >>> round(expected_calibration_error(np.array([0.0, 0.0]), np.array([0.9, 0.9])), 3)
    0.9
    """
    w = np.ones_like(score) if weight is None else weight
    index = np.minimum((score * bins).astype(np.int64), bins - 1)
    total = np.bincount(index, weights=w, minlength=bins)
    scored = np.bincount(index, weights=w * score, minlength=bins)
    observed = np.bincount(index, weights=w * y, minlength=bins)
    filled = total > 0
    gaps = np.abs(scored[filled] - observed[filled])
    return float(gaps.sum() / total.sum())


def bins_of_arrays(
    y: FloatArray, score: FloatArray, weight: FloatArray | None = None
) -> CalibrationBins:
    """The fine-bin sums of arrays (rows already in memory), as the engine computes them."""
    from auditkit.engine._exact import units

    w = np.ones_like(score) if weight is None else np.asarray(weight, dtype=np.float64)
    fine = np.minimum((score * BINS * FINE).astype(np.int64), BINS * FINE - 1)
    filled = np.flatnonzero(np.bincount(fine, minlength=BINS * FINE))

    def sums(values: FloatArray) -> tuple[int, ...]:
        totals = np.zeros(BINS * FINE, dtype=object)
        np.add.at(totals, fine, units(values))  # Python integers: exact, as in the engine
        return tuple(int(v) for v in totals[filled])

    coarse = np.minimum((score * BINS).astype(np.int64), BINS - 1)
    first = {int(f): int(c) for f, c in zip(fine.tolist(), coarse.tolist(), strict=True)}
    return CalibrationBins(
        bin=tuple(first[int(f)] for f in filled),
        n=tuple(int(v) for v in np.bincount(fine)[filled]),
        weight=sums(w),
        weight_score=sums(w * score),
        weight_positive=sums(w * y),
        weight_squared_error=sums(w * (score - y) ** 2),
        weight_squared=sums(w * w),
    )


def calibration_check(
    y: FloatArray,
    score: FloatArray,
    weight: FloatArray | None = None,
    *,
    tolerance: float = 0.02,
    replicates: int = 200,
    seed: int = 0,
) -> dict[str, Any]:
    """:func:`calibration_from_bins` of arrays of outcomes (0/1), scores and weights."""
    return calibration_from_bins(
        bins_of_arrays(y, score, weight), tolerance=tolerance, replicates=replicates, seed=seed
    )


def calibration_from_bins(
    bins: CalibrationBins, *, tolerance: float = 0.02, replicates: int = 200, seed: int = 0
) -> dict[str, Any]:
    """Brier score, ECE, the ECE expected of calibrated scores, and a status.

    Under perfect calibration the weighted positives of a fine bin are a sum of independent
    ``w * Bernoulli(score)``; the null draws them as ``w_bin / m * Binomial(m, mean score)``
    with ``m = (sum w)**2 / sum w**2`` rows (all of them when unweighted): the same mean and,
    within a bin a thousandth of a unit wide, the same variance.

    Returns
    -------
    dict
        ``brier``, ``ece``, ``ece_null`` (95th percentile under perfect calibration),
        ``tolerance``, ``n`` and ``status`` (``pass``, ``warn`` or ``fail``).
    """
    coarse = np.asarray(bins.bin, dtype=np.intp)
    total = sum(bins.weight)
    brier = sum(bins.weight_squared_error) / total
    # exact sums per bin, then one division
    scored = [0] * BINS
    observed = [0] * BINS
    for c, ws, wy in zip(bins.bin, bins.weight_score, bins.weight_positive, strict=True):
        scored[c] += ws
        observed[c] += wy
    ece = sum(abs(a - b) for a, b in zip(scored, observed, strict=True)) / total
    from auditkit.engine._exact import as_float

    weight = as_float(np.asarray(bins.weight, dtype=object))
    squared = as_float(np.asarray(bins.weight_squared, dtype=object))
    mean_score = np.divide(
        as_float(np.asarray(bins.weight_score, dtype=object)),
        weight,
        out=np.zeros_like(weight),
        where=weight > 0,
    )
    rows = np.where(
        weight > 0, np.maximum(1, np.rint(weight * weight / np.maximum(squared, 1e-300))), 1
    ).astype(np.int64)
    rng = np.random.default_rng(seed)
    draws = rng.binomial(rows, np.clip(mean_score, 0.0, 1.0), size=(replicates, rows.size))
    positives = draws * (weight / rows)  # (replicates, fine bins)
    null_observed = np.zeros((replicates, BINS))
    for b in range(BINS):
        null_observed[:, b] = positives[:, coarse == b].sum(axis=1)
    scored_bins = as_float(np.asarray(scored, dtype=object))
    null = np.abs(null_observed - scored_bins).sum(axis=1) / as_float(total)
    ece_null = float(np.quantile(null, 0.95))
    excess = ece - ece_null
    status = "pass" if excess <= tolerance else ("warn" if excess <= 2 * tolerance else "fail")
    return {
        "brier": brier,
        "ece": ece,
        "ece_null": ece_null,
        "tolerance": tolerance,
        "n": int(sum(bins.n)),
        "status": status,
    }
