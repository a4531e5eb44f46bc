"""Column profiles computed where the data lives: counts and a bounded sample of distinct values.

What the personal-data scan and the data checks need from a table of any size, without holding
its rows: per column the number of rows, of rows with a value (text: not blank), the number of
distinct values, and at most ``limit`` distinct values with their row counts. When a column
has more distinct values than that, the sample is the ``limit`` values with the smallest hash of
their text (a *bottom-k* sample: uniform over the distinct values, the same every run on the
same data, and an estimate of the number of distinct values from the k-th smallest hash);
before grouping, rows whose hash is clearly above the cut are filtered out, so the engine never
groups every distinct value of an identifier column of 10^8 rows.

Also the few aggregates of the timestamp columns the leakage and freshness checks read
(:func:`time_aggregates`): the first and last day, the values that are not dates, and the rows
whose features were computed after their prediction.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auditkit._errors import InputDataError
from auditkit.engine._source import ROW_COLUMN, Source, engine_errors, require_columns

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import numpy as np
    import numpy.typing as npt
    import pyarrow as pa

__all__ = ["ColumnProfile", "TimeAggregates", "profile_columns", "time_aggregates"]

# Distinct values sampled per column (the scan's ``MAX_VALUES``).
LIMIT = 20_000
_HASH_SPACE = 1 << 30
_VALUE = "__auditkit_value"
_COUNT = "__auditkit_count"
_HASH = "__auditkit_hash"


@dataclass(frozen=True)
class ColumnProfile:
    """One column of a table, as counts and a bounded sample of its distinct values.

    Attributes
    ----------
    name : str
        The column.
    rows : int
        Rows of the table.
    nonnull : int
        Rows with a value (for text columns: not blank).
    distinct : int
        Distinct values among them: exact when ``complete``, else the bottom-k estimate.
    values : pyarrow.Array
        Distinct values (not blank) in the column's own type, sorted by the hash of their text
        (at most the ``limit`` of :func:`profile_columns`).
    counts : numpy.ndarray
        Rows holding each value (exact).
    complete : bool
        ``values`` holds every distinct value of the column.
    """

    name: str
    rows: int
    nonnull: int
    distinct: int
    values: pa.Array
    counts: npt.NDArray[np.int64]
    complete: bool


def _hash(column: ir.Column) -> ir.IntegerValue:
    """A hash in ``[0, 2**30)`` of the value's text, computed by the engine."""
    value: ir.IntegerValue = column.cast("string").hash()
    return (value % _HASH_SPACE + _HASH_SPACE) % _HASH_SPACE


def profile_columns(
    table: ir.Table,
    source: Source,
    *,
    columns: Sequence[str] | None = None,
    limit: int = LIMIT,
) -> list[ColumnProfile]:
    """Profile ``columns`` (default every column, in table order) of ``table`` in its engine.

    Parameters
    ----------
    table : ibis Table
        The rows (see :func:`auditkit.engine.open_table`); nothing comes back but aggregates.
    source : Source
        Named in error messages.
    columns : sequence of str, optional
        The columns to profile.
    limit : int
        Most distinct values returned per column.

    Returns
    -------
    list of ColumnProfile
        One per column, in order.

    Raises
    ------
    InputDataError
        A column is missing, or the engine fails (naming the source).
    """
    if columns is None:
        names = [c for c in table.columns if c != ROW_COLUMN]
    else:
        names = list(dict.fromkeys(columns))
        require_columns(table, names, source)
    with engine_errors(source, "profiling the predictions"):
        totals: dict[str, Any] = {"__auditkit_rows": table.count()}
        for i, name in enumerate(names):
            totals[f"n{i}"] = table[name].count()
            if not table[name].type().is_string():  # cheap on numbers and dates
                totals[f"d{i}"] = table[name].approx_nunique()
        counted = table.aggregate(**totals).to_pyarrow().to_pylist()[0]
    rows = int(counted["__auditkit_rows"] or 0)
    if rows == 0:
        raise InputDataError(
            f"{source.label} has no rows.",
            file=source.files[0] if len(source.files) == 1 else None,
            hint="Check the query or the export.",
        )
    profiles = []
    for i, name in enumerate(names):
        with engine_errors(source, f"profiling column '{name}'"):
            profiles.append(_profile_column(table, name, rows, int(counted[f"n{i}"] or 0), limit))
    return profiles


def _bottom(table: ir.Table, name: str, limit: int, fraction: float | None) -> pa.Table:
    """The ``limit + 1`` values of smallest hash (among those below ``fraction`` of the space)."""
    column = table[name]
    kept = table.filter(column.notnull())
    if fraction is not None:
        kept = kept.filter(_hash(kept[name]) < max(1, math.ceil(_HASH_SPACE * fraction)))
    grouped = kept.group_by(**{_VALUE: kept[name]}).aggregate(**{_COUNT: kept.count()})
    grouped = grouped.mutate(**{_HASH: _hash(grouped[_VALUE])})
    ordered = grouped.order_by([_HASH, grouped[_VALUE].cast("string")]).limit(limit + 1)
    result: pa.Table = ordered.to_pyarrow()
    return result


