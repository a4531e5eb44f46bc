"""One engine layer for reading and aggregating the predictions where they live.

Files and globs (CSV, Parquet) and SQL over them run in an embedded DuckDB; PostgreSQL and Spark
tables are aggregated in place, through Ibis. Only per-cell (and per-bootstrap-block) sufficient
statistics come back; the fairness core computes everything else from them.
"""

from __future__ import annotations

from auditkit.engine._blocks import block_expression, block_of_rows
from auditkit.engine._read import read_configured, read_predictions
from auditkit.engine._source import Source, engine_errors, open_table, uses_engine

__all__ = [
    "Source",
    "block_expression",
    "block_of_rows",
    "engine_errors",
    "open_table",
    "read_configured",
    "read_predictions",
    "uses_engine",
]
