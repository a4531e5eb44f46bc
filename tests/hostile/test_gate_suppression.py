"""Small-cell suppression cannot be undone by subtraction in what a review publishes."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from auditkit.cli import app

runner = CliRunner()


@pytest.mark.parametrize("sizes", [(80, 5, 40), (200, 3, 12, 60), (30, 9, 30, 30)])
def test_review_hides_a_complement_of_the_small_group(tmp_path, sizes):
    """Overall and the other groups published, one small group: its size no longer follows."""
    labels = [chr(ord("A") + i) for i in range(len(sizes))]
    zone = [label for label, n in zip(labels, sizes, strict=True) for _ in range(n)]
    frame = pd.DataFrame(
        {
            "zona": zone,
            "y": [i % 7 for i in range(len(zone))],
            "p": [i % 5 for i in range(len(zone))],
        }
    )
    frame.to_csv(tmp_path / "predictions.csv", index=False)
    config = {
        "pilot": {"name": "Prueba", "task": "regression", "country": "MX", "language": "es"},
        "data": {
            "predictions": "predictions.csv",
            "y_true": "y",
            "y_pred": "p",
            "groups": ["zona"],
        },
        "fairness": {"bootstrap": 0, "min_group_size": 5},
    }
    (tmp_path / "audit.yaml").write_text(yaml.safe_dump(config))
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["review", "-c", str(tmp_path / "audit.yaml"), "-o", str(out), "--fail-on", "never"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    rows = [r for r in document["metrics"] if r["area"] == "fairness" and r["attribute"] == "zona"]
    shown = {r["group"]: r["n"] for r in rows if not r["suppressed"]}
    hidden = {r["group"] for r in rows if r["suppressed"]}
    total = len(zone)
    small = {label for label, n in zip(labels, sizes, strict=True) if n < 10}
    assert small <= hidden and len(hidden) >= 2
    # the subtraction attack: total minus every shown group never isolates one hidden group
    assert total - sum(shown.values()) == sum(
        n for label, n in zip(labels, sizes, strict=True) if label in hidden
    )
    assert len(hidden) != 1
    for row in rows:
        if row["suppressed"]:
            assert row["n"] is None and row["value"] is None and row["ratio"] is None
    groups = {g["group"]: g for v in document["fairness"]["attributes"] for g in v["groups"]}
    kinds = {groups[g]["suppression"] for g in hidden}
    assert "small_cell" in kinds
    markdown = (out / "report.md").read_text(encoding="utf-8")
    page = (out / "report.html").read_text(encoding="utf-8")
    if "complementary" in kinds:
        assert "oculto †" in markdown and "supresión complementaria" in markdown
        assert "oculto †" in page
