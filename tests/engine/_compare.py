"""The fairness core on a frame (pandas path) and on the same rows through an engine."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from auditkit.engine import Source, open_table
from auditkit.fairness import group_metrics
from auditkit.fairness._core import GroupMetrics, _resolve_metrics, metrics_from_statistics
from auditkit.fairness._engine import engine_statistics
from auditkit.fairness._metrics import DEFAULT_BANDS


def engine_metrics(source: Source, *, groups: list[str], task: str, **kwargs: Any) -> GroupMetrics:
    """group_metrics' keywords, computed from the engine's GROUP BY."""
    columns = {
        k: kwargs.pop(k, None)
        for k in (
            "y_true",
            "y_pred",
            "sample_weight",
            "y_pred_lower",
            "y_pred_upper",
            "positive_label",
        )
    }
    metrics = kwargs.pop("metrics", None)
    seed = kwargs.get("seed", 0)
    table = open_table(source, text_columns=groups)
    cells = engine_statistics(table, source, groups=groups, task=task, seed=seed, **columns)  # type: ignore[arg-type]
    specs = _resolve_metrics(task, metrics, has_interval=columns["y_pred_lower"] is not None)
    return metrics_from_statistics(
        cells, task=task, specs=specs, band=DEFAULT_BANDS[task], **kwargs
    )  # type: ignore[arg-type]


def files_source(*files: Path, base: Path | None = None) -> Source:
    return Source(kind="files", label=files[0].name, base_dir=base or files[0].parent, files=files)


def query_source(query: str, base: Path, connection: str | None = None) -> Source:
    return Source(kind="query", label="query", base_dir=base, query=query, connection=connection)


def assert_same(a: GroupMetrics, b: GroupMetrics, tol: float = 1e-9) -> None:
    """Same rows, same order, numbers within ``tol`` (relative), same statuses."""
    assert len(a.rows) == len(b.rows)
    for ra, rb in zip(a.rows, b.rows, strict=True):
        assert ra.keys() == rb.keys()
        for key, va in ra.items():
            vb = rb[key]
            if isinstance(va, float) and isinstance(vb, float):
                assert math.isclose(va, vb, rel_tol=tol, abs_tol=tol), (key, ra, rb)
            else:
                assert va == vb, (key, ra, rb)
    assert [v.to_dict(min_cell=a.min_cell) for v in a.views] == [
        v.to_dict(min_cell=b.min_cell) for v in b.views
    ]
    assert a.n_rows == b.n_rows


def frame_metrics(frame: pd.DataFrame, **kwargs: Any) -> GroupMetrics:
    return group_metrics(frame, **kwargs)
