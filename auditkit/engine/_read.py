"""The predictions as a pandas frame, for the areas not yet aggregated where the data lives."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from auditkit._errors import InputDataError
from auditkit.engine._source import (
    ROW_COLUMN,
    Source,
    close,
    engine_errors,
    open_table,
    require_columns,
)

if TYPE_CHECKING:
    import pandas as pd

    from auditkit._config import AuditConfig

__all__ = ["read_configured", "read_predictions"]


def read_predictions(
    source: Source, *, columns: Sequence[str] | None = None, text_columns: Sequence[str] = ()
) -> pd.DataFrame:
    """``columns`` (default all) of the source, in its row order; text columns as labels."""
    from auditkit._io import _as_text

    table = open_table(source, text_columns=text_columns)
    try:
        selected = table.drop(ROW_COLUMN) if ROW_COLUMN in table.columns else table
        if columns is not None:
            require_columns(table, columns, source)
            selected = table.select(*dict.fromkeys(columns))
        with engine_errors(source):
            frame: pd.DataFrame = selected.to_pandas()
    finally:
        close(table)
    if frame.empty:
        raise InputDataError(f"{source.label} has no rows.", hint="Check the query or the export.")
    for column in dict.fromkeys(text_columns):
        if column in frame.columns:
            frame[column] = _as_text(frame[column]).astype("category")
    return frame


def read_configured(
    config: AuditConfig, *, columns: Sequence[str] | None = None, text_columns: Sequence[str] = ()
) -> tuple[pd.DataFrame, Source]:
    """The configured predictions through the engine, and the source they came from.

    The source's ``label`` and ``fingerprint()`` are what the review records as its input.
    """
    source = Source.from_config(config)
    frame = read_predictions(source, columns=columns, text_columns=text_columns)
    return frame, source
