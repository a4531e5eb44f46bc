"""One class against the rest: a multiclass classifier's per-class metrics by group, under the null and not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, true_positive_rate

from auditkit._errors import InputDataError
from auditkit.fairness._multiclass import one_vs_rest

CLASSES = ("alumbrado", "basura", "baches")


def _simulate(
    recall_by_group: dict[str, float], sizes: dict[str, int], seed: int = 0
) -> pd.DataFrame:
    """Messages whose predicted class is right with the group's probability, else another class."""
    rng = np.random.default_rng(seed)
    parts = []
    for group, n in sizes.items():
        truth = rng.choice(CLASSES, size=n)
        right = rng.uniform(size=n) < recall_by_group[group]
        other = np.array([rng.choice([c for c in CLASSES if c != t]) for t in truth])
        parts.append(
            pd.DataFrame({"y": truth, "p": np.where(right, truth, other), "stratum": group})
        )
    return pd.concat(parts, ignore_index=True)


def test_values_equal_fairlearn_per_class():
    """Each class's recall by group equals fairlearn's MetricFrame on the binarised labels."""
    frame = _simulate({"bajo": 0.9, "alto": 0.7}, {"bajo": 900, "alto": 600})
    results = dict(
        one_vs_rest(
            frame,
            y_true="y",
            y_pred="p",
            groups=["stratum"],
            metrics=["true_positive_rate"],
            bootstrap=0,
        )
    )
    assert sorted(results) == sorted(CLASSES)
    for label, result in results.items():
        expected = MetricFrame(
            metrics=true_positive_rate,
            y_true=(frame["y"] == label).astype(int),
            y_pred=(frame["p"] == label).astype(int),
            sensitive_features=frame["stratum"],
        ).by_group
        rows = {
            r["group"]: r["value"] for r in result.rows if r["attribute"] == f"stratum [{label}]"
        }
        for group, value in expected.items():
            assert rows[group] == pytest.approx(value, abs=1e-12)


def test_null_a_classifier_equally_right_for_every_group_rarely_fails():
    """Same recall in groups of very different sizes: at most 1 % of class disparities fail.

    A finite sample can be extreme by chance (seed 4 routes 50 of 569 'alto' messages wrongly to
    street lighting where 28 are expected, a 4-sigma excess that any test flags), so the null is
    judged as a rate over 20 simulations, 120 comparisons.
    """
    fails = total = 0
    for seed in range(20):
        frame = _simulate({"bajo": 0.9, "alto": 0.9}, {"bajo": 4000, "alto": 800}, seed=seed)
        results = one_vs_rest(
            frame,
            y_true="y",
            y_pred="p",
            groups=["stratum"],
            metrics=["true_positive_rate", "false_positive_rate"],
            reference={"stratum": "bajo"},
            bootstrap=200,
            seed=seed,
        )
        for _, result in results:
            statuses = [r["status"] for r in result.rows if r["group"] == "alto"]
            total += len(statuses)
            fails += statuses.count("fail")
    assert total == 120
    assert fails <= total // 100


def test_a_group_misrouted_more_often_fails_for_every_class():
    """A stratum whose messages reach their department far less often fails each class's recall."""
    frame = _simulate({"bajo": 0.95, "alto": 0.55}, {"bajo": 2000, "alto": 1000})
    results = one_vs_rest(
        frame,
        y_true="y",
        y_pred="p",
        groups=["stratum"],
        metrics=["true_positive_rate"],
        reference={"stratum": "bajo"},
        bootstrap=200,
    )
    for label, result in results:
        (row,) = [r for r in result.rows if r["group"] == "alto"]
        assert row["attribute"] == f"stratum [{label}]"
        assert row["status"] == "fail"


def test_missing_labels_and_a_single_class_are_explained():
    """Missing labels, or one class only, stop with a message naming the column."""
    frame = pd.DataFrame({"y": ["a", None], "p": ["a", "a"], "g": ["x", "y"]})
    with pytest.raises(InputDataError, match="column 'y' has 1 missing class labels"):
        one_vs_rest(frame, y_true="y", y_pred="p", groups=["g"], metrics=["true_positive_rate"])
    frame = pd.DataFrame({"y": ["a", "a"], "p": ["a", "a"], "g": ["x", "y"]})
    with pytest.raises(InputDataError, match="has a single class"):
        one_vs_rest(frame, y_true="y", y_pred="p", groups=["g"], metrics=["true_positive_rate"])
