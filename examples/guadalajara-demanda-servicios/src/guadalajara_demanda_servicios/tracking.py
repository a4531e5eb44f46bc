"""Registrar una corrida de entrenamiento en MLflow, con las convenciones de auditkit.

Un experimento por piloto, con las etiquetas ``auditkit.city``, ``auditkit.country``,
``auditkit.pilot`` y ``auditkit.pilot_type``; la corrida lleva además ``auditkit.kind``,
``auditkit.task``, ``auditkit.lang`` y ``auditkit.template_version`` (el vocabulario de
``docs/mlflow.md`` de auditkit, el mismo que las revisiones). Las métricas por grupo usan códigos
estables (``mae.g1``...), no las etiquetas traducidas; la tabla ``groups.json`` y las etiquetas
``auditkit.group.<código>`` dan la etiqueta de cada código. El modelo se registra con su firma,
requisitos explícitos y serialización skops (se carga sin unpickling); la tabla semanal se
registra como el conjunto de datos de entrada de la corrida.
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
    LANGUAGE,
    PILOT_NAME,
    PILOT_TYPE,
    TASK,
    TEMPLATE_VERSION,
    __version__,
)
from guadalajara_demanda_servicios.backtest import metric_suffix
from guadalajara_demanda_servicios.model import SKOPS_TRUSTED_TYPES, Forecaster
from guadalajara_demanda_servicios.sample import STRATA
from guadalajara_demanda_servicios.settings import Settings


def _pinned(package: str, distribution: str | None = None) -> str:
    try:
        return f"{package}=={version(distribution or package)}"
    except PackageNotFoundError:
        return package


def pip_requirements() -> list[str]:
    """What the logged model needs to load and predict (pinned to the installed versions)."""
    return [_pinned("scikit-learn"), _pinned("skops"), _pinned("numpy"), _pinned("pandas")]


def tracking_uri(settings: Settings) -> str:
    """The tracking URI a run goes to: ``MLFLOW_TRACKING_URI`` when set, else the settings'."""
    return os.environ.get("MLFLOW_TRACKING_URI") or settings.resolve_tracking_uri()


def experiment_tags() -> dict[str, str]:
    """The tags of the pilot's experiment (advisors filter experiments on them)."""
    return {
        "auditkit.city": CITY,
        "auditkit.country": COUNTRY,
        "auditkit.pilot": PILOT_NAME,
        "auditkit.pilot_type": PILOT_TYPE,
    }


def run_tags(settings: Settings) -> dict[str, str]:
    """The tags every training run of this pilot carries."""
    return {
        **experiment_tags(),
        "auditkit.kind": "training",
        "auditkit.task": TASK,
        "auditkit.lang": LANGUAGE,
        "auditkit.template_version": TEMPLATE_VERSION,
        "auditkit.equity_attribute": settings.equity_attribute,
        "pilot.version": __version__,
    }


def group_codes(labels: list[str]) -> dict[str, str]:
    """Stable codes ``g1``, ``g2``... for the equity groups, whatever the pilot's language.

    The sample's strata keep their order (least to most marginalised), so ``g1`` is the same
    stratum in a Spanish, Portuguese or English pilot; other labels follow in sorted order.
    """
    known = [label for label in STRATA if label in labels]
    ordered = known + sorted(set(labels) - set(known))
    return {label: f"g{index}" for index, label in enumerate(ordered, start=1)}


def coded_metrics(metrics: dict[str, float], labels: list[str]) -> tuple[dict[str, float], list[dict[str, object]]]:
    """Per-group metrics (``<metric>.<label>``) renamed ``<metric>.<code>``, and their table rows."""
    codes = group_codes(labels)
    by_suffix = {metric_suffix(label): label for label in labels}
    coded: dict[str, float] = {}
    rows: dict[str, dict[str, object]] = {}
    for key, value in metrics.items():
        name, dot, suffix = key.rpartition(".")
        label = by_suffix.get(suffix) if dot else None
        if label is None:
            coded[key] = value
            continue
        coded[f"{name}.{codes[label]}"] = value
        rows.setdefault(label, {"code": codes[label], "label": label})[name] = value
    return coded, sorted(rows.values(), key=lambda row: str(row["code"]))


def equity_groups(settings: Settings) -> list[str]:
    """The equity groups of the zones the run was trained on (``outputs/zones.csv``)."""
    path = settings.outputs / "zones.csv"
    if not path.exists():
        return []
    zones = pd.read_csv(path, dtype={settings.equity_attribute: str})
    if settings.equity_attribute not in zones:
        return []
    return sorted(zones[settings.equity_attribute].dropna().unique().tolist())


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

    mlflow.set_tracking_uri(tracking_uri(settings))
    mlflow.set_experiment(settings.experiment)
    mlflow.set_experiment_tags(experiment_tags())
    labels = equity_groups(settings)
    metrics, group_rows = coded_metrics(metrics, labels)
    tags = run_tags(settings)
    tags.update({f"auditkit.group.{row['code']}": str(row["label"]) for row in group_rows})
    with mlflow.start_run(run_name=f"train-{settings.model.horizon_weeks}w", tags=tags) as run:
        mlflow.log_params(params)
        mlflow.log_metrics(metrics)
        if group_rows:
            columns = sorted({key for row in group_rows for key in row} - {"code", "label"})
            table = pd.DataFrame(group_rows, columns=["code", "label", *columns])
            mlflow.log_table(table, artifact_file="groups.json")
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
