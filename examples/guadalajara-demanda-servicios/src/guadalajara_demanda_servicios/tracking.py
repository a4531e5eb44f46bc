"""Registrar una corrida de entrenamiento en MLflow, con las convenciones de auditkit.

Un experimento por piloto; la corrida lleva las etiquetas ``auditkit.city``, ``auditkit.country``,
``auditkit.pilot``, ``auditkit.pilot_type`` y ``auditkit.template_version``; el modelo se registra
con su firma, requisitos explícitos y serialización skops (se carga sin unpickling); la tabla
semanal se registra como el conjunto de datos de entrada de la corrida.
"""

from __future__ import annotations

import os
import warnings
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from guadalajara_demanda_servicios import (
    CITY,
    COUNTRY,
    PILOT_NAME,
    PILOT_TYPE,
    TEMPLATE_VERSION,
    __version__,
)
from guadalajara_demanda_servicios.model import SKOPS_TRUSTED_TYPES, Forecaster
from guadalajara_demanda_servicios.settings import Settings


def _pinned(package: str, distribution: str | None = None) -> str:
    try:
        return f"{package}=={version(distribution or package)}"
    except PackageNotFoundError:
        return package


def pip_requirements() -> list[str]:
    """What the logged model needs to load and predict (pinned to the installed versions)."""
    return [_pinned("scikit-learn"), _pinned("skops"), _pinned("numpy"), _pinned("pandas")]


def run_tags(settings: Settings) -> dict[str, str]:
    """The tags every training run of this pilot carries."""
    return {
        "auditkit.city": CITY,
        "auditkit.country": COUNTRY,
        "auditkit.pilot": PILOT_NAME,
        "auditkit.pilot_type": PILOT_TYPE,
        "auditkit.template_version": TEMPLATE_VERSION,
        "auditkit.equity_attribute": settings.equity_attribute,
        "pilot.version": __version__,
    }


def log_training_run(
    *,
    settings: Settings,
    params: dict[str, object],
    metrics: dict[str, float],
    fold_metrics: list[dict[str, float]],
    forecaster: Forecaster,
    X_example: pd.DataFrame,
    weekly: pd.DataFrame,
    dataset_source: str,
    artifacts: list[Path],
) -> str:
    """Log one run (params, metrics, models, dataset, artifacts) and return its id.

    ``fold_metrics`` holds one dict per backtest fold (its ``fold`` key is the step); each
    metric is logged as ``fold.<name>`` at that step.
    """
    import mlflow
    from mlflow.models import infer_signature

    mlflow.set_tracking_uri(os.environ.get("MLFLOW_TRACKING_URI") or settings.resolve_tracking_uri())
    mlflow.set_experiment(settings.experiment)
    with mlflow.start_run(run_name=f"train-{settings.model.horizon_weeks}w", tags=run_tags(settings)) as run:
        mlflow.log_params(params)
        mlflow.log_metrics(metrics)
        for row in fold_metrics:
            step = int(row["fold"])
            mlflow.log_metrics({f"fold.{k}": float(v) for k, v in row.items() if k != "fold"}, step=step)
        with warnings.catch_warnings():
            # a bare file name can be read as more than one kind of local source: all are fine
            warnings.filterwarnings("ignore", message="The specified dataset source", category=UserWarning)
            dataset = mlflow.data.from_pandas(
                weekly.astype({"y": float}), source=dataset_source, name="weekly_requests", targets="y"
            )
        mlflow.log_input(dataset, context="training")
        example = X_example.head(5)
        # one direct model per horizon: "model" forecasts one week ahead, "model_h2" two...
        for name, estimator in ((f"model_h{h}" if h > 1 else "model", m) for h, m in forecaster.models.items()):
            mlflow.sklearn.log_model(
                estimator,
                name=name,
                signature=infer_signature(example, estimator.predict(example)),
                # one input example is enough to try the models in the UI (each costs seconds)
                input_example=example if name == "model" else None,
                pip_requirements=pip_requirements(),
                serialization_format="skops",
                skops_trusted_types=SKOPS_TRUSTED_TYPES,
            )
        for path in artifacts:
            mlflow.log_artifact(str(path))
        return str(run.info.run_id)
