"""The performance area's sufficient statistics, as ``GROUP BY`` queries where the data lives.

Skill over the baseline and interval coverage need, per cell of the equity attributes, the row
count, the weight and the weighted sums of the model's loss, the baseline's loss and the covered
rows. Calibration needs, per score bin (ten bins for the expected calibration error, each cut in
a hundred fine bins for the null draws) and outcome label, the weight and the weighted sums of the
score, of its square and of the squared weights. Only those small tables come back from the
engine; the judgements (:mod:`auditkit.performance._skill`, :mod:`._calibration`) work from them.

A plain file already read into a frame goes through the same queries (the frame registered in an
embedded DuckDB, :func:`auditkit.engine._statistics.frame_table`), so both paths give the same
numbers. Sums are exact integers of units (:mod:`auditkit.engine._exact`): the same in any row order
and on any number of threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from auditkit._errors import InputDataError
from auditkit.engine._exact import UNIT, exact_int, exact_sum, nonfinite, refuse_nonfinite
from auditkit.engine._source import Source, close, engine_errors, require_columns
from auditkit.engine._statistics import aggregate, count_where

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

__all__ = ["CalibrationBins", "CellSums", "PerformanceStatistics", "performance_statistics"]

BINS = 10  # equal-width score bins of the expected calibration error
FINE = 100  # fine bins per bin: the null draws a binomial per fine bin
_N = "n"
_COARSE, _FINE, _LABEL = "__auditkit_bin", "__auditkit_fine_bin", "__auditkit_label"


@dataclass(frozen=True)
class CellSums:
    """Sums per cell of the equity attributes (exact integers of ``2**-52`` units, counts as is).

    ``labels[a][c]`` is the label of attribute ``a`` in cell ``c`` (``None`` when missing).
    """

    attributes: tuple[str, ...]
    labels: tuple[tuple[str | None, ...], ...]
    n: tuple[int, ...]
    weight: tuple[int, ...]
    model_loss: tuple[int, ...]
    baseline_loss: tuple[int, ...]
    covered: tuple[int, ...]
    weighted: bool


@dataclass(frozen=True)
class CalibrationBins:
    """Sums per fine score bin, in bin order (exact integers of ``2**-52`` units)."""

    bin: tuple[int, ...]  # the coarse bin (0..BINS-1) of each fine bin
    n: tuple[int, ...]
    weight: tuple[int, ...]
    weight_score: tuple[int, ...]  # sum of w * score
    weight_positive: tuple[int, ...]  # sum of w * y
    weight_squared_error: tuple[int, ...]  # sum of w * (score - y) ** 2
    weight_squared: tuple[int, ...]  # sum of w ** 2


@dataclass(frozen=True)
class PerformanceStatistics:
    """What the performance area needs, from the engine or from a frame."""

    cells: CellSums | None
    calibration: CalibrationBins | None
    n_rows: int


def performance_statistics(
    table: ir.Table,
    source: Source,
    *,
    task: str,
    y_true: str,
    y_pred: str,
    groups: Sequence[str],
    baseline: str | None = None,
    y_pred_lower: str | None = None,
    y_pred_upper: str | None = None,
    y_score: str | None = None,
    sample_weight: str | None = None,
    positive_label: Any = None,
    validate: bool = True,
) -> PerformanceStatistics:
    """The performance area's statistics of ``table``, computed by its engine.

    Parameters
    ----------
    table : ibis Table
        The predictions (:func:`auditkit.engine.open_table`, or a frame through ``frame_table``).
    source : Source
        Named in error messages.
    task, y_true, y_pred, groups, baseline, y_pred_lower, y_pred_upper, y_score, sample_weight,
    positive_label
        As in ``audit.yaml``'s data section.
    validate : bool
        Count missing, infinite and out-of-range values in the engine and refuse them (a frame
        was checked row by row before, with the rows named).

    Raises
    ------
    InputDataError
        Missing columns, missing values, negative weights, scores outside 0..1, two-class labels
        that are not two classes; naming the source, the column and what to do.
    """
    groups = list(groups)
    interval = y_pred_lower is not None and y_pred_upper is not None
    columns = [y_true, y_pred, *groups]
    columns += [
        c
        for c in (baseline, *((y_pred_lower, y_pred_upper) if interval else ()), y_score)
        if c is not None
    ]
    if sample_weight:
        columns.append(sample_weight)
    try:
        with engine_errors(source):
            require_columns(table, columns, source)
        cells = None
        if baseline is not None or interval:
            cells = _cell_sums(
                table,
                source,
                task=task,
                y_true=y_true,
                y_pred=y_pred,
                groups=groups,
                baseline=baseline,
                lower=y_pred_lower if interval else None,
                upper=y_pred_upper if interval else None,
                weight=sample_weight,
                validate=validate,
            )
        calibration = None
        if y_score is not None:
            calibration = _calibration_bins(
                table, source, y_true, y_score, sample_weight, positive_label, validate
            )
    finally:
        close(table)
    if cells is not None:
        n_rows = sum(cells.n)
    elif calibration is not None:
        n_rows = sum(calibration.n)
    else:
        n_rows = 0
    return PerformanceStatistics(cells=cells, calibration=calibration, n_rows=n_rows)


def _file(source: Source) -> Any:
    return source.files[0] if len(source.files) == 1 else None


def _refuse_missing(frame: pd.DataFrame, counts: dict[str, str], source: Source) -> None:
    """Missing values counted by the engine (``column -> name of its count``)."""
    for column, name in counts.items():
        missing = int(frame[name].sum())
        if missing:
            raise InputDataError(
                f"column '{column}' has {missing} missing values in {source.label}.",
                file=_file(source),
                hint="Drop or fill those rows before the review (or in the query): every row "
                "needs an outcome and a prediction.",
            )


def _refuse_weights(frame: pd.DataFrame, column: str, source: Source) -> None:
    negative = int(frame["w_negative"].sum())
    if negative:
        raise InputDataError(
            f"sample weights in column '{column}' must be zero or positive; {negative} are "
            f"negative in {source.label}.",
            file=_file(source),
        )


def _weight(t: ir.Table, column: str | None) -> ir.FloatingValue | None:
    return t[column].cast("float64") if column else None


def _weighted_sum(value: ir.NumericValue, w: ir.FloatingValue | None) -> ir.NumericScalar:
    """Exact ``SUM(w * value)``: integers unweighted are summed as integers (cheaper)."""
    if w is None and value.type().is_integer():
        total: ir.NumericScalar = value.sum()
        return total
    return exact_sum(value * w if w is not None else value)


def _cell_sums(
    t: ir.Table,
    source: Source,
    *,
    task: str,
    y_true: str,
    y_pred: str,
    groups: list[str],
    baseline: str | None,
    lower: str | None,
    upper: str | None,
    weight: str | None,
    validate: bool,
) -> CellSums:
    """One ``GROUP BY`` of the equity attributes: counts and exact weighted sums per cell."""
    w = _weight(t, weight)
    metrics: dict[str, Any] = {_N: t.count()}
    nulls: dict[str, str] = {}
    finite: dict[str, str] = {}  # numeric columns -> their count of NaN or infinite values

    def numeric(column: str, name: str) -> None:
        metrics[name] = nonfinite(t[column])
        finite[column] = name

    if w is not None:
        metrics["w"] = exact_sum(w)
        nulls[str(weight)] = "w_null"
        metrics["w_null"] = count_where(w.isnull())
        metrics["w_negative"] = count_where(w < 0)
        numeric(str(weight), "w_nonfinite")
    y, p = t[y_true], t[y_pred]
    nulls[y_true], nulls[y_pred] = "y_null", "p_null"
    metrics["y_null"] = count_where(y.isnull())
    metrics["p_null"] = count_where(p.isnull())
    if task != "classification":
        numeric(y_true, "y_nonfinite")
        numeric(y_pred, "p_nonfinite")

    def loss(prediction: ir.Value) -> ir.NumericValue:
        if task == "classification":
            wrong: ir.NumericValue = (prediction != y).ifelse(1, 0)
            return wrong
        error: ir.NumericValue = (prediction.cast("float64") - y.cast("float64")).abs()
        return error

    metrics["model_loss"] = _weighted_sum(loss(p), w)
    if baseline is not None:
        b = t[baseline]
        metrics["baseline_loss"] = _weighted_sum(loss(b), w)
        nulls[baseline] = "b_null"
        metrics["b_null"] = count_where(b.isnull())
        if task != "classification":
            numeric(baseline, "b_nonfinite")
    if lower is not None and upper is not None:
        low, high, actual = (t[c].cast("float64") for c in (lower, upper, y_true))
        hit = ((low <= actual) & (actual <= high)).ifelse(1, 0)
        metrics["covered"] = _weighted_sum(hit, w) if w is not None else hit.sum()
        metrics["low_null"] = count_where(low.isnull())
        metrics["high_null"] = count_where(high.isnull())
        nulls[lower], nulls[upper] = "low_null", "high_null"
        numeric(lower, "low_nonfinite")
        numeric(upper, "high_nonfinite")
        numeric(y_true, "y_nonfinite")
    # keys under names of their own: a group column may be called 'n' or 'w'
    keys = [t[g].name(_key(i)) for i, g in enumerate(groups)]
    frame = aggregate(t, source, keys, metrics)
    if frame.empty:
        raise InputDataError(
            f"{source.label} has no rows.",
            file=_file(source),
            hint="Check the query or the export.",
        )
    if validate:
        _refuse_missing(frame, nulls, source)
        refuse_nonfinite(frame, finite, source)
        if weight:
            _refuse_weights(frame, weight, source)
    frame = _in_cell_order(frame, len(groups))
    n = tuple(int(v) for v in frame[_N])
    zeros = (0,) * len(n)
    return CellSums(
        attributes=tuple(groups),
        labels=tuple(_labels(frame[_key(i)]) for i in range(len(groups))),
        n=n,
        weight=tuple(exact_int(frame["w"])) if weight else tuple(v * UNIT for v in n),
        model_loss=tuple(_sums(frame, "model_loss", weight)),
        baseline_loss=tuple(_sums(frame, "baseline_loss", weight)) if baseline else zeros,
        covered=tuple(_sums(frame, "covered", weight, count=True)) if lower else zeros,
        weighted=weight is not None,
    )


def _sums(frame: pd.DataFrame, name: str, weight: str | None, *, count: bool = False) -> list[int]:
    """Exact sums of a column in integers of ``2**-52`` units (unweighted counts scaled up)."""
    if count and not weight:
        return [int(v) * UNIT for v in frame[name]]
    return exact_int(frame[name])


def _labels(series: pd.Series) -> tuple[str | None, ...]:
    """Group labels as the other areas write them (integral floats without '.0', true/false)."""
    from auditkit._io import _as_text

    text = _as_text(series)
    missing = text.isna().tolist()
    return tuple(None if gone else str(v) for v, gone in zip(text.tolist(), missing, strict=True))


def _key(i: int) -> str:
    return f"__auditkit_group{i}"


def _in_cell_order(frame: pd.DataFrame, n_groups: int) -> pd.DataFrame:
    """Rows in one order whatever order the engine returned them in (labels, missing last)."""
    if frame.empty or not n_groups:
        return frame.reset_index(drop=True)
    keys = [[(v is None, v or "") for v in _labels(frame[_key(i)])] for i in range(n_groups)]
    order = sorted(range(len(frame)), key=lambda i: tuple(k[i] for k in keys))
    return frame.iloc[order].reset_index(drop=True)


def _calibration_bins(
    t: ir.Table,
    source: Source,
    y_true: str,
    y_score: str,
    weight: str | None,
    positive_label: Any,
    validate: bool,
) -> CalibrationBins:
    """One ``GROUP BY`` of score bin, fine bin and outcome label."""
    import ibis
    import pandas as pd

    from auditkit._area import binary_column

    score = t[y_score].cast("float64")
    score = (score.isnan() | score.isinf()).ifelse(0.0, score)  # counted below, then refused
    keys = {
        _COARSE: ibis.least((score * BINS).floor().cast("int64"), BINS - 1),
        _FINE: ibis.least((score * (BINS * FINE)).floor().cast("int64"), BINS * FINE - 1),
        _LABEL: t[y_true],
    }
    t = t.mutate(**keys)
    s = t[y_score].cast("float64")
    w = _weight(t, weight)
    metrics: dict[str, Any] = {
        _N: t.count(),
        "ws": _weighted_sum(s, w),
        "ws2": _weighted_sum(s * s, w),
        "s_null": count_where(s.isnull()),
        "s_nonfinite": nonfinite(s),
        "outside": count_where((s < 0) | (s > 1)),
    }
    if w is not None:
        metrics["w"] = exact_sum(w)
        metrics["w2"] = exact_sum(w * w)
        metrics["w_null"] = count_where(w.isnull())
        metrics["w_nonfinite"] = nonfinite(w)
        metrics["w_negative"] = count_where(w < 0)
    frame = aggregate(t, source, list(keys), metrics)
    if frame.empty:
        raise InputDataError(
            f"{source.label} has no rows.",
            file=_file(source),
            hint="Check the query or the export.",
        )
    if validate:
        nulls = {y_score: "s_null", **({str(weight): "w_null"} if weight else {})}
        frame["y_null"] = frame[_LABEL].isna().astype(int) * frame[_N]
        _refuse_missing(frame, {y_true: "y_null", **nulls}, source)
        finite = {y_score: "s_nonfinite", **({str(weight): "w_nonfinite"} if weight else {})}
        refuse_nonfinite(frame, finite, source)
        outside = int(frame["outside"].sum())
        if outside:
            raise InputDataError(
                f"column '{y_score}' (data.y_score) must hold probabilities from 0 to 1; "
                f"{outside} values are outside in {source.label}.",
                file=_file(source),
                hint="Give the model's probability of the positive class, not a score or a label.",
            )
        if weight:
            _refuse_weights(frame, weight, source)
    # outcome labels as 0/1, checked as the frame path checks them (two classes, positive label)
    uniques = pd.Series(pd.unique(frame[_LABEL]), dtype=frame[_LABEL].dtype)
    positive = binary_column(uniques, y_true, positive_label, source.label)
    is_positive = dict(zip(uniques.tolist(), np.asarray(positive).tolist(), strict=True))
    frame = frame.sort_values([_COARSE, _FINE], kind="stable").reset_index(drop=True)
    n = [int(v) for v in frame[_N]]
    ws = exact_int(frame["ws"])
    ws2 = exact_int(frame["ws2"])
    wt = exact_int(frame["w"]) if weight else [v * UNIT for v in n]
    w2 = exact_int(frame["w2"]) if weight else list(wt)
    # merge the two labels of each fine bin
    merged: dict[tuple[int, int], list[int]] = {}
    for i, (c, f) in enumerate(zip(frame[_COARSE].tolist(), frame[_FINE].tolist(), strict=True)):
        positive_row = bool(is_positive[frame[_LABEL].iloc[i]])
        wy = wt[i] if positive_row else 0
        # sum of w (s - y)^2 = sum w s^2 - 2 sum w s y + sum w y
        wse = ws2[i] - 2 * ws[i] + wt[i] if positive_row else ws2[i]
        sums = merged.setdefault((int(c), int(f)), [0] * 6)
        for k, v in enumerate((n[i], wt[i], ws[i], wy, wse, w2[i])):
            sums[k] += v
    order = sorted(merged)
    column = list(zip(*(merged[key] for key in order), strict=True))
    return CalibrationBins(
        bin=tuple(c for c, _ in order),
        n=tuple(column[0]),
        weight=tuple(column[1]),
        weight_score=tuple(column[2]),
        weight_positive=tuple(column[3]),
        weight_squared_error=tuple(column[4]),
        weight_squared=tuple(column[5]),
    )
