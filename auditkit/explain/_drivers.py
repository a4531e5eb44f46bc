"""Which inputs drive the model, overall and in each group of an equity attribute.

Global importance is the mean absolute attribution of each feature over the explained rows, with
a percentile bootstrap interval over rows. Group drivers are the mean *signed* attributions of
each feature within each group: a feature whose mean attribution differs a lot between, say, poor
and rich zones pushes their forecasts in different directions, which is what a committee needs to
see next to the disparities themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from auditkit._blas import product

__all__ = ["DriverGap", "FeatureImportance", "GroupDrivers", "global_importance", "group_drivers"]


@dataclass(frozen=True)
class FeatureImportance:
    """Mean |attribution| of one feature with its bootstrap interval and share of the total."""

    feature: str
    mean_abs: float
    low: float
    high: float
    share: float


@dataclass(frozen=True)
class DriverGap:
    """How differently one feature drives two groups (the groups with the extreme means)."""

    feature: str
    high_group: str
    low_group: str
    gap: float
    low: float
    high: float
    relative: float


@dataclass(frozen=True)
class GroupDrivers:
    """Per-group mean attributions for one equity attribute, and the largest gaps."""

    attribute: str
    groups: list[str]
    sizes: list[int]
    features: list[str]
    mean: np.ndarray
    mean_abs: np.ndarray
    gaps: list[DriverGap]
    small_groups: list[str]


def global_importance(
    values: np.ndarray,
    features: Sequence[str],
    *,
    bootstrap: int = 200,
    confidence: float = 0.95,
    seed: int = 0,
) -> list[FeatureImportance]:
    """Mean absolute attribution per feature, largest first, with a bootstrap interval.

    Parameters
    ----------
    values : ndarray of shape (n_rows, n_features)
        Attributions.
    features : sequence of str
        Feature names.
    bootstrap : int
        Resamples of the rows (0: the interval is the point estimate).
    confidence : float
        Coverage of the percentile interval.
    seed : int
        Seeds the resampling.

    Examples
    --------
    >>> import numpy as np
    >>> [(f.feature, f.mean_abs) for f in global_importance(np.array([[1.0, -3.0], [-1.0, 1.0]]),
    ...                                                      ["a", "b"], bootstrap=0)]
    [('b', 2.0), ('a', 1.0)]
    """
    magnitude = np.abs(values)
    mean = magnitude.mean(axis=0)
    low, high = mean, mean
    if bootstrap > 0 and len(magnitude) > 1:
        rng = np.random.default_rng(seed)
        n = len(magnitude)
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=bootstrap)
        replicates = product(counts, magnitude) / n
        alpha = (1 - confidence) / 2
        low, high = np.quantile(replicates, [alpha, 1 - alpha], axis=0)
    total = float(mean.sum())
    order = sorted(range(len(features)), key=lambda j: (-mean[j], features[j]))
    return [
        FeatureImportance(
            feature=str(features[j]),
            mean_abs=float(mean[j]),
            low=float(low[j]),
            high=float(high[j]),
            share=float(mean[j] / total) if total > 0 else 0.0,
        )
        for j in order
    ]


def group_drivers(
    values: np.ndarray,
    features: Sequence[str],
    groups: Sequence[str],
    *,
    attribute: str,
    min_group_size: int = 30,
    confidence: float = 0.95,
) -> GroupDrivers:
    """Mean attributions per group and, per feature, the gap between the extreme groups.

    The gap of a feature is the largest minus the smallest group mean of its attribution, with a
    normal-approximation interval (Welch standard error of the two means). ``relative`` divides the
    gap by the mean total |attribution| per row, so that 0.25 means "a quarter of what the inputs
    move a typical prediction". Groups smaller than ``min_group_size`` are left out and listed.

    Examples
    --------
    >>> import numpy as np
    >>> result = group_drivers(np.array([[1.0, 0.0], [1.0, 0.0], [-1.0, 0.0], [-1.0, 0.0]]),
    ...                        ["a", "b"], ["x", "x", "y", "y"], attribute="zone",
    ...                        min_group_size=1)
    >>> (result.gaps[0].feature, result.gaps[0].high_group, result.gaps[0].gap)
    ('a', 'x', 2.0)
    """
    labels = np.asarray([str(g) for g in groups], dtype=object)
    names, sizes = np.unique(labels, return_counts=True)
    kept = [str(g) for g, s in zip(names, sizes, strict=True) if s >= min_group_size]
    small = [str(g) for g, s in zip(names, sizes, strict=True) if s < min_group_size]
    p = values.shape[1]
    mean = np.zeros((len(kept), p))
    mean_abs = np.zeros((len(kept), p))
    var = np.zeros((len(kept), p))
    counts = []
    for i, group in enumerate(kept):
        block = values[labels == group]
        counts.append(len(block))
        mean[i] = block.mean(axis=0)
        mean_abs[i] = np.abs(block).mean(axis=0)
        var[i] = block.var(axis=0, ddof=1) if len(block) > 1 else 0.0
    scale = float(np.abs(values).sum(axis=1).mean()) if len(values) else 0.0
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    gaps: list[DriverGap] = []
    if len(kept) >= 2:
        for j, feature in enumerate(features):
            hi, lo = int(np.argmax(mean[:, j])), int(np.argmin(mean[:, j]))
            gap = float(mean[hi, j] - mean[lo, j])
            se = float(np.sqrt(var[hi, j] / counts[hi] + var[lo, j] / counts[lo]))
            gaps.append(
                DriverGap(
                    feature=str(feature),
                    high_group=kept[hi],
                    low_group=kept[lo],
                    gap=gap,
                    low=gap - z * se,
                    high=gap + z * se,
                    relative=gap / scale if scale > 0 else 0.0,
                )
            )
        gaps.sort(key=lambda g: (-g.gap, g.feature))
    return GroupDrivers(
        attribute=attribute,
        groups=kept,
        sizes=counts,
        features=[str(f) for f in features],
        mean=mean,
        mean_abs=mean_abs,
        gaps=gaps,
        small_groups=small,
    )
