"""The area kit: one metric row for every area, one finding factory with a default severity."""

from __future__ import annotations

import math

import pytest

from auditkit._area import METRIC_ROW_KEYS, finding, metric_row


def test_row_keys_are_the_public_contract() -> None:
    """A row has every key of the contract, in order; explain's feature sits after the group."""
    row = metric_row(
        "fairness", "zone", "Centro", "mae", value=1.5, n=40, status="pass", min_cell=10
    )
    assert tuple(row) == METRIC_ROW_KEYS
    explained = metric_row(
        "explain",
        "zone",
        "Centro",
        "mean_attribution",
        feature="lag_h",
        value=0.1,
        n=40,
        status="not_applicable",
        min_cell=10,
    )
    assert list(explained) == [*METRIC_ROW_KEYS[:3], "feature", *METRIC_ROW_KEYS[3:]]


def test_small_cell_hides_numbers_and_keeps_labels() -> None:
    """Below min_cell every number is None; the labels (reference group, feature) stay."""
    row = metric_row(
        "fairness",
        "zone",
        "Norte",
        "mae",
        value=2.0,
        n=9,
        status="insufficient_data",
        min_cell=10,
        feature="lag_h",
        reference_group="Centro",
        ratio=1.3,
        ci_low=1.0,
        ci_high=3.0,
        ratio_ci_low=1.1,
        ratio_ci_high=1.5,
        difference=0.5,
        difference_ci_low=0.1,
        difference_ci_high=0.9,
    )
    numbers = [k for k in METRIC_ROW_KEYS if k not in ("area", "attribute", "group", "metric")]
    numbers = [k for k in numbers if k not in ("reference_group", "status", "suppressed")]
    assert all(dict(row)[k] is None for k in numbers)
    assert (row["reference_group"], row["feature"], row["suppressed"]) == ("Centro", "lag_h", True)
    assert row["status"] == "insufficient_data"


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf, None])
def test_numbers_that_are_not_finite_are_none(number: float | None) -> None:
    """NaN and infinities never reach findings.json (JSON has no NaN)."""
    row = metric_row(
        "data",
        "zone",
        "Centro",
        "rate",
        value=number,
        n=50,
        status="pass",
        min_cell=10,
        ratio=number,
        difference=number,
    )
    assert (row["value"], row["ratio"], row["difference"], row["n"]) == (None, None, None, 50)


@pytest.mark.parametrize(
    ("status", "severity"),
    [("fail", "high"), ("warn", "medium"), ("pass", "info"), ("needs_evidence", "info")],
)
def test_finding_severity_defaults_by_status(status: str, severity: str) -> None:
    """Without a severity a fail is high and a warn medium; a given one is kept."""
    assert finding("fairness.disparity", status, "m").severity == severity
    assert finding("fairness.disparity", status, "m", severity="low").severity == "low"
