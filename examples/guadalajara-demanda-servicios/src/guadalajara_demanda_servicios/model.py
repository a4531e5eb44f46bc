"""El pronosticador: un modelo directo por horizonte (gradient boosting, pérdida Poisson) e intervalos conformes.

Cada horizonte ``h`` (1 a ``model.horizon_weeks`` semanas) tiene su propio modelo, entrenado con
las variables que se conocen ``h`` semanas antes: el pronóstico a una semana usa el último conteo.
El intervalo es conforme (split conformal) sobre residuos escalados de conteos: en la escala de la
raíz cuadrada, que estabiliza la varianza de Poisson, y dividido por ``sqrt(1 + κ·μ)`` para la
sobredispersión. Los cuantiles inferior y superior de esos residuos salen de los pronósticos fuera
de muestra del backtest, por horizonte (un conteo no baja de cero: lo que el límite inferior no
puede fallar lo toma el superior), y los límites se redondean hacia adentro a enteros (un conteo entero cae en
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
    """The conformal quantiles (lower, upper) of one horizon's scaled residuals, and its dispersion κ."""

    lower: float
    upper: float
    dispersion: float
    n: int

    def bounds(self, mean: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whole-number interval bounds around the forecast means ``mean``."""
        mean = np.maximum(mean, 0.0)
        root, scale = np.sqrt(mean), np.sqrt(1.0 + self.dispersion * mean)
        lower = np.maximum(root + self.lower * scale, 0.0) ** 2
        upper = np.maximum(root + self.upper * scale, 0.0) ** 2
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

    The score is the signed residual ``(sqrt(y) - sqrt(μ)) / sqrt(1 + κ·μ)``. The lower
    quantile leaves at most ``(1 - level) / 2`` of the scores below it; a count cannot fall
    below zero, so at low means fewer do, and the upper quantile takes the misses left:
    it is the ``ceil((n + 1)·(1 - misses left))``-th smallest score. A new exchangeable
    forecast then falls inside with probability ``level`` overall, and the misses are split
    between the two sides as evenly as the counts allow.
    """
    y = np.asarray(y, dtype=float)
    mean = np.maximum(np.asarray(mean, dtype=float), 0.0)
    n = len(y)
    if n == 0:
        raise ValueError("no out-of-sample forecasts to calibrate the interval on")
    dispersion = _dispersion(y, mean)
    scores = (np.sqrt(y) - np.sqrt(mean)) / np.sqrt(1.0 + dispersion * mean)
    ordered = np.sort(scores)
    low_rank = math.floor((n + 1) * (1.0 - level) / 2.0)
    lower = float(ordered[low_rank - 1]) if low_rank >= 1 else -math.inf
    below = float(np.mean(scores < lower))
    high_rank = min(math.ceil((n + 1) * (level + below)), n)
    return Calibration(lower=lower, upper=float(ordered[high_rank - 1]), dispersion=dispersion, n=n)


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
