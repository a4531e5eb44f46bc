"""Calibration of a classifier's scores: do cases scored 0.7 turn out positive 70 % of the time?

Two numbers describe it: the Brier score (mean squared difference between score and outcome) and
the expected calibration error (ECE: over ten equal-width score bins, the share-weighted gap
between the mean score and the observed rate). Both are reported.

The judgement must hold under the null. ECE is biased upwards in finite samples: a perfectly
calibrated model scored on a few hundred cases shows a gap from sampling noise alone, larger when
the cases are few. So the observed ECE is compared with the ECE that *perfectly calibrated* scores
would show on the same cases (consistency resampling, Bröcker and Smith 2007): outcomes are drawn
as Bernoulli(score) ``replicates`` times with a seeded generator, and the observed ECE passes when
it is within the 95th percentile of those draws plus a tolerance, warns up to twice the tolerance
and fails beyond.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    FloatArray = npt.NDArray[np.float64]

__all__ = ["calibration_check", "expected_calibration_error"]

BINS = 10


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


def calibration_check(
    y: FloatArray,
    score: FloatArray,
    weight: FloatArray | None = None,
    *,
    tolerance: float = 0.02,
    replicates: int = 200,
    seed: int = 0,
) -> dict[str, Any]:
    """Brier score, ECE, the ECE expected of calibrated scores, and a status.

    Returns
    -------
    dict
        ``brier``, ``ece``, ``ece_null`` (95th percentile under perfect calibration),
        ``tolerance``, ``n`` and ``status`` (``pass``, ``warn`` or ``fail``).
    """
    w = np.ones_like(score) if weight is None else weight
    brier = float(np.average((score - y) ** 2, weights=w))
    ece = expected_calibration_error(y, score, w)
    rng = np.random.default_rng(seed)
    null = np.array(
        [
            expected_calibration_error(
                (rng.uniform(size=score.size) < score).astype(float), score, w
            )
            for _ in range(replicates)
        ]
    )
    ece_null = float(np.quantile(null, 0.95))
    excess = ece - ece_null
    status = "pass" if excess <= tolerance else ("warn" if excess <= 2 * tolerance else "fail")
    return {
        "brier": brier,
        "ece": ece,
        "ece_null": ece_null,
        "tolerance": tolerance,
        "n": int(score.size),
        "status": status,
    }
