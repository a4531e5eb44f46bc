{% if cookiecutter.language == "es" -%}
"""Backtest con origen móvil: reentrena en cada origen, pronostica las ``h`` semanas siguientes, nunca mira al futuro.

Los primeros ``backtest.calibration_folds`` cortes solo calibran los intervalos: el intervalo de
cada corte evaluado usa los residuos de los cortes anteriores, nunca los suyos ni los futuros.
Las líneas base (ingenua estacional y media móvil de 13 semanas) usan la misma información que
el modelo; la habilidad se mide contra la más fuerte de las dos.
"""
{%- elif cookiecutter.language == "pt" -%}
"""Backtest com origem móvel: treina de novo em cada origem, prevê as ``h`` semanas seguintes, nunca olha o futuro.

Os primeiros ``backtest.calibration_folds`` cortes só calibram os intervalos: o intervalo de
cada corte avaliado usa os resíduos dos cortes anteriores, nunca os seus nem os futuros. As
linhas de base (ingênua sazonal e média móvel de 13 semanas) usam a mesma informação que o
modelo; o ganho é medido contra a mais forte das duas.
"""
{%- else -%}
"""Rolling-origin backtest: refit at each origin, forecast the next ``h`` weeks, never look ahead.

The first ``backtest.calibration_folds`` folds only calibrate the intervals: each scored fold's
interval uses the residuals of the folds before it, never its own or later ones. The baselines
(seasonal naive and a 13-week moving average) use the same information as the model; skill is
measured against the stronger of the two.
"""
{%- endif %}

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from {{ cookiecutter.__package }}.contract import ContractError
from {{ cookiecutter.__package }}.features import KEYS, feature_columns
from {{ cookiecutter.__package }}.model import Calibration, Forecaster, calibrate, fit_point
from {{ cookiecutter.__package }}.settings import BacktestSettings, ModelSettings, Settings

History = Literal["full", "short"]
BASELINES = ("seasonal_naive", "moving_average")
# Poisson deviance of a zero forecast is infinite: forecasts are floored at half a request in
# 13 weeks, so that a baseline that saw no request is wrong, not infinitely wrong.
DEVIANCE_FLOOR = 0.5 / 13


class BacktestError(ContractError):
    """Not enough history for the requested backtest."""


def required_weeks(settings: Settings, *, history: History | None = None) -> int:
    """Complete weeks of data that ``train`` needs with these settings.

    The first fold trains on ``min_train_weeks`` weeks (``min_train_weeks_short`` in
    short-history mode), then ``calibration_folds + folds`` folds of ``horizon_weeks`` weeks
    follow; the first ``horizon_weeks`` weeks only feed the lags. With ``model.history: auto``
    (and no ``history`` given) this is the short-history requirement, the least ``train``
    accepts. Settings that lower it: ``backtest.folds``, ``backtest.calibration_folds``,
    ``backtest.min_train_weeks_short`` (``min_train_weeks`` with full history) and
    ``model.horizon_weeks``.
    """
    mode = history or settings.model.history
    backtest = settings.backtest
    train = backtest.min_train_weeks if mode == "full" else backtest.min_train_weeks_short
    return train + settings.model.horizon_weeks * (backtest.calibration_folds + backtest.folds + 1)


def history_mode(settings: Settings, n_weeks: int) -> History:
    """``full`` or ``short``: as configured, or with ``auto`` whichever ``n_weeks`` allows."""
    if settings.model.history == "auto":
        return "full" if n_weeks >= required_weeks(settings, history="full") else "short"
    return "full" if settings.model.history == "full" else "short"


def baseline_names(history: History) -> tuple[str, ...]:
    """The baselines of a history mode: without a year of history, no seasonal naive."""
    return BASELINES if history == "full" else ("moving_average",)


def origins(weeks: pd.Series, *, horizon: int, folds: int, min_train_weeks: int) -> list[pd.Timestamp]:
    """The last week of data at each fold's origin; each fold tests the ``horizon`` weeks after it."""
    unique = np.sort(weeks.unique())
    usable = len(unique) - horizon * folds
    if usable < min_train_weeks + horizon:
        raise BacktestError(
            f"{len(unique)} complete weeks of data; a backtest of {folds} folds of {horizon} weeks "
            f"with at least {min_train_weeks} training weeks needs "
            f"{min_train_weeks + horizon * (folds + 1)}. Lower backtest.folds, backtest.calibration_folds "
            "or the training weeks (backtest.min_train_weeks, or backtest.min_train_weeks_short with "
            "model.history: short), or use more history."
        )
    return [pd.Timestamp(unique[usable - 1 + horizon * k]) for k in range(folds)]


