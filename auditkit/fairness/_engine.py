"""The fairness core's sufficient statistics as one ``GROUP BY`` where the data lives.

It uses the engine layer (:mod:`auditkit.engine`) to reach the data; the statistics are the
fairness core's own, so they live here.

Rows are grouped by the equity attributes (and, for classifiers, the outcome and prediction
labels) and by bootstrap block (:mod:`auditkit.engine._blocks`); only that small table comes
back. Metrics, bootstrap, ratios and judgements stay in :mod:`auditkit.fairness`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from auditkit._area import binary_labels
from auditkit._errors import InputDataError
from auditkit.engine._blocks import (
    block_expression,
    check_row_key,
    key_hash_expression,
    refuse_missing_keys,
)
from auditkit.engine._exact import (
    as_float,
    exact_int,
    exact_sum,
    nonfinite,
    refuse_nonfinite,
)
from auditkit.engine._source import ROW_COLUMN, Source, close, engine_errors, require_columns
from auditkit.engine._statistics import count_where, fetch
from auditkit.fairness._core import CellStatistics
from auditkit.fairness._metrics import CLASSIFICATION_STATS, REGRESSION_STATS
from auditkit.fairness._stats import MAX_BLOCKS, MISSING_LABEL, CellIndex, block_count

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

__all__ = ["engine_statistics"]

FloatArray = npt.NDArray[np.float64]
_ROW = ROW_COLUMN  # a row number the source already has, else ibis.row_number()
_BLOCK = "__auditkit_block"
_N = "__auditkit_n"


def _indicator(condition: ir.BooleanValue) -> ir.FloatingValue:
    """1.0 where true, else 0.0 (a CASE: PostgreSQL casts no boolean to a number)."""
    result: ir.FloatingValue = condition.ifelse(1.0, 0.0)
    return result


@dataclass
class _Grouped:
    """The engine's grouped rows, sorted by their keys: codes for the keys, arrays for the rest.

    Read from the Arrow table every engine returns (:func:`_read_rows`).
    """

    size: int
    # group column -> (code of each row's label, -1 where missing; labels, in order of first row)
    labels: dict[str, tuple[npt.NDArray[np.intp], list[str]]] = field(default_factory=dict)
    # outcome and prediction -> (code of each row's value, -1 where missing; the values)
    values: dict[str, tuple[npt.NDArray[np.intp], list[Any]]] = field(default_factory=dict)
    numbers: dict[str, npt.NDArray[Any]] = field(default_factory=dict)

    def __contains__(self, name: str) -> bool:
        return name in self.numbers

    def __getitem__(self, name: str) -> npt.NDArray[Any]:
        return self.numbers[name]

    def total(self, name: str) -> int:
        """The sum of a count column."""
        return int(self.numbers[name].sum())


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _column(table: pa.Table, name: str) -> pa.Array:
    import pyarrow as pa

    array = table[name].combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    return array


def _entries(array: pa.Array) -> tuple[npt.NDArray[np.intp], pa.Array]:
    """Each row's entry in the column's distinct values (null included), and those values.

    The numbers go through DLPack: pyarrow's own conversions to numpy import pandas.
    """
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(array, null_encoding="encode")
    rows = np.from_dlpack(encoded.indices).astype(np.intp)
    return rows, encoded.dictionary


def _ranks(distinct: list[Any]) -> npt.NDArray[np.intp]:
    """The rank of each distinct value in pandas' sort order (NaN and null last, together)."""
    ordered = sorted({v for v in distinct if not _missing(v)})
    rank = {v: i for i, v in enumerate(ordered)}
    return np.asarray([len(ordered) if _missing(v) else rank[v] for v in distinct], dtype=np.intp)


