"""The engine's grouped rows, read from Arrow: the same cells, labels and numbers as a plain file.

Every engine's result comes back as an Arrow table and is sorted, labelled and counted with
numpy (:func:`auditkit.fairness._engine._read_rows`); group labels come from one function,
:func:`auditkit._io._as_text`, which labels the file path's pandas columns too. Checked here on
seeded random tables of mixed key types (text with empty and missing values, integers, integral
and fractional floats with NaN, -0.0 and missing values, booleans with and without missing values,
dates, timestamps and decimals) against the plain-file path and against fixed expectations
(the labels and cells the former pandas reading gave on DuckDB, PostgreSQL and Spark).
"""

from __future__ import annotations

import datetime
import decimal
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from auditkit._errors import InputDataError
from auditkit._io import _as_text, read_table
from auditkit.engine import open_table
from auditkit.engine._source import ROW_COLUMN
from auditkit.fairness._engine import _stable_order, engine_statistics
from tests.engine._compare import assert_same, engine_metrics, files_source, frame_metrics

DAY = datetime.date(2025, 3, 1)
GROUP_VALUES: dict[str, tuple[pa.DataType, list[Any]]] = {
    "text": (pa.string(), ["norte", "sul", "ñandú", "", None, "Sul", "10"]),
    "integer": (pa.int32(), [1, 2, -3, 10, None]),
    "whole_float": (pa.float64(), [1.0, 2.0, float("nan"), None, -0.0, 0.0, 12.0]),
    # -0.0 beside 0.0: one group "0.0" in the file path as in every engine's GROUP BY
    "float": (pa.float64(), [0.5, 1.25, float("nan"), None, 0.0, -0.0, 3.0, 1e-7]),
    "flag": (pa.bool_(), [True, False, None]),
    "full_flag": (pa.bool_(), [True, False]),
    "day": (pa.date32(), [DAY, DAY - datetime.timedelta(days=40), None]),
    "stamp": (
        pa.timestamp("us"),
        [datetime.datetime(2025, 1, 2, 10, 30), datetime.datetime(2024, 12, 31), None],
    ),
    "amount_band": (
        pa.decimal128(6, 2),
        [decimal.Decimal("1.50"), decimal.Decimal("10.00"), decimal.Decimal("-2.25"), None],
    ),
}
LABEL_VALUES: dict[str, tuple[pa.DataType, list[Any], Any]] = {
    "int": (pa.int8(), [0, 1], None),
    "bool": (pa.bool_(), [False, True], None),
    "text": (pa.string(), ["no", "yes"], "yes"),
    "float": (pa.float64(), [0.0, 1.0, -0.0], None),
}


def _table(path: Path, seed: int, n: int, label: str, parts: int = 1) -> Path:
    """A seeded random table of every key type, in ``parts`` Parquet files (a glob if several)."""
    rng = np.random.default_rng(seed)
    columns: dict[str, pa.Array] = {}
    for name, (kind, values) in GROUP_VALUES.items():
        picked = rng.integers(0, len(values), n)
        columns[name] = pa.array([values[i] for i in picked], type=kind)
    kind, values, _ = LABEL_VALUES[label]
    for name in ("y", "p"):
        columns[name] = pa.array([values[i] for i in rng.integers(0, len(values), n)], type=kind)
    columns["amount"] = pa.array(rng.poisson(5, n).astype(float))
    columns["forecast"] = pa.array(rng.uniform(0, 10, n))
    columns["w"] = pa.array(rng.uniform(0, 3, n))
    table = pa.table(columns)
    pq.write_table(table, path)
    cuts = np.linspace(0, n, parts + 1).astype(int)
    for k in range(parts if parts > 1 else 0):
        part = table.slice(cuts[k], cuts[k + 1] - cuts[k])
        pq.write_table(part, path.parent / f"part-{k:02d}.parquet")
    return path


CASES = [
    (["text", "integer"], "int", 0),
    (["whole_float", "flag"], "bool", 1),
    (["float", "full_flag", "day"], "text", 2),
    (["text", "whole_float", "float", "stamp"], "float", 3),
    (["flag", "integer", "amount_band"], "int", 4),
]


