"""The explain area inside ``auditkit review``: findings, figures, determinism, bad inputs."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
import skops.io as sio
from sklearn.ensemble import HistGradientBoostingRegressor
from typer.testing import CliRunner

from auditkit.cli import app
from tests.explain._data import NUMERIC, city_table

runner = CliRunner()
TREE_TYPE = "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor"

AUDIT = f"""\
pilot: {{name: Zapopan demanda, task: regression, country: MX}}
data:
  predictions: predictions.csv
  y_true: requests
  y_pred: forecast
  groups: [income]
fairness: {{metrics: [mean_absolute_error], bootstrap: 50, min_group_size: 30}}
model:
  uri: model.skops
  trusted_types: [{TREE_TYPE}]
explain: {{features: features.parquet, max_rows: 400, bootstrap: 50, seed: 0}}
"""


@pytest.fixture(scope="module")
def fitted() -> tuple[HistGradientBoostingRegressor, object]:
    data = city_table(400)
    model = HistGradientBoostingRegressor(loss="poisson", max_iter=40, random_state=0)
    model.fit(data[NUMERIC], data["requests"])
    return model, data


@pytest.fixture
def project(tmp_path: Path, fitted) -> Path:
    model, data = fitted
    sio.dump(model, tmp_path / "model.skops")
    predictions = data[["requests", "income"]].assign(forecast=model.predict(data[NUMERIC]))
    predictions.to_csv(tmp_path / "predictions.csv", index=False)
    data[NUMERIC].to_parquet(tmp_path / "features.parquet", index=False)
    (tmp_path / "audit.yaml").write_text(AUDIT, encoding="utf-8")
    return tmp_path


def _review(project: Path, *args: str):
    return runner.invoke(
        app,
        ["review", "--config", str(project / "audit.yaml"), "--out", str(project / "out"), *args],
    )


def _document(project: Path) -> dict:
    return json.loads((project / "out" / "findings.json").read_text(encoding="utf-8"))


def test_review_explains_the_model(project: Path, repo_root: Path):
    """Every explain check reports; the planted proxy fails by name; figures are written."""
    result = _review(project, "--fail-on", "never")
    assert result.exit_code == 0, result.output
    document = _document(project)
    schema = json.loads((repo_root / "auditkit/schemas/findings.schema.json").read_text())
    jsonschema.validate(document, schema)
    by_id = {f["id"]: f for f in document["findings"]}
    assert by_id["explain.global_importance"]["status"] == "pass"
    assert by_id["explain.global_importance"]["item"] == "EXP-01"
    assert by_id["explain.global_importance.model_matches_predictions"]["status"] == "pass"
    assert by_id["explain.group_drivers.income"]["item"] == "EXP-02"
    assert by_id["explain.reason_codes"]["item"] == "EXP-03"
    proxy = by_id["fairness.proxy_features.income"]
    assert (proxy["status"], proxy["item"], proxy["params"]["proxies"]) == (
        "fail",
        "FAI-04",
        "zone_code",
    )
    section = document["explain"]
    assert section["explainer"] == "tree_path_dependent" and section["output"] == "log"
    assert section["rows_explained"] == 400
    assert {p["feature"] for p in section["proxies"] if p["status"] != "pass"} == {"zone_code"}
    for figure in section["figures"]:
        assert (project / "out" / figure["file"]).read_bytes().startswith(b"\x89PNG")
    assert {f["file"] for f in section["figures"]} == {
        "figures/shap_bar.png",
        "figures/shap_beeswarm.png",
        "figures/shap_groups_income.png",
    }
    rows = [r for r in document["metrics"] if r["area"] == "explain"]
    assert {(r["group"], r["metric"]) for r in rows} >= {("low", "mean_attribution")}
    inputs = {record["role"]: record for record in document["inputs"]}
    assert inputs["model"]["path"] == "model.skops" and inputs["features"]["rows"] == 400


def test_reason_codes_carry_no_input_values(project: Path):
    """Reason codes name features and contributions; no feature value of a row is written."""
    assert _review(project, "--fail-on", "never").exit_code == 0
    codes = _document(project)["explain"]["reason_codes"]
    assert len(codes) == 5
    for example in codes:
        assert set(example) == {"row", "reasons"}
        for reason in example["reasons"]:
            assert set(reason) == {"feature", "contribution", "direction"}


def test_findings_are_byte_identical(project: Path):
    """Same inputs, same findings.json and figures, byte for byte."""
    assert _review(project, "--fail-on", "never").exit_code == 0
    first = (project / "out" / "findings.json").read_bytes()
    bar = (project / "out" / "figures" / "shap_beeswarm.png").read_bytes()
    assert _review(project, "--fail-on", "never").exit_code == 0
    assert (project / "out" / "findings.json").read_bytes() == first
    assert (project / "out" / "figures" / "shap_beeswarm.png").read_bytes() == bar


def test_spanish_figures_and_messages(project: Path):
    """--lang es renders the explain messages in Spanish."""
    from auditkit.i18n import translate

    assert _review(project, "--fail-on", "never", "--lang", "es").exit_code == 0
    proxy = next(
        f for f in _document(project)["findings"] if f["check"] == "fairness.proxy_features"
    )
    text = translate(proxy["message"], "es", **proxy["params"])
    assert "Posible variable sustituta" in text and "zone_code" in text


def test_pickled_model_needs_trust(project: Path, fitted):
    """A pickle is refused with exit 2 and a message naming --trust-model; the flag loads it."""
    model, _ = fitted
    (project / "model.pkl").write_bytes(pickle.dumps(model))
    audit = (project / "audit.yaml").read_text().replace("uri: model.skops", "uri: model.pkl")
    (project / "audit.yaml").write_text(audit)
    refused = _review(project)
    assert refused.exit_code == 2
    assert "--trust-model" in refused.output and "Traceback" not in refused.output
    assert not (project / "out").exists()
    assert _review(project, "--trust-model", "--fail-on", "never").exit_code == 0
    assert _document(project)["explain"]["model"]["trusted"] is True


def _edit(project: Path, old: str, new: str) -> None:
    path = project / "audit.yaml"
    path.write_text(path.read_text().replace(old, new))


def _drop_feature_column(project: Path) -> None:
    path = project / "features.parquet"
    pd.read_parquet(path).drop(columns="reports_last_week").to_parquet(path, index=False)


def _text_temperature(project: Path) -> None:
    path = project / "features.parquet"
    frame = pd.read_parquet(path)
    frame.assign(temperature=frame["temperature"].map(lambda t: f"{t:.0f} C")).to_parquet(path)


def _drop_rows(project: Path) -> None:
    path = project / "features.parquet"
    pd.read_parquet(path).iloc[:-10].to_parquet(path, index=False)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: _edit(p, "  trusted_types: [", "  trusted_types: [x, "), None),
        (lambda p: _edit(p, f"  trusted_types: [{TREE_TYPE}]\n", ""), "model.trusted_types"),
        (_drop_feature_column, "no column 'reports_last_week'"),
        (_drop_rows, "must match one to one"),
        (lambda p: _edit(p, "features.parquet,", "missing.csv,"), "does not exist"),
        (lambda p: _edit(p, "uri: model.skops", "uri: nothing.skops"), "no such file"),
        (lambda p: _edit(p, "max_rows: 400,", "max_rows: 0,"), "max_rows"),
        (lambda p: _edit(p, "max_rows: 400,", "max_row: 400,"), "Did you mean 'max_rows'"),
        (
            lambda p: _edit(p, "explain: {features: features.parquet", "xplain: {features: f"),
            "explain",
        ),
        (lambda p: _edit(p, "seed: 0}", "seed: 0, id: key}"), "no column 'key'"),
        (_text_temperature, "could not be explained on the features table"),
        (lambda p: _edit(p, "explain: {", "# explain: {"), "'model' needs 'explain' too"),
    ],
)
def test_bad_inputs_exit_2(project: Path, change, message: str | None):
    """Every bad explain input: exit 2, a message naming the problem, no outputs, inputs intact."""
    change(project)
    before = {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()}
    result = _review(project)
    if message is None:  # an extra, unused trusted type is harmless
        assert result.exit_code == 1, result.output
        return
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (project / "out").exists()
    assert {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()} == before


def test_rows_joined_on_an_id_column(project: Path, fitted):
    """With explain.id, features in another order are aligned to the predictions by key."""
    model, data = fitted
    predictions = data[["requests", "income"]].assign(
        forecast=model.predict(data[NUMERIC]), key=range(len(data))
    )
    predictions.to_csv(project / "predictions.csv", index=False)
    shuffled = data[NUMERIC].assign(key=range(len(data))).sample(frac=1.0, random_state=1)
    shuffled.to_parquet(project / "features.parquet", index=False)
    _edit(
        project,
        "seed: 0}",
        "seed: 0, id: key, columns: [reports_last_week, zone_code, temperature]}",
    )
    result = _review(project, "--fail-on", "never")
    assert result.exit_code == 0, result.output
    by_id = {f["id"]: f for f in _document(project)["findings"]}
    assert by_id["explain.global_importance.model_matches_predictions"]["status"] == "pass"
    assert by_id["fairness.proxy_features.income"]["params"]["proxies"] == "zone_code"


def test_group_column_that_is_a_model_input(tmp_path: Path):
    """A group column the model reads directly is a numeric input and a proxy of itself."""
    data = city_table(400)
    data["income_code"] = (data["income"] == "high").astype(float)
    columns = [*NUMERIC, "income_code"]
    model = HistGradientBoostingRegressor(max_iter=30, random_state=0)
    model.fit(data[columns], data["requests"])
    sio.dump(model, tmp_path / "model.skops")
    predictions = data[["requests"]].assign(forecast=model.predict(data[columns]))
    predictions.assign(income_code=data["income_code"].astype(int)).to_csv(
        tmp_path / "predictions.csv", index=False
    )
    data[columns].to_parquet(tmp_path / "features.parquet", index=False)
    audit = AUDIT.replace("groups: [income]", "groups: [income_code]")
    (tmp_path / "audit.yaml").write_text(audit, encoding="utf-8")
    result = _review(tmp_path, "--fail-on", "never")
    assert result.exit_code == 0, result.output
    document = _document(tmp_path)
    proxies = {
        p["feature"]: p for p in document["explain"]["proxies"] if p["attribute"] == "income_code"
    }
    assert proxies["income_code"]["measure"] == "identical"
    groups = document["explain"]["group_drivers"]["income_code"]["groups"]
    assert {g["group"] for g in groups} == {"0", "1"}


def test_classifier_pipeline_review(tmp_path: Path):
    """A one-hot + logistic pipeline in skops: linear explainer, text input kept as one column."""
    from sklearn.compose import make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    data = city_table(400)
    columns = [*NUMERIC, "channel"]
    late = (data["requests"] > data["requests"].median()).astype(int)
    model = make_pipeline(
        make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore"), ["channel"]), (StandardScaler(), NUMERIC)
        ),
        LogisticRegression(),
    ).fit(data[columns], late)
    sio.dump(model, tmp_path / "model.skops")
    predictions = data[["income"]].assign(late=late, flagged=model.predict(data[columns]))
    predictions.to_csv(tmp_path / "predictions.csv", index=False)
    data[columns].to_parquet(tmp_path / "features.parquet", index=False)
    audit = (
        AUDIT.replace("task: regression", "task: classification")
        .replace("y_true: requests", "y_true: late")
        .replace("y_pred: forecast", "y_pred: flagged\n  positive_label: 1")
        .replace("metrics: [mean_absolute_error]", "metrics: [selection_rate]")
        .replace(f"  trusted_types: [{TREE_TYPE}]\n", "")
    )
    (tmp_path / "audit.yaml").write_text(audit, encoding="utf-8")
    result = _review(tmp_path, "--fail-on", "never")
    assert result.exit_code == 0, result.output
    section = _document(tmp_path)["explain"]
    assert (section["explainer"], section["output"]) == ("linear", "log_odds")
    assert section["features"] == columns
    assert {f["feature"] for f in section["global_importance"]} == set(columns)


def test_features_as_csv_reproduce_the_predictions(project: Path):
    """Features exported as CSV are read back exactly, so the model reproduces every prediction."""
    pd.read_parquet(project / "features.parquet").to_csv(project / "features.csv", index=False)
    _edit(project, "features.parquet", "features.csv")
    assert _review(project, "--fail-on", "never").exit_code == 0
    finding = next(
        f
        for f in _document(project)["findings"]
        if f["id"] == "explain.global_importance.model_matches_predictions"
    )
    assert finding["params"]["agreement"] == 1.0


def test_a_different_model_is_caught(project: Path):
    """Explaining another model than the one that made the predictions fails EXP-01."""
    data = city_table(400)
    other = HistGradientBoostingRegressor(max_iter=5, random_state=0)
    other.fit(data[NUMERIC], data["requests"] * 3)
    sio.dump(other, project / "model.skops")
    assert _review(project, "--fail-on", "never").exit_code == 0
    finding = next(
        f
        for f in _document(project)["findings"]
        if f["id"] == "explain.global_importance.model_matches_predictions"
    )
    assert (finding["status"], finding["severity"]) == ("fail", "high")
    assert finding["params"]["agreement"] < 0.5


def test_final_refit_on_backtest_predictions_is_reported_not_judged(project: Path):
    """predictions_from: backtest reports the agreement as not applicable, never a failure."""
    data = city_table(400)
    other = HistGradientBoostingRegressor(max_iter=5, random_state=0)
    other.fit(data[NUMERIC], data["requests"] * 3)
    sio.dump(other, project / "model.skops")
    _edit(project, "seed: 0}", "seed: 0, predictions_from: backtest}")
    assert _review(project, "--fail-on", "never").exit_code == 0
    finding = next(
        f
        for f in _document(project)["findings"]
        if f["id"] == "explain.global_importance.model_matches_predictions"
    )
    assert (finding["status"], finding["severity"]) == ("not_applicable", "info")
    assert finding["message"] == "explain.model_backtest"
    assert finding["params"]["agreement"] < 0.5
    # a value other than model or backtest is a clear error
    _edit(project, "predictions_from: backtest", "predictions_from: fold")
    result = _review(project)
    assert result.exit_code == 2
    assert "predictions_from" in result.output


def test_proxy_check_only_for_the_named_attributes(project: Path):
    """explain.proxy_attributes limits the proxy check; naming a non-group is a clear error."""
    _edit(project, "seed: 0}", "seed: 0, proxy_attributes: []}")
    assert _review(project, "--fail-on", "never").exit_code == 0
    checks = {f["check"] for f in _document(project)["findings"]}
    assert "fairness.proxy_features" not in checks
    assert "explain.group_drivers" in checks
    _edit(project, "proxy_attributes: []", "proxy_attributes: [zone]")
    result = _review(project)
    assert result.exit_code == 2
    assert "proxy_attributes" in result.output and "zone" in result.output
