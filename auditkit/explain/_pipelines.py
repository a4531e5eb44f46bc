"""Pipelines: which original input column each transformed column comes from.

A scikit-learn pipeline is explained by explaining its final estimator on the transformed matrix;
the attributions of all columns derived from one input column (the one-hot columns of a category,
a scaled number) are then summed back into that column. This module computes the map from
transformed columns to input columns for the preprocessing steps where each output column depends
on exactly one input column, and returns ``None`` where outputs mix inputs (PCA, polynomial
features, custom functions), which sends the model to the permutation explainer instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["source_map"]

_ELEMENTWISE = (
    "StandardScaler",
    "MinMaxScaler",
    "MaxAbsScaler",
    "RobustScaler",
    "PowerTransformer",
    "QuantileTransformer",
    "OrdinalEncoder",
    "Binarizer",
    "TargetEncoder",
)


def source_map(transformer: Any, n_in: int) -> np.ndarray | None:
    """For each output column of a fitted transformer, the index of its input column.

    ``None`` when an output column may depend on several input columns.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    if transformer is None or (isinstance(transformer, str) and transformer == "passthrough"):
        return np.arange(n_in)
    if isinstance(transformer, Pipeline):
        mapping = np.arange(n_in)
        for _, step in transformer.steps:
            sub = source_map(step, len(mapping))
            if sub is None:
                return None
            mapping = mapping[sub]
        return mapping
    if isinstance(transformer, ColumnTransformer):
        return _column_transformer_map(transformer, n_in)
    if isinstance(transformer, OneHotEncoder):
        widths = getattr(transformer, "_n_features_outs", None)
        if widths is None or len(widths) != n_in:
            return None
        return np.repeat(np.arange(n_in), widths)
    name = type(transformer).__name__
    if name == "SimpleImputer" and not getattr(transformer, "add_indicator", False):
        statistics = np.asarray(getattr(transformer, "statistics_", []), dtype=object)
        keep = ~np.array([_is_nan(s) for s in statistics]) if len(statistics) == n_in else None
        return np.arange(n_in) if keep is None else np.arange(n_in)[keep]
    if name in _ELEMENTWISE or (name == "KBinsDiscretizer" and transformer.encode == "ordinal"):
        return np.arange(n_in)
    if name == "FunctionTransformer" and (
        transformer.func is None or transformer.feature_names_out == "one-to-one"
    ):
        return np.arange(n_in)
    if n_in == 1:
        try:
            width = len(transformer.get_feature_names_out())
        except (AttributeError, ValueError, TypeError):
            return None
        return np.zeros(width, dtype=int)
    return None


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and np.isnan(value)


def _column_transformer_map(transformer: Any, n_in: int) -> np.ndarray | None:
    names_in = list(getattr(transformer, "feature_names_in_", []))
    pieces: list[tuple[int, np.ndarray]] = []
    for name, step, columns in transformer.transformers_:
        if isinstance(step, str) and step == "drop":
            continue
        out = transformer.output_indices_[name]
        width = out.stop - out.start
        if width == 0:
            continue
        indices = _column_indices(columns, names_in, n_in)
        if indices is None:
            return None
        sub = source_map(step, len(indices))
        if sub is None or len(sub) != width:
            return None
        pieces.append((out.start, indices[sub]))
    pieces.sort(key=lambda piece: piece[0])
    return np.concatenate([p for _, p in pieces]) if pieces else None


def _column_indices(columns: Any, names_in: Sequence[str], n_in: int) -> np.ndarray | None:
    if isinstance(columns, str | int):
        columns = [columns]
    if isinstance(columns, slice):
        return np.arange(n_in)[columns]
    values = list(np.asarray(columns).reshape(-1)) if not isinstance(columns, list) else columns
    if values and all(isinstance(v, bool | np.bool_) for v in values):
        return np.flatnonzero(values)
    indices = []
    for value in values:
        if isinstance(value, str):
            if value not in names_in:
                return None
            indices.append(list(names_in).index(value))
        elif isinstance(value, int | np.integer):
            indices.append(int(value))
        else:
            return None
    return np.asarray(indices, dtype=int)
