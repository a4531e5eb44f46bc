"""The explain area's inputs: the model's columns, the features table, the group labels.

The features table holds the model's input columns. Its rows are aligned with the predictions
table either one to one (same order and length) or through a key column (``explain.id``) present
in both. Equity attributes come from the features table when it has them, otherwise from the
aligned predictions table.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from auditkit._area import MISSING_LABEL, InputRecord, ReviewContext, load_predictions
from auditkit._errors import ConfigError, InputDataError
from auditkit._io import _as_text, file_sha256, read_table, require_columns
from auditkit.engine._source import uses_engine
from auditkit.explain._attributions import Attributions, explain_model
from auditkit.explain._load import LoadedModel

if TYPE_CHECKING:
    import pandas as pd

    from auditkit._config import AuditConfig, ExplainConfig

__all__ = [
    "aligned_predictions",
    "group_labels",
    "model_columns",
    "prediction_agreement",
    "read_features",
    "run_explainer",
]


def read_features(
    config: AuditConfig, path: Path, columns: list[str]
) -> tuple[pd.DataFrame, InputRecord]:
    """The features table; group columns as text unless the model reads them as inputs.

    When the predictions go through the engine (:func:`auditkit.engine.uses_engine`), the
    features table does too, and only the rows explained come back: ``explain.max_rows`` rows
    sampled by a hash of their row number (of ``explain.id`` when set), the same every run,
    with the model's columns and the group, zone and id columns. Its ``ROW_COLUMN`` column
    holds each row's number; the record counts every row of the table.
    """
    settings = config.explain
    assert settings is not None
    text = [g for g in config.data.groups if g not in columns]
    if uses_engine(config):
        from auditkit.engine._sample import columns_of, sample_rows
        from auditkit.engine._source import Source, expand_files

        source = Source(
            kind="files",
            label=str(settings.features),
            base_dir=config.base_dir,
            files=expand_files(path),
        )
        header = columns_of(source)
        require_columns(header, columns, path=path, role="features")
        extra = [*config.data.groups, config.data.zone]
        wanted = [*columns, *(c for c in extra if c and c in header and c not in columns)]
        sample = sample_rows(
            source,
            columns=wanted,
            max_rows=settings.max_rows,
            seed=settings.seed,
            key=settings.id,
            text_columns=[c for c in text if c in header],
        )
        record = InputRecord(
            role="features",
            path=str(settings.features),
            sha256=source.fingerprint(),
            rows=sample.n_rows,
        )
        return sample.frame, record
    frame = read_table(path, text_columns=text, role="features", exact_floats=True)
    record = InputRecord(
        role="features", path=str(settings.features), sha256=file_sha256(path), rows=len(frame)
    )
    return frame, record


def model_columns(loaded: LoadedModel, settings: ExplainConfig) -> list[str]:
    """The model's input columns: from the config, or those the model was fit on."""
    if settings.columns is not None:
        columns = list(settings.columns)
    else:
        fitted = getattr(loaded.model, "feature_names_in_", None)
        if fitted is None:
            raise ConfigError(
                "explain.columns is not set and the model does not record the columns it was fit "
                "on (it was fit on an array, not a table).",
                hint="List the model's input columns, in order, under explain.columns.",
            )
        columns = [str(c) for c in fitted]
    return columns


def aligned_predictions(
    config: AuditConfig, context: ReviewContext, features: pd.DataFrame, features_path: Path
) -> pd.DataFrame | None:
    """The predictions table in the features table's row order, when it is needed and possible."""
    settings = config.explain
    assert settings is not None
    needed = [g for g in config.data.groups if g not in features.columns]
    if uses_engine(config):
        return _sampled_predictions(config, context, features, features_path, needed)
    predictions = load_predictions(context)  # read once per review, shared with every area
    predictions_path = Path(config.data.source)
    if config.data.predictions is not None:
        predictions_path = config.resolve(config.data.predictions)
    if settings.id is not None:
        key = settings.id
        require_columns(features.columns, [key], path=features_path, role="features")
        require_columns(predictions.columns, [key], path=predictions_path, role="predictions")
        for frame, where in ((features, features_path), (predictions, predictions_path)):
            repeated = int(frame[key].duplicated().sum())
            if repeated:
                raise InputDataError(
                    f"explain.id '{key}' must identify each row; {repeated} values are repeated.",
                    file=where,
                )
        lookup = predictions.set_index(predictions[key].astype("string"))
        keys = features[key].astype("string")
        missing = int((~keys.isin(lookup.index)).sum())
        if missing:
            raise InputDataError(
                f"{missing} rows of the features table have an '{key}' that is not in the "
                "predictions table.",
                file=features_path,
                hint="Explain the rows that were predicted: export both tables from the same run.",
            )
        return lookup.loc[keys].reset_index(drop=True)
    if len(predictions) != len(features):
        if needed:
            raise InputDataError(
                f"the features table has {len(features)} rows and the predictions table "
                f"{len(predictions)}; without explain.id their rows must match one to one (same "
                f"order) to take the group columns {needed} from the predictions.",
                file=features_path,
                hint="Export the features of exactly the predicted rows, set explain.id to a key "
                "column present in both tables, or add the group columns to the features table.",
            )
        return None
    return predictions.reset_index(drop=True)


