"""The performance area on a plain file: the same queries as the engine, rows named in errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from auditkit._area import ReviewContext
from auditkit._config import AuditConfig
from auditkit._errors import InputDataError
from auditkit.performance import baseline_skill, review_performance
from auditkit.performance._statistics import CellSums


def _config(folder: Path, **data: Any) -> AuditConfig:
    raw = {
        "pilot": {"name": "Plain", "task": "forecast"},
        "data": {
            "predictions": "p.csv",
            "y_true": "count",
            "y_pred": "forecast",
            "baseline": "naive",
            "groups": ["zone"],
            **data,
        },
    }
    return AuditConfig.model_validate(raw).model_copy(update={"source": folder / "audit.yaml"})


@pytest.mark.parametrize(
    ("column", "value", "match"),
    [
        ("naive", None, r"column 'naive' has 1 missing values \(first at data rows 3\)"),
        ("naive", "n/d", "column 'naive' must be numeric; 1 values are not"),
        ("w", -2.0, "must be zero or positive; 1 are negative"),
    ],
)
def test_plain_file_bad_inputs_name_the_rows(tmp_path: Path, column: str, value: Any, match: str):
    frame = pd.DataFrame(
        {
            "zone": ["a", "b", "a", "b"],
            "count": [1.0, 2, 3, 4],
            "forecast": [1.0, 2, 3, 5],
            "naive": [2.0, 2, 2, 2],
            "w": [1.0, 1, 1, 1],
        }
    )
    frame[column] = frame[column].astype(object)
    frame.loc[2, column] = value
    frame.to_csv(tmp_path / "p.csv", index=False)
    config = _config(tmp_path, sample_weight="w")
    with pytest.raises(InputDataError, match=match):
        review_performance(config, ReviewContext(config))


def test_group_labels_and_order_as_written(tmp_path: Path):
    """Integral floats without '.0', missing as its own group, sorted; a group column named 'n'."""
    frame = pd.DataFrame(
        {
            "n": [1.0, 2.0, None, 2.0, 1.0, 10.0],
            "count": [1.0, 2, 3, 4, 5, 6],
            "forecast": [1.0, 2, 3, 5, 5, 7],
            "naive": [2.0, 2, 2, 2, 2, 2],
        }
    )
    results = baseline_skill(
        frame, y_true="count", y_pred="forecast", baseline="naive", task="forecast", groups=["n"]
    )
    assert [(r.attribute, r.group, r.n) for r in results] == [
        ("(all)", "(all)", 6),
        ("n", "(missing)", 1),
        ("n", "1", 2),
        ("n", "10", 1),
        ("n", "2", 2),
    ]
    mae = np.abs(frame["forecast"] - frame["count"]).mean()
    assert results[0].model_error == pytest.approx(mae, rel=1e-15)


def test_cell_sums_are_exact_integers(tmp_path: Path):
    """Sums come back as the exact integer sums of each value's 2**-52 units."""
    from auditkit.engine._exact import UNIT, units
    from auditkit.performance._skill import _frame_statistics

    frame = pd.DataFrame({"y": [0.0, 0.0, 0.0], "p": [0.1, 0.2, 1e6 + 0.7], "b": [0.0] * 3})
    cells = _frame_statistics(frame, [], task="forecast", y_true="y", y_pred="p", baseline="b")
    assert isinstance(cells, CellSums)
    assert cells.model_loss == (sum(units([0.1, 0.2, 1e6 + 0.7]).tolist()),)
    assert cells.weight == (3 * UNIT,)
