"""The predictions as a pandas frame, for the areas not yet aggregated where the data lives."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from auditkit._errors import InputDataError
from auditkit.engine._source import ROW_COLUMN, Source, close, engine_errors, open_table
from auditkit.engine._statistics import require_columns

if TYPE_CHECKING:
    import pandas as pd

    from auditkit._config import AuditConfig
    from auditkit.review._context import InputRecord

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
) -> tuple[pd.DataFrame, InputRecord]:
    """The configured predictions through the engine, and their record for findings.json."""
    from auditkit.review._context import InputRecord

    source = Source.from_config(config)
    frame = read_predictions(source, columns=columns, text_columns=text_columns)
    record = InputRecord(
        role="predictions", path=source.label, sha256=source.fingerprint(), rows=len(frame)
    )
    return frame, record
