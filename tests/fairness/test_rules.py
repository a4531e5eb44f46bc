"""Status rules, references, suppression and intervals on hand-made tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from auditkit import ConfigError, InputDataError
from auditkit.fairness import MISSING_LABEL, group_metrics


def _table(spec):
    """spec: {group: [(y, p, count), ...]} -> rows."""
    rows = [
        {"g": group, "y": y, "p": p}
        for group, cells in spec.items()
        for y, p, count in cells
        for _ in range(count)
    ]
    return pd.DataFrame(rows)


def _rows(result, metric, attribute="g"):
    return {
        r["group"]: r for r in result.rows if r["metric"] == metric and r["attribute"] == attribute
    }


def _run(frame, **kwargs):
    options = {"task": "classification", "bootstrap": 0, "min_group_size": 30, "min_cell": 10}
    options.update(kwargs)
    return group_metrics(frame, y_true="y", y_pred="p", groups=["g"], **options)


def test_hand_computed_rates_and_ratios():
    """Selection rate 40/100 vs 20/100: ratio 0.5 fails; 36/100 is 0.9 and passes."""
    frame = _table(
        {
            "a": [(1, 1, 40), (0, 0, 60)],
            "b": [(1, 1, 20), (0, 0, 80)],
            "c": [(1, 1, 36), (0, 0, 64)],
        }
    )
    rows = _rows(_run(frame, metrics=["selection_rate"], reference={"g": "a"}), "selection_rate")
    assert rows["a"]["value"] == pytest.approx(0.4) and rows["a"]["status"] == "pass"
    assert rows["b"]["ratio"] == pytest.approx(0.5) and rows["b"]["status"] == "fail"
    assert rows["b"]["difference"] == pytest.approx(-0.2)
    assert rows["c"]["ratio"] == pytest.approx(0.9) and rows["c"]["status"] == "pass"


def test_band_edges_are_inclusive():
    """A ratio of exactly 0.8 or 1.25 is within the band."""
    frame = _table(
        {
            "a": [(1, 1, 40), (0, 0, 60)],
            "lo": [(1, 1, 32), (0, 0, 68)],
            "hi": [(1, 1, 50), (0, 0, 50)],
        }
    )
    rows = _rows(_run(frame, metrics=["selection_rate"], reference={"g": "a"}), "selection_rate")
    assert rows["lo"]["ratio"] == pytest.approx(0.8) and rows["lo"]["status"] == "pass"
    assert rows["hi"]["ratio"] == pytest.approx(1.25) and rows["hi"]["status"] == "pass"


def test_small_groups_are_insufficient_never_pass_or_fail():
    """A group under min_group_size is insufficient_data, whatever its value."""
    frame = _table({"a": [(1, 1, 50), (0, 0, 50)], "tiny": [(1, 0, 20)]})
    rows = _rows(_run(frame, metrics=["selection_rate"]), "selection_rate")
    assert rows["tiny"]["status"] == "insufficient_data"
    assert rows["tiny"]["value"] == 0.0  # shown: 20 rows is above min_cell


def test_small_cells_are_suppressed():
    """Under privacy.min_cell the size and every value are withheld."""
    frame = _table({"a": [(1, 1, 50), (0, 0, 50)], "b": [(1, 1, 50), (0, 0, 50)], "x": [(1, 1, 3)]})
    row = _rows(_run(frame, metrics=["selection_rate"]), "selection_rate")["x"]
    assert row["suppressed"] is True
    assert row["n"] is None and row["value"] is None and row["ratio"] is None
    assert row["status"] == "insufficient_data"


def test_undefined_rate_is_insufficient():
    """A group with no negatives has no false positive rate: insufficient, not a crash."""
    frame = _table({"a": [(1, 1, 40), (0, 0, 40), (0, 1, 20)], "allpos": [(1, 1, 30), (1, 0, 30)]})
    rows = _rows(_run(frame, metrics=["false_positive_rate"]), "false_positive_rate")
    assert rows["allpos"]["value"] is None
    assert rows["allpos"]["status"] == "insufficient_data"


def test_reference_zero_and_group_zero_is_ratio_one():
    """0 against a reference of 0 is no disparity; above 0 against 0 is a warning."""
    frame = _table(
        {
            "a": [(0, 0, 50), (1, 1, 50)],
            "b": [(0, 0, 60), (1, 1, 40)],
            "c": [(0, 1, 10), (0, 0, 40), (1, 1, 50)],
        }
    )
    rows = _rows(
        _run(frame, metrics=["false_positive_rate"], reference={"g": "a"}), "false_positive_rate"
    )
    assert rows["b"]["ratio"] == 1.0 and rows["b"]["status"] == "pass"
    assert rows["c"]["ratio"] is None and rows["c"]["status"] == "warn"


def test_missing_values_form_a_visible_group():
    """Missing group values are reported as '(missing)', never as the reference by default."""
    frame = _table({"a": [(1, 1, 40), (0, 0, 60)], "b": [(1, 1, 30), (0, 0, 70)]})
    frame.loc[:149, "g"] = None
    result = _run(frame, metrics=["selection_rate"])
    rows = _rows(result, "selection_rate")
    assert MISSING_LABEL in rows
    assert rows[MISSING_LABEL]["n"] == 150
    assert result.views[0].reference_group != MISSING_LABEL


def test_default_reference_is_largest_group():
    frame = _table({"small": [(1, 1, 40), (0, 0, 60)], "big": [(1, 1, 60), (0, 0, 90)]})
    assert _run(frame, metrics=["selection_rate"]).views[0].reference_group == "big"


def test_descriptive_metrics_are_never_gated():
    """Signed and absolute errors are reported, never judged; the predicted-to-actual ratio is."""
    frame = pd.DataFrame(
        {
            "y": [10.0] * 100 + [10.0] * 100,
            "p": [12.0] * 100 + [5.0] * 100,
            "g": ["a"] * 100 + ["b"] * 100,
        }
    )
    result = _run(
        frame,
        task="regression",
        metrics=["mean_signed_error", "mean_absolute_error", "prediction_to_actual_ratio"],
    )
    signed = _rows(result, "mean_signed_error")
    assert {r["status"] for r in signed.values()} == {"not_applicable"}
    assert signed["b"]["ratio"] is None and signed["b"]["difference"] == pytest.approx(-7.0)
    assert _rows(result, "mean_absolute_error")["b"]["status"] == "not_applicable"
    ratio = _rows(result, "prediction_to_actual_ratio")["b"]
    assert ratio["ratio"] == pytest.approx(0.5 / 1.2) and ratio["status"] == "fail"


def test_wide_interval_outside_band_is_a_warning():
    """Outside the band with an interval that reaches into it: warn, not fail."""
    frame = _table({"a": [(1, 1, 200), (0, 0, 800)], "b": [(1, 1, 9), (0, 0, 31)]})
    rows = _rows(_run(frame, metrics=["selection_rate"], bootstrap=500), "selection_rate")
    assert rows["b"]["ratio"] == pytest.approx(1.125)
    frame = _table({"a": [(1, 1, 200), (0, 0, 800)], "b": [(1, 1, 11), (0, 0, 29)]})
    rows = _rows(_run(frame, metrics=["selection_rate"], bootstrap=500), "selection_rate")
    assert rows["b"]["ratio"] == pytest.approx(1.375)
    assert rows["b"]["ratio_ci_low"] < 1.25 < rows["b"]["ratio_ci_high"]
    assert rows["b"]["status"] == "warn"


def test_bootstrap_matches_a_row_bootstrap():
    """Interval endpoints agree with a plain row-resampling bootstrap (independent oracle)."""
    rng = np.random.default_rng(5)
    n = 20_000
    frame = pd.DataFrame(
        {
            "g": rng.choice(["a", "b", "c"], n, p=[0.6, 0.3, 0.1]),
            "y": rng.integers(0, 2, n),
            "p": rng.integers(0, 2, n),
        }
    )
    result = _run(frame, metrics=["selection_rate"], bootstrap=1000, seed=1)
    rows = _rows(result, "selection_rate")
    y_pred, groups = frame["p"].to_numpy(), frame["g"].to_numpy()
    replicates = {g: [] for g in "abc"}
    ratios = []
    for _ in range(400):
        take = rng.integers(0, n, n)
        sample_p, sample_g = y_pred[take], groups[take]
        rates = {g: sample_p[sample_g == g].mean() for g in "abc"}
        for g in "abc":
            replicates[g].append(rates[g])
        ratios.append(rates["c"] / rates["a"])
    for g in "abc":
        low, high = np.quantile(replicates[g], [0.025, 0.975])
        width = high - low
        assert rows[g]["ci_low"] == pytest.approx(low, abs=0.15 * width)
        assert rows[g]["ci_high"] == pytest.approx(high, abs=0.15 * width)
    low, high = np.quantile(ratios, [0.025, 0.975])
    assert rows["c"]["ratio_ci_low"] == pytest.approx(low, abs=0.15 * (high - low))
    assert rows["c"]["ratio_ci_high"] == pytest.approx(high, abs=0.15 * (high - low))


def test_same_seed_same_intervals():
    frame = _table({"a": [(1, 1, 40), (0, 0, 60)], "b": [(1, 1, 30), (0, 0, 70)]})
    first = _run(frame, metrics=["selection_rate"], bootstrap=200, seed=3).rows
    assert first == _run(frame, metrics=["selection_rate"], bootstrap=200, seed=3).rows
    assert first != _run(frame, metrics=["selection_rate"], bootstrap=200, seed=4).rows


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"p": [0, 1, 2] * 40}, InputDataError, r"must be 0/1 .* found values \{0, 1, 2\}"),
        ({"y": [0, 1, None] * 40}, InputDataError, "column 'y' has 40 missing values"),
        ({"g": ["a"] * 120}, InputDataError, "single group"),
        ({"p": ["yes", "no", "no"] * 40}, InputDataError, "set data.positive_label"),
    ],
)
def test_bad_columns(change, error, match):
    frame = pd.DataFrame({"y": [0, 1, 1] * 40, "p": [0, 1, 0] * 40, "g": ["a", "b", "c"] * 40})
    for column, values in change.items():
        frame[column] = values
    with pytest.raises(error, match=match):
        _run(frame, metrics=["selection_rate"])


def test_positive_label():
    frame = pd.DataFrame(
        {"y": ["yes", "no"] * 60, "p": ["yes", "yes", "no", "no"] * 30, "g": ["a", "b", "c"] * 40}
    )
    result = _run(frame, metrics=["selection_rate"], positive_label="yes")
    assert _rows(result, "selection_rate")["a"]["value"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"metrics": ["selction_rate"]}, "Did you mean 'selection_rate'"),
        (
            {"metrics": ["mean_absolute_error"]},
            "unknown metric 'mean_absolute_error' for a classification",
        ),
        ({"reference": {"g": "zz"}}, "no such value"),
    ],
)
def test_bad_options(kwargs, match):
    frame = _table({"a": [(1, 1, 40), (0, 0, 60)], "b": [(1, 1, 30), (0, 0, 70)]})
    with pytest.raises((ConfigError, InputDataError), match=match):
        _run(frame, **kwargs)


def test_a_failing_headline_names_the_worst_failing_group():
    """A group further away but only warning (wide interval) is not the one a fail names."""
    from auditkit.fairness._review import _disparity_findings

    frame = _table(
        {
            "ref": [(0, 1, 100), (0, 0, 400)],  # false positive rate 0.2
            "big": [(0, 1, 180), (0, 0, 320)],  # 0.36: 1.8x, a tight interval -> fail
            "small": [(0, 1, 3), (0, 0, 37)],  # 0.075: 0.375x, but 40 rows -> warn
        }
    )
    result = _run(
        frame,
        metrics=["false_positive_rate"],
        reference={"g": "ref"},
        bootstrap=1000,
        min_group_size=30,
    )
    rows = _rows(result, "false_positive_rate")
    assert rows["big"]["status"] == "fail" and rows["small"]["status"] == "warn"
    (finding,) = _disparity_findings(result)
    assert finding.status == "fail"
    assert finding.params["worst_group"] == "big"
    assert finding.params["worst_ratio"] == pytest.approx(1.8)
    assert finding.params["groups_fail"] == 1 and finding.params["groups_warn"] == 1
