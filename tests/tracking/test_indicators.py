"""The comparable indicators, read from the committed example review (a real bundle)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditkit.tracking import INDICATOR_METRICS, indicator_metrics, indicator_tags

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "guadalajara-demanda-servicios"


def _load(name: str) -> dict:
    return json.loads((EXAMPLE / "audit" / name).read_text(encoding="utf-8"))


def test_the_example_review_gives_every_forecast_indicator() -> None:
    """Equity gap, under-reporting, skill, coverage gap and open items from a real review."""
    findings, decision = _load("findings.json"), _load("decision.json")
    metrics = indicator_metrics(findings, decision)
    assert set(metrics) <= set(INDICATOR_METRICS)
    gap = findings["fairness"]["equity_gap"]
    assert (
        metrics["audit.equity_gap"],
        metrics["audit.equity_gap_ci_low"],
        metrics["audit.equity_gap_ci_high"],
    ) == (gap["ratio"], gap["ci_low"], gap["ci_high"])
    by_check = {f["check"]: f["params"] for f in findings["findings"] if not f.get("subject")}
    coverage = by_check["performance.interval_coverage"]
    assert metrics["audit.coverage_gap"] == pytest.approx(coverage["coverage"] - coverage["level"])
    assert metrics["audit.skill"] == by_check["performance.baseline_skill"]["skill"]
    assert metrics["audit.under_reporting_ratio"] == by_check["data.representativeness"]["ratio"]
    stopping = [
        i["id"]
        for i in decision["items"]
        if i["applies"] and i["blocking"] and i["status"] in ("fail", "needs_evidence")
    ]
    assert metrics["audit.blocking_open"] == len(stopping) > 0
    assert metrics["audit.conditions_open"] == len(decision["conditions"]) - len(stopping)
    tags = indicator_tags(findings, decision)
    assert tags["auditkit.tier_status"] == decision["tier_status"]
    assert tags["auditkit.equity_gap_group"] == gap["group"]


def test_nothing_measured_gives_no_metric() -> None:
    """No area ran: no indicator is invented (missing, never zero)."""
    assert indicator_metrics({"findings": [], "fairness": {"equity_gap": None}}, {}) == {}
    assert indicator_tags({}, {}) == {"auditkit.tier_status": "none"}


def test_classifier_calibration_is_an_indicator():
    """A VAL-02 calibration finding gives audit.calibration_error and audit.brier; none, none."""
    from auditkit.tracking import indicator_metrics

    calibration = {
        "check": "performance.calibration",
        "params": {"brier": 0.18, "ece": 0.031, "ece_null": 0.02, "tolerance": 0.02, "n": 900},
    }
    metrics = indicator_metrics({"findings": [calibration]}, {})
    assert (metrics["audit.calibration_error"], metrics["audit.brier"]) == (0.031, 0.18)
    assert "audit.calibration_error" not in indicator_metrics({"findings": []}, {})
