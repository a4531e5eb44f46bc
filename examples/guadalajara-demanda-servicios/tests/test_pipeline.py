"""De punta a punta: entrenar con la muestra, backtest, exportar, registrar en un almacén MLflow temporal."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from guadalajara_demanda_servicios.backtest import BacktestError, metric_suffix, origins
from guadalajara_demanda_servicios.model import SKOPS_TRUSTED_TYPES
from guadalajara_demanda_servicios.pipeline import train

from conftest import PROJECT


def test_too_little_history_is_explained():
    """A backtest that does not fit the data says how many weeks it needs."""
    weeks = pd.Series(pd.date_range("2024-01-01", periods=30, freq="7D"))
    with pytest.raises(BacktestError, match="needs 80"):
        origins(weeks, horizon=4, folds=6, min_train_weeks=52)


@pytest.mark.parametrize(
    ("label", "expected"), [("muy_alto", "muy_alto"), ("Q4 (most)", "Q4 _most_"), ("ñ/á 2", "ñ/á 2")]
)
def test_metric_names_accept_any_group_label(label, expected):
    """Group labels become valid MLflow metric-name suffixes."""
    assert metric_suffix(label) == expected


@pytest.mark.slow
def test_train_logs_a_complete_run(small_settings):
    """The run has the auditkit tags, the metrics, a skops model, and the exports the audit reads."""
    import mlflow
    import skops.io
    from mlflow.tracking import MlflowClient

    result = train(small_settings)
    uri = small_settings.resolve_tracking_uri()
    client = MlflowClient(uri)
    run = client.get_run(result.run_id)
    assert run.data.tags["auditkit.pilot"] == "guadalajara-demanda-servicios"
    assert run.data.tags["auditkit.country"] == "MX"
    assert run.data.tags["auditkit.pilot_type"] == "service-demand-forecast"
    for name in ("backtest_mae", "baseline_mae", "skill_mae", "interval_coverage"):
        assert name in run.data.metrics
    assert run.data.params["horizon_weeks"] == "4"
    assert [d.dataset.name for d in run.inputs.dataset_inputs] == ["weekly_requests"]

    requests = pd.read_parquet(result.outputs["requests"])
    assert list(requests.columns) == ["request_id", "created_at", "category", "zone", "channel", "closed_at"]
    assert requests["request_id"].is_unique
    predictions = pd.read_csv(result.outputs["predictions"])
    features = pd.read_parquet(result.outputs["features"])
    assert len(predictions) == len(features)
    assert (predictions[["week", "zone", "category"]] == features[["week", "zone", "category"]]).all().all()
    # the backtest only scores weeks after each origin, at most h weeks ahead
    weeks_ahead = (pd.to_datetime(predictions["week"]) - pd.to_datetime(predictions["origin"])).dt.days / 7
    assert weeks_ahead.between(1, 4).all()
    assert (predictions["y_pred_lower"] <= predictions["y_pred"]).all()
    assert (predictions["y_pred"] <= predictions["y_pred_upper"]).all()

    audit = yaml.safe_load((PROJECT / "audit.yaml").read_text(encoding="utf-8"))
    needed = [audit["data"][k] for k in ("y_true", "y_pred", "y_pred_lower", "y_pred_upper")]
    columns = needed + audit["data"]["groups"] + audit["data"].get("segments", [])
    assert set(columns) <= set(predictions.columns)

    model = mlflow.sklearn.load_model(f"runs:/{result.run_id}/model")
    assert len(model.predict(features.drop(columns=["week", "zone", "category"]).head(3))) == 3
    local = mlflow.artifacts.download_artifacts(f"runs:/{result.run_id}/model", tracking_uri=uri)
    stored = next(Path(local).rglob("*.skops"))
    assert set(skops.io.get_untrusted_types(file=stored)) <= set(SKOPS_TRUSTED_TYPES)
    local_model = skops.io.load(result.outputs["model"], trusted=SKOPS_TRUSTED_TYPES)
    columns = features.drop(columns=["week", "zone", "category"]).head(3)
    assert list(local_model.predict(columns)) == list(model.predict(columns))
