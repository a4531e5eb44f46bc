{% if cookiecutter.language == "es" -%}
"""Backtest en orden temporal: entrenar con el pasado, probar con las semanas siguientes, nunca al revés."""

{%- elif cookiecutter.language == "pt" -%}
"""Backtest em ordem temporal: treinar com o passado, testar com as semanas seguintes, nunca o contrário."""
{%- else -%}
"""Time-ordered backtest: train on the past, test on the following weeks, never the other way round."""
{%- endif %}

from __future__ import annotations

import numpy as np
import pandas as pd

from {{ cookiecutter.__package }}.triage.contract import ContractError
from {{ cookiecutter.__package }}.triage.model import KeywordBaseline, build_classifier
from {{ cookiecutter.__package }}.triage.settings import Settings


def folds(received_at: pd.Series, settings: Settings) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """(origin, end) of each test window: the last ``folds`` windows of ``test_weeks`` weeks."""
    bt = settings.backtest
    last = received_at.max().normalize() + pd.Timedelta(days=1)
    first = received_at.min().normalize()
    windows = []
    for k in range(bt.folds, 0, -1):
        origin = last - pd.Timedelta(weeks=bt.test_weeks * k)
        windows.append((origin, origin + pd.Timedelta(weeks=bt.test_weeks)))
    if windows[0][0] - first < pd.Timedelta(weeks=bt.min_train_weeks):
        weeks = (last - first).days // 7
        raise ContractError(
            f"The messages cover {weeks} weeks: too few for {bt.folds} folds of {bt.test_weeks} weeks after "
            f"{bt.min_train_weeks} weeks of training. Lower backtest.folds, backtest.test_weeks or backtest.min_train_weeks."
        )
    return windows


def check_classes(labels: pd.Series, settings: Settings, *, where: str) -> None:
    """Every category needs at least ``model.calibration_folds`` messages to calibrate the classifier."""
    counts = labels.value_counts()
    few = sorted(counts[counts < settings.model.calibration_folds].index.astype(str))
    if len(counts) < 2 or few:
        raise ContractError(
            f"{where}: categories {few or list(counts.index)} have too few messages to learn from "
            f"(at least {settings.model.calibration_folds} each, and two categories, are needed). "
            "Group rare categories with data.category_labels, or raise backtest.min_train_weeks."
        )


def rolling_origin(messages: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Predictions of the model and of the baseline for every message of every test window."""
    parts = []
    for fold, (origin, end) in enumerate(folds(messages["received_at"], settings), start=1):
        train = messages[messages["received_at"] < origin]
        test = messages[(messages["received_at"] >= origin) & (messages["received_at"] < end)]
        if test.empty:
            continue
        check_classes(train["category"], settings, where=f"backtest fold {fold} (before {origin:%Y-%m-%d})")
        model = build_classifier(settings.model).fit(train["text"], train["category"])
        probabilities = model.predict_proba(test["text"])
        classes = model.classes_
        baseline = KeywordBaseline(settings.keywords).fit(train["text"], train["category"])
        part = test.drop(columns=["text"]).copy()
        part["fold"] = fold
        part["origin"] = origin
        part["y_pred"] = classes[np.argmax(probabilities, axis=1)]
        part["confidence"] = probabilities.max(axis=1)
        part["y_baseline"] = baseline.predict(test["text"])
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
