"""Sums of decimals in the engine are exact: the same bits in any row order, thread or engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from auditkit._errors import InputDataError
from auditkit.engine import block_of_rows, open_table
from auditkit.engine._exact import from_sum, quantize, scale_for
from auditkit.fairness._engine import engine_statistics
from auditkit.fairness._stats import block_count
from tests.engine._compare import files_source


def _weighted_forecasts(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    actual = rng.poisson(7, n).astype(float)
    return pd.DataFrame(
        {
            "zone": rng.choice(["norte", "sul", "leste", "oeste"], n),
            "count": actual,
            "forecast": actual * rng.uniform(0.6, 1.4, n) + rng.normal(0, 1e-3, n),
            "w": rng.uniform(0, 3, n),
        }
    )


def _totals(path: Path, **extra: str) -> np.ndarray:
    source = files_source(path)
    cells = engine_statistics(
        open_table(source, text_columns=["zone"]),
        source,
        task="forecast",
        y_true="count",
        y_pred="forecast",
        groups=["zone"],
        **extra,
    )
    order = np.argsort([str(label) for label in cells.index.labels[0]])
    return cells.stats[order]


def test_block_sums_are_the_exact_sums_of_the_fixed_point_weights(tmp_path: Path):
    """Each (block, cell, outcome, prediction) weight total is the exact sum of its rows'
    fixed-point weights: no float addition order (threads, parts, engines) can change it."""
    n = 400_000
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(
        {
            "zone": rng.choice(["leste", "norte", "oeste", "sul"], n),
            "y": rng.integers(0, 2, n),
            "p": rng.integers(0, 2, n),
            "w": rng.uniform(0, 3, n),
        }
    )
    for part in range(4):  # four parts: DuckDB adds them on both threads
        frame.iloc[part * n // 4 : (part + 1) * n // 4].to_parquet(tmp_path / f"p{part}.parquet")
    source = files_source(*sorted(tmp_path.glob("p*.parquet")), base=tmp_path)
    cells = engine_statistics(
        open_table(source, text_columns=["zone"]),
        source,
        task="classification",
        y_true="y",
        y_pred="p",
        groups=["zone"],
        sample_weight="w",
    )
    n_blocks = block_count(n, cells.stats.size)
    blocks = cells.blocks(n_blocks, 0)
    scale = scale_for(frame["w"].max())
    fixed = quantize(frame["w"].to_numpy(), scale)
    block = block_of_rows(np.arange(n, dtype=np.int64), n_blocks, seed=0)
    cell = {label: i for i, label in enumerate(cells.index.labels[0])}
    zone = frame["zone"].map(cell).to_numpy()
    confusion = 2 * frame["y"].to_numpy() + frame["p"].to_numpy()
    key = (block * len(cell) + zone) * 4 + confusion
    expected = np.zeros(n_blocks * len(cell) * 4, dtype=np.int64)
    np.add.at(expected, key, fixed)  # at most ~500 rows per key: no int64 overflow
    exact = np.array([from_sum(int(total), scale) for total in expected])
    assert np.array_equal(blocks.reshape(-1), exact)


def test_a_total_is_the_sum_of_the_fixed_point_integers():
    values = np.array([0.1, 0.2, 0.3, -1e-9, 2.5])
    scale = scale_for(np.abs(values).max())
    total = int(quantize(values, scale).astype(object).sum())
    assert from_sum(total, scale) == pytest.approx(values.sum(), rel=1e-15)
    assert abs(quantize(values, scale)).max() < 2**50


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_infinite_predictions_are_refused_naming_the_column(tmp_path: Path, bad: float):
    frame = _weighted_forecasts(100, seed=1)
    frame.loc[17, "forecast"] = bad
    # pyarrow writes pandas' NaN as null unless told otherwise: keep the NaN a NaN
    pa, pq = pytest.importorskip("pyarrow"), pytest.importorskip("pyarrow.parquet")
    columns = {name: pa.array(frame[name].to_numpy(), from_pandas=False) for name in frame}
    pq.write_table(pa.table(columns), tmp_path / "p.parquet")
    with pytest.raises(InputDataError, match="column 'forecast' has 1 NaN or infinite"):
        _totals(tmp_path / "p.parquet")
