"""The fairness core against independent oracles: fairlearn's MetricFrame and aequitas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import (
    MetricFrame,
    false_negative_rate,
    false_positive_rate,
    mean_prediction,
    selection_rate,
    true_negative_rate,
    true_positive_rate,
)
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    mean_absolute_error,
    mean_squared_error,
    precision_score,
    root_mean_squared_error,
)

from auditkit.fairness import MISSING_LABEL, group_metrics
from tests.fairness._tables import classification_table, regression_table


def _precision(y_true, y_pred, sample_weight=None):
    return precision_score(y_true, y_pred, sample_weight=sample_weight, zero_division=np.nan)


def _w_avg(values, sample_weight):
    return float(np.average(values, weights=sample_weight))


CLASSIFICATION_ORACLES = {
    "selection_rate": selection_rate,
    "accuracy": accuracy_score,
    "balanced_accuracy": balanced_accuracy_score,
    "precision": _precision,
    "true_positive_rate": true_positive_rate,
    "false_positive_rate": false_positive_rate,
    "true_negative_rate": true_negative_rate,
    "false_negative_rate": false_negative_rate,
}

REGRESSION_ORACLES = {
    "mean_absolute_error": mean_absolute_error,
    "root_mean_squared_error": root_mean_squared_error,
    "mean_squared_error": mean_squared_error,
    "mean_prediction": mean_prediction,
    "mean_signed_error": lambda t, p, sample_weight=None: _w_avg(
        np.asarray(p) - np.asarray(t), sample_weight
    ),
    "under_prediction_rate": lambda t, p, sample_weight=None: _w_avg(
        np.asarray(p) < np.asarray(t), sample_weight
    ),
    "mean_actual": lambda t, p, sample_weight=None: _w_avg(np.asarray(t), sample_weight),
    "weighted_absolute_percentage_error": lambda t, p, sample_weight=None: float(
        np.sum(np.abs(np.asarray(p) - t) * (1 if sample_weight is None else sample_weight))
        / np.sum(np.abs(t) * (1 if sample_weight is None else sample_weight))
    ),
    "prediction_to_actual_ratio": lambda t, p, sample_weight=None: float(
        np.average(p, weights=sample_weight) / np.average(t, weights=sample_weight)
    ),
}


def _coverage(y_true, y_pred, lo, hi, sample_weight=None):
    return _w_avg((np.asarray(lo) <= y_true) & (np.asarray(y_true) <= hi), sample_weight)


def _metric_frame(frame, oracles, features, weighted, extra=None):
    params = {}
    for name in oracles:
        params[name] = {"sample_weight": frame["w"]} if weighted else {}
        if extra and name in extra:
            params[name].update(extra[name])
    return MetricFrame(
        metrics=oracles,
        y_true=frame["y"],
        y_pred=frame["p"],
        sensitive_features=frame[features].fillna(MISSING_LABEL),
        sample_params={k: v for k, v in params.items() if v},
    )


def _compare(result, expected, attribute):
    rows = [r for r in result.rows if r["attribute"] == attribute]
    checked = 0
    for row in rows:
        key = tuple(row["group"].split(" & "))
        key = key[0] if len(key) == 1 else key
        oracle = expected.loc[key, row["metric"]]
        if row["value"] is None:
            assert not np.isfinite(oracle) or row["suppressed"], row
            continue
        assert row["value"] == pytest.approx(oracle, rel=1e-9, abs=1e-12), row
        checked += 1
    return checked


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("seed", range(8))
def test_classification_matches_metricframe(seed, weighted):
    """Every classification metric equals fairlearn's MetricFrame to 1e-9, by group and crossed."""
    frame = classification_table(seed, weighted=weighted)
    result = group_metrics(
        frame,
        y_true="y",
        y_pred="p",
        groups=["race", "sex"],
        task="classification",
        metrics=list(CLASSIFICATION_ORACLES),
        sample_weight="w" if weighted else None,
        min_cell=1,
        bootstrap=0,
    )
    for features, attribute in (
        (["race"], "race"),
        (["sex"], "sex"),
        (["race", "sex"], "race & sex"),
    ):
        mf = _metric_frame(frame, CLASSIFICATION_ORACLES, features, weighted)
        assert _compare(result, mf.by_group, attribute) > 0
    overall = {r["metric"]: r["value"] for r in result.rows if r["attribute"] == "(all)"}
    for name, value in mf.overall.items():
        assert overall[name] == pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("seed", range(8))
def test_regression_matches_metricframe(seed, weighted):
    """Every regression metric (and interval coverage) equals MetricFrame to 1e-9."""
    frame = regression_table(seed, weighted=weighted)
    oracles = {**REGRESSION_ORACLES, "interval_coverage": _coverage}
    result = group_metrics(
        frame,
        y_true="y",
        y_pred="p",
        y_pred_lower="lo",
        y_pred_upper="hi",
        groups=["stratum", "channel"],
        task="regression",
        metrics=list(oracles),
        sample_weight="w" if weighted else None,
        min_cell=1,
        bootstrap=0,
    )
    extra = {"interval_coverage": {"lo": frame["lo"], "hi": frame["hi"]}}
    for features, attribute in (
        (["stratum"], "stratum"),
        (["channel"], "channel"),
        (["stratum", "channel"], "stratum & channel"),
    ):
        expected = _metric_frame(frame, oracles, features, weighted, extra).by_group
        assert _compare(result, expected, attribute) > 0


def test_matches_aequitas_disparities():
    """Group rates and disparities to the reference group equal aequitas' crosstabs."""
    from aequitas.bias import Bias
    from aequitas.group import Group

    frame = classification_table(3).dropna()
    result = group_metrics(
        frame,
        y_true="y",
        y_pred="p",
        groups=["race"],
        task="classification",
        metrics=["selection_rate", "false_positive_rate", "false_negative_rate", "precision"],
        reference={"race": "Caucasian"},
        bootstrap=0,
        intersections=False,
    )
    aq = pd.DataFrame(
        {"score": frame["p"], "label_value": frame["y"], "race": frame["race"].astype(object)}
    )
    crosstab, _ = Group().get_crosstabs(aq)
    disparities = Bias().get_disparity_predefined_groups(
        crosstab, original_df=aq, ref_groups_dict={"race": "Caucasian"}, check_significance=False
    )
    names = {
        "selection_rate": "pprev",
        "false_positive_rate": "fpr",
        "false_negative_rate": "fnr",
        "precision": "precision",
    }
    for row in result.rows:
        if row["attribute"] == "(all)":
            continue
        match = disparities[disparities["attribute_value"] == row["group"]].iloc[0]
        column = names[row["metric"]]
        assert row["value"] == pytest.approx(match[column], rel=1e-9)
        assert row["ratio"] == pytest.approx(match[f"{column}_disparity"], rel=1e-9)
