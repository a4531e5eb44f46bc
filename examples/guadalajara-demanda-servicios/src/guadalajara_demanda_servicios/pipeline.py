"""Entrenar: leer (o generar) los datos, agregar, hacer el backtest, ajustar el modelo final, exportar, registrar."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from guadalajara_demanda_servicios import COUNTRY
from guadalajara_demanda_servicios.backtest import (
    baseline_names,
    fold_metrics,
    history_mode,
    rolling_origin,
    stronger_baseline,
    summarise,
    trainable,
)
from guadalajara_demanda_servicios.contract import (
    check_zones,
    load_requests,
    read_zones,
)
from guadalajara_demanda_servicios.features import (
    KEYS,
    add_future_weeks,
    build_features,
    feature_columns,
    weekly_counts,
)
from guadalajara_demanda_servicios.history import HistoryNeed, check_history, weeks_required
from guadalajara_demanda_servicios.ingest import Ledger, cut_periods
from guadalajara_demanda_servicios.model import Forecaster, fit_point
from guadalajara_demanda_servicios.sample import generate, write_sample
from guadalajara_demanda_servicios.settings import Settings

SUGGESTIONS = "Etiquetas de zona sin coincidencia, con las zonas más parecidas: {path} (revíselas y péguelas en data.zone_labels)."
CONTRACT_EXPORT = ("request_id", "created_at", "category", "zone", "channel", "closed_at")
PREDICTION_COLUMNS = ["y_true", "y_pred", "y_pred_lower", "y_pred_upper", "y_baseline"]


@dataclass
class TrainResult:
    """What a training run produced."""

    metrics: dict[str, float]
    run_id: str | None
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    ingest: Ingested | None = None


@dataclass
class Ingested:
    """The requests and zones kept, the accounting of every row read, and the complete weeks."""

    requests: pd.DataFrame
    zones: pd.DataFrame
    ledger: Ledger
    first_week: pd.Timestamp
    last_week: pd.Timestamp
    weekly: pd.DataFrame | None = None
    history: HistoryNeed | None = None

    @property
    def weeks(self) -> int:
        """Complete weeks kept for training and backtest."""
        return int((self.last_week - self.first_week).days // 7 + 1)

    def lines(self) -> list[str]:
        """What to print: the accounting, then the history needed."""
        lines = self.ledger.lines()
        if self.history is not None:
            lines.append(self.history.describe(self.weeks))
        return lines


def make_sample(settings: Settings, *, force: bool = False) -> tuple[Path, Path]:
    """Write the synthetic sample to data.requests / data.zones unless they already exist."""
    data = settings.data
    if force or not data.requests.exists() or not data.zones.exists():
        sample = settings.sample
        requests, zones = generate(
            categories=settings.categories,
            equity_attribute=settings.equity_attribute,
            country=COUNTRY,
            zones=sample.zones,
            weeks=sample.weeks,
            start=sample.start,
            seed=sample.seed,
            rate_scale=sample.rate_scale,
        )
        write_sample(requests, zones, data.requests, data.zones)
    return data.requests, data.zones


def load_data(settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read and validate the requests and zones through the contract and its mapping."""
    ingested = ingest(settings)
    return ingested.requests, ingested.zones


def ingest(settings: Settings) -> Ingested:
    """Read, reconcile and account for every row: contract, zones, window and incomplete periods."""
    data = settings.data
    if data.source == "sample":
        make_sample(settings)
    ledger = Ledger()
    zones, without_population = read_zones(data, settings.equity_attribute)
    requests = load_requests(data, ledger)
    requests = check_zones(
        requests,
        zones,
        data,
        ledger,
        without_population=without_population,
        suggestions=settings.outputs / "zone_suggestions.yaml",
    )
    if without_population:
        ledger.extra["zones_without_population"] = without_population
    if requests.empty:
        from guadalajara_demanda_servicios.contract import ContractError

        raise ContractError(f"{data.requests}: no requests left after matching zones; see the counts above.")
    requests, first_week, last_week = cut_periods(
        requests,
        ledger,
        start=data.start,
        end=data.end,
        collapse_ratio=data.collapse_ratio,
        cut=data.incomplete_periods == "cut",
    )
    return Ingested(requests=requests, zones=zones, ledger=ledger, first_week=first_week, last_week=last_week)


