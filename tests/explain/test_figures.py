"""The labels shap draws in English are rewritten in the report's language."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import shap
from matplotlib.text import Text

from auditkit.explain._figures import translate_shap_labels


def _texts(figure) -> list[str]:
    figure.canvas.draw()  # translated tick labels must survive a draw
    return [t.get_text() for t in figure.findobj(Text) if t.get_text()]


@pytest.mark.parametrize(
    ("lang", "high", "low", "others"),
    [
        ("es", "Alto", "Bajo", "Suma de las otras 8 variables"),
        ("pt", "Alto", "Baixo", "Soma das outras 8 variáveis"),
        ("en", "High", "Low", "Sum of the 8 other inputs"),
    ],
)
def test_beeswarm_labels_are_translated(lang, high, low, others):
    """Colour bar ends and the 'Sum of N other features' row, in the reader's language."""
    rng = np.random.default_rng(0)
    explanation = shap.Explanation(
        values=rng.normal(size=(60, 12)),
        base_values=np.zeros(60),
        data=rng.normal(size=(60, 12)),
        feature_names=[f"x{i}" for i in range(12)],
    )
    figure = plt.figure()
    try:
        shap.plots.beeswarm(explanation, max_display=5, show=False)
        before = _texts(figure)
        assert {"High", "Low", "Sum of 8 other features"} <= set(before)  # what shap draws
        translate_shap_labels(figure, lang)
        after = _texts(figure)
    finally:
        plt.close(figure)
    assert {high, low, others} <= set(after)
    if lang != "en":
        assert not {"High", "Low", "Sum of 8 other features"} & set(after)
    names = {f"x{i}" for i in range(12)}
    assert len(names & set(after)) == 4 == len(names & set(before))  # the shown features stay
