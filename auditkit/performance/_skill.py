"""Skill over a baseline and interval coverage, overall and by group."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SkillResult", "baseline_skill", "interval_coverage"]


@dataclass(frozen=True)
class SkillResult:
    """Skill of the model over the baseline for one slice of the rows."""

    attribute: str
    group: str
    n: int
    model_error: float
    baseline_error: float

    @property
    def skill(self) -> float:
        if self.baseline_error == 0:
            return 0.0 if self.model_error == 0 else -math.inf
        return 1 - self.model_error / self.baseline_error


def _error(
    frame: pd.DataFrame, truth: str, prediction: str, task: str, weight: np.ndarray | None
) -> float:
    y = frame[truth].to_numpy(dtype=np.float64)
    p = frame[prediction].to_numpy(dtype=np.float64)
    loss = (y != p).astype(np.float64) if task == "classification" else np.abs(p - y)
    return float(np.average(loss, weights=weight))


def baseline_skill(
    frame: pd.DataFrame,
    *,
    y_true: str,
    y_pred: str,
    baseline: str,
    task: str,
    groups: list[str],
    sample_weight: str | None = None,
) -> list[SkillResult]:
    """Skill overall (attribute ``"(all)"``) and in every group of every attribute.

    The error is the mean absolute error for regression and forecasts and the error rate
    (1 − accuracy) for classifiers, weighted when ``sample_weight`` is given.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"y": [10, 20, 30, 40], "p": [11, 19, 33, 40],
    ...                       "b": [14, 16, 26, 48], "zone": ["a", "a", "b", "b"]})
    >>> [round(r.skill, 3) for r in baseline_skill(frame, y_true="y", y_pred="p", baseline="b",
    ...                                            task="forecast", groups=["zone"])]
    [0.75, 0.75, 0.75]
    """

    def slice_skill(part: pd.DataFrame, attribute: str, group: str) -> SkillResult:
        weight = part[sample_weight].to_numpy(dtype=np.float64) if sample_weight else None
        return SkillResult(
            attribute=attribute,
            group=group,
            n=len(part),
            model_error=_error(part, y_true, y_pred, task, weight),
            baseline_error=_error(part, y_true, baseline, task, weight),
        )

    results = [slice_skill(frame, "(all)", "(all)")]
    for attribute in groups:
        keys = frame[attribute].astype("string").fillna("(missing)")
        for group, part in frame.groupby(keys, sort=True, observed=True):
            results.append(slice_skill(part, attribute, str(group)))
    return results


def interval_coverage(
    frame: pd.DataFrame,
    *,
    y_true: str,
    lower: str,
    upper: str,
    sample_weight: str | None = None,
) -> dict[str, Any]:
    """Share of rows whose actual value lies within ``[lower, upper]`` (inclusive)."""
    y = frame[y_true].to_numpy(dtype=np.float64)
    hits = (frame[lower].to_numpy(dtype=np.float64) <= y) & (
        y <= frame[upper].to_numpy(dtype=np.float64)
    )
    weight = frame[sample_weight].to_numpy(dtype=np.float64) if sample_weight else None
    return {"coverage": float(np.average(hits, weights=weight)), "n": len(frame)}
