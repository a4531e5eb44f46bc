"""Linear attributions of a text classifier: they add up to its margin and equal SHAP's LinearExplainer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from auditkit.explain._text import OTHER_TERMS, class_terms, explain_text, is_text_pipeline

WORDS = {
    "alumbrado": ["luz", "foco", "poste", "luminaria"],
    "basura": ["basura", "camion", "contenedor"],
    "baches": ["bache", "hoyo", "pavimento"],
}


def _texts(n: int = 300, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.choice(list(WORDS), size=n)
    filler = ["hay", "un", "la", "calle", "desde", "ayer", "por", "favor"]
    texts = [
        " ".join([*rng.choice(WORDS[label], size=2), *rng.choice(filler, size=4)])
        for label in labels
    ]
    return pd.DataFrame({"text": texts}), labels


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            ("words", TfidfVectorizer()),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3))),
        ]
    )


@pytest.mark.parametrize(
    "classifier",
    [
        LogisticRegression(max_iter=500),
        CalibratedClassifierCV(LinearSVC(), cv=3, ensemble=False),
    ],
)
def test_attributions_add_up_to_the_predicted_class_margin(classifier):
    """Base value plus contributions equals the linear model's decision function for the predicted class."""
    X, y = _texts()
    model = Pipeline([("features", _features()), ("classifier", classifier)]).fit(X["text"], y)
    assert is_text_pipeline(model, ["text"])
    result = explain_text(model, X, max_rows=120, top_terms=10, seed=1)
    assert result.values.shape == (120, 11) and result.features[-1] == OTHER_TERMS
    linear = (
        classifier
        if hasattr(classifier, "coef_")
        else classifier.calibrated_classifiers_[0].estimator
    )
    matrix = model[:-1].transform(X["text"].iloc[result.rows])
    margins = linear.decision_function(matrix)
    predicted = model.predict(X["text"].iloc[result.rows])
    expected = margins[np.arange(len(predicted)), np.searchsorted(model.classes_, predicted)]
    np.testing.assert_allclose(result.outputs, expected, rtol=1e-9, atol=1e-9)


def test_equals_shap_linear_explainer_with_an_empty_message_as_background():
    """For the kept terms, the values are SHAP's LinearExplainer values with a zero background."""
    import shap

    X, y = _texts(n=200)
    model = Pipeline(
        [("features", TfidfVectorizer()), ("classifier", LogisticRegression(max_iter=500))]
    )
    model.fit(X["text"], y)
    result = explain_text(model, X, max_rows=200, top_terms=5)
    dense = model[:-1].transform(X["text"]).toarray()
    clf = model[-1]
    explainer = shap.LinearExplainer(clf, shap.maskers.Independent(np.zeros((1, dense.shape[1]))))
    values = explainer.shap_values(dense)  # (rows, terms, classes)
    predicted = np.searchsorted(clf.classes_, model.predict(X["text"]))
    names = list(model[:-1].get_feature_names_out())
    for k, term in enumerate(result.features[:-1]):
        j = names.index(term)
        np.testing.assert_allclose(
            result.values[:, k], values[np.arange(len(X)), j, predicted], atol=1e-9
        )


def test_class_terms_name_each_class_words():
    """The top terms of each class are that class's own words."""
    X, y = _texts()
    model = Pipeline(
        [("features", TfidfVectorizer()), ("classifier", LogisticRegression(max_iter=500))]
    )
    model.fit(X["text"], y)
    terms = class_terms(model, X, top=3)
    for label, words in WORDS.items():
        assert {t["term"] for t in terms[label]} <= set(words)


def test_tabular_pipelines_are_not_text():
    """A pipeline over numeric columns, or more than one column, is left to the SHAP explainers."""
    model = Pipeline([("scale", StandardScaler()), ("classifier", LogisticRegression())])
    model.fit(np.arange(20.0).reshape(10, 2), [0, 1] * 5)
    assert not is_text_pipeline(model, ["a", "b"])
    assert not is_text_pipeline(model, ["a"])
