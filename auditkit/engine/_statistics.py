"""Exact sums where the data lives, and a frame as an engine table.

An engine that aggregates on several threads adds floating-point numbers in whatever order its
threads finish, so a ``SUM`` of doubles can differ in the last bits from one run to the next.
The sums here are exact instead: every value is cast to a fixed-point decimal with ``SCALE``
digits after the point (DuckDB, PostgreSQL and Spark add decimals as 128-bit integers), so the
result does not depend on the order of the rows or on the number of threads, and
``findings.json`` stays the same byte for byte. Each value is rounded once, to ``10**-SCALE``.

A frame already in memory goes through the same expressions (:func:`frame_table`: the frame
registered in an embedded DuckDB), so that a plain file and a table aggregated in place give the
same statistics from the same code.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from auditkit.engine._source import Source, engine_errors

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

__all__ = ["SCALE", "aggregate", "count_where", "exact_int", "exact_sum", "frame_table"]

SCALE = 12  # digits after the point: values up to 10**26 fit the 38 digits of a decimal
_CONTEXT = decimal.Context(prec=80)  # sums of 38-digit decimals, without rounding


def exact_sum(value: ir.NumericValue) -> ir.NumericScalar:
    """``SUM(value)`` as a fixed-point decimal: the same result in any row order."""
    import ibis.expr.datatypes as dt

    result: ir.NumericScalar = value.cast("float64").cast(dt.Decimal(38, SCALE)).sum()
    return result


def count_where(condition: ir.BooleanValue) -> ir.IntegerScalar:
    """Rows where ``condition`` holds (a CASE: PostgreSQL casts no boolean to a number)."""
    result: ir.IntegerScalar = condition.ifelse(1, 0).sum()
    return result


def exact_int(values: Any) -> list[int]:
    """Engine sums (decimals, integers or missing for no rows) as integers of ``10**-SCALE``."""
    out = []
    for value in values:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            out.append(0)
        elif isinstance(value, (int, np.integer)):  # an integer SUM (counts): exact already
            out.append(int(value) * 10**SCALE)
        else:
            scaled = _CONTEXT.scaleb(decimal.Decimal(value), SCALE)
            out.append(int(_CONTEXT.to_integral_value(scaled)))
    return out


def as_float(scaled: int | npt.NDArray[np.object_]) -> Any:
    """Integers of ``10**-SCALE`` (one or an object array of them) as floats, rounded once."""
    if isinstance(scaled, int):
        return scaled / 10**SCALE
    return np.asarray([int(v) / 10**SCALE for v in scaled], dtype=np.float64)


def aggregate(
    table: ir.Table,
    source: Source,
    keys: Sequence[str | ir.Value],
    metrics: Mapping[str, ir.Scalar],
) -> pd.DataFrame:
    """``table GROUP BY keys`` with ``metrics``, run by the engine; only that table comes back."""
    with engine_errors(source, "aggregating the predictions"):
        if keys:
            expression = table.group_by(list(keys)).aggregate(**metrics)
        else:
            expression = table.aggregate(**metrics)
        result: pd.DataFrame = expression.to_pandas()
    return result


def frame_table(
    frame: pd.DataFrame, columns: Sequence[str], text_columns: Sequence[str] = ()
) -> ir.Table:
    """``columns`` of an in-memory frame as a table of an embedded DuckDB.

    Text columns (categories included) go in as text, missing as NULL, so that grouping by them
    gives the labels the engine gives a file.
    """
    import ibis
    import pandas as pd

    from auditkit._io import _as_text

    selected = pd.DataFrame(index=range(len(frame)))
    for column in dict.fromkeys(columns):
        series = frame[column].reset_index(drop=True)
        if column in text_columns:
            text = _as_text(series)
            series = pd.Series(text.astype(object).where(text.notna(), None), dtype=object)
        elif isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        selected[column] = series
    con = ibis.duckdb.connect()
    table: ir.Table = con.create_table("auditkit_frame", obj=selected, temp=True)
    return table