def trainable(frame: pd.DataFrame) -> pd.Series:
    """Rows with a known count and at least the most recent lag."""
    return frame["y"].notna() & frame["lag_h"].notna()


def naive_scale(history: pd.DataFrame) -> float:
    """MASE's scale: the mean absolute change from one week to the next, over every cell of ``history``."""
    ordered = history.sort_values(["zone", "category", "week"])
    steps = ordered.groupby(["zone", "category"], sort=False)["y"].diff().abs()
    scale = float(steps.mean()) if steps.notna().any() else 0.0
    return scale if scale > 0 else float("nan")


@dataclass
class Backtest:
    """Scored folds (with calibrated intervals), every out-of-sample forecast, the final calibration."""

    results: pd.DataFrame
    out_of_sample: pd.DataFrame
    calibration: dict[int, Calibration]


def rolling_origin(
    frames: dict[int, pd.DataFrame], *, model: ModelSettings, backtest: BacktestSettings, history: History
) -> Backtest:
    """Out-of-sample forecasts of every fold, one direct model per horizon, with conformal intervals.

    ``frames[h]`` holds the features of horizon ``h``. The scored folds are numbered from 0 in
    ``results``; the calibration folds before them only appear in ``out_of_sample``.
    """
    horizon = model.horizon_weeks
    seasonal = history == "full"
    columns = feature_columns(seasonal=seasonal)
    first = frames[1][frames[1]["y"].notna()]
    total = backtest.calibration_folds + backtest.folds
    min_train = backtest.min_train_weeks if seasonal else backtest.min_train_weeks_short
    keep = [*KEYS, "y", *(f"baseline_{name}" for name in BASELINES), *columns]
    parts = []
    for fold, origin in enumerate(origins(first["week"], horizon=horizon, folds=total, min_train_weeks=min_train)):
        scale = naive_scale(first[first["week"] <= origin])
        for h in range(1, horizon + 1):
            known = frames[h][frames[h]["y"].notna()]
            train = known[(known["week"] <= origin) & trainable(known)]
            test = known[known["week"] == origin + pd.Timedelta(weeks=h)]
            forecaster = Forecaster(models={h: fit_point(train[columns], train["y"], model)})
            part = test[keep].join(forecaster.predict(test[columns], horizon=h))
            part.insert(3, "fold", fold - backtest.calibration_folds)
            part.insert(4, "origin", origin)
            part.insert(5, "horizon", h)
            part["mase_scale"] = scale
            parts.append(part)
    out_of_sample = pd.concat(parts).sort_values(["fold", *KEYS]).reset_index(drop=True)
    scored = []
    for (fold, h), part in out_of_sample[out_of_sample["fold"] >= 0].groupby(["fold", "horizon"]):
        before = out_of_sample[(out_of_sample["fold"] < fold) & (out_of_sample["horizon"] == h)]
        calibration = calibrate(before["y"].to_numpy(), before["y_pred"].to_numpy(), level=model.interval)
        lower, upper = calibration.bounds(part["y_pred"].to_numpy(float))
        scored.append(part.assign(y_pred_lower=lower, y_pred_upper=upper))
    results = pd.concat(scored).sort_values(["fold", *KEYS]).reset_index(drop=True)
    final = {
        h: calibrate(part["y"].to_numpy(), part["y_pred"].to_numpy(), level=model.interval)
        for h, part in out_of_sample.groupby("horizon")
    }
    return Backtest(results=results, out_of_sample=out_of_sample, calibration=final)


