{% if cookiecutter.language == "es" -%}
"""Backtest con origen móvil: reentrena en cada origen, pronostica las ``h`` semanas siguientes, nunca mira al futuro."""
{%- elif cookiecutter.language == "pt" -%}
"""Backtest com origem móvel: treina de novo em cada origem, prevê as ``h`` semanas seguintes, nunca olha o futuro."""
{%- else -%}
"""Rolling-origin backtest: refit at each origin, forecast the next ``h`` weeks, never look ahead."""
{%- endif %}

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from {{ cookiecutter.__package }}.contract import ContractError
from {{ cookiecutter.__package }}.features import KEYS, feature_columns
from {{ cookiecutter.__package }}.model import fit_forecaster
from {{ cookiecutter.__package }}.settings import BacktestSettings, ModelSettings


class BacktestError(ContractError):
    """Not enough history for the requested backtest."""


def origins(weeks: pd.Series, *, horizon: int, folds: int, min_train_weeks: int) -> list[pd.Timestamp]:
    """The last week of data at each fold's origin; each fold tests the ``horizon`` weeks after it."""
    unique = np.sort(weeks.unique())
    usable = len(unique) - horizon * folds
    if usable < min_train_weeks + horizon:
        raise BacktestError(
            f"{len(unique)} complete weeks of data; a backtest of {folds} folds of {horizon} weeks "
            f"with at least {min_train_weeks} training weeks needs "
            f"{min_train_weeks + horizon * (folds + 1)}. Lower backtest.folds or "
            "backtest.min_train_weeks, or use more history."
        )
    return [pd.Timestamp(unique[usable - 1 + horizon * k]) for k in range(folds)]


def trainable(frame: pd.DataFrame) -> pd.Series:
    """Rows with a known count and at least the most recent lag."""
    return frame["y"].notna() & frame["lag_h"].notna()


def rolling_origin(frame: pd.DataFrame, *, model: ModelSettings, backtest: BacktestSettings) -> pd.DataFrame:
    """Out-of-sample forecasts for every fold: the keys, ``fold``, ``origin``, y and predictions."""
    horizon = model.horizon_weeks
    columns = feature_columns()
    known = frame[frame["y"].notna()]
    results = []
    for fold, origin in enumerate(
        origins(known["week"], horizon=horizon, folds=backtest.folds, min_train_weeks=backtest.min_train_weeks)
    ):
        train = known[(known["week"] <= origin) & trainable(known)]
        test_end = origin + pd.Timedelta(weeks=horizon)
        test = known[(known["week"] > origin) & (known["week"] <= test_end)]
        forecaster = fit_forecaster(train[columns], train["y"], model)
        predicted = forecaster.predict(test[columns])
        part = test[[*KEYS, "y", "y_baseline", *columns]].join(predicted)
        part.insert(3, "fold", fold)
        part.insert(4, "origin", origin)
        results.append(part)
    return pd.concat(results).sort_values(["fold", *KEYS])


def scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """MAE, RMSE, bias and mean Poisson deviance."""
    from sklearn.metrics import mean_absolute_error, mean_poisson_deviance, root_mean_squared_error

    return {
        "mae": float(mean_absolute_error(y_true, y_pred)),
        "rmse": float(root_mean_squared_error(y_true, y_pred)),
        "bias": float(np.mean(y_pred - y_true)),
        "poisson_deviance": float(mean_poisson_deviance(y_true, np.maximum(y_pred, 1e-6))),
    }


def metric_suffix(label: object) -> str:
    """A group label as MLflow accepts it in a metric name (letters, digits, _ - . / and spaces)."""
    return re.sub(r"[^\w\-. /]", "_", str(label)).strip() or "_"


def summarise(results: pd.DataFrame, *, equity_attribute: str) -> dict[str, float]:
    """Backtest metrics: the model, the baseline, skill over the baseline, interval coverage."""
    y = results["y"].to_numpy(float)
    model = scores(y, results["y_pred"].to_numpy(float))
    baseline_pred = results["y_baseline"].fillna(0.0).to_numpy(float)
    baseline = scores(y, baseline_pred)
    metrics = {f"backtest_{k}": v for k, v in model.items()}
    metrics.update({f"baseline_{k}": v for k, v in baseline.items()})
    metrics["skill_mae"] = 1.0 - model["mae"] / baseline["mae"] if baseline["mae"] > 0 else 0.0
    metrics["skill_rmse"] = 1.0 - model["rmse"] / baseline["rmse"] if baseline["rmse"] > 0 else 0.0
    inside = (results["y"] >= results["y_pred_lower"]) & (results["y"] <= results["y_pred_upper"])
    metrics["interval_coverage"] = float(inside.mean())
    metrics["interval_width"] = float((results["y_pred_upper"] - results["y_pred_lower"]).mean())
    if equity_attribute in results:
        for group, part in results.groupby(equity_attribute):
            total = part["y"].sum()
            ratio = part["y_pred"].sum() / total if total > 0 else float("nan")
            name = metric_suffix(group)
            metrics[f"forecast_ratio.{name}"] = float(ratio)
            metrics[f"mae.{name}"] = float(np.mean(np.abs(part["y_pred"] - part["y"])))
    return metrics
