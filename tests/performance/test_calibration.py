"""Calibration of a classifier's scores: holds under the null, catches miscalibration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

from auditkit._config import AuditConfig
from auditkit.performance._calibration import calibration_check, expected_calibration_error


def _scores(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).beta(2, 5, size=n)


def test_brier_and_ece_agree_with_scikit_learn():
    """Brier equals sklearn's; ECE equals the bin gaps of sklearn's calibration curve, weighted."""
    rng = np.random.default_rng(3)
    score = _scores(5000, 3)
    y = (rng.uniform(size=score.size) < score**0.8).astype(float)
    result = calibration_check(y, score, replicates=20)
    assert result["brier"] == pytest.approx(brier_score_loss(y, score), abs=1e-12)
    observed, predicted = calibration_curve(y, score, n_bins=10, strategy="uniform")
    bins = np.minimum((score * 10).astype(int), 9)
    counts = np.bincount(bins, minlength=10)
    weights = counts[counts > 0] / counts.sum()
    assert result["ece"] == pytest.approx(float(np.sum(weights * np.abs(observed - predicted))))


@pytest.mark.parametrize("n", [80, 400, 5000])
def test_null_calibrated_scores_pass_at_any_size(n):
    """Outcomes drawn from the scores themselves: no seed fails, at most one warns in 20."""
    statuses = []
    for seed in range(20):
        score = _scores(n, seed)
        y = (np.random.default_rng(1000 + seed).uniform(size=n) < score).astype(float)
        statuses.append(calibration_check(y, score, seed=seed)["status"])
    assert "fail" not in statuses
    assert statuses.count("warn") <= 1


def test_overconfident_scores_fail():
    """Scores pushed away from the truth (true rate = score ** 2) fail on a realistic pilot."""
    score = _scores(2000, 7)
    y = (np.random.default_rng(8).uniform(size=score.size) < score**2).astype(float)
    result = calibration_check(y, score, seed=0)
    assert result["status"] == "fail" and result["ece"] > result["ece_null"]


def test_ece_of_perfect_bins_is_zero():
    """Each bin's mean score equals its observed rate: no gap."""
    y = np.array([0.0, 1.0, 0.0, 1.0])
    score = np.array([0.5, 0.5, 0.5, 0.5])
    assert expected_calibration_error(y, score) == 0.0


def test_the_performance_area_reports_calibration(tmp_path):
    """With data.y_score the review has a VAL-02 calibration finding and its two metric rows."""
    from auditkit.review import run_review

    rng = np.random.default_rng(0)
    score = _scores(3000, 0)
    frame = pd.DataFrame(
        {
            "y": (rng.uniform(size=score.size) < score).astype(int),
            "p": (score > 0.5).astype(int),
            "prob": score.round(6),
            "zone": rng.choice(["a", "b"], size=score.size),
        }
    )
    frame.to_csv(tmp_path / "predictions.csv", index=False)
    config = AuditConfig.model_validate(
        {
            "pilot": {"name": "Triage", "task": "classification", "language": "en"},
            "data": {
                "predictions": "predictions.csv",
                "y_true": "y",
                "y_pred": "p",
                "y_score": "prob",
                "groups": ["zone"],
            },
        }
    )
    config = config.model_copy(update={"source": tmp_path / "audit.yaml"})
    review = run_review(config)
    found = [f for f in review.findings if f.check == "performance.calibration"]
    assert [(f.item, f.status) for f in found] == [("VAL-02", "pass")]
    metrics = {r["metric"] for r in review.metrics if r["area"] == "performance"}
    assert {"brier_score", "expected_calibration_error"} <= metrics


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"pilot": {"name": "F", "task": "forecast"}}, "applies to classification pilots"),
    ],
)
def test_y_score_is_for_classifiers(change, match):
    """A probability column on a forecast is a config error naming the key."""
    raw = {
        "pilot": {"name": "F", "task": "classification"},
        "data": {
            "predictions": "p.csv",
            "y_true": "y",
            "y_pred": "p",
            "y_score": "s",
            "groups": ["zone"],
        },
    }
    with pytest.raises(ValueError, match=match):
        AuditConfig.model_validate({**raw, **change})


@pytest.mark.parametrize("n", [150, 1000, 8000])
def test_null_holds_with_weights(n):
    """Weighted calibrated scores (weights 0.2 to 3): the null of the weighted bins holds."""
    statuses = []
    for seed in range(20):
        rng = np.random.default_rng(500 + seed)
        score = _scores(n, seed)
        y = (rng.uniform(size=n) < score).astype(float)
        weight = rng.uniform(0.2, 3.0, n)
        statuses.append(calibration_check(y, score, weight, seed=seed)["status"])
    assert "fail" not in statuses
    assert statuses.count("warn") <= 1


def test_null_draws_are_those_of_the_rows():
    """Per fine bin, Binomial(n, mean score) has the mean and (within 1e-3) the spread of the
    rows' own Bernoulli draws: the null ECE matches a row-by-row simulation."""
    from auditkit.performance._calibration import expected_calibration_error

    score = _scores(600, 11)
    rng = np.random.default_rng(12)
    rows = [
        expected_calibration_error((rng.uniform(size=score.size) < score).astype(float), score)
        for _ in range(2000)
    ]
    y = (np.random.default_rng(13).uniform(size=score.size) < score).astype(float)
    binned = calibration_check(y, score, replicates=2000, seed=1)["ece_null"]
    assert binned == pytest.approx(float(np.quantile(rows, 0.95)), abs=0.004)