def scores(y_true: np.ndarray, y_pred: np.ndarray, mase_scale: np.ndarray | None = None) -> dict[str, float]:
    """MAE, RMSE, bias, mean Poisson deviance, WAPE and (with a scale per row) MASE."""
    from sklearn.metrics import mean_absolute_error, mean_poisson_deviance, root_mean_squared_error

    total = float(np.sum(y_true))
    out = {
        "mae": float(mean_absolute_error(y_true, y_pred)),
        "rmse": float(root_mean_squared_error(y_true, y_pred)),
        "bias": float(np.mean(y_pred - y_true)),
        "poisson_deviance": float(mean_poisson_deviance(y_true, np.maximum(y_pred, DEVIANCE_FLOOR))),
        "wape": float(np.sum(np.abs(y_pred - y_true)) / total) if total > 0 else float("nan"),
    }
    if mase_scale is not None:
        out["mase"] = float(np.nanmean(np.abs(y_pred - y_true) / mase_scale))
    return out


def _skill(model: float, baseline: float) -> float:
    return 1.0 - model / baseline if baseline > 0 else 0.0


def stronger_baseline(results: pd.DataFrame, names: tuple[str, ...]) -> str:
    """The baseline with the lower backtest MAE (the first of ``names`` on a tie)."""
    y = results["y"].to_numpy(float)
    errors = {name: float(np.mean(np.abs(results[f"baseline_{name}"].fillna(0.0) - y))) for name in names}
    return min(names, key=lambda name: errors[name])


def metric_suffix(label: object) -> str:
    """A group label as MLflow accepts it in a metric name (letters, digits, _ - . / and spaces)."""
    return re.sub(r"[^\w\-. /]", "_", str(label)).strip() or "_"


def _core(part: pd.DataFrame, baselines: tuple[str, ...]) -> dict[str, float]:
    """The headline metrics of one slice of the results (``y_baseline`` is the stronger baseline)."""
    y = part["y"].to_numpy(float)
    scale = part["mase_scale"].to_numpy(float)
    model = scores(y, part["y_pred"].to_numpy(float), scale)
    baseline = scores(y, part["y_baseline"].fillna(0.0).to_numpy(float), scale)
    metrics = {f"backtest_{k}": v for k, v in model.items()}
    metrics.update({f"baseline_{k}": v for k, v in baseline.items()})
    for key in ("mae", "rmse", "poisson_deviance"):
        metrics[f"skill_{key}"] = _skill(model[key], baseline[key])
    for name in baselines:
        other = scores(y, part[f"baseline_{name}"].fillna(0.0).to_numpy(float), scale)
        metrics.update({f"baseline_{name}_{k}": v for k, v in other.items()})
        metrics[f"skill_mae_{name}"] = _skill(model["mae"], other["mae"])
        metrics[f"skill_poisson_deviance_{name}"] = _skill(model["poisson_deviance"], other["poisson_deviance"])
    inside = (part["y"] >= part["y_pred_lower"]) & (part["y"] <= part["y_pred_upper"])
    metrics["interval_coverage"] = float(inside.mean())
    metrics["interval_below"] = float((part["y"] < part["y_pred_lower"]).mean())
    metrics["interval_above"] = float((part["y"] > part["y_pred_upper"]).mean())
    metrics["interval_width"] = float((part["y_pred_upper"] - part["y_pred_lower"]).mean())
    metrics["mean_count"] = float(np.mean(y))
    return metrics


def fold_metrics(results: pd.DataFrame, *, baselines: tuple[str, ...]) -> pd.DataFrame:
    """The headline metrics of every scored fold, one row per fold (logged with the fold as the step)."""
    rows = [{"fold": int(fold), **_core(part, baselines)} for fold, part in results.groupby("fold")]
    return pd.DataFrame(rows)


def summarise(results: pd.DataFrame, *, equity_attribute: str, baselines: tuple[str, ...]) -> dict[str, float]:
    """Backtest metrics: the model, both baselines, skill over the stronger, interval coverage, per horizon."""
    metrics = _core(results, baselines)
    for h, part in results.groupby("horizon"):
        core = _core(part, baselines)
        for key in ("backtest_mae", "baseline_mae", "skill_mae", "skill_poisson_deviance", "interval_coverage"):
            metrics[f"horizon_{int(h)}.{key}"] = core[key]
    if equity_attribute in results:
        for group, part in results.groupby(equity_attribute):
            total = part["y"].sum()
            ratio = part["y_pred"].sum() / total if total > 0 else float("nan")
            name = metric_suffix(group)
            metrics[f"forecast_ratio.{name}"] = float(ratio)
            metrics[f"mae.{name}"] = float(np.mean(np.abs(part["y_pred"] - part["y"])))
    return metrics