@pytest.mark.parametrize(("groups", "label", "seed"), CASES)
@pytest.mark.parametrize("n", [300, 3000])
def test_classification_equals_the_plain_file(tmp_path, groups, label, seed, n):
    """Classifier metrics through the engine (one file, and parts by glob) equal the file path's."""
    path = _table(tmp_path / "t.parquet", seed, n, label, parts=3)
    positive = LABEL_VALUES[label][2]
    options = dict(
        y_true="y",
        y_pred="p",
        groups=groups,
        task="classification",
        positive_label=positive,
        sample_weight="w",
        seed=seed,
        bootstrap=50,
    )
    expected = frame_metrics(read_table(path, text_columns=groups), **options)
    assert_same(expected, engine_metrics(files_source(path), **options))
    parts = sorted(tmp_path.glob("part-*.parquet"))
    assert_same(expected, engine_metrics(files_source(*parts), **options))


@pytest.mark.parametrize(("groups", "label", "seed"), CASES)
def test_forecast_equals_the_plain_file(tmp_path, groups, label, seed):
    """Forecast metrics (exact sums) through the engine equal the file path's."""
    path = _table(tmp_path / "t.parquet", seed + 10, 2000, label)
    options = dict(
        y_true="amount", y_pred="forecast", groups=groups, task="forecast", seed=seed, bootstrap=50
    )
    expected = frame_metrics(read_table(path, text_columns=groups), **options)
    assert_same(expected, engine_metrics(files_source(path), **options))


def _cells(path: Path, groups: list[str], **keywords: Any) -> Any:
    source = files_source(path)
    table = open_table(source, text_columns=groups)
    return engine_statistics(table, source, groups=groups, **keywords)


def test_labels_order_and_counts_are_fixed(tmp_path):
    """Labels as the file path writes them, numbered in the order of the sorted rows."""
    path = tmp_path / "t.parquet"
    table = pa.table(
        {
            "day": pa.array([DAY, None, DAY, datetime.date(2024, 1, 9), DAY], pa.date32()),
            "band": pa.array(
                [decimal.Decimal(v) if v else None for v in ("2.50", "10.00", "", "2.50", "2.50")],
                pa.decimal128(5, 2),
            ),
            "flag": pa.array([True, None, False, True, True]),
            "whole": pa.array([2.0, 1.0, float("nan"), 1.0, -0.0]),
            "y": pa.array([1, 0, 1, 0, 1], pa.int8()),
            "p": pa.array([True, False, True, True, False]),
        }
    )
    pq.write_table(table, path)
    groups = ["day", "band", "flag", "whole"]
    cells = _cells(path, groups, task="classification", y_true="y", y_pred="p")
    # rows sorted by the keys (missing last); each attribute's labels in order of first row
    assert cells.index.labels == (
        ("2024-01-09", "2025-03-01", "(missing)"),
        ("2.50", "10.00", "(missing)"),
        ("true", "false", "(missing)"),
        ("1", "0", "2", "(missing)"),
    )
    assert cells.index.cells.tolist() == [[0, 0, 0, 0], [1, 0, 0, 1], [1, 0, 0, 2], [1, 2, 1, 3],
                                          [2, 1, 2, 0]]  # fmt: skip
    assert cells.index.counts.tolist() == [1, 1, 1, 1, 1]
    frame = read_table(path, text_columns=groups)
    for attribute, labels in zip(groups, cells.index.labels, strict=True):
        present = {str(v) for v in frame[attribute].dropna()}
        assert present == set(labels) - {"(missing)"}


def test_bad_labels_are_refused_by_name(tmp_path):
    """Three outcome values: the file path's message, naming the column and the values."""
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"g": ["a", "b", "a"], "y": [0, 1, 2], "p": [0, 1, 1]}), path)
    with pytest.raises(InputDataError) as engine:
        _cells(path, ["g"], task="classification", y_true="y", y_pred="p")
    with pytest.raises(InputDataError) as frame:
        frame_metrics(read_table(path), y_true="y", y_pred="p", groups=["g"], task="classification")
    assert "column 'y' must be 0/1 (or true/false)" in str(engine.value)
    assert "found values {0, 1, 2}" in str(engine.value)
    assert str(engine.value).split(";")[1] == str(frame.value).split(";")[1]


