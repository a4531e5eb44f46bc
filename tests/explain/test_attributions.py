"""Attributions: the right shap explainer per model, additivity on every row, original columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import LogisticRegression, PoissonRegressor, Ridge
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from auditkit.explain import explain_model
from tests.explain._data import NUMERIC, city_table

DATA = city_table(400)
X_NUM = DATA[NUMERIC]
X_ALL = DATA[[*NUMERIC, "channel"]]
Y = DATA["requests"]
FLAG = DATA["requests"] > DATA["requests"].median()


def _onehot_ridge():
    pre = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["channel"]), remainder="passthrough"
    )
    return make_pipeline(pre, Ridge(alpha=1.0)).fit(X_ALL, Y)


def _onehot_hgb():
    pre = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore", sparse_output=False), ["channel"]),
        (StandardScaler(), NUMERIC),
    )
    return make_pipeline(pre, HistGradientBoostingRegressor(max_iter=30, random_state=0)).fit(
        X_ALL, Y
    )


# (name, fitted model, X, explainer expected, output scale, independent raw output)
CASES = [
    (
        "hgb_poisson",
        HistGradientBoostingRegressor(loss="poisson", max_iter=40, random_state=0).fit(X_NUM, Y),
        X_NUM,
        "tree_path_dependent",
        "log",
        lambda m, x: np.log(m.predict(x)),
    ),
    (
        "random_forest",
        RandomForestRegressor(n_estimators=15, max_depth=5, random_state=0).fit(X_NUM, Y),
        X_NUM,
        "tree_path_dependent",
        "identity",
        lambda m, x: m.predict(x),
    ),
    (
        "random_forest_classifier",
        RandomForestClassifier(n_estimators=15, max_depth=5, random_state=0).fit(X_NUM, FLAG),
        X_NUM,
        "tree_path_dependent",
        "probability",
        lambda m, x: m.predict_proba(x)[:, 1],
    ),
    (
        "hgb_classifier",
        HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(X_NUM, FLAG),
        X_NUM,
        "tree_path_dependent",
        "log_odds",
        lambda m, x: m.decision_function(x),
    ),
    (
        "logistic",
        LogisticRegression().fit(X_NUM, FLAG),
        X_NUM,
        "linear",
        "log_odds",
        lambda m, x: m.decision_function(x),
    ),
    ("ridge", Ridge().fit(X_NUM, Y), X_NUM, "linear", "identity", lambda m, x: m.predict(x)),
    (
        "poisson_glm",
        make_pipeline(StandardScaler(), PoissonRegressor()).fit(X_NUM, Y),
        X_NUM,
        "linear",
        "log",
        lambda m, x: np.log(m.predict(x)),
    ),
    ("onehot_ridge", _onehot_ridge(), X_ALL, "linear", "identity", lambda m, x: m.predict(x)),
    (
        "onehot_hgb",
        _onehot_hgb(),
        X_ALL,
        "tree_path_dependent",
        "identity",
        lambda m, x: m.predict(x),
    ),
]


@pytest.mark.parametrize(
    ("name", "model", "X", "explainer", "output", "raw"), CASES, ids=[c[0] for c in CASES]
)
def test_additivity_on_every_row(name, model, X, explainer, output, raw):
    """Base value + attributions equals the model's own raw output on every explained row."""
    result = explain_model(model, X, max_rows=150, seed=1)
    assert result.explainer == explainer
    assert result.output == output
    assert result.features == list(X.columns)
    assert result.values.shape == (150, X.shape[1])
    expected = raw(model, X.iloc[result.rows])
    np.testing.assert_allclose(result.outputs, expected, rtol=1e-6, atol=1e-6)


def test_pipeline_attributions_sum_one_hot_columns_back():
    """One-hot columns are summed into 'channel': oracle coef · (x - background mean) per column."""
    model = _onehot_ridge()
    result = explain_model(model, X_ALL, max_rows=50, background=400, seed=0)
    transformed = model[0].transform(X_ALL)
    coef = model[-1].coef_
    centred = (transformed - transformed.mean(axis=0)) * coef
    names = list(model[0].get_feature_names_out())
    rows = result.rows
    for j, column in enumerate(X_ALL.columns):
        derived = [k for k, name in enumerate(names) if name.split("__", 1)[1].startswith(column)]
        np.testing.assert_allclose(
            result.values[:, j], centred[rows][:, derived].sum(axis=1), atol=1e-9
        )


def test_model_agnostic_fallback_is_additive_and_seeded():
    """A model without a dedicated explainer goes through the permutation explainer."""
    model = make_pipeline(
        make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore"), ["channel"]), remainder="passthrough"
        ),
        KNeighborsRegressor(n_neighbors=5),
    ).fit(X_ALL, Y)
    first = explain_model(model, X_ALL, max_rows=6, background=20, seed=3)
    again = explain_model(model, X_ALL, max_rows=6, background=20, seed=3)
    assert first.explainer == "permutation"
    assert first.features == list(X_ALL.columns)
    np.testing.assert_allclose(first.outputs, model.predict(X_ALL.iloc[first.rows]), atol=1e-9)
    np.testing.assert_array_equal(first.values, again.values)


def test_rows_are_a_seeded_sample():
    """max_rows draws a sorted seeded sample; another seed draws other rows."""
    model = CASES[0][1]
    a = explain_model(model, X_NUM, max_rows=50, seed=0)
    b = explain_model(model, X_NUM, max_rows=50, seed=0)
    c = explain_model(model, X_NUM, max_rows=50, seed=1)
    np.testing.assert_array_equal(a.rows, b.rows)
    assert list(a.rows) == sorted(a.rows) and len(set(a.rows)) == 50
    assert not np.array_equal(a.rows, c.rows)


def test_progress_bar_runs_on_request():
    """progress=True draws a rich bar on stderr and changes nothing in the result."""
    model = CASES[0][1]
    shown = explain_model(model, X_NUM, max_rows=30, progress=True)
    hidden = explain_model(model, X_NUM, max_rows=30, progress=False)
    np.testing.assert_array_equal(shown.values, hidden.values)


def test_time_budget_stops_after_a_batch():
    """A tiny time budget explains the first batch only and says so."""
    model = KNeighborsRegressor().fit(X_NUM, Y)
    result = explain_model(model, X_NUM, max_rows=60, background=10, time_budget=1e-9)
    assert 0 < len(result.rows) < 60
    assert result.truncated and result.rows_requested == 60


def test_multiclass_is_refused():
    """Multiclass models are out of scope and say so."""
    from auditkit._errors import ModelLoadError

    labels = pd.cut(Y, 3, labels=["a", "b", "c"]).astype(str)
    model = LogisticRegression(max_iter=500).fit(X_NUM, labels)
    with pytest.raises(ModelLoadError, match="3 classes"):
        explain_model(model, X_NUM, max_rows=10)


def test_figures_render_with_text_columns():
    """Bar, beeswarm and group figures are PNGs, also when an input is text."""
    from auditkit.explain import global_importance, group_drivers
    from auditkit.explain._figures import bar_figure, beeswarm_figure, group_figure

    result = explain_model(_onehot_hgb(), X_ALL, max_rows=120)
    importance = global_importance(result.values, result.features, bootstrap=20)
    drivers = group_drivers(
        result.values,
        result.features,
        DATA["income"].iloc[result.rows].tolist(),
        attribute="income",
        min_group_size=10,
    )
    pictures = [
        bar_figure(importance, lang="pt"),
        beeswarm_figure(result, lang="es"),
        group_figure(drivers, result.features[:3], lang="en"),
    ]
    assert all(p.startswith(b"\x89PNG") for p in pictures)
