"""Skill over a baseline and interval coverage, against hand-computed values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from auditkit import load_config, run_review
from auditkit.performance import baseline_skill, interval_coverage


def test_skill_by_hand():
    """MAE 1.25 vs 5.0 overall -> skill 0.75; per zone likewise."""
    frame = pd.DataFrame(
        {"y": [10, 20, 30, 40], "p": [11, 19, 33, 40], "b": [14, 16, 26, 48], "z": list("aabb")}
    )
    results = baseline_skill(
        frame, y_true="y", y_pred="p", baseline="b", task="forecast", groups=["z"]
    )
    assert [(r.attribute, r.group) for r in results] == [("(all)", "(all)"), ("z", "a"), ("z", "b")]
    assert results[0].model_error == pytest.approx(1.25)
    assert results[0].baseline_error == pytest.approx(5.0)
    assert results[0].skill == pytest.approx(0.75)
    assert results[1].skill == pytest.approx(1 - 1 / 4)


def test_classification_skill_uses_error_rate():
    frame = pd.DataFrame(
        {"y": [1, 0, 1, 0], "p": [1, 0, 1, 1], "b": [0, 0, 0, 0], "z": list("abab")}
    )
    overall = baseline_skill(
        frame, y_true="y", y_pred="p", baseline="b", task="classification", groups=["z"]
    )[0]
    assert overall.skill == pytest.approx(1 - 0.25 / 0.5)


def test_coverage_is_inclusive():
    frame = pd.DataFrame(
        {"y": [1.0, 2.0, 3.0, 4.0], "lo": [1.0, 2.5, 0.0, 0.0], "hi": [2.0, 3.0, 3.0, 3.9]}
    )
    assert interval_coverage(frame, y_true="y", lower="lo", upper="hi")["coverage"] == 0.5


def _config(tmp_path: Path, extra: str, rows: list[str]) -> Path:
    (tmp_path / "p.csv").write_text("y,p,lo,hi,b,z\n" + "\n".join(rows) + "\n")
    (tmp_path / "audit.yaml").write_text(
        "pilot: {name: t, task: forecast}\n"
        "data: {predictions: p.csv, y_true: y, y_pred: p, groups: [z]" + extra + "}\n"
        "fairness: {bootstrap: 0, min_group_size: 5}\n"
    )
    return tmp_path / "audit.yaml"


def _statuses(path: Path) -> dict[str, str]:
    review = run_review(load_config(path))
    return {f.check: f.status for f in review.findings if f.area == "performance"}


def test_review_findings(tmp_path: Path):
    """Beating the baseline passes; losing to it fails; no baseline asks for evidence."""
    good = [
        f"{10 + i % 3},{10 + i % 3},{8 + i % 3},{12 + i % 3},{14 + i % 3},{'ab'[i % 2]}"
        for i in range(40)
    ]
    path = _config(
        tmp_path, ", baseline: b, y_pred_lower: lo, y_pred_upper: hi, interval_level: 0.97", good
    )
    assert _statuses(path) == {
        "performance.baseline_skill": "pass",
        "performance.interval_coverage": "pass",
    }
    bad = [f"{10 + i % 3},{20 + i % 3},{30},{31},{10 + i % 3},{'ab'[i % 2]}" for i in range(40)]
    path = _config(
        tmp_path, ", baseline: b, y_pred_lower: lo, y_pred_upper: hi, interval_level: 0.97", bad
    )
    assert _statuses(path) == {
        "performance.baseline_skill": "fail",
        "performance.interval_coverage": "fail",
    }
    path = _config(tmp_path, "", good)
    assert _statuses(path) == {"performance.baseline_skill": "needs_evidence"}
