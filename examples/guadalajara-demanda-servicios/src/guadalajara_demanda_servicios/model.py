"""El pronosticador: un modelo directo por horizonte (gradient boosting, pérdida Poisson) e intervalos conformes.

Cada horizonte ``h`` (1 a ``model.horizon_weeks`` semanas) tiene su propio modelo, entrenado con
las variables que se conocen ``h`` semanas antes: el pronóstico a una semana usa el último conteo.
El intervalo es conforme (split conformal) sobre residuos escalados de conteos: en la escala de la
raíz cuadrada, que estabiliza la varianza de Poisson, y dividido por ``sqrt(1 + κ·μ)`` para la
sobredispersión. El cuantil de esos residuos sale de los pronósticos fuera de muestra del backtest,
por horizonte, y los límites se redondean hacia adentro a enteros (un conteo entero cae en
``[a, b]`` si y solo si cae en ``[ceil(a), floor(b)]``: la cobertura no cambia).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
from threadpoolctl import threadpool_limits

from guadalajara_demanda_servicios.settings import ModelSettings

# The only class in a fitted model that skops does not trust by default. Logging with this
# list means the model loads later with skops, without unpickling arbitrary code. (Zone and
# category enter as numeric codes: native categorical support would add a preprocessor with
# more types to trust.)
SKOPS_TRUSTED_TYPES = ["sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor"]
MAX_DISPERSION = 1.0  # κ is estimated from the residuals, capped here
MIN_MEAN_FOR_DISPERSION = 3.0
MIN_ROWS_FOR_DISPERSION = 30


@dataclass(frozen=True)
class Calibration:
    """The conformal quantile of the scaled residuals of one horizon, and its dispersion κ."""

    quantile: float
    dispersion: float
    n: int

    def bounds(self, mean: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whole-number interval bounds around the forecast means ``mean``."""
        root = np.sqrt(np.maximum(mean, 0.0))
        half = self.quantile * np.sqrt(1.0 + self.dispersion * np.maximum(mean, 0.0))
        lower = np.maximum(root - half, 0.0) ** 2
        upper = (root + half) ** 2
        return np.ceil(lower - 1e-9), np.floor(upper + 1e-9)


def _dispersion(y: np.ndarray, mean: np.ndarray) -> float:
    """κ in Var(sqrt y) ≈ (1 + κ·μ) / 4, by least squares through the origin, within [0, MAX_DISPERSION].

    Only forecasts of at least ``MIN_MEAN_FOR_DISPERSION`` requests take part: below that the
    square root does not stabilise the variance of a count (at μ = 0.5 it is about μ, not 1/4),
    and sparse cells would pass for over-dispersed ones.
    """
    used = mean >= MIN_MEAN_FOR_DISPERSION
    if used.sum() < MIN_ROWS_FOR_DISPERSION:
        return 0.0
    mean, y = mean[used], y[used]
    excess = 4.0 * (np.sqrt(y) - np.sqrt(mean)) ** 2 - 1.0
    return float(np.clip(np.sum(mean * excess) / np.sum(mean**2), 0.0, MAX_DISPERSION))


def calibrate(y: np.ndarray, mean: np.ndarray, *, level: float) -> Calibration:
    """Split-conformal calibration on out-of-sample counts ``y`` and forecast means ``mean``.

    The score is ``|sqrt(y) - sqrt(μ)| / sqrt(1 + κ·μ)``; the quantile is the
    ``ceil((n + 1)·level)``-th smallest score, so that a new exchangeable forecast falls inside
    with probability at least ``level``.
    """
    y = np.asarray(y, dtype=float)
    mean = np.maximum(np.asarray(mean, dtype=float), 0.0)
    if len(y) == 0:
        raise ValueError("no out-of-sample forecasts to calibrate the interval on")
    dispersion = _dispersion(y, mean)
    scores = np.sort(np.abs(np.sqrt(y) - np.sqrt(mean)) / np.sqrt(1.0 + dispersion * mean))
    rank = min(math.ceil((len(y) + 1) * level), len(y))
    return Calibration(quantile=float(scores[rank - 1]), dispersion=dispersion, n=len(y))


@dataclass
class Forecaster:
    """One point model per horizon (1, 2, ...) and, once calibrated, its interval."""

    models: dict[int, HistGradientBoostingRegressor]
    calibration: dict[int, Calibration] = field(default_factory=dict)

    def predict(self, X: pd.DataFrame, *, horizon: int) -> pd.DataFrame:
        """Point forecast and (when calibrated) the whole-number interval for ``horizon`` weeks ahead."""
        with threadpool_limits(limits=1, user_api="openmp"):
            point = np.maximum(self.models[horizon].predict(X), 0.0)
        out = pd.DataFrame({"y_pred": point}, index=X.index)
        if horizon in self.calibration:
            out["y_pred_lower"], out["y_pred_upper"] = self.calibration[horizon].bounds(point)
        return out


def _regressor(settings: ModelSettings) -> HistGradientBoostingRegressor:
    return HistGradientBoostingRegressor(
        loss="poisson",
        max_iter=settings.max_iter,
        learning_rate=settings.learning_rate,
        max_leaf_nodes=settings.max_leaf_nodes,
        min_samples_leaf=settings.min_samples_leaf,
        early_stopping=False,
        random_state=settings.seed,
    )


def fit_point(X: pd.DataFrame, y: pd.Series, settings: ModelSettings) -> HistGradientBoostingRegressor:
    """Fit one horizon's point model on ``X`` (columns of ``feature_columns``) and counts ``y``."""
    # Small data: one OpenMP thread is as fast, and far faster on a busy machine.
    with threadpool_limits(limits=settings.threads, user_api="openmp"):
        return _regressor(settings).fit(X, y)
