"""The fairness core's sufficient statistics as one ``GROUP BY`` where the data lives.

It uses the engine layer (:mod:`auditkit.engine`) to reach the data; the statistics are the
fairness core's own, so they live here.

Rows are grouped by the equity attributes (and, for classifiers, the outcome and prediction
labels) and by bootstrap block (:mod:`auditkit.engine._blocks`); only that small table comes
back. Metrics, bootstrap, ratios and judgements stay in :mod:`auditkit.fairness`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

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
from auditkit.engine._statistics import count_where
from auditkit.fairness._core import CellStatistics, _binary
from auditkit.fairness._metrics import CLASSIFICATION_STATS, REGRESSION_STATS
from auditkit.fairness._stats import MAX_BLOCKS, MISSING_LABEL, CellIndex, block_count

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

__all__ = ["engine_statistics"]

FloatArray = npt.NDArray[np.float64]
_ROW = ROW_COLUMN  # a row number the source already has, else ibis.row_number()
_BLOCK = "__auditkit_block"
_N = "__auditkit_n"


def _indicator(condition: ir.BooleanValue) -> ir.FloatingValue:
    """1.0 where true, else 0.0 (a CASE: PostgreSQL casts no boolean to a number)."""
    result: ir.FloatingValue = condition.ifelse(1.0, 0.0)
    return result


def _labels(series: pd.Series) -> pd.Series:
    """Group labels as the pandas path writes them (integral floats without '.0', true/false)."""
    from auditkit._io import _as_text

    return _as_text(series)


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

    def query(block: ir.IntegerValue) -> pd.DataFrame:
        t = numbered.mutate(**{_BLOCK: block})
        keys = [*groups, *((y_true, y_pred) if kind == "classification" else ()), _BLOCK]
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
            values = {
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
                value = values[name] * w if w is not None else values[name]
                metrics[name] = exact_sum(value)
            metrics["y_null"] = count_where(y.isnull())
            metrics["p_null"] = count_where(p.isnull())
            metrics["y_nonfinite"] = nonfinite(y)
            metrics["p_nonfinite"] = nonfinite(p)
            if interval:
                metrics["low_nonfinite"] = nonfinite(low)
                metrics["high_nonfinite"] = nonfinite(high)
        with engine_errors(source, "aggregating the predictions"):
            result: pd.DataFrame = t.group_by(keys).aggregate(**metrics).to_pandas()
        # an engine returns groups in any order: sort them, so that cells are numbered and
        # their statistics added up in the same order on every run
        result = result.sort_values(keys, na_position="last", kind="stable", ignore_index=True)
        summed = ["w"] if w is not None else []
        summed += [n for n in REGRESSION_STATS if n != "weight"] if kind == "regression" else []
        for name in summed:
            result[name] = as_float(exact_int(result[name]))
        return result

    try:
        first = query(block_expression(numbered[_ROW], MAX_BLOCKS, seed))
        if row_key is not None:
            refuse_missing_keys(int(first["key_null"].sum()), row_key, source)
        _check(first, kind, y_true, y_pred, sample_weight, y_pred_lower, y_pred_upper, source)
        index, cell_of_row = _cells(first, groups)
        mapping = _label_maps(first, kind, y_true, y_pred, positive_label, source)
        n_rows = int(first[_N].sum())
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
    frame: pd.DataFrame,
    kind: str,
    y_true: str,
    y_pred: str,
    sample_weight: str | None,
    y_pred_lower: str | None,
    y_pred_upper: str | None,
    source: Source,
) -> None:
    file = source.files[0] if len(source.files) == 1 else None
    if frame.empty:
        raise InputDataError(
            f"{source.label} has no rows.", file=file, hint="Check the query or the export."
        )
    if kind == "classification":
        nulls = {c: int(frame.loc[frame[c].isna(), _N].sum()) for c in (y_true, y_pred)}
    else:
        nulls = {y_true: int(frame["y_null"].sum()), y_pred: int(frame["p_null"].sum())}
        if "crossed" in frame:
            nulls[str(y_pred_lower)] = int(frame["low_null"].sum())
            nulls[str(y_pred_upper)] = int(frame["high_null"].sum())
    if sample_weight:
        nulls[sample_weight] = int(frame["w_null"].sum())
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
        negative = int(frame["w_negative"].sum())
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
    if "crossed" in frame and int(frame["crossed"].sum()):
        raise InputDataError(
            f"'{y_pred_lower}' is above '{y_pred_upper}' in {int(frame['crossed'].sum())} rows.",
            file=file,
            hint="Check that the bounds are not swapped.",
        )


def _cells(frame: pd.DataFrame, groups: Sequence[str]) -> tuple[CellIndex, npt.NDArray[np.intp]]:
    """The cells of the returned rows: labels per attribute, codes, row counts."""
    import pandas as pd

    codes = []
    labels = []
    for column in groups:
        text = _labels(frame[column])
        values, uniques = pd.factorize(text, use_na_sentinel=True)
        names = [str(u) for u in uniques]
        if (values < 0).any():
            values = np.where(values < 0, len(names), values)
            names.append(MISSING_LABEL)
        codes.append(np.asarray(values, dtype=np.intp))
        labels.append(tuple(names))
    sizes = [len(names) for names in labels]
    if float(np.prod([float(n) for n in sizes])) < 2.0**62:  # one integer key per cell
        combined = np.zeros(len(frame), dtype=np.int64)
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
    counts = np.bincount(inverse, weights=frame[_N].to_numpy(np.float64), minlength=len(cells))
    index = CellIndex(
        attributes=tuple(groups),
        labels=tuple(labels),
        cells=cells.astype(np.intp),
        row_cell=np.empty(0, dtype=np.intp),
        counts=np.rint(counts).astype(np.intp),
    )
    return index, inverse


def _cells_in(frame: pd.DataFrame, groups: Sequence[str], index: CellIndex) -> npt.NDArray[np.intp]:
    """The cell (of ``index``) of each returned row of a later query."""
    lookup = {tuple(row): c for c, row in enumerate(index.cells.tolist())}
    codes = []
    for a, column in enumerate(groups):
        position = {label: i for i, label in enumerate(index.labels[a])}
        text = _labels(frame[column]).astype(object).where(frame[column].notna(), MISSING_LABEL)
        codes.append([position[str(v)] for v in text])
    return np.asarray([lookup[key] for key in zip(*codes, strict=True)], dtype=np.intp)


def _label_maps(
    frame: pd.DataFrame,
    kind: str,
    y_true: str,
    y_pred: str,
    positive_label: Any,
    source: Source,
) -> dict[str, dict[Any, float]]:
    """Classification: each outcome and prediction label as 0 or 1 (validated as the core does)."""
    import pandas as pd

    if kind != "classification":
        return {}
    maps = {}
    for column in (y_true, y_pred):
        uniques = pd.Series(pd.unique(frame[column]), dtype=frame[column].dtype)
        as_binary = _binary(uniques, column, positive_label, source.label)
        maps[column] = dict(zip(uniques.tolist(), as_binary.tolist(), strict=True))
    return maps


def _block_table(
    frame: pd.DataFrame,
    kind: str,
    n_blocks: int,
    n_cells: int,
    cell: npt.NDArray[np.intp],
    mapping: dict[str, dict[Any, float]],
    sample_weight: str | None,
) -> FloatArray:
    """``(K, C, S)`` from the grouped rows."""
    block = frame[_BLOCK].to_numpy(np.int64).astype(np.intp)
    weight = frame["w"].to_numpy(np.float64) if sample_weight else frame[_N].to_numpy(np.float64)
    if kind == "classification":
        columns = list(mapping)
        truth = frame[columns[0]].map(mapping[columns[0]]).to_numpy(np.float64)
        prediction = frame[columns[1]].map(mapping[columns[1]]).to_numpy(np.float64)
        confusion = (2 * truth + prediction).astype(np.intp)
        size = len(CLASSIFICATION_STATS)
        key = (block * n_cells + cell) * size + confusion
        flat = np.bincount(key, weights=weight, minlength=n_blocks * n_cells * size)
        return np.asarray(flat, dtype=np.float64).reshape(n_blocks, n_cells, size)
    out = np.zeros((n_blocks, n_cells, len(REGRESSION_STATS)), dtype=np.float64)
    key = block * n_cells + cell
    for s, name in enumerate(REGRESSION_STATS):
        values = weight if name == "weight" else frame[name].to_numpy(np.float64)
        out[:, :, s] = np.bincount(key, weights=values, minlength=n_blocks * n_cells).reshape(
            n_blocks, n_cells
        )
    return out
