{% if cookiecutter.language == "es" -%}
"""El pronosticador: gradient boosting con pérdida Poisson, más dos modelos de cuantiles para el intervalo."""
{%- elif cookiecutter.language == "pt" -%}
"""O previsor: gradient boosting com perda Poisson, mais dois modelos de quantis para o intervalo."""
{%- else -%}
"""The forecaster: gradient boosting with a Poisson loss, plus two quantile models for the interval."""
{%- endif %}

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
from threadpoolctl import threadpool_limits

from {{ cookiecutter.__package }}.settings import ModelSettings

# The only class in a fitted model that skops does not trust by default. Logging with this
# list means the model loads later with skops, without unpickling arbitrary code. (Zone and
# category enter as numeric codes: native categorical support would add a preprocessor with
# more types to trust.)
SKOPS_TRUSTED_TYPES = ["sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor"]


@dataclass
class Forecaster:
    """A point model and the lower/upper quantile models, fitted on the same rows."""

    point: HistGradientBoostingRegressor
    lower: HistGradientBoostingRegressor
    upper: HistGradientBoostingRegressor

    def predict(self, X: pd.DataFrame) -> pd.DataFrame:
        """Point forecast and interval; the interval always contains the point forecast."""
        with threadpool_limits(limits=1, user_api="openmp"):
            point = self.point.predict(X)
            lower = np.minimum(np.maximum(self.lower.predict(X), 0.0), point)
            upper = np.maximum(self.upper.predict(X), point)
        return pd.DataFrame({"y_pred": point, "y_pred_lower": lower, "y_pred_upper": upper}, index=X.index)


def _regressor(settings: ModelSettings, **loss: object) -> HistGradientBoostingRegressor:
    return HistGradientBoostingRegressor(
        max_iter=settings.max_iter,
        learning_rate=settings.learning_rate,
        max_leaf_nodes=settings.max_leaf_nodes,
        min_samples_leaf=settings.min_samples_leaf,
        early_stopping=False,
        random_state=settings.seed,
        **loss,
    )


def fit_forecaster(X: pd.DataFrame, y: pd.Series, settings: ModelSettings) -> Forecaster:
    """Fit the three models on ``X`` (columns of :func:`feature_columns`) and counts ``y``."""
    alpha = (1.0 - settings.interval) / 2.0
    # Small data: one OpenMP thread is as fast, and far faster on a busy machine.
    with threadpool_limits(limits=settings.threads, user_api="openmp"):
        point = _regressor(settings, loss="poisson").fit(X, y)
        lower = _regressor(settings, loss="quantile", quantile=alpha).fit(X, y)
        upper = _regressor(settings, loss="quantile", quantile=1.0 - alpha).fit(X, y)
    return Forecaster(point=point, lower=lower, upper=upper)
