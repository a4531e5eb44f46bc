"""Metrics as functions of per-group sufficient statistics.

Classification statistics are the weighted confusion cells ``[tn, fp, fn, tp]`` (row index
``2 * y_true + y_pred``). Regression and forecast statistics are weighted sums: total weight,
Σ error, Σ |error|, Σ error², Σ under-prediction, Σ prediction, Σ actual, Σ |actual| and
Σ interval hits, with ``error = prediction − actual``. Every metric is then a ratio of sums, so it
can be evaluated on any array of statistics at once (groups, intersections, bootstrap
replicates), and it is ``nan`` exactly where it is undefined (an empty denominator).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "CLASSIFICATION_STATS",
    "DEFAULT_BANDS",
    "DEFAULT_METRICS",
    "METRICS",
    "REGRESSION_STATS",
    "MetricSpec",
    "default_metrics",
]

FloatArray = npt.NDArray[np.float64]
Kind = Literal["classification", "regression"]

CLASSIFICATION_STATS: tuple[str, ...] = ("tn", "fp", "fn", "tp")
REGRESSION_STATS: tuple[str, ...] = (
    "weight",
    "error",
    "abs_error",
    "sq_error",
    "under",
    "pred",
    "actual",
    "abs_actual",
    "covered",
)
_C = {name: i for i, name in enumerate(CLASSIFICATION_STATS)}
_R = {name: i for i, name in enumerate(REGRESSION_STATS)}


def _div(num: FloatArray, den: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.divide(num, den)
    return np.asarray(np.where(den == 0, np.nan, out), dtype=np.float64)


def _c(name: str) -> Callable[[FloatArray], FloatArray]:
    index = _C[name]
    return lambda s: s[..., index]


def _r(name: str) -> Callable[[FloatArray], FloatArray]:
    index = _R[name]
    return lambda s: s[..., index]


tn, fp, fn, tp = (_c(n) for n in CLASSIFICATION_STATS)
(
    weight,
    error,
    abs_error,
    sq_error,
    under,
    pred,
    actual,
    abs_actual,
    covered,
) = (_r(n) for n in REGRESSION_STATS)


def _total(s: FloatArray) -> FloatArray:
    return np.asarray(s.sum(axis=-1), dtype=np.float64)


@dataclass(frozen=True)
class MetricSpec:
    """A metric computed from sufficient statistics.

    Attributes
    ----------
    name : str
        The name used in the config and in ``findings.json`` (sklearn/fairlearn names where
        those exist).
    kind : {"classification", "regression"}
        Which statistics it reads; regression metrics serve the ``forecast`` task too.
    compute : callable
        Statistics array ``(..., S)`` to values ``(...)``; ``nan`` where undefined.
    gated : bool
        Whether a disparity outside the band fails the check. Descriptive metrics are reported
        with their intervals but never gate: means of the data itself, signed errors, and the
        size of regression and forecast errors (MAE, RMSE, WAPE, under-prediction rate, interval
        coverage), which differ between groups through volume and noise alone even when the
        model is right for every group (see docs/fairness-forecasts.md).
    ratio : bool
        Whether a ratio to the reference group is meaningful (non-negative quantities).
    needs_interval : bool
        Needs lower/upper prediction bounds.
    interval_judged : bool
        A ratio outside the band fails only when its whole confidence interval lies outside the
        band; when the interval reaches into the band the group passes (its difference from the
        reference is within what its own volume and noise allow). Without a bootstrap the point
        ratio is judged.
    """

    name: str
    kind: Kind
    compute: Callable[[FloatArray], FloatArray]
    gated: bool = True
    ratio: bool = True
    needs_interval: bool = False
    interval_judged: bool = False


def _sqrt_mse(s: FloatArray) -> FloatArray:
    return np.sqrt(_div(sq_error(s), weight(s)))


def _balanced_accuracy(s: FloatArray) -> FloatArray:
    return (_div(tp(s), tp(s) + fn(s)) + _div(tn(s), tn(s) + fp(s))) / 2


_SPECS = [
    # classification — fairlearn / sklearn names
    MetricSpec("selection_rate", "classification", lambda s: _div(tp(s) + fp(s), _total(s))),
    MetricSpec("accuracy", "classification", lambda s: _div(tp(s) + tn(s), _total(s))),
    MetricSpec("balanced_accuracy", "classification", _balanced_accuracy),
    MetricSpec("precision", "classification", lambda s: _div(tp(s), tp(s) + fp(s))),
    MetricSpec("true_positive_rate", "classification", lambda s: _div(tp(s), tp(s) + fn(s))),
    MetricSpec("false_positive_rate", "classification", lambda s: _div(fp(s), fp(s) + tn(s))),
    MetricSpec("true_negative_rate", "classification", lambda s: _div(tn(s), tn(s) + fp(s))),
    MetricSpec("false_negative_rate", "classification", lambda s: _div(fn(s), fn(s) + tp(s))),
    MetricSpec("false_discovery_rate", "classification", lambda s: _div(fp(s), tp(s) + fp(s))),
    MetricSpec("false_omission_rate", "classification", lambda s: _div(fn(s), fn(s) + tn(s))),
    MetricSpec("negative_predictive_value", "classification", lambda s: _div(tn(s), tn(s) + fn(s))),
    MetricSpec(
        "base_rate", "classification", lambda s: _div(tp(s) + fn(s), _total(s)), gated=False
    ),
    # regression and forecast — sklearn names, then the ones sklearn has no name for. Only the
    # predicted-to-actual ratio is judged: it is 1 in expectation for a model right on average in
    # every group, whatever the group's volume; the size of the errors is not (a perfect model's
    # WAPE is ~1.2 at 0.5 events per row and ~0.2 at 15), so it is reported, never gated.
    MetricSpec(
        "prediction_to_actual_ratio",
        "regression",
        lambda s: _div(pred(s), actual(s)),
        interval_judged=True,
    ),
    MetricSpec(
        "mean_absolute_error",
        "regression",
        lambda s: _div(abs_error(s), weight(s)),
        gated=False,
    ),
    MetricSpec("root_mean_squared_error", "regression", _sqrt_mse, gated=False),
    MetricSpec(
        "mean_squared_error", "regression", lambda s: _div(sq_error(s), weight(s)), gated=False
    ),
    MetricSpec(
        "weighted_absolute_percentage_error",
        "regression",
        lambda s: _div(abs_error(s), abs_actual(s)),
        gated=False,
    ),
    MetricSpec(
        "under_prediction_rate", "regression", lambda s: _div(under(s), weight(s)), gated=False
    ),
    MetricSpec(
        "interval_coverage",
        "regression",
        lambda s: _div(covered(s), weight(s)),
        gated=False,
        needs_interval=True,
    ),
    MetricSpec(
        "mean_signed_error",
        "regression",
        lambda s: _div(error(s), weight(s)),
        gated=False,
        ratio=False,
    ),
    MetricSpec("mean_prediction", "regression", lambda s: _div(pred(s), weight(s)), gated=False),
    MetricSpec("mean_actual", "regression", lambda s: _div(actual(s), weight(s)), gated=False),
]

METRICS: dict[str, MetricSpec] = {spec.name: spec for spec in _SPECS}

DEFAULT_METRICS: dict[str, tuple[str, ...]] = {
    "classification": ("selection_rate", "false_positive_rate", "false_negative_rate"),
    # the predicted-to-actual ratio is the judged metric; the error sizes are reported
    "regression": (
        "prediction_to_actual_ratio",
        "mean_absolute_error",
        "root_mean_squared_error",
        "mean_signed_error",
        "mean_prediction",
        "mean_actual",
    ),
    # forecasts of counts: scale-free error sizes, reported; zones differ in volume
    "forecast": (
        "prediction_to_actual_ratio",
        "weighted_absolute_percentage_error",
        "under_prediction_rate",
        "mean_signed_error",
        "mean_prediction",
        "mean_actual",
    ),
}

# The tolerated ratio to the reference group. Classifier rates follow the four-fifths
# convention; for the predicted-to-actual ratio of forecasts and regressions a 10 % relative bias
# is already material (crews are planned in proportion to the forecast), so the band is tighter,
# and it is judged only when the whole interval lies outside it.
DEFAULT_BANDS: dict[str, tuple[float, float]] = {
    "classification": (0.8, 1.25),
    "regression": (0.9, 1.1),
    "forecast": (0.9, 1.1),
}


def default_metrics(task: str, *, has_interval: bool) -> tuple[str, ...]:
    """The metrics reviewed when the config names none.

    >>> default_metrics("classification", has_interval=False)
    ('selection_rate', 'false_positive_rate', 'false_negative_rate')
    """
    names = DEFAULT_METRICS[task]
    if has_interval and task != "classification":
        names = (*names[:3], "interval_coverage", *names[3:])
    return names
