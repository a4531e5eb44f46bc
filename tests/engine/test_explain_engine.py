"""Explanations through the engine: max_rows sampled rows come back, the same every run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.ensemble import HistGradientBoostingRegressor
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.engine import Source
from auditkit.engine._sample import ROW_COLUMN, rows_by_number, sample_rows
from tests.explain._data import NUMERIC, city_table

runner = CliRunner()
TREE_TYPE = "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor"
N = 1500

AUDIT = """\
pilot: {name: Zapopan demanda, task: regression, country: MX}
data:
  predictions: "PREDICTIONS"
  y_true: requests
  y_pred: forecast
  groups: [income]
fairness: {metrics: [mean_absolute_error], bootstrap: 50, min_group_size: 30}
model:
  uri: model.skops
  trusted_types: [TREE]
explain: {features: features.parquet, max_rows: 300, bootstrap: 50, seed: 0ID}
privacy: {scan: false}
"""


def _audit(predictions: str, id_: str = "") -> str:
    return AUDIT.replace("PREDICTIONS", predictions).replace("TREE", TREE_TYPE).replace("ID", id_)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("explain-engine")
    data = city_table(N).assign(case=lambda f: [f"c{i:05d}" for i in range(len(f))])
    model = HistGradientBoostingRegressor(loss="poisson", max_iter=30, random_state=0)
    model.fit(data[NUMERIC], data["requests"])
    sio.dump(model, folder / "model.skops")
    predictions = data[["case", "requests", "income"]].assign(forecast=model.predict(data[NUMERIC]))
    (folder / "parts").mkdir()
    for k, part in enumerate(np.array_split(np.arange(N), 3)):
        predictions.iloc[part].to_parquet(folder / "parts" / f"p-{k}.parquet")
    (folder / "shuffled").mkdir()
    predictions.sample(frac=1.0, random_state=3).to_parquet(folder / "shuffled" / "p.parquet")
    data[[*NUMERIC, "case"]].to_parquet(folder / "features.parquet", index=False)
    return folder


def _review(project: Path, name: str, predictions: str, id_: str = "") -> dict:
    config = project / f"{name}.yaml"
    config.write_text(_audit(predictions, id_), encoding="utf-8")
    out = project / f"out-{name}"
    result = runner.invoke(app, ["review", "-c", str(config), "-o", str(out), "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def test_explain_samples_max_rows_through_the_engine(project: Path):
    """300 of 1,500 rows explained, aligned with the predictions by row number, every run."""
    document = _review(project, "glob", "parts/*.parquet")
    section = document["explain"]
    assert section["rows_explained"] == 300
    assert section["rows_available"] == N
    by_id = {f["id"]: f for f in document["findings"]}
    # the sampled rows' recomputed predictions are the predictions table's rows
    assert by_id["explain.global_importance.model_matches_predictions"]["status"] == "pass"
    again = _review(project, "glob", "parts/*.parquet")
    assert json.dumps(again, sort_keys=True) == json.dumps(document, sort_keys=True)


def test_explain_by_id_through_the_engine(project: Path):
    """With explain.id the predictions may be stored in any order: the same explanation."""
    ordered = _review(project, "ordered", "parts/*.parquet", ", id: case")
    shuffled = _review(project, "shuffled", "shuffled/*.parquet", ", id: case")
    by_id = {f["id"]: f for f in shuffled["findings"]}
    assert by_id["explain.global_importance.model_matches_predictions"]["status"] == "pass"

    def explained(document: dict) -> list[dict]:  # the evidence names the file: left out
        found = [f for f in document["findings"] if f["area"] == "explain"]
        return [{k: v for k, v in f.items() if k != "evidence"} for f in found]

    assert len(explained(ordered)) >= 4
    assert explained(ordered) == explained(shuffled)


def test_sample_is_deterministic_small_and_keyed(tmp_path: Path):
    frame = pd.DataFrame({"k": [f"r{i}" for i in range(5000)], "x": np.arange(5000.0)})
    frame.to_parquet(tmp_path / "a.parquet")
    frame.sample(frac=1.0, random_state=1).to_csv(tmp_path / "b.csv", index=False)
    a = Source(kind="files", label="a", base_dir=tmp_path, files=(tmp_path / "a.parquet",))
    b = Source(kind="files", label="b", base_dir=tmp_path, files=(tmp_path / "b.csv",))
    first = sample_rows(a, columns=["x"], max_rows=100, seed=4)
    assert first.n_rows == 5000 and len(first.frame) == 100
    assert list(first.frame.columns) == ["x", ROW_COLUMN]
    assert first.frame[ROW_COLUMN].is_monotonic_increasing
    assert first.frame.equals(sample_rows(a, columns=["x"], max_rows=100, seed=4).frame)
    assert not first.frame.equals(sample_rows(a, columns=["x"], max_rows=100, seed=5).frame)
    # by key: the same rows whatever the storage order (and the format)
    keyed_a = sample_rows(a, columns=["x"], max_rows=100, seed=4, key="k").frame
    keyed_b = sample_rows(b, columns=["x"], max_rows=100, seed=4, key="k").frame
    assert sorted(keyed_a["k"]) == sorted(keyed_b["k"])
    # rows fetched by number come back in the order asked for
    fetched = rows_by_number(a, columns=["x"], rows=[40, 3, 4000]).frame
    assert fetched["x"].tolist() == [40.0, 3.0, 4000.0]


def test_features_and_predictions_of_different_lengths_exit_2(project: Path, tmp_path: Path):
    """Without explain.id the rows must match one to one to take the groups from predictions."""
    for name in ("model.skops", "features.parquet"):
        (tmp_path / name).write_bytes((project / name).read_bytes())
    pd.read_parquet(project / "shuffled" / "p.parquet").iloc[:1000].to_parquet(
        tmp_path / "short.parquet"
    )
    config = tmp_path / "audit.yaml"
    config.write_text(_audit("short*.parquet"), encoding="utf-8")
    result = runner.invoke(app, ["review", "-c", str(config), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "the features table has 1500 rows" in " ".join(result.output.split())
