"""A deterministic sample of rows, drawn where the data lives.

Explanations need a few thousand rows, never the whole table: the engine keeps the ``max_rows``
rows with the smallest hash of their row number (or of a key column), with only the columns asked
for. The hash is the bootstrap blocks' mixer (:mod:`auditkit.engine._blocks`), seeded, so the
same rows come back on every run and from every engine; with a key, whatever order the rows are
stored in. Rows of a second table are then fetched by the same row numbers or keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auditkit._errors import InputDataError
from auditkit.engine._blocks import block_expression, check_row_key, key_hash_expression
from auditkit.engine._source import (
    ROW_COLUMN,
    Source,
    close,
    engine_errors,
    open_table,
    require_columns,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

__all__ = ["ROW_COLUMN", "Sample", "columns_of", "rows_by_key", "rows_by_number", "sample_rows"]

_RANK = "__auditkit_rank"
_HASHES = 2**32  # the mixer's range: every row gets its own rank (ties broken by row number)


@dataclass(frozen=True)
class Sample:
    """Sampled rows in their table order (``ROW_COLUMN`` holds each row's number) and the rows
    the table has in all."""

    frame: pd.DataFrame
    n_rows: int


def _numbered(table: ir.Table, columns: Sequence[str]) -> ir.Table:
    import ibis

    if ROW_COLUMN in table.columns:  # parquet parts: file offset + file row number
        return table.select(*dict.fromkeys([*columns, ROW_COLUMN]))
    selected = table.select(*dict.fromkeys(columns))
    return selected.mutate(**{ROW_COLUMN: ibis.row_number().cast("int64")})


def _as_labels(frame: pd.DataFrame, text_columns: Sequence[str]) -> pd.DataFrame:
    from auditkit._io import _as_text

    for column in dict.fromkeys(text_columns):
        if column in frame.columns:
            frame[column] = _as_text(frame[column]).astype("category")
    return frame


def columns_of(source: Source) -> list[str]:
    """The source's column names (nothing is read)."""
    table = open_table(source)
    try:
        return [c for c in table.columns if c != ROW_COLUMN]
    finally:
        close(table)


def sample_rows(
    source: Source,
    *,
    columns: Sequence[str],
    max_rows: int,
    seed: int,
    key: str | None = None,
    text_columns: Sequence[str] = (),
) -> Sample:
    """At most ``max_rows`` rows of ``columns``, the same ones every run.

    Parameters
    ----------
    source : Source
        Where the rows live.
    columns : sequence of str
        The columns to bring back (they must exist).
    max_rows : int
        How many rows at most.
    seed : int
        Moves the sample (the same seed, the same rows).
    key : str, optional
        Sample by a hash of this column (integer or text) instead of the row number: the same
        rows whatever order the table is stored in.
    text_columns : sequence of str
        Columns read as labels (groups).
    """
    table = open_table(source, text_columns=text_columns)
    try:
        wanted = [*columns, *((key,) if key else ())]
        with engine_errors(source, "sampling rows"):
            require_columns(table, wanted, source)
            if key is not None:
                check_row_key(table, key, source)
            numbered = _numbered(table, wanted)
            hashed = key_hash_expression(numbered[key]) if key else numbered[ROW_COLUMN]
            ranked = numbered.mutate(**{_RANK: block_expression(hashed, _HASHES, seed)})
            picked = ranked.order_by([_RANK, ROW_COLUMN]).limit(max_rows).drop(_RANK)
            frame: pd.DataFrame = picked.order_by(ROW_COLUMN).to_pandas()
            n_rows = int(table.count().to_pandas())
    finally:
        close(table)
    if n_rows == 0:
        raise InputDataError(
            f"{source.label} has no rows.",
            file=source.files[0] if len(source.files) == 1 else None,
            hint="Check the query or the export.",
        )
    return Sample(frame=_as_labels(frame.reset_index(drop=True), text_columns), n_rows=n_rows)


def rows_by_number(
    source: Source,
    *,
    columns: Sequence[str],
    rows: Sequence[int],
    text_columns: Sequence[str] = (),
) -> Sample:
    """The rows numbered ``rows`` (from 0, in table order), returned in that order."""
    table = open_table(source, text_columns=text_columns)
    try:
        with engine_errors(source, "reading the sampled rows"):
            require_columns(table, columns, source)
            numbered = _numbered(table, columns)
            wanted = [int(r) for r in rows]
            picked = numbered.filter(numbered[ROW_COLUMN].isin(wanted))
            frame: pd.DataFrame = picked.order_by(ROW_COLUMN).to_pandas()
            n_rows = int(table.count().to_pandas())
    finally:
        close(table)
    position = {row: i for i, row in enumerate(wanted)}
    frame = frame.iloc[frame[ROW_COLUMN].map(position).argsort(kind="stable")]
    return Sample(frame=_as_labels(frame.reset_index(drop=True), text_columns), n_rows=n_rows)


def rows_by_key(
    source: Source,
    *,
    columns: Sequence[str],
    key: str,
    values: Sequence[Any],
    text_columns: Sequence[str] = (),
) -> Sample:
    """The rows whose ``key`` is one of ``values`` (in table order)."""
    table = open_table(source, text_columns=text_columns)
    try:
        wanted = [*columns, key]
        with engine_errors(source, "reading the sampled rows"):
            require_columns(table, wanted, source)
            numbered = _numbered(table, wanted)
            listed = list(dict.fromkeys(values))
            picked = numbered.filter(numbered[key].isin(listed))
            frame: pd.DataFrame = picked.order_by(ROW_COLUMN).to_pandas()
            n_rows = int(table.count().to_pandas())
    finally:
        close(table)
    return Sample(frame=_as_labels(frame.reset_index(drop=True), text_columns), n_rows=n_rows)
