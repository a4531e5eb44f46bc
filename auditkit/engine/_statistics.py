"""Aggregates where the data lives, and a frame in memory as an engine table.

:func:`fetch` runs an expression in its engine and brings its (small) result back as Arrow;
:func:`aggregate` runs one ``GROUP BY`` in the engine and brings back only its small result;
:func:`frame_table` registers a frame already in memory in an embedded DuckDB, so that a plain file
and a table aggregated in place give the same statistics from the same expressions. Sums of
decimals are exact (:mod:`auditkit.engine._exact`): the same in any row order, on any number of
threads and in every engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from auditkit.engine._source import Source, engine_errors

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd
    import pyarrow as pa

__all__ = ["aggregate", "count_where", "fetch", "frame_table"]


def count_where(condition: ir.BooleanValue) -> ir.IntegerScalar:
    """Rows where ``condition`` holds (a CASE: PostgreSQL casts no boolean to a number)."""
    result: ir.IntegerScalar = condition.ifelse(1, 0).sum()
    return result


def fetch(
    expression: ir.Table, source: Source, what: str = "aggregating the predictions"
) -> pa.Table:
    """The result of ``expression``, run by its engine, as an Arrow table.

    The embedded DuckDB's result is taken as DuckDB gives it (Ibis' own conversion of a DuckDB
    result imports pandas); other engines' through Ibis. Engine errors are exit-2 messages
    naming the source and ``what`` was being done.
    """
    with engine_errors(source, what):
        backend = expression.get_backend()
        if getattr(backend, "name", "") == "duckdb":
            result: pa.Table = backend.raw_sql(backend.compile(expression)).to_arrow_table()
        else:
            result = expression.to_pyarrow()
    return result


def aggregate(
    table: ir.Table,
    source: Source,
    keys: Sequence[str | ir.Value],
    metrics: Mapping[str, ir.Scalar],
) -> pd.DataFrame:
    """``table GROUP BY keys`` with ``metrics``, run by the engine; only that table comes back.

    Read through :func:`fetch`; integer columns with missing values stay integers (objects),
    as Ibis' own conversion keeps them.
    """
    with engine_errors(source, "aggregating the predictions"):
        if keys:
            expression = table.group_by(list(keys)).aggregate(**metrics)
        else:
            expression = table.aggregate(**metrics)
    result: pd.DataFrame = fetch(expression, source).to_pandas(integer_object_nulls=True)
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
