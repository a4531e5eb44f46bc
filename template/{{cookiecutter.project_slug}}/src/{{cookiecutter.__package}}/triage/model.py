{% if cookiecutter.language == "es" -%}
"""El clasificador (TF-IDF de palabras y de n-gramas de caracteres, con un clasificador lineal calibrado) y la línea base de palabras clave."""

{%- elif cookiecutter.language == "pt" -%}
"""O classificador (TF-IDF de palavras e de n-gramas de caracteres, com um classificador linear calibrado) e a linha de base de palavras-chave."""
{%- else -%}
"""The classifier (TF-IDF of words and character n-grams, with a calibrated linear classifier) and the keyword baseline."""
{%- endif %}

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score, recall_score
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from {{ cookiecutter.__package }}.triage.settings import ModelSettings


def build_classifier(settings: ModelSettings) -> Pipeline:
    """TF-IDF word and character n-grams, and a linear SVM whose scores are calibrated to probabilities.

    ``ensemble=False`` keeps one linear model fitted on all the training rows (its coefficients
    explain the predictions); the calibration is learned on cross-validated scores.
    """
    words = TfidfVectorizer(
        analyzer="word",
        ngram_range=tuple(settings.word_ngrams),
        min_df=settings.min_df,
        sublinear_tf=True,
        strip_accents="unicode",
    )
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=tuple(settings.char_ngrams),
        min_df=settings.min_df,
        sublinear_tf=True,
        strip_accents="unicode",
        max_features=30_000,
    )
    classifier = CalibratedClassifierCV(
        LinearSVC(C=settings.C, random_state=settings.seed),
        method="sigmoid",
        cv=settings.calibration_folds,
        ensemble=False,
    )
    return Pipeline([("features", FeatureUnion([("words", words), ("chars", chars)])), ("classifier", classifier)])


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


class KeywordBaseline:
    """The transparent baseline: the category whose keywords appear most often; ties and no match go to the most frequent category.

    The keywords are in ``config/pilot.yaml`` (``baseline.keywords``): anyone can read them and
    see why a message went where it went.
    """

    def __init__(self, keywords: dict[str, list[str]]) -> None:
        self.keywords = {c: [re.compile(rf"\b{re.escape(_fold(w))}") for w in ws] for c, ws in keywords.items()}
        self.fallback_: str | None = None

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> KeywordBaseline:
        """Remember the most frequent category (the answer when no keyword matches)."""
        self.fallback_ = str(pd.Series(labels).value_counts().index[0])
        return self

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The category of each text."""
        categories = list(self.keywords)
        out = []
        for text in texts:
            folded = _fold(str(text))
            hits = [sum(bool(p.search(folded)) for p in self.keywords[c]) for c in categories]
            best = max(hits) if hits else 0
            winners = [c for c, h in zip(categories, hits, strict=True) if h == best]
            out.append(winners[0] if best > 0 and len(winners) == 1 else self.fallback_)
        return np.array(out, dtype=object)


def classification_metrics(
    y_true: Sequence[str],
    y_pred: Sequence[str],
    confidence: Sequence[float],
    *,
    baseline: Sequence[str],
    categories: Sequence[str],
    threshold: float,
) -> dict[str, float]:
    """Macro-F1 beside the baseline's, per-class recall, and the "send to a person" rate and what it leaves automatic."""
    y_true, y_pred, baseline = np.asarray(y_true), np.asarray(y_pred), np.asarray(baseline)
    confidence = np.asarray(confidence, dtype=float)
    labels = list(categories)
    metrics = {
        "macro_f1": float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
        "baseline_macro_f1": float(f1_score(y_true, baseline, labels=labels, average="macro", zero_division=0)),
        "accuracy": float(np.mean(y_true == y_pred)),
        "baseline_accuracy": float(np.mean(y_true == baseline)),
    }
    metrics["skill_macro_f1"] = metrics["macro_f1"] - metrics["baseline_macro_f1"]
    recalls = recall_score(y_true, y_pred, labels=labels, average=None, zero_division=0)
    for label, value in zip(labels, recalls, strict=True):
        metrics[f"recall_{label}"] = float(value)
    automatic = confidence >= threshold
    metrics["review_threshold"] = float(threshold)
    metrics["to_person_rate"] = float(1 - automatic.mean())
    metrics["coverage"] = float(automatic.mean())
    if automatic.any():
        metrics["accuracy_automatic"] = float(np.mean(y_true[automatic] == y_pred[automatic]))
        metrics["macro_f1_automatic"] = float(
            f1_score(y_true[automatic], y_pred[automatic], labels=labels, average="macro", zero_division=0)
        )
    # misrouted and sent on without a person seeing it: the harm the threshold is there to stop
    metrics["misrouted_automatic_rate"] = float(np.mean((y_true != y_pred) & automatic))
    return metrics