def _labels_both_ways(values: list[Any], kind: pa.DataType) -> tuple[Any, Any]:
    """``_as_text`` of one column as pandas holds it (via Ibis) and as Arrow DuckDB returns."""
    import ibis

    con = ibis.duckdb.connect()
    try:
        table = con.create_table("t", obj=pa.table({"x": pa.array(values, type=kind)}), temp=True)
        frame_side = _outcome(lambda: _as_text(table.to_pandas()["x"]))
        arrow = con.raw_sql(con.compile(table)).to_arrow_table()["x"].combine_chunks()
        arrow_side = _outcome(lambda: _as_text(arrow))
    finally:
        con.disconnect()
    return frame_side, arrow_side


def _outcome(call: Any) -> Any:
    """The labels as a list (``None`` where missing), or the type of the error raised."""
    try:
        result = call()
    except Exception as err:  # the same error both ways counts as agreeing
        return type(err)
    if hasattr(result, "astype"):
        return [None if str(v) == "<NA>" else v for v in result.astype(object).tolist()]
    return list(result)


POOLS: dict[str, tuple[pa.DataType, list[Any]]] = {
    "text": (pa.string(), ["a", "", "ñ", "None", "nan", "1.0", None, "true"]),
    "int64": (pa.int64(), [0, -1, 2**62, -(2**63), 7, None]),
    "uint8": (pa.uint8(), [0, 255, 3, None]),
    "whole": (pa.float64(), [1.0, -0.0, 2.0**60, 3.0, float("nan"), None, 1e15]),
    "fraction": (pa.float64(), [0.1, 1e-300, 1e22, -2.5, 0.30000000000000004, float("nan")]),
    "mixed": (pa.float64(), [1.0, 2.5, None, -0.0, 1e16 + 2]),
    "extreme": (pa.float64(), [1.0, float("inf"), 2.0**64, None, -1.0]),
    "float32": (pa.float32(), [0.1, 1.0, 2.5, None]),
    "bool": (pa.bool_(), [True, False, None]),
    "date": (pa.date32(), [DAY, datetime.date(1999, 12, 31), None]),
    "timestamp": (
        pa.timestamp("us"),
        [datetime.datetime(2025, 1, 2), datetime.datetime(2025, 1, 2, 0, 0, 1), None],
    ),
    "decimal": (pa.decimal128(7, 3), [decimal.Decimal("1.000"), decimal.Decimal("-0.125"), None]),
}


@pytest.mark.parametrize("pool", sorted(POOLS))
@pytest.mark.parametrize("seed", range(6))
def test_as_text_of_arrow_equals_pandas(pool, seed):
    """Property: a column gives the same labels (or error) as Arrow and as a pandas column."""
    kind, values = POOLS[pool]
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 12))
    column = [values[i] for i in rng.integers(0, len(values), size)]
    frame_side, arrow_side = _labels_both_ways(column, kind)
    assert frame_side == arrow_side, column