def _stable_order(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.intp]:
    """``np.argsort(keys, kind="stable")`` for non-negative keys, as 16-bit radix passes.

    numpy sorts 16-bit integers by radix (linear time) and wider ones by comparisons; sorting by
    each 16-bit digit in turn, the least significant first, gives the same stable order.
    """
    order = np.arange(len(keys), dtype=np.intp)
    top = int(keys.max()) if len(keys) else 0
    shift = 0
    while shift == 0 or top >> shift:
        digit = ((keys[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    return order


def _first_seen(
    rows: npt.NDArray[np.intp], names: list[Any]
) -> tuple[npt.NDArray[np.intp], list[Any]]:
    """Codes in order of first appearance of each name (-1 where missing), and the names."""
    first = np.full(len(names), len(rows), dtype=np.intp)
    np.minimum.at(first, rows, np.arange(len(rows), dtype=np.intp))
    code_of: dict[Any, int] = {}
    entry_code = np.full(len(names), -1, dtype=np.intp)
    seen = np.flatnonzero(first < len(rows))
    for entry in seen[np.argsort(first[seen], kind="stable")].tolist():
        name = names[entry]
        if not _missing(name):
            entry_code[entry] = code_of.setdefault(name, len(code_of))
    codes: npt.NDArray[np.intp] = entry_code[rows]
    return codes, list(code_of)


def _numbers(array: pa.Array) -> npt.NDArray[Any]:
    """A column of counts or block numbers as numpy (through DLPack, without pandas)."""
    import pyarrow as pa

    if array.null_count or not len(array):
        return np.asarray([np.nan if v is None else v for v in array.to_pylist()], np.float64)
    if pa.types.is_decimal(array.type):
        array = array.cast(pa.int64())
    return np.from_dlpack(array)


def _read_rows(
    table: pa.Table,
    groups: Sequence[str],
    values: Sequence[str],
    keys: Sequence[str],
    exact: Sequence[str],
) -> _Grouped:
    """The grouped rows an engine returned, sorted by their keys.

    An engine returns groups in any order: they are sorted (missing last, ties in the order
    returned), so that cells are numbered and their statistics added up in the same order on
    every run, and labels and values are numbered in order of first appearance. Group labels are
    :func:`auditkit._io._as_text` of each key's distinct values; ``exact`` columns are
    :func:`~auditkit.engine._exact.exact_sum` totals, read as Python integers.
    """
    from auditkit._io import _as_text

    columns = {k: _column(table, k) for k in keys}
    entries = {k: _entries(columns[k]) for k in keys}
    distinct = {k: entries[k][1].to_pylist() for k in keys}
    order = np.arange(table.num_rows, dtype=np.intp)
    if table.num_rows:
        ranks = [_ranks(distinct[k]) for k in keys]
        sizes = [int(r.max()) + 1 for r in ranks]
        if float(np.prod([float(n) for n in sizes])) < 2.0**62:
            # one integer per row, ordered as the keys are: a single stable sort
            combined = np.zeros(table.num_rows, dtype=np.int64)
            for rank, size, k in zip(ranks, sizes, keys, strict=True):
                combined = combined * size + rank[entries[k][0]]
            order = _stable_order(combined)
        else:
            order = np.lexsort([r[entries[k][0]] for r, k in zip(ranks, keys, strict=True)][::-1])
    grouped = _Grouped(size=table.num_rows)
    for column in groups:
        rows, dictionary = entries[column]
        grouped.labels[column] = _first_seen(rows[order], _as_text(dictionary))
    for column in values:
        grouped.values[column] = _first_seen(entries[column][0][order], distinct[column])
    for name in table.column_names:
        if name in groups or name in values:
            continue
        if name in exact:  # integer units, beyond 64 bits
            totals = np.asarray(table[name].to_pylist(), dtype=object)[order]
            grouped.numbers[name] = as_float(exact_int(totals))
        else:
            grouped.numbers[name] = _numbers(_column(table, name))[order]
    return grouped


def engine_statistics(
    table: ir.Table,
    source: Source,
    *,
    task: Literal["classification", "regression", "forecast"],
    y_true: str,
    y_pred: str,
    groups: Sequence[str],
    sample_weight: str | None = None,
    y_pred_lower: str | None = None,
    y_pred_upper: str | None = None,
    positive_label: Any = None,
    seed: int = 0,
    row_key: str | None = None,
) -> CellStatistics:
    """Per-cell and per-block statistics of ``table``, computed by its engine.

    Parameters
    ----------
    table : ibis Table
        The predictions (see :func:`auditkit.engine.open_table`).
    source : Source
        Named in error messages.
    task, y_true, y_pred, groups, sample_weight, y_pred_lower, y_pred_upper, positive_label
        As in :func:`auditkit.fairness.group_metrics`.
    seed : int
        The bootstrap seed (it moves rows between blocks).
    row_key : str, optional
        A column whose hash deals rows to bootstrap blocks (``data.row_key``): the same blocks
        whatever order the rows are stored in. Default: the row number.

    Returns
    -------
    CellStatistics
        The same numbers as :func:`auditkit.fairness.group_metrics` computes from a frame of the
        same rows in the same order.
    """
    import ibis

    kind: Literal["classification", "regression"] = (
        "classification" if task == "classification" else "regression"
    )
    groups = list(groups)
    interval = kind == "regression" and y_pred_lower is not None and y_pred_upper is not None
    columns = [*groups, y_true, y_pred]
    columns += [
        c for c in (sample_weight, *((y_pred_lower, y_pred_upper) if interval else ())) if c
    ]
    with engine_errors(source):
        require_columns(table, [*columns, *((row_key,) if row_key else ())], source)
        if row_key is not None:
            check_row_key(table, row_key, source)
            keyed = table.select(*dict.fromkeys([*columns, row_key]))
            numbered = keyed.mutate(**{_ROW: key_hash_expression(keyed[row_key])})
        elif _ROW in table.columns:  # parquet parts: file offset + file row number
            numbered = table.select(*dict.fromkeys([*columns, _ROW]))
        else:
            numbered = table.select(*dict.fromkeys(columns)).mutate(
                **{_ROW: ibis.row_number().cast("int64")}
            )

    def query(block: ir.IntegerValue) -> _Grouped:
        t = numbered.mutate(**{_BLOCK: block})
        values = [y_true, y_pred] if kind == "classification" else []
        keys = [*groups, *values, _BLOCK]
        w = t[sample_weight].cast("float64") if sample_weight else None
        metrics: dict[str, Any] = {_N: t.count()}
        if row_key is not None:
            metrics["key_null"] = count_where(t[row_key].isnull())
        if w is not None:
            metrics["w"] = exact_sum(w)
            metrics["w_null"] = count_where(w.isnull())
            metrics["w_nonfinite"] = nonfinite(w)
            metrics["w_negative"] = count_where(w < 0)
        if kind == "regression":
            y = t[y_true].cast("float64")
            p = t[y_pred].cast("float64")
            err = p - y
            covered: Any = y * 0.0  # a column of zeros (a literal is no column to sum)
            if interval:
                low = t[y_pred_lower].cast("float64")
                high = t[y_pred_upper].cast("float64")
                covered = _indicator((low <= y) & (y <= high))
                metrics["crossed"] = count_where(low > high)
                metrics["low_null"] = count_where(low.isnull())
                metrics["high_null"] = count_where(high.isnull())
            values_of = {
                "error": err,
                "abs_error": err.abs(),
                "sq_error": err * err,
                "under": _indicator(p < y),
                "pred": p,
                "actual": y,
                "abs_actual": y.abs(),
                "covered": covered,
            }
            for name in REGRESSION_STATS:
                if name == "weight":
                    continue
                value = values_of[name] * w if w is not None else values_of[name]
                metrics[name] = exact_sum(value)
            metrics["y_null"] = count_where(y.isnull())
            metrics["p_null"] = count_where(p.isnull())
            metrics["y_nonfinite"] = nonfinite(y)
            metrics["p_nonfinite"] = nonfinite(p)
            if interval:
                metrics["low_nonfinite"] = nonfinite(low)
                metrics["high_nonfinite"] = nonfinite(high)
        summed = ["w"] if w is not None else []
        summed += [n for n in REGRESSION_STATS if n != "weight"] if kind == "regression" else []
        with engine_errors(source, "aggregating the predictions"):
            expression = t.group_by(keys).aggregate(**metrics)
        return _read_rows(fetch(expression, source), groups, values, keys, summed)

    try:
        first = query(block_expression(numbered[_ROW], MAX_BLOCKS, seed))
        if row_key is not None:
            refuse_missing_keys(first.total("key_null"), row_key, source)
        _check(first, kind, y_true, y_pred, sample_weight, y_pred_lower, y_pred_upper, source)
        index, cell_of_row = _cells(first, groups)
        mapping = _label_maps(first, kind, y_true, y_pred, positive_label, source)
        n_rows = first.total(_N)
        table_blocks = _block_table(
            first, kind, MAX_BLOCKS, index.n_cells, cell_of_row, mapping, sample_weight
        )
        stats = table_blocks.sum(axis=0)
        # the blocks the core will ask for (fewer with many cells; rows themselves when few)
        n_blocks = block_count(n_rows, stats.size)
        if n_blocks != MAX_BLOCKS or n_rows <= MAX_BLOCKS:
            if n_blocks >= n_rows and row_key is None:  # the row bootstrap
                block: ir.IntegerValue = numbered[_ROW]
            else:
                block = block_expression(numbered[_ROW], n_blocks, seed)
            again = query(block)
            cells = _cells_in(again, groups, index)
            table_blocks = _block_table(
                again, kind, n_blocks, index.n_cells, cells, mapping, sample_weight
            )
    finally:
        close(table)

    def blocks(wanted: int, block_seed: int) -> FloatArray:
        if (wanted, block_seed) != (n_blocks, seed):
            raise ValueError(
                f"the engine dealt rows into {n_blocks} blocks with seed {seed}; "
                f"asked for {wanted} with seed {block_seed}"
            )
        return table_blocks

    return CellStatistics(kind=kind, index=index, stats=stats, blocks=blocks)


def _check(
    frame: _Grouped,
    kind: str,
    y_true: str,
    y_pred: str,
    sample_weight: str | None,
    y_pred_lower: str | None,
    y_pred_upper: str | None,
    source: Source,
) -> None:
    file = source.files[0] if len(source.files) == 1 else None
    if frame.size == 0:
        raise InputDataError(
            f"{source.label} has no rows.", file=file, hint="Check the query or the export."
        )
    if kind == "classification":
        nulls = {c: int(frame[_N][frame.values[c][0] < 0].sum()) for c in (y_true, y_pred)}
    else:
        nulls = {y_true: frame.total("y_null"), y_pred: frame.total("p_null")}
        if "crossed" in frame:
            nulls[str(y_pred_lower)] = frame.total("low_null")
            nulls[str(y_pred_upper)] = frame.total("high_null")
    if sample_weight:
        nulls[sample_weight] = frame.total("w_null")
    named = {"y": y_true, "p": y_pred, "low": y_pred_lower, "high": y_pred_upper}
    named["w"] = sample_weight
    refuse_nonfinite(
        frame, {str(c): f"{k}_nonfinite" for k, c in named.items() if c is not None}, source
    )
    for column, count in nulls.items():
        if count:
            raise InputDataError(
                f"column '{column}' has {count} missing values in {source.label}.",
                file=file,
                hint="Drop or fill those rows before the review (or in the query): every row "
                "needs an outcome and a prediction.",
            )
    if sample_weight:
        negative = frame.total("w_negative")
        if negative:
            raise InputDataError(
                f"sample weights in column '{sample_weight}' must be zero or positive; "
                f"{negative} are negative.",
                file=file,
            )
        if float(frame["w"].sum()) <= 0:
            raise InputDataError(
                f"sample weights in column '{sample_weight}' are all zero.", file=file
            )
    if "crossed" in frame and frame.total("crossed"):
        raise InputDataError(
            f"'{y_pred_lower}' is above '{y_pred_upper}' in {frame.total('crossed')} rows.",
            file=file,
            hint="Check that the bounds are not swapped.",
        )


def _cells(frame: _Grouped, groups: Sequence[str]) -> tuple[CellIndex, npt.NDArray[np.intp]]:
    """The cells of the returned rows: labels per attribute, codes, row counts."""
    codes = []
    labels = []
    for column in groups:
        values, uniques = frame.labels[column]
        names = list(uniques)
        if (values < 0).any():
            values = np.where(values < 0, len(names), values)
            names.append(MISSING_LABEL)
        codes.append(np.asarray(values, dtype=np.intp))
        labels.append(tuple(names))
    sizes = [len(names) for names in labels]
    if float(np.prod([float(n) for n in sizes])) < 2.0**62:  # one integer key per cell
        combined = np.zeros(frame.size, dtype=np.int64)
        for values, size in zip(codes, sizes, strict=True):
            combined = combined * size + values
        keys, inverse = np.unique(combined, return_inverse=True)
        cells = np.empty((len(keys), len(sizes)), dtype=np.intp)
        for position in range(len(sizes) - 1, -1, -1):
            cells[:, position] = keys % sizes[position]
            keys = keys // sizes[position]
    else:
        cells, inverse = np.unique(np.stack(codes, axis=1), axis=0, return_inverse=True)
    inverse = inverse.reshape(-1).astype(np.intp)
    counts = np.bincount(inverse, weights=frame[_N].astype(np.float64), minlength=len(cells))
    index = CellIndex(
        attributes=tuple(groups),
        labels=tuple(labels),
        cells=cells.astype(np.intp),
        row_cell=np.empty(0, dtype=np.intp),
        counts=np.rint(counts).astype(np.intp),
    )
    return index, inverse


def _cells_in(frame: _Grouped, groups: Sequence[str], index: CellIndex) -> npt.NDArray[np.intp]:
    """The cell (of ``index``) of each returned row of a later query."""
    lookup = {tuple(row): c for c, row in enumerate(index.cells.tolist())}
    codes = []
    for a, column in enumerate(groups):
        position = {label: i for i, label in enumerate(index.labels[a])}
        values, uniques = frame.labels[column]
        translate = np.asarray(
            [position[str(u)] for u in uniques] + [position.get(MISSING_LABEL, -1)],
            dtype=np.intp,
        )
        codes.append(translate[values].tolist())  # -1 (missing) takes the last entry
    return np.asarray([lookup[key] for key in zip(*codes, strict=True)], dtype=np.intp)


def _label_maps(
    frame: _Grouped,
    kind: str,
    y_true: str,
    y_pred: str,
    positive_label: Any,
    source: Source,
) -> dict[str, dict[Any, float]]:
    """Classification: each outcome and prediction value as 0 or 1 (validated as the core does)."""
    if kind != "classification":
        return {}
    maps = {}
    for column in (y_true, y_pred):
        uniques = frame.values[column][1]
        positive = binary_labels(uniques, column, positive_label, source.label)
        maps[column] = {u: float(p) for u, p in zip(uniques, positive, strict=True)}
    return maps


def _block_table(
    frame: _Grouped,
    kind: str,
    n_blocks: int,
    n_cells: int,
    cell: npt.NDArray[np.intp],
    mapping: dict[str, dict[Any, float]],
    sample_weight: str | None,
) -> FloatArray:
    """``(K, C, S)`` from the grouped rows."""
    block = frame[_BLOCK].astype(np.int64).astype(np.intp)
    weight = frame["w"].astype(np.float64) if sample_weight else frame[_N].astype(np.float64)
    if kind == "classification":
        columns = list(mapping)
        truth = _mapped(frame, columns[0], mapping)
        prediction = _mapped(frame, columns[1], mapping)
        confusion = (2 * truth + prediction).astype(np.intp)
        size = len(CLASSIFICATION_STATS)
        key = (block * n_cells + cell) * size + confusion
        flat = np.bincount(key, weights=weight, minlength=n_blocks * n_cells * size)
        return np.asarray(flat, dtype=np.float64).reshape(n_blocks, n_cells, size)
    out = np.zeros((n_blocks, n_cells, len(REGRESSION_STATS)), dtype=np.float64)
    key = block * n_cells + cell
    for s, name in enumerate(REGRESSION_STATS):
        values = weight if name == "weight" else frame[name].astype(np.float64)
        out[:, :, s] = np.bincount(key, weights=values, minlength=n_blocks * n_cells).reshape(
            n_blocks, n_cells
        )
    return out


def _mapped(frame: _Grouped, column: str, mapping: dict[str, dict[Any, float]]) -> FloatArray:
    """0 or 1 for each row (the mapping was made from the first query's distinct values)."""
    codes, uniques = frame.values[column]
    each = np.asarray([mapping[column][u] for u in uniques], dtype=np.float64)
    result: FloatArray = each[codes]
    return result
