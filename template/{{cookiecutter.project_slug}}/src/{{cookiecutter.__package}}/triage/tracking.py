{% if cookiecutter.language == "es" -%}
"""Registrar una corrida de entrenamiento del triaje en MLflow, con las mismas convenciones que el piloto de pronóstico.

Un experimento por piloto; las etiquetas ``auditkit.city``, ``auditkit.country``, ``auditkit.pilot``,
``auditkit.pilot_type`` (``request-triage``) y ``auditkit.template_version``; el modelo con su firma,
requisitos explícitos y serialización skops. Solo se registra lo que ya pasó el escaneo de datos
personales: predicciones, métricas, vocabulario y conteo de filas (ningún texto de mensaje).
"""

{%- elif cookiecutter.language == "pt" -%}
"""Registrar uma execução de treino da triagem no MLflow, com as mesmas convenções do piloto de previsão.

Um experimento por piloto; as tags ``auditkit.city``, ``auditkit.country``, ``auditkit.pilot``,
``auditkit.pilot_type`` (``request-triage``) e ``auditkit.template_version``; o modelo com a sua
assinatura, requisitos explícitos e serialização skops. Só é registrado o que já passou pela
verificação de dados pessoais: previsões, métricas, vocabulário e contagem de linhas (nenhum texto).
"""
{%- else -%}
"""Log a triage training run to MLflow, by the same conventions as the forecast pilot.

One experiment per pilot; the tags ``auditkit.city``, ``auditkit.country``, ``auditkit.pilot``,
``auditkit.pilot_type`` (``request-triage``) and ``auditkit.template_version``; the model with its
signature, explicit requirements and skops serialisation. Only what passed the personal-data scan
is logged: predictions, metrics, vocabulary and row accounting (no message text).
"""
{%- endif %}

from __future__ import annotations

import os
import warnings
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd
import skops.io

from {{ cookiecutter.__package }} import (
    CITY,
    COUNTRY,
    LANGUAGE,
    PILOT_NAME,
    PILOT_TYPE,
    TEMPLATE_VERSION,
    __version__,
)
from {{ cookiecutter.__package }}.triage.settings import Settings


def _pinned(package: str) -> str:
    try:
        return f"{package}=={version(package)}"
    except PackageNotFoundError:
        return package


def pip_requirements() -> list[str]:
    """What the logged model needs to load and predict (pinned to the installed versions)."""
    return [_pinned("scikit-learn"), _pinned("skops"), _pinned("numpy"), _pinned("pandas")]


TASK = "classification"


def experiment_tags() -> dict[str, str]:
    """The tags of the pilot's experiment (advisors filter experiments on them)."""
    return {
        "auditkit.city": CITY,
        "auditkit.country": COUNTRY,
        "auditkit.pilot": PILOT_NAME,
        "auditkit.pilot_type": PILOT_TYPE,
    }


def run_tags(settings: Settings) -> dict[str, str]:
    """The tags every training run of this pilot carries (the vocabulary of every auditkit pilot)."""
    return {
        **experiment_tags(),
        "auditkit.kind": "training",
        "auditkit.task": TASK,
        "auditkit.lang": LANGUAGE,
        "auditkit.template_version": TEMPLATE_VERSION,
        "auditkit.equity_attribute": settings.equity_attribute,
        "pilot.version": __version__,
    }


def log_training_run(
    *,
    settings: Settings,
    params: dict[str, object],
    metrics: dict[str, float],
    model,
    model_path: Path,
    example: pd.Series,
    predictions: pd.DataFrame,
    dataset_source: str,
    artifacts: list[Path],
) -> str:
    """Log one run (params, metrics, model, dataset, artifacts) and return its id."""
    import mlflow
    from mlflow.models import infer_signature

    mlflow.set_tracking_uri(os.environ.get("MLFLOW_TRACKING_URI") or settings.resolve_tracking_uri())
    mlflow.set_experiment(settings.experiment)
    mlflow.set_experiment_tags(experiment_tags())
    with mlflow.start_run(run_name="train-triage", tags=run_tags(settings)) as run:
        mlflow.log_params(params)
        mlflow.log_metrics(metrics)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The specified dataset source", category=UserWarning)
            dataset = mlflow.data.from_pandas(
                predictions.drop(columns=["message_id"]),
                source=dataset_source,
                name="backtest_predictions",
                targets="y_true",
            )
        mlflow.log_input(dataset, context="evaluation")
        texts = example.astype(str).to_frame("text")
        mlflow.sklearn.log_model(
            model,
            name="model",
            signature=infer_signature(texts, model.predict(texts["text"])),
            pip_requirements=pip_requirements(),
            serialization_format="skops",
            skops_trusted_types=skops.io.get_untrusted_types(file=model_path),
        )
        for path in artifacts:
            mlflow.log_artifact(str(path))
        return str(run.info.run_id)
