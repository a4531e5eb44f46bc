"""Códigos de razón de un mensaje: el área sugerida, su confianza y las palabras que la empujan.

El mensaje se borra primero (como en el entrenamiento); la contribución de cada término es su peso
en el modelo lineal por su valor TF-IDF en el mensaje.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import skops.io

from guadalajara_triaje_mensajes import COUNTRY
from guadalajara_triaje_mensajes.triage.contract import ContractError


@dataclass
class Reasons:
    """The redacted text, the suggested category, its confidence and the top (term, contribution) pairs."""

    text: str
    category: str
    confidence: float
    to_person: bool
    terms: list[tuple[str, float]]


def load_model(path: Path):
    """The model written by ``train`` (skops: its types are checked, no arbitrary code runs)."""
    if not path.exists():
        raise ContractError(f"{path}: no model yet. Run `train` first.")
    return skops.io.load(path, trusted=skops.io.get_untrusted_types(file=path))


def reasons(model, text: str, *, threshold: float, top: int = 5) -> Reasons:
    """Why the model suggests what it suggests for ``text``."""
    from auditkit.privacy import redact_text

    redacted, _ = redact_text(text, country=COUNTRY)
    features, classifier = model[:-1], model[-1]
    matrix = features.transform([redacted]).tocsr()
    probabilities = classifier.predict_proba(matrix)[0]
    best = int(np.argmax(probabilities))
    linear = classifier.calibrated_classifiers_[0].estimator
    coef = np.atleast_2d(linear.coef_)
    weights = coef[best] if coef.shape[0] > 1 else (coef[0] if best == 1 else -coef[0])
    names = features.get_feature_names_out()
    contributions = matrix.data * weights[matrix.indices]
    order = np.argsort(-contributions)[:top]
    terms = [(str(names[matrix.indices[i]]), round(float(contributions[i]), 4)) for i in order if contributions[i] > 0]
    confidence = float(probabilities[best])
    return Reasons(redacted, str(classifier.classes_[best]), confidence, confidence < threshold, terms)