def test_as_text_of_arrow_fixed_labels():
    """Fixed labels: integral floats without '.0', booleans, dates, timestamps, decimals."""
    assert _as_text(pa.array([1.0, None, float("nan"), -0.0])) == ["1", None, None, "0"]
    assert _as_text(pa.array([0.5, 2.0])) == ["0.5", "2.0"]
    assert _as_text(pa.array([0.5, -0.0, 0.0])) == ["0.5", "0.0", "0.0"]
    assert _as_text(pd.Series([0.5, -0.0])).tolist() == ["0.5", "0.0"]
    assert _as_text(pa.array([True, False])) == ["true", "false"]
    assert _as_text(pa.array([True, None])) == ["true", None]  # as without missing values
    assert _as_text(pa.array([1.0, float("inf"), None])) == ["1.0", "inf", None]
    assert _as_text(pa.array([2.0**63, 1.0])) == ["9.223372036854776e+18", "1.0"]
    # the plain-file path: pandas holds booleans with missing values as objects
    as_objects = pd.Series([True, None, False], dtype=object)
    assert _as_text(as_objects).astype(object).tolist() == ["true", pd.NA, "false"]
    assert _as_text(pd.Series([1.0, float("inf")])).tolist() == ["1.0", "inf"]
    assert _as_text(pa.array([DAY, None])) == ["2025-03-01", None]
    midnight = pa.array([datetime.datetime(2025, 1, 2)], pa.timestamp("us"))
    assert _as_text(midnight) == ["2025-01-02"]
    assert _as_text(pa.array([decimal.Decimal("1.50")])) == ["1.50"]
    assert _as_text(pa.array(["b", "a"]).dictionary_encode()) == ["b", "a"]


def test_parquet_parts_are_numbered_in_file_order(tmp_path):
    """Rows of parts of unequal sizes are numbered 0..n-1 in sorted file order, no window."""
    sizes = [3, 1, 5]
    for k, size in enumerate(sizes):
        pq.write_table(pa.table({"v": list(range(size))}), tmp_path / f"p{k}.parquet")
    source = files_source(*sorted(tmp_path.glob("p*.parquet")))
    table = open_table(source)
    try:
        rows = table.order_by(ROW_COLUMN).to_pyarrow().to_pydict()
    finally:
        table.get_backend().disconnect()
    assert rows[ROW_COLUMN] == list(range(9))
    assert rows["v"] == [0, 1, 2, 0, 0, 1, 2, 3, 4]


PROBE = """
import sys
from pathlib import Path
from auditkit.engine import Source, open_table
from auditkit.engine._source import expand_files
from auditkit.fairness._engine import engine_statistics
pattern = Path(sys.argv[1])
files = expand_files(pattern)
source = Source(kind="files", label=pattern.name, base_dir=pattern.parent, files=files)
cells = engine_statistics(open_table(source, text_columns=["g"]), source, task="classification",
                          y_true="y", y_pred="p", groups=["g"])
print(cells.index.labels, [m for m in ("pandas", "pyarrow.parquet") if m in sys.modules])
"""


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_engine_statistics_do_not_import_pandas(tmp_path, suffix):
    """Statistics of a glob through the embedded DuckDB load neither pandas nor pyarrow.parquet
    (a fresh interpreter)."""
    rows = [("a", 0, 0), ("b", 1, 1), (None, 1, 0), ("a", 0, 0)]
    for k in range(2):
        path = tmp_path / f"t{k}.{suffix}"
        part = rows[2 * k : 2 * k + 2]
        if suffix == "csv":
            lines = ["g,y,p", *(f"{g or ''},{y},{p}" for g, y, p in part)]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        else:
            columns = list(zip(*part, strict=True))
            table = {"g": list(columns[0]), "y": list(columns[1]), "p": list(columns[2])}
            pq.write_table(pa.table(table), path)
    pattern = tmp_path / f"t*.{suffix}"
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(pattern)], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "(('a', 'b', '(missing)'),) []", out


@pytest.mark.parametrize("top", [1, 7, 70_000, 2**40, 2**62])
def test_stable_order_is_numpys_stable_argsort(top):
    """The 16-bit radix passes give numpy's stable argsort, ties in row order."""
    keys = np.random.default_rng(top % 97).integers(0, top, 50_000).astype(np.int64)
    assert _stable_order(keys).tolist() == np.argsort(keys, kind="stable").tolist()
    assert _stable_order(np.zeros(0, dtype=np.int64)).tolist() == []


KEYED_ROWS = [
    # day, stamp, band, flag, whole, count, zone, y, p
    (DAY, datetime.datetime(2025, 1, 2, 10, 30), "2.50", True, 2.0, 3, "norte", 1, 1),
    (None, datetime.datetime(2024, 12, 31), "10.00", None, 1.0, None, "sul", 0, 0),
    (DAY, None, None, False, None, 3, None, 1, 0),
    (datetime.date(2024, 1, 9), datetime.datetime(2024, 12, 31), "2.50", True, 1.0, 12, "", 0, 1),
    (DAY, datetime.datetime(2025, 1, 2, 10, 30), "2.50", True, 0.0, -1, "norte", 1, 1),
]
KEYED_GROUPS = ["day", "stamp", "band", "flag", "whole", "count", "zone"]