def _profile_column(
    table: ir.Table, name: str, rows: int, nonnull: int, limit: int, *, few: bool = False
) -> ColumnProfile:
    """One column: the bottom-``limit`` sample, grouping as few distinct values as it can.

    A first pass keeps the values whose hash is below the share of the hash space that would
    leave about ``4 * limit`` values if every non-null row held its own value; too few found,
    the share is widened from the number found (or every value is grouped when few exist).
    ``few``: the engine estimates at most ``limit`` distinct values; group them all at once.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    fraction: float | None = 4.0 * limit / nonnull if nonnull > 2 * limit and not few else None
    while True:
        result = _bottom(table, name, limit, fraction)
        if fraction is None or result.num_rows > limit:
            break
        found = result.num_rows
        # distinct values estimated from those found below the cut; few found: group them all
        wider = 4.0 * limit / (found / fraction) if found else 1.0
        fraction = None if wider >= 0.5 or found == 0 else max(wider, 2 * fraction)
    complete = result.num_rows <= limit
    result = result.slice(0, limit)
    values = result.column(_VALUE).combine_chunks()
    counts = np.asarray(result.column(_COUNT).to_numpy(), dtype=np.int64)
    text = bool(table[name].type().is_string())
    if text and len(values):  # blank text is no value (as in the frame scan)
        keep = pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(values)), 0)
        keep_np = np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool)
        values, counts = values.filter(pa.array(keep_np)), counts[keep_np]
    if complete:
        nonnull, distinct = int(counts.sum()), len(values)
    else:
        if text:
            blank = table[name].re_search(r"^\s*$").ifelse(1, 0).sum()
            nonnull -= int(blank.to_pyarrow().as_py() or 0)
        # the bottom-k estimate: k values in the share of the hash space below the k-th hash
        kth = int(result.column(_HASH)[limit - 1].as_py()) + 1
        distinct = max(limit, round((limit - 1) * _HASH_SPACE / kth))
    return ColumnProfile(
        name=name,
        rows=rows,
        nonnull=nonnull,
        distinct=distinct,
        values=values,
        counts=counts,
        complete=complete,
    )


@dataclass(frozen=True)
class TimeAggregates:
    """What the leakage and freshness checks need from the timestamp columns of the predictions.

    Attributes
    ----------
    rows : int
        Rows of the table.
    first_day, last_day : datetime.date or None
        Earliest and latest prediction day (``None`` without prediction time or dates).
    later : int or None
        Rows whose feature time is after their prediction time (``None`` without feature time).
    """

    rows: int
    first_day: dt.date | None
    last_day: dt.date | None
    later: int | None


def _timestamps(column: ir.Column) -> tuple[ir.TimestampValue, ir.BooleanValue | None]:
    """The column as UTC timestamps without a zone, and where a written value is not a date.

    Dates and timestamps are used as they are (a zoned one in UTC); text is read by the engine
    (ISO 8601: ``2024-03-15``, ``2024-03-15 10:30``, with or without an offset).
    """
    kind = column.type()
    if kind.is_date():
        stamps: ir.TimestampValue = column.cast("timestamp")
        return stamps, None
    if kind.is_timestamp():
        if kind.timezone is not None:
            return column.cast(kind.copy(timezone="UTC")).cast("timestamp"), None
        return column, None
    text = column.cast("string")
    zoned = text.try_cast("timestamp('UTC')").cast("timestamp")
    bad = text.notnull() & (text.strip().length() > 0) & zoned.isnull()
    return zoned, bad


def time_aggregates(
    table: ir.Table,
    source: Source,
    *,
    prediction_time: str | None,
    feature_time: str | None,
) -> TimeAggregates:
    """First and last prediction day and the rows with features from after the prediction.

    Raises
    ------
    InputDataError
        A column holds values that are not dates (the count is given, never a value), or the
        engine fails (naming the source).
    """
    wanted = [c for c in (prediction_time, feature_time) if c]
    require_columns(table, wanted, source)
    metrics: dict[str, Any] = {"rows": table.count()}
    stamps = {}
    with engine_errors(source, "aggregating the prediction and feature times"):
        for name in wanted:
            values, bad = _timestamps(table[name])
            stamps[name] = values
            if bad is not None:
                metrics[f"bad:{name}"] = bad.ifelse(1, 0).sum()
        if prediction_time is not None:
            metrics["first"] = stamps[prediction_time].min()
            metrics["last"] = stamps[prediction_time].max()
        if feature_time is not None:
            made = stamps[prediction_time or feature_time]
            metrics["later"] = (stamps[feature_time] > made).ifelse(1, 0).sum()
        result = table.aggregate(**metrics).to_pyarrow().to_pylist()[0]
    for name in wanted:
        bad_count = int(result.get(f"bad:{name}") or 0)
        if bad_count:
            raise InputDataError(
                f"column '{name}' must hold dates or timestamps (e.g. 2024-03-15); {bad_count} "
                "value(s) could not be read.",
                file=source.files[0] if len(source.files) == 1 else None,
                hint="Write dates as YYYY-MM-DD (or convert them in data.query).",
            )

    def day(value: Any) -> dt.date | None:
        if value is None:
            return None
        return value.date() if isinstance(value, dt.datetime) else value

    return TimeAggregates(
        rows=int(result["rows"] or 0),
        first_day=day(result.get("first")),
        last_day=day(result.get("last")),
        later=None if feature_time is None else int(result["later"] or 0),
    )
