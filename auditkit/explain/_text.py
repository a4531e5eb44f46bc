"""Explanations of a linear text classifier: the words and n-grams that drive each decision.

A text classifier such as ``Pipeline([TF-IDF features, linear classifier])`` scores class ``c``
as ``b_c + Σ_j w_cj · x_j``, where ``x_j`` is the TF-IDF value of term ``j`` in the message. The
contribution of term ``j`` to the predicted class is therefore ``w_cj · x_j``, measured from an
empty message (``x = 0``, score ``b_c``): exactly what SHAP's ``LinearExplainer`` returns for a
linear model with a background of empty messages, computed here from the sparse matrix without
densifying it. A calibrated classifier (``CalibratedClassifierCV(..., ensemble=False)``) is
explained through its linear model: the calibration is monotone per class, so the terms that
raise the margin are the terms that raise the probability.

Thousands of terms cannot be read in a report: the ``top_terms`` terms with the largest mean
absolute contribution are kept as columns, and the rest are summed into one column
``(other terms)``, so each row's contributions still add up to its margin.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from auditkit.explain._attributions import Attributions

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["OTHER_TERMS", "class_terms", "explain_text", "is_text_pipeline", "linear_parts"]

OTHER_TERMS = "(other terms)"


def linear_parts(model: Any) -> tuple[Any, Any, np.ndarray, np.ndarray, np.ndarray] | None:
    """(features, estimator, coef, intercept, classes) of a text pipeline, or None.

    ``features`` turns texts into a sparse matrix (every step but the last); ``coef`` has one
    row per class (one row for a binary classifier, for the second class).
    """
    import numpy as np

    steps = getattr(model, "steps", None)
    if not steps or len(steps) < 2:
        return None
    estimator = steps[-1][1]
    linear = estimator
    calibrated = getattr(estimator, "calibrated_classifiers_", None)
    if calibrated is not None:
        if len(calibrated) != 1:
            return None  # an ensemble of linear models: no single set of weights
        linear = calibrated[0].estimator
    coef = getattr(linear, "coef_", None)
    intercept = getattr(linear, "intercept_", None)
    classes = getattr(estimator, "classes_", None)
    if coef is None or intercept is None or classes is None:
        return None
    features = model[:-1]
    if not hasattr(features, "get_feature_names_out"):
        return None
    return features, estimator, np.atleast_2d(coef), np.atleast_1d(intercept), np.asarray(classes)


def is_text_pipeline(model: Any, columns: list[str]) -> bool:
    """True when ``model`` is a linear text pipeline and the features are one text column."""
    if len(columns) != 1 or linear_parts(model) is None:
        return False
    from sklearn.feature_extraction.text import TfidfVectorizer

    def texty(step: Any) -> bool:
        if isinstance(step, TfidfVectorizer):
            return True
        parts: list[tuple[str, Any]] = getattr(step, "transformer_list", None) or []
        return bool(parts) and all(texty(t) for _, t in parts)

    return any(texty(step) for _, step in model.steps[:-1])


def _class_rows(
    coef: np.ndarray, predicted: np.ndarray, classes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Row of ``coef`` (and sign) that scores each predicted class."""
    import numpy as np

    index = np.searchsorted(classes, predicted)
    if coef.shape[0] == 1:  # binary: one margin for the second class
        sign = np.where(index == 1, 1.0, -1.0)
        return np.zeros_like(index), sign
    return index, np.ones(len(index))


def explain_text(
    model: Any,
    X: pd.DataFrame,
    *,
    max_rows: int = 5000,
    top_terms: int = 40,
    seed: int = 0,
) -> Attributions:
    """Linear attributions of a text pipeline on a seeded sample of rows (see the module docstring).

    Parameters
    ----------
    model : Pipeline
        Text features (TF-IDF) followed by a linear or calibrated linear classifier.
    X : DataFrame
        One column: the (redacted) texts.
    max_rows : int
        Rows explained (a seeded sample when there are more).
    top_terms : int
        Terms kept as columns; the others are summed into ``(other terms)``.
    seed : int
        Seed of the row sample.

    Returns
    -------
    Attributions
        One column per kept term, plus ``(other terms)``; ``output="margin"``; ``data`` holds the
        TF-IDF values of the kept terms (numbers, never text).
    """
    import numpy as np
    import pandas as pd

    started = time.perf_counter()
    parts = linear_parts(model)
    if parts is None:
        raise ValueError("the model is not a text pipeline ending in a linear classifier")
    features, estimator, coef, intercept, classes = parts
    texts = X.iloc[:, 0].astype(str)
    n = len(texts)
    rows = np.arange(n)
    if n > max_rows:
        rows = np.sort(np.random.default_rng(seed).choice(n, size=max_rows, replace=False))
    matrix = features.transform(texts.iloc[rows]).tocsr()
    predicted = np.asarray(estimator.predict(matrix))
    which, sign = _class_rows(coef, predicted, classes)
    # contribution of every non-zero term to the predicted class's margin, still sparse
    weights = coef[
        which[np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))], matrix.indices
    ]
    signs = np.repeat(sign, np.diff(matrix.indptr))
    contributions = matrix.copy()
    contributions.data = matrix.data * weights * signs
    names = [str(t) for t in features.get_feature_names_out()]
    mean_abs = np.asarray(abs(contributions).mean(axis=0)).ravel()
    keep = np.argsort(-mean_abs, kind="stable")[: min(top_terms, len(names))]
    keep = keep[mean_abs[keep] > 0]
    kept = contributions[:, keep].toarray()
    total = np.asarray(contributions.sum(axis=1)).ravel()
    values = np.column_stack([kept, total - kept.sum(axis=1)])
    terms = [names[j] for j in keep] + [OTHER_TERMS]
    data = pd.DataFrame(matrix[:, keep].toarray(), columns=terms[:-1])
    data[OTHER_TERMS] = np.diff(matrix.indptr) - (matrix[:, keep] != 0).sum(axis=1).A1
    return Attributions(
        values=values,
        base_values=intercept[which] * sign,
        features=terms,
        rows=rows,
        data=data,
        explainer="linear",
        output="margin",
        rows_requested=len(rows),
        seconds=time.perf_counter() - started,
    )


def class_terms(
    model: Any, X: pd.DataFrame, *, top: int = 10
) -> dict[str, list[dict[str, float | str]]]:
    """The terms that push messages towards each class, overall: mean ``w_cj · x_j`` over all rows.

    Returns ``{class: [{"term": ..., "contribution": ...}, ...]}``, the ``top`` largest positive
    contributions per class, sorted.
    """
    import numpy as np

    parts = linear_parts(model)
    if parts is None:
        raise ValueError("the model is not a text pipeline ending in a linear classifier")
    features, _, coef, _, classes = parts
    matrix = features.transform(X.iloc[:, 0].astype(str))
    mean_x = np.asarray(matrix.mean(axis=0)).ravel()
    names = features.get_feature_names_out()
    rows = coef if coef.shape[0] > 1 else np.vstack([-coef[0], coef[0]])
    out: dict[str, list[dict[str, float | str]]] = {}
    for label, weights in zip(classes, rows, strict=True):
        score = weights * mean_x
        best = np.argsort(-score, kind="stable")[:top]
        out[str(label)] = [
            {"term": str(names[j]), "contribution": round(float(score[j]), 6)}
            for j in best
            if score[j] > 0
        ]
    return out
