"""De punta a punta: entrenar con la muestra, backtest, exportar, escanear lo exportado, registrar en MLflow."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from guadalajara_triaje_mensajes import COUNTRY
from guadalajara_triaje_mensajes.triage.backtest import check_classes, folds
from guadalajara_triaje_mensajes.triage.contract import ContractError
from guadalajara_triaje_mensajes.triage.model import KeywordBaseline
from guadalajara_triaje_mensajes.triage.pipeline import scan_outputs, train
from guadalajara_triaje_mensajes.triage.reasons import load_model, reasons
from guadalajara_triaje_mensajes.triage.sample import GIVEN, NAME_CUES, PHONE_CUES, SURNAMES, THEMES, _phone


def test_too_little_history_is_explained(small_settings):
    """A backtest that does not fit the data says what to lower."""
    days = pd.Series(pd.date_range("2024-01-01", periods=10, freq="7D"))
    with pytest.raises(ContractError, match="Lower backtest.folds"):
        folds(days, small_settings)


def test_a_category_too_rare_to_learn_is_explained(small_settings):
    """A category with fewer messages than calibration folds stops with its name and the remedy."""
    labels = pd.Series(["a"] * 50 + ["b"] * 2)
    with pytest.raises(ContractError, match=r"categories \['b'\] have too few messages"):
        check_classes(labels, small_settings, where="messages.csv")


def test_keyword_baseline_is_readable():
    """The baseline picks the category with most keywords, and the most frequent one otherwise."""
    baseline = KeywordBaseline({"a": ["luz", "poste"], "b": ["basura"]}).fit(["x", "y", "z"], ["b", "b", "a"])
    assert baseline.predict(["sin luz en el poste", "Basura!", "nada"]).tolist() == ["a", "b", "b"]


def test_outputs_with_personal_data_are_refused(tmp_path):
    """The scan stops the run when an output holds personal data, naming the column and kind, not the value."""
    path = tmp_path / "leak.csv"
    pd.DataFrame({"correo": ["ana@example.org", "luis@example.org"]}).to_csv(path, index=False)
    with pytest.raises(ContractError, match="leak.csv: column 'correo' holds email"):
        scan_outputs([path])


@pytest.mark.slow
def test_train_beats_the_baseline_and_logs(small_settings):
    """Training writes every output, beats the keyword baseline on macro-F1 and logs the run."""
    result = train(small_settings)
    m = result.metrics
    assert m["macro_f1"] > m["baseline_macro_f1"]
    assert 0 <= m["to_person_rate"] <= 1 and m["coverage"] == pytest.approx(1 - m["to_person_rate"])
    assert result.rows["rows_kept"] == result.rows["rows_read"]
    assert result.run_id
    assert all(path.exists() for path in result.outputs.values())
    model = load_model(result.outputs["model"])
    phone = _phone(np.random.default_rng(0), COUNTRY)
    name = f"{GIVEN[0]} {SURNAMES[0]}"
    message = f"{THEMES[0][0][0]}. {NAME_CUES[0].format(name=name)} {PHONE_CUES[0].format(phone=phone)}"
    why = reasons(model, message, threshold=0.6)
    assert name not in why.text and phone not in why.text and "[phone]" in why.text
    assert why.category == small_settings.categories[0]
    assert why.terms and all(contribution > 0 for _, contribution in why.terms)
