"""Segments (data.segments) get performance by segment and no fairness gate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from auditkit import ConfigError
from auditkit._config import load_config
from auditkit.review import run_review

AUDIT = """\
pilot: {{name: Demand, task: forecast, country: MX}}
data:
  predictions: predictions.csv
  y_true: y
  y_pred: p
  groups: [stratum]
  segments: {segments}
fairness:
  reference: {{stratum: low}}
  bootstrap: 200
"""


def _project(tmp_path: Path, segments: str) -> Path:
    rng = np.random.default_rng(5)
    n = 4000
    stratum = rng.choice(["low", "high"], n)
    category = rng.choice(["trash", "lighting"], n)
    mean = np.where(category == "trash", 6.0, 1.0)
    # trash is forecast 30 % low: a worse model for one service, nobody treated unfairly
    frame = pd.DataFrame(
        {
            "y": rng.poisson(mean),
            "p": np.where(category == "trash", 0.7 * mean, mean),
            "stratum": stratum,
            "category": category,
        }
    )
    frame.to_csv(tmp_path / "predictions.csv", index=False)
    (tmp_path / "audit.yaml").write_text(AUDIT.format(segments=segments), encoding="utf-8")
    return tmp_path / "audit.yaml"


def test_a_segment_is_reported_by_segment_and_never_gated(tmp_path: Path):
    """Category as a segment: performance rows and a pass finding, however badly it is served."""
    review = run_review(load_config(_project(tmp_path, "[category]")))
    findings = {f.id: f for f in review.findings}
    assert findings["fairness.segments.category"].status == "pass"
    assert findings["fairness.segments.category"].params["segments"] == 2
    assert not any(f.status == "fail" for f in review.findings if f.area == "fairness")
    rows = [r for r in review.metrics if r["attribute"] == "category"]
    assert rows and {r["area"] for r in rows} == {"performance"}
    assert {r["status"] for r in rows} == {"not_applicable"}
    trash = next(
        r for r in rows if r["group"] == "trash" and r["metric"] == "prediction_to_actual_ratio"
    )
    assert trash["value"] == pytest.approx(0.7, abs=0.03)
    assert [s["attribute"] for s in review.sections["fairness"]["segments"]] == ["category"]


def test_the_same_column_as_an_equity_attribute_fails(tmp_path: Path):
    """The contrast: judged as a group, the same 30 % shortfall fails FAI-02."""
    path = _project(tmp_path, "[]")
    text = path.read_text(encoding="utf-8").replace("[stratum]", "[stratum, category]")
    path.write_text(text, encoding="utf-8")
    review = run_review(load_config(path))
    finding = next(
        f
        for f in review.findings
        if f.id == "fairness.disparity.category.prediction_to_actual_ratio"
    )
    # trash has the most volume, so it is the reference and lighting is 1 / 0.7 of it
    assert finding.status == "fail" and finding.params["reference_group"] == "trash"
    assert finding.params["worst_ratio"] == pytest.approx(1 / 0.7, rel=0.05)


def test_a_column_cannot_be_both(tmp_path: Path):
    """data.groups and data.segments must not share a column."""
    path = _project(tmp_path, "[stratum]")
    with pytest.raises(ConfigError, match="either an equity attribute"):
        load_config(path)
