"""fairness.one_vs_rest through the engine: every class judged in place, the plain file's numbers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from auditkit.cli import app

runner = CliRunner()


def _messages(n: int, seed: int, numeric: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    classes = np.array([1.0, 2.0, 3.0]) if numeric else np.array(["basura", "luz", "baches"])
    truth = rng.choice(classes, n, p=[0.5, 0.3, 0.2])
    wrong = rng.random(n) < np.where(np.arange(n) % 3 == 0, 0.25, 0.1)
    predicted = np.where(wrong, rng.choice(classes, n), truth)
    return pd.DataFrame(
        {
            "zone": rng.choice(["norte", "sul", "leste"], n),
            "channel": rng.choice(["whatsapp", "web"], n),
            "y_true": truth,
            "y_pred": predicted,
            "misrouted": (truth != predicted).astype(int),
            "to_person": (rng.random(n) < 0.3).astype(int),
        }
    )


AUDIT = """pilot: {{name: Triaje, task: classification, language: es}}
data:
{source}
  y_true: misrouted
  y_pred: to_person
  groups: [zone, channel]
fairness:
  bootstrap: 200
  one_vs_rest: {{y_true: y_true, y_pred: y_pred}}
privacy: {{scan: false}}
"""


def _review(folder: Path, name: str, source: str) -> dict:
    (folder / f"{name}.yaml").write_text(AUDIT.format(source=source), encoding="utf-8")
    out = folder / f"out-{name}"
    result = runner.invoke(app, ["review", "-c", str(folder / f"{name}.yaml"), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("numeric", [False, True], ids=["text-classes", "float-classes"])
def test_classes_judged_in_place_equal_the_plain_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, numeric: bool
):
    frame = _messages(6000, seed=4, numeric=numeric)
    frame.to_parquet(tmp_path / "whole.parquet")  # one plain file: read into a frame
    for part in range(3):
        frame.iloc[part * 2000 : (part + 1) * 2000].to_parquet(tmp_path / f"p{part}.parquet")
    plain = _review(tmp_path, "file", "  predictions: whole.parquet")

    import auditkit._area

    def refuse(context):  # an engine source is never read whole
        raise AssertionError("load_predictions called on an engine source")

    monkeypatch.setattr(auditkit._area, "load_predictions", refuse)
    monkeypatch.setattr("auditkit.fairness._review.load_predictions", refuse)
    engine = _review(tmp_path, "glob", "  predictions: p*.parquet")

    def per_class(document: dict) -> list[dict]:
        return [m for m in document["metrics"] if "[" in f"{m['attribute']}{m['group']}"]

    rows, expected = per_class(engine), per_class(plain)
    assert rows and len(rows) == len(expected)
    label = "[1]" if numeric else "[basura]"  # 1.0 is the class '1', as the frame path writes it
    assert any(label in f"{m['attribute']}{m['group']}" for m in rows)
    for row, other in zip(rows, expected, strict=True):
        for key, value in row.items():
            if isinstance(value, float):
                assert math.isclose(value, other[key], rel_tol=1e-9, abs_tol=1e-12), (key, row)
            else:
                assert value == other[key], (key, row, other)
    findings = [f for f in engine["findings"] if "[" in json.dumps(f.get("subject"))]
    assert findings == [f for f in plain["findings"] if "[" in json.dumps(f.get("subject"))]


def test_a_missing_class_label_in_place_exits_2(tmp_path: Path):
    frame = _messages(600, seed=5, numeric=False)
    frame.loc[7, "y_pred"] = None
    frame.to_parquet(tmp_path / "p0.parquet")
    (tmp_path / "a.yaml").write_text(
        AUDIT.format(source="  predictions: p*.parquet"), encoding="utf-8"
    )
    result = runner.invoke(
        app, ["review", "-c", str(tmp_path / "a.yaml"), "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 2, result.output
    assert "column 'y_pred' has 1 missing class labels" in result.output
    assert not (tmp_path / "o").exists()