def _sampled_predictions(
    config: AuditConfig,
    context: ReviewContext,
    features: pd.DataFrame,
    features_path: Path,
    needed: list[str],
) -> pd.DataFrame | None:
    """The predictions of the sampled feature rows only, fetched where they live.

    By ``explain.id`` when set, else by row number (the tables must then have as many rows).
    """
    from auditkit.engine._sample import ROW_COLUMN, rows_by_key, rows_by_number
    from auditkit.engine._source import Source

    settings = config.explain
    assert settings is not None
    data = config.data
    source = Source.from_config(config)
    wanted = [*needed, data.y_pred]
    if data.zone and data.zone not in features.columns:
        wanted.append(data.zone)
    if settings.id is not None:
        key = settings.id
        sample = rows_by_key(
            source,
            columns=[*dict.fromkeys(wanted)],
            key=key,
            values=features[key].tolist(),
            text_columns=needed,
        )
        predictions = sample.frame
        for frame, where in ((features, str(features_path)), (predictions, source.label)):
            repeated = int(frame[key].duplicated().sum())
            if repeated:
                raise InputDataError(
                    f"explain.id '{key}' must identify each row; {repeated} values are repeated "
                    f"in {where}.",
                    file=features_path if frame is features else None,
                )
        lookup = predictions.set_index(predictions[key].astype("string"))
        keys = features[key].astype("string")
        missing = int((~keys.isin(lookup.index)).sum())
        if missing:
            raise InputDataError(
                f"{missing} sampled rows of the features table have an '{key}' that is not in "
                f"{source.label}.",
                file=features_path,
                hint="Explain the rows that were predicted: export both tables from the same run.",
            )
        result = lookup.loc[keys].reset_index(drop=True)
    else:
        sample = rows_by_number(
            source,
            columns=[*dict.fromkeys(wanted)],
            rows=features[ROW_COLUMN].tolist(),
            text_columns=needed,
        )
        total = next(r.rows for r in context.inputs if r.role == "features")
        if sample.n_rows != total:
            if needed:
                raise InputDataError(
                    f"the features table has {total} rows and {source.label} {sample.n_rows}; "
                    f"without explain.id their rows must match one to one (same order) to take "
                    f"the group columns {needed} from the predictions.",
                    file=features_path,
                    hint="Export the features of exactly the predicted rows, set explain.id to a "
                    "key column present in both tables, or add the group columns to the "
                    "features table.",
                )
            return None
        result = sample.frame
    if not any(r.role == "predictions" for r in context.inputs):
        context.inputs.append(
            InputRecord("predictions", source.label, source.fingerprint(), rows=sample.n_rows)
        )
    return result.reset_index(drop=True)


def group_labels(
    config: AuditConfig, features: pd.DataFrame, predictions: pd.DataFrame | None
) -> dict[str, pd.Series]:
    """Group labels per equity attribute, aligned with the features' rows; missing is a group."""
    labels = {}
    for name in config.data.groups:
        source = features if name in features.columns else predictions
        if source is None or name not in source.columns:
            raise InputDataError(
                f"the equity attribute '{name}' (data.groups) is in neither the features nor the "
                "predictions table.",
                file=config.data.source,
            )
        # the label the fairness area gives missing values, so both areas name the same groups
        series = _as_text(source[name]).fillna(MISSING_LABEL)
        labels[name] = series.reset_index(drop=True)
    return labels


def run_explainer(
    loaded: LoadedModel,
    X: pd.DataFrame,
    config: AuditConfig,
    settings: ExplainConfig,
    context: ReviewContext,
) -> Attributions:
    quiet = context.options.quiet
    try:
        return explain_model(
            loaded.model,
            X,
            max_rows=settings.max_rows,
            background=settings.background,
            time_budget=settings.time_budget,
            seed=settings.seed,
            positive_label=config.data.positive_label,
            progress=False if quiet else None,
        )
    except (ValueError, TypeError, KeyError) as err:
        raise InputDataError(
            f"the model could not be explained on the features table: {err}",
            file=config.resolve(settings.features),
            hint="Check that the features table has the columns and types the model was fit on.",
        ) from err


def prediction_agreement(
    attributions: Attributions, config: AuditConfig, predictions: pd.DataFrame | None
) -> float | None:
    """Share of explained rows whose model output reproduces data.y_pred (regressors only)."""
    import pandas as pd

    if predictions is None or attributions.output not in ("identity", "log"):
        return None
    if config.pilot.task == "classification" or config.data.y_pred not in predictions.columns:
        return None
    observed = pd.to_numeric(
        predictions[config.data.y_pred].iloc[attributions.rows], errors="coerce"
    )
    recomputed = attributions.outputs
    if attributions.output == "log":
        recomputed = np.exp(recomputed)
    observed_values = observed.to_numpy(dtype=float, na_value=np.nan)
    close = np.isclose(recomputed, observed_values, rtol=1e-3, atol=1e-6)
    return float(close.mean())