def _keyed_parquet(folder: Path) -> Path:
    """:data:`KEYED_ROWS` as a Parquet file of the same types."""
    columns = list(zip(*KEYED_ROWS, strict=True))
    types = [pa.date32(), pa.timestamp("us"), pa.decimal128(5, 2), pa.bool_(), pa.float64(),
             pa.int64(), pa.string(), pa.int64(), pa.int64()]  # fmt: skip
    names = [*KEYED_GROUPS, "y", "p"]
    arrays = {
        name: pa.array(
            [decimal.Decimal(v) if v is not None and kind == types[2] else v for v in values],
            type=kind,
        )
        for name, kind, values in zip(names, types, columns, strict=True)
    }
    pq.write_table(pa.table(arrays), folder / "keyed.parquet")
    return folder / "keyed.parquet"


def _keyed_cells(source: Any) -> tuple[Any, Any, Any]:
    table = open_table(source, text_columns=KEYED_GROUPS)
    cells = engine_statistics(
        table, source, groups=KEYED_GROUPS, task="classification", y_true="y", y_pred="p"
    )
    return cells.index.labels, cells.index.cells.tolist(), cells.index.counts.tolist()


# the labels and cells the pandas reading gave, on DuckDB, PostgreSQL and Spark alike
KEYED_LABELS = (
    ("2024-01-09", "2025-03-01", "(missing)"),
    ("2024-12-31 00:00:00", "2025-01-02 10:30:00", "(missing)"),
    ("2.50", "10.00", "(missing)"),
    ("true", "false", "(missing)"),
    ("1", "0", "2", "(missing)"),
    ("12", "-1", "3", "(missing)"),
    ("", "norte", "sul", "(missing)"),
)
KEYED_CELLS = [[0, 0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 1, 1, 1], [1, 1, 0, 0, 2, 2, 1],
               [1, 2, 2, 1, 3, 2, 3], [2, 0, 1, 2, 0, 3, 2]]  # fmt: skip


def test_key_types_through_duckdb_have_fixed_labels(tmp_path):
    """Dates, timestamps, decimals, booleans and numbers with missing values as DuckDB keys."""
    found = _keyed_cells(files_source(_keyed_parquet(tmp_path)))
    assert found == (KEYED_LABELS, KEYED_CELLS, [1] * 5)


def test_key_types_through_postgres_have_the_same_labels(postgres_url, tmp_path):
    """The same rows as a PostgreSQL table (date, timestamp, numeric, boolean, NULLs)."""
    import psycopg

    from auditkit.engine import Source

    with psycopg.connect(postgres_url) as con, con.cursor() as cur:
        cur.execute(
            "CREATE TABLE keyed (day date, stamp timestamp, band numeric(5, 2), flag boolean, "
            "whole double precision, count bigint, zone text, y bigint, p bigint)"
        )
        with cur.copy("COPY keyed FROM STDIN") as copy:
            for row in KEYED_ROWS:
                copy.write_row(row)
    source = Source(
        kind="table", label="keyed", base_dir=tmp_path, table="keyed", connection=postgres_url
    )
    assert _keyed_cells(source) == (KEYED_LABELS, KEYED_CELLS, [1] * 5)


@pytest.mark.slow  # a JVM starts
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_key_types_through_spark_have_the_same_labels(spark, tmp_path):
    """The same Parquet file read by Spark."""
    from auditkit.engine import Source

    path = _keyed_parquet(tmp_path)
    source = Source(
        kind="files", label=path.name, base_dir=tmp_path, files=(path,), connection="spark"
    )
    assert _keyed_cells(source) == (KEYED_LABELS, KEYED_CELLS, [1] * 5)
