"""Sums of decimals in the engine are exact: the same bits in any row order, thread or engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from auditkit._errors import InputDataError
from auditkit.engine import block_of_rows, open_table
from auditkit.engine._exact import as_float, units
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
    fixed = units(frame["w"].to_numpy())
    block = block_of_rows(np.arange(n, dtype=np.int64), n_blocks, seed=0)
    cell = {label: i for i, label in enumerate(cells.index.labels[0])}
    zone = frame["zone"].map(cell).to_numpy()
    confusion = 2 * frame["y"].to_numpy() + frame["p"].to_numpy()
    key = (block * len(cell) + zone) * 4 + confusion
    expected = np.zeros(n_blocks * len(cell) * 4, dtype=object)
    np.add.at(expected, key, fixed)  # Python integers: exact
    exact = np.array([as_float(int(total)) for total in expected])
    assert np.array_equal(blocks.reshape(-1), exact)


def test_units_are_exact_for_integers_and_within_a_unit_otherwise():
    values = np.array([0.1, 0.2, 0.3, -1e-9, 2.5, -7.0, 123456.789, 1e-20])
    total = sum(units(values).tolist())
    assert as_float(total) == pytest.approx(float(sum(map(float, values))), rel=1e-15)
    integers = np.array([3.0, -5.0, 1e12])
    assert as_float(sum(units(integers).tolist())) == 3.0 - 5.0 + 1e12
    for value, unit in zip(values, units(values), strict=True):
        assert abs(unit / 2**52 - float(value)) <= 2**-52


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


def test_the_engine_returns_exact_integers_not_doubles():
    """Totals come back as integers (a decimal product wider than 38 digits would make DuckDB
    compute in doubles, and the sums would depend on the threads again)."""
    import decimal

    import ibis

    from auditkit.engine._exact import exact_int, exact_sum

    values = pd.DataFrame({"g": ["a", "a", "b"], "x": [1e15 + 0.5, -3.25, 2.0**-40]})
    table = ibis.duckdb.connect().create_table("t", obj=values)
    result = table.group_by("g").aggregate(x=exact_sum(table.x)).order_by("g").to_pandas()
    assert all(isinstance(v, decimal.Decimal | int) for v in result["x"])
    assert as_float(exact_int(result["x"])).tolist() == [1e15 + 0.5 - 3.25, 2.0**-40]


@pytest.mark.parametrize("task", ["forecast", "classification"])
def test_statistics_do_not_depend_on_the_order_the_engine_returns_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, task: str
):
    """An engine returns a GROUP BY's rows in any order; cells are numbered and added up alike."""
    import ibis.expr.types as ir

    frame = _weighted_forecasts(20_000, seed=3)
    frame["y"] = (frame["count"] > 6).astype(int)
    frame["p"] = (frame["forecast"] > 6).astype(int)
    frame.to_parquet(tmp_path / "p.parquet")
    columns = {"forecast": ("count", "forecast"), "classification": ("y", "p")}[task]
    original = ir.Table.to_pandas
    results = []
    for seed in (1, 2):

        def shuffled(self, *args, _seed=seed, **kwargs):
            result = original(self, *args, **kwargs)
            return result.sample(frac=1.0, random_state=_seed).reset_index(drop=True)

        monkeypatch.setattr(ir.Table, "to_pandas", shuffled)
        source = files_source(tmp_path / "p.parquet")
        cells = engine_statistics(
            open_table(source, text_columns=["zone"]),
            source,
            task=task,
            y_true=columns[0],
            y_pred=columns[1],
            groups=["zone"],
            sample_weight="w",
        )
        n_blocks = block_count(len(frame), cells.stats.size)
        results.append((cells.index.labels, cells.stats, cells.blocks(n_blocks, 0)))
    (labels_a, stats_a, blocks_a), (labels_b, stats_b, blocks_b) = results
    assert labels_a == labels_b
    assert np.array_equal(stats_a, stats_b) and np.array_equal(blocks_a, blocks_b)


@pytest.mark.parametrize(
    ("task", "column", "extra"),
    [
        ("forecast", "forecast", {"baseline": "base"}),
        ("forecast", "base", {"baseline": "base"}),
        ("forecast", "high", {"y_pred_lower": "low", "y_pred_upper": "high"}),
        ("classification", "score", {"y_score": "score"}),
        ("classification", "w", {"y_score": "score", "sample_weight": "w"}),
    ],
)
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_performance_refuses_nan_or_infinite_values_in_place(
    tmp_path: Path, task: str, column: str, extra: dict, bad: float
):
    """Exact sums add a NaN as 0: the engine counts them and the area refuses, naming the column
    (a plain file refuses them row by row)."""
    from auditkit.performance._statistics import performance_statistics

    frame = _weighted_forecasts(400, seed=2)
    frame["base"] = frame["count"].mean()
    frame["low"], frame["high"] = frame["forecast"] - 2, frame["forecast"] + 2
    frame["y"] = (frame["count"] > 6).astype(int)
    frame["p"] = (frame["forecast"] > 6).astype(int)
    frame["score"] = np.clip(frame["forecast"] / 15, 0, 1)
    frame.loc[11, column] = bad
    pa, pq = pytest.importorskip("pyarrow"), pytest.importorskip("pyarrow.parquet")
    columns = {name: pa.array(frame[name].to_numpy(), from_pandas=False) for name in frame}
    pq.write_table(pa.table(columns), tmp_path / "p.parquet")
    source = files_source(tmp_path / "p.parquet")
    labels = {"forecast": ("count", "forecast"), "classification": ("y", "p")}[task]
    with pytest.raises(InputDataError, match=f"column '{column}' has 1 NaN or infinite"):
        performance_statistics(
            open_table(source, text_columns=["zone"]),
            source,
            task=task,
            y_true=labels[0],
            y_pred=labels[1],
            groups=["zone"],
            **extra,
        )
