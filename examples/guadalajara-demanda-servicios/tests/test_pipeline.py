"""De punta a punta: entrenar con la muestra, backtest, exportar, registrar en un almacén MLflow temporal."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from guadalajara_demanda_servicios.__main__ import main
from guadalajara_demanda_servicios.backtest import (
    BacktestError,
    history_mode,
    metric_suffix,
    origins,
    required_weeks,
)
from guadalajara_demanda_servicios.contract import ContractError
from guadalajara_demanda_servicios.model import SKOPS_TRUSTED_TYPES, calibrate
from guadalajara_demanda_servicios.pipeline import train

from conftest import PROJECT, SMALL, write_settings


def test_too_little_history_is_explained():
    """A backtest that does not fit the data says how many weeks it needs."""
    weeks = pd.Series(pd.date_range("2024-01-01", periods=30, freq="7D"))
    with pytest.raises(BacktestError, match="needs 80"):
        origins(weeks, horizon=4, folds=6, min_train_weeks=52)


def test_required_weeks_in_one_place(tmp_path):
    """The weeks train needs follow the settings: 92 with full history, 52 in short mode by default."""
    settings = write_settings(tmp_path)
    assert required_weeks(settings, history="full") == 52 + 4 * (3 + 6 + 1)
    assert required_weeks(settings, history="short") == 12 + 4 * (3 + 6 + 1)
    assert required_weeks(settings) == required_weeks(settings, history="short")  # auto falls back
    assert history_mode(settings, 92) == "full"
    assert history_mode(settings, 91) == "short"
    fewer = write_settings(tmp_path, backtest={"folds": 4, "calibration_folds": 2}, model={"history": "full"})
    assert required_weeks(fewer) == 52 + 4 * 7
    assert history_mode(fewer, 60) == "full"  # as configured, even when the data is short


@pytest.mark.parametrize(
    ("section", "values", "match"),
    [
        ("model", {"history": "long"}, r"model.history must be one of \['auto', 'full', 'short'\]; found 'long'"),
        ("backtest", {"calibration_folds": 0}, r"backtest.calibration_folds must be a whole number of at least 1"),
        ("backtest", {"folds": 2.5}, r"backtest.folds must be a whole number of at least 1; found 2.5"),
    ],
)
def test_bad_model_settings_are_explained(tmp_path, section, values, match):
    """A history mode or fold count that cannot work stops with the setting, the expectation and the value."""
    with pytest.raises(ContractError, match=match):
        write_settings(tmp_path, **{section: values})


@pytest.mark.parametrize(("mean_low", "mean_high"), [(2.0, 30.0), (0.05, 1.0)])
def test_conformal_interval_covers_known_poisson_counts(mean_low, mean_high):
    """Calibrated on one set of counts, the interval covers 80 % (± 2 points) of fresh counts with the same means."""
    rng = np.random.default_rng(3)
    mean = rng.uniform(mean_low, mean_high, 20_000)
    calibration = calibrate(rng.poisson(mean), mean, level=0.8)
    fresh = rng.poisson(mean)
    lower, upper = calibration.bounds(mean)
    assert np.array_equal(lower, np.round(lower)) and np.array_equal(upper, np.round(upper))
    assert (lower >= 0).all() and (lower <= upper).all()
    assert abs(np.mean((fresh >= lower) & (fresh <= upper)) - 0.8) <= 0.02
    # a quantile interval of a count (the old way) over-covers at low means; this one does not
    assert calibration.dispersion == pytest.approx(0.0, abs=0.05)
    if mean_low >= 1:  # away from zero the misses split evenly between the two sides
        assert abs(np.mean(fresh < lower) - 0.1) <= 0.02 and abs(np.mean(fresh > upper) - 0.1) <= 0.02


def test_conformal_interval_widens_for_overdispersed_counts():
    """Negative-binomial counts (variance μ + μ²/5) get a wider interval with the same coverage."""
    rng = np.random.default_rng(4)
    mean = rng.uniform(1.0, 40.0, 20_000)
    shape = 5.0
    draw = lambda: rng.poisson(rng.gamma(shape, mean / shape))  # noqa: E731
    calibration = calibrate(draw(), mean, level=0.8)
    lower, upper = calibration.bounds(mean)
    fresh = draw()
    assert calibration.dispersion > 0.1
    assert abs(np.mean((fresh >= lower) & (fresh <= upper)) - 0.8) <= 0.02
    high = mean > 30
    assert abs(np.mean(((fresh >= lower) & (fresh <= upper))[high]) - 0.8) <= 0.04


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
    # whole-number bounds around the forecast: a count lies in them exactly when it lies in the real interval
    assert (predictions["y_pred_lower"] == predictions["y_pred_lower"].round()).all()
    assert (predictions["y_pred_lower"] <= np.ceil(predictions["y_pred"])).all()
    assert (np.floor(predictions["y_pred"]) <= predictions["y_pred_upper"]).all()
    assert set(predictions["horizon"]) == {1, 2, 3, 4}
    assert (weeks_ahead == predictions["horizon"]).all()
    # both baselines and skill over the stronger; per-fold metrics with the fold as the step
    for name in ("baseline_seasonal_naive_mae", "baseline_moving_average_mae", "backtest_wape", "backtest_mase"):
        assert name in run.data.metrics
    stronger = min(run.data.metrics[f"baseline_{b}_mae"] for b in ("seasonal_naive", "moving_average"))
    assert run.data.metrics["baseline_mae"] == stronger
    assert run.data.params["baseline"] in ("seasonal_naive", "moving_average")
    history = client.get_metric_history(result.run_id, "fold.interval_coverage")
    assert sorted(m.step for m in history) == [0, 1]
    folds = pd.read_csv(result.outputs["folds"])
    assert list(folds["interval_coverage"]) == pytest.approx([m.value for m in sorted(history, key=lambda m: m.step)])
    models = {m.name for m in client.search_logged_models([run.info.experiment_id])}
    assert {"model", "model_h2", "model_h3", "model_h4"} <= models

    audit = yaml.safe_load((PROJECT / "audit.yaml").read_text(encoding="utf-8"))
    needed = [audit["data"][k] for k in ("y_true", "y_pred", "y_pred_lower", "y_pred_upper")]
    columns = needed + audit["data"]["groups"] + audit["data"].get("segments", [])
    assert set(columns) <= set(predictions.columns)

    model = mlflow.sklearn.load_model(f"runs:/{result.run_id}/model")
    assert len(model.predict(features.drop(columns=["week", "zone", "category"]).head(3))) == 3
    local = mlflow.artifacts.download_artifacts(f"runs:/{result.run_id}/model", tracking_uri=uri)
    stored = next(Path(local).rglob("*.skops"))
    assert set(skops.io.get_untrusted_types(file=stored)) <= set(SKOPS_TRUSTED_TYPES)
    local_model = skops.io.load(result.outputs["model"], trusted=SKOPS_TRUSTED_TYPES)  # the one-week model
    columns = features.drop(columns=["week", "zone", "category"]).head(3)
    assert list(local_model.predict(columns)) == list(model.predict(columns))


def _sparse_or_short(tmp_path: Path, **sample: object):
    return write_settings(
        tmp_path,
        **{**SMALL, "sample": {"zones": 16, **sample}, "backtest": {"folds": 6, "calibration_folds": 3}},
    )


@pytest.mark.slow
def test_sparse_counts_get_calibrated_intervals_and_a_fair_baseline(tmp_path):
    """Under one request per cell and week: coverage within 3 points of 80 %, skill on deviance too."""
    settings = _sparse_or_short(tmp_path, weeks=156, rate_scale=0.05)
    result = train(settings, log=False)
    m = result.metrics
    assert m["mean_count"] < 1.0
    assert abs(m["interval_coverage"] - 0.8) <= 0.03
    # the moving average, not a year-ago count that is almost always 0, is the baseline to beat
    assert m["baseline_mae"] == m["baseline_moving_average_mae"]
    assert m["baseline_moving_average_poisson_deviance"] < m["baseline_seasonal_naive_poisson_deviance"]
    assert m["skill_poisson_deviance"] > 0.0


@pytest.mark.slow
def test_short_history_trains_from_60_weeks(tmp_path, capsys):
    """60 weeks: short-history mode is chosen, without year-ago features, against the moving average."""
    settings = _sparse_or_short(tmp_path, weeks=60)
    assert history_mode(settings, 58) == "short"
    config = str(tmp_path / "config" / "pilot.yaml")
    assert main(["--config", config, "train", "--no-log"]) == 0
    m = json.loads((tmp_path / "outputs" / "metrics.json").read_text(encoding="utf-8"))
    assert "baseline_seasonal_naive_mae" not in m and "baseline_moving_average_mae" in m
    assert m["baseline_mae"] == m["baseline_moving_average_mae"]
    assert abs(m["interval_coverage"] - 0.8) <= 0.05
    features = pd.read_parquet(tmp_path / "outputs" / "features.parquet")
    assert "lag_52" not in features
    # asked for full history with too few weeks, train says what it needs and how to lower it
    write_settings(
        tmp_path, **{**SMALL, "sample": {"zones": 16, "weeks": 60}, "model": {"max_iter": 30, "history": "full"}}
    )
    capsys.readouterr()
    assert main(["--config", config, "train", "--no-log"]) == 2
    err = capsys.readouterr().err
    assert " 84 = " in err and "backtest.calibration_folds" in err