def complete_weeks(weekly: pd.DataFrame, first_week: pd.Timestamp, last_week: pd.Timestamp) -> pd.DataFrame:
    """The weekly counts over exactly the complete weeks kept at ingestion (weeks without requests count 0)."""
    weeks = pd.date_range(first_week, last_week, freq="7D")
    if weekly["week"].nunique() == len(weeks) and weekly["week"].min() == first_week:
        return weekly
    grid = pd.MultiIndex.from_product(
        [weeks, sorted(weekly["zone"].unique()), sorted(weekly["category"].unique())], names=KEYS
    )
    out = weekly.set_index(KEYS).reindex(grid).reset_index()
    out["y"] = out["y"].fillna(0.0)
    out["whatsapp_share"] = out["whatsapp_share"].fillna(0.0)
    return out


def validate(settings: Settings, *, echo: Callable[[str], None] | None = None) -> Ingested:
    """Ingest, count the weeks, write ``outputs/ingest.json`` and check the history train needs.

    The accounting is written before the history check, so a run that stops for lack of
    history still says how many rows it kept and why the others were dropped.
    """
    ingested = ingest(settings)
    weekly = complete_weeks(weekly_counts(ingested.requests, ingested.zones), ingested.first_week, ingested.last_week)
    ingested.weekly = weekly
    need = weeks_required(settings)
    ingested.history = need
    ingested.ledger.extra["period"] = {
        "first_week": ingested.first_week.strftime("%Y-%m-%d"),
        "last_week": ingested.last_week.strftime("%Y-%m-%d"),
        "weeks": ingested.weeks,
    }
    ingested.ledger.extra["history"] = need.as_dict(ingested.weeks)
    ingested.ledger.write(settings.outputs / "ingest.json")
    if echo is not None:
        for line in ingested.lines():
            echo(line)
        if "zone_suggestions" in ingested.ledger.extra:
            echo(SUGGESTIONS.format(path=settings.outputs / "zone_suggestions.yaml"))
    check_history(ingested.weeks, settings)
    return ingested


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def train(settings: Settings, *, log: bool = True, echo: Callable[[str], None] | None = None) -> TrainResult:
    """Run the whole pilot: backtest, final model, forecast, exports and the MLflow run."""
    started = time.perf_counter()
    ingested = validate(settings, echo=echo)  # the same accounting and history check as `validate`
    requests, zones, weekly = ingested.requests, ingested.zones, ingested.weekly
    horizon = settings.model.horizon_weeks
    history = history_mode(settings, weekly["week"].nunique())
    columns = feature_columns(seasonal=history == "full")
    zone_attrs = zones[["zone", "population", settings.equity_attribute]]
    extended = add_future_weeks(weekly, horizon)
    frames = {
        h: build_features(
            extended,
            zones,
            horizon=h,
            country=settings.holidays.country,
            subdivision=settings.holidays.subdivision,
            extra_holidays=settings.holidays.extra,
            seasonal=history == "full",
        ).merge(zone_attrs, on="zone", how="left")
        for h in range(1, horizon + 1)
    }

    backtest = rolling_origin(frames, model=settings.model, backtest=settings.backtest, history=history)
    results = backtest.results.merge(zone_attrs, on="zone", how="left")
    baselines = baseline_names(history)
    baseline = stronger_baseline(results, baselines)
    results["y_baseline"] = results[f"baseline_{baseline}"]
    metrics = summarise(results, equity_attribute=settings.equity_attribute, baselines=baselines)
    folds = fold_metrics(results, baselines=baselines)

    # the final models, one per horizon, on every known week; intervals from all backtest folds
    forecaster = Forecaster(models={}, calibration=backtest.calibration)
    last_week = weekly["week"].max()
    forecasts = []
    for h, frame in frames.items():
        known = frame[trainable(frame)]
        forecaster.models[h] = fit_point(known[columns], known["y"], settings.model)
        future = frame[frame["week"] == last_week + pd.Timedelta(weeks=h)]
        predicted = forecaster.predict(future[columns], horizon=h)
        forecasts.append(future[[*KEYS, "population", settings.equity_attribute]].assign(horizon=h).join(predicted))
    forecast = pd.concat(forecasts).sort_values(KEYS).reset_index(drop=True)
    known = frames[1][trainable(frames[1])]

    out = settings.outputs
    out.mkdir(parents=True, exist_ok=True)
    results = results.reset_index(drop=True)
    predictions = results.rename(columns={"y": "y_true"})
    predictions["week"] = predictions["week"].dt.strftime("%Y-%m-%d")
    # when each forecast was made (the last day of the origin week) and the last day of the
    # records its features use (the end of week t - h: every lag is at least h weeks old)
    predictions["prediction_time"] = (predictions["origin"] + pd.Timedelta(days=6)).dt.strftime("%Y-%m-%d")
    feature_end = (
        pd.to_datetime(predictions["week"])
        - pd.to_timedelta(7 * predictions["horizon"], unit="D")
        + pd.Timedelta(days=6)
    )
    predictions["feature_time"] = feature_end.dt.strftime("%Y-%m-%d")
    predictions["origin"] = predictions["origin"].dt.strftime("%Y-%m-%d")
    predictions = predictions[
        [
            "week",
            "zone",
            "category",
            settings.equity_attribute,
            "population",
            "fold",
            "horizon",
            "origin",
            "prediction_time",
            "feature_time",
            *PREDICTION_COLUMNS,
        ]
    ].reset_index(drop=True)
    features = results[[*KEYS, *columns]].reset_index(drop=True)
    features["week"] = features["week"].dt.strftime("%Y-%m-%d")
    forecast["week"] = forecast["week"].dt.strftime("%Y-%m-%d")
    paths = {
        "predictions": out / "predictions.csv",
        "features": out / "features.parquet",
        "forecast": out / "forecast.csv",
        "metrics": out / "metrics.json",
        "requests": out / "requests.parquet",
        "zones": out / "zones.csv",
        "model": out / "model.skops",
        "ingest": out / "ingest.json",
        "folds": out / "backtest_folds.csv",
    }
    predictions.round(4).to_csv(paths["predictions"], index=False)
    features.to_parquet(paths["features"], index=False)
    forecast.round(4).to_csv(paths["forecast"], index=False)
    # the validated requests in the contract's columns (no coordinates), for the data checks
    requests[list(CONTRACT_EXPORT)].to_parquet(paths["requests"], index=False)
    zone_attrs.to_csv(paths["zones"], index=False)
    # the final point model, as logged to MLflow (skops: loads without unpickling arbitrary code);
    # imported here because it takes seconds, which `validate` does not need
    import skops.io

    skops.io.dump(forecaster.models[1], paths["model"])
    folds.round(6).to_csv(paths["folds"], index=False)
    paths["metrics"].write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    params: dict[str, object] = {
        "horizon_weeks": horizon,
        "interval": settings.model.interval,
        "max_iter": settings.model.max_iter,
        "learning_rate": settings.model.learning_rate,
        "max_leaf_nodes": settings.model.max_leaf_nodes,
        "min_samples_leaf": settings.model.min_samples_leaf,
        "seed": settings.model.seed,
        "backtest_folds": settings.backtest.folds,
        "calibration_folds": settings.backtest.calibration_folds,
        "history": history,
        "models": "direct, one per horizon",
        "interval_method": "split conformal, square-root scale, per horizon",
        **{f"interval_lower.h{h}": round(c.lower, 6) for h, c in backtest.calibration.items()},
        **{f"interval_upper.h{h}": round(c.upper, 6) for h, c in backtest.calibration.items()},
        **{f"interval_dispersion.h{h}": round(c.dispersion, 6) for h, c in backtest.calibration.items()},
        "holidays": " ".join(filter(None, (settings.holidays.country, settings.holidays.subdivision))),
        "data_source": settings.data.source,
        "data_sha256": _sha256(settings.data.requests),
        "n_requests": len(requests),
        "n_rows_read": ingested.ledger.read,
        "n_rows_dropped": ingested.ledger.dropped,
        "n_zones": zones["zone"].nunique(),
        "n_categories": weekly["category"].nunique(),
        "n_weeks": weekly["week"].nunique(),
        "first_week": weekly["week"].min().strftime("%Y-%m-%d"),
        "last_week": weekly["week"].max().strftime("%Y-%m-%d"),
        "baseline": baseline,
        "baselines": ",".join(baselines),
        "equity_attribute": settings.equity_attribute,
    }
    run_id = None
    if log:
        from guadalajara_demanda_servicios.tracking import log_training_run

        run_id = log_training_run(
            settings=settings,
            params=params,
            metrics=metrics,
            fold_metrics=folds.to_dict("records"),
            forecaster=forecaster,
            X_example=known[columns],
            weekly=weekly.assign(week=weekly["week"].dt.strftime("%Y-%m-%d")),
            dataset_source=settings.data.requests.name,
            artifacts=[paths["predictions"], paths["forecast"], paths["metrics"], paths["ingest"], paths["folds"]],
        )
    return TrainResult(
        metrics=metrics, run_id=run_id, outputs=paths, seconds=time.perf_counter() - started, ingest=ingested
    )
