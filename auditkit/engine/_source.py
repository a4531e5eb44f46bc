"""Where the predictions live, and an Ibis table over them.

Files and globs (CSV, Parquet) and SQL over files are read by an embedded DuckDB; a
``postgresql://`` connection or ``spark`` reads in place. Secrets come from the environment
(``${VAR}`` in the connection string, or libpq's ``PGPASSWORD``), never from audit.yaml.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from auditkit._errors import ConfigError, InputDataError

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from auditkit._config import AuditConfig

__all__ = ["Source", "close", "engine_errors", "open_table", "require_columns", "uses_engine"]

# pandas' default missing-value markers, so that a CSV read by DuckDB has the same missing cells
NULL_MARKERS = (
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
)  # fmt: skip
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_GLOB = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class Source:
    """The predictions as configured: files, a query or a table, and where they live."""

    kind: Literal["files", "query", "table"]
    label: str  # how messages name it
    base_dir: Path
    files: tuple[Path, ...] = ()
    query: str | None = None
    table: str | None = None
    connection: str | None = None  # None: embedded DuckDB

    @classmethod
    def from_config(cls, config: AuditConfig) -> Source:
        """The source of ``config.data`` (files are expanded and checked here)."""
        data = config.data
        common: dict[str, Any] = {
            "label": data.source,
            "base_dir": config.base_dir,
            "connection": data.connection,
        }
        if data.query is not None:
            return cls(kind="query", query=data.query, **common)
        if data.table is not None:
            return cls(kind="table", table=data.table, **common)
        assert data.predictions is not None
        return cls(kind="files", files=expand_files(config.resolve(data.predictions)), **common)

    def fingerprint(self) -> str:
        """sha256 of the files (of their digests, for several), else of the query or table."""
        import hashlib

        from auditkit._io import file_sha256

        if len(self.files) == 1:
            return file_sha256(self.files[0])
        digest = hashlib.sha256()
        if self.files:
            for file in self.files:
                digest.update(file_sha256(file).encode())
        else:
            digest.update(f"{self.connection or ''}\n{self.query or self.table}".encode())
        return digest.hexdigest()

    @property
    def embedded(self) -> bool:
        return self.connection is None


def uses_engine(config: AuditConfig) -> bool:
    """Whether the predictions go through the engine (not one plain file read by pandas).

    A row key (``data.row_key``) is hashed by the engine, so a plain file with one goes too.
    """
    data = config.data
    return (
        data.predictions is None
        or data.connection is not None
        or data.row_key is not None
        or not is_plain_file(data.predictions)
    )


def is_plain_file(path: Path) -> bool:
    """One file named without a pattern (read by pandas; a pattern goes to the engine)."""
    return not _GLOB.search(path.as_posix())


def expand_files(path: Path) -> tuple[Path, ...]:
    """The file, or the sorted files of a glob; all CSV or all Parquet."""
    if _GLOB.search(path.as_posix()):
        files = tuple(Path(p) for p in sorted(glob.glob(path.as_posix(), recursive=True)))
        if not files:
            raise InputDataError(
                "no file matches the predictions pattern.",
                file=path,
                hint="Check data.predictions in audit.yaml (relative to audit.yaml).",
            )
    else:
        files = (path,)
    kinds = {_file_kind(f) for f in files}
    if len(kinds) > 1:
        raise InputDataError(
            "the predictions pattern matches both CSV and Parquet files.",
            file=path,
            hint="Point data.predictions at one format.",
        )
    for file in files:
        if not file.is_file():
            raise InputDataError(
                "the predictions file does not exist.",
                file=file,
                hint="Check data.predictions in audit.yaml (relative to audit.yaml).",
            )
    return files


def _file_kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".csv", ".csv.gz")):
        return "csv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    raise InputDataError(
        f"the predictions file must be .csv, .csv.gz or .parquet; found '{path.suffix}'.",
        file=path,
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def expand_connection(connection: str) -> str:
    """``${VAR}`` replaced from the environment; a password written in the file is refused."""
    parts = urlsplit(connection)
    if parts.password is not None and not _VARIABLE.fullmatch(parts.password):
        raise ConfigError(
            "'data.connection' holds a password: audit.yaml is shared and published with the "
            "review. Remove it and set PGPASSWORD in the environment, or write ${PGPASSWORD}."
        )

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ConfigError(
                f"'data.connection' uses ${{{name}}}, but the environment variable {name} is not "
                "set. Set it before running the review."
            )
        return os.environ[name]

    return _VARIABLE.sub(value, connection)


@contextmanager
def engine_errors(source: Source, what: str = "reading the predictions") -> Iterator[None]:
    """Errors of the engine (SQL, connection, types) as exit-2 messages naming the source."""
    try:
        yield
    except (InputDataError, ConfigError):
        raise
    except (MemoryError, RecursionError, KeyboardInterrupt):
        raise
    except Exception as err:  # each engine raises its own types
        text = " ".join(str(err).split())[:400]
        raise InputDataError(
            f"the engine failed while {what} from {source.label}: {type(err).__name__}: {text}",
            file=source.files[0] if len(source.files) == 1 else None,
            hint="Check data.query / data.table / data.connection in audit.yaml; the query "
            "runs as written where the data lives.",
        ) from err


def _connect(source: Source) -> Any:
    import ibis

    if source.connection is None:
        con = ibis.duckdb.connect()
        # relative paths in SQL (FROM 'compas.csv') are relative to audit.yaml
        con.raw_sql(f"SET file_search_path = {_quote(source.base_dir.as_posix())}")
        return con
    if source.connection == "spark":
        try:
            from pyspark.sql import SparkSession
        except ImportError as err:
            raise ConfigError(
                "'data.connection: spark' needs PySpark: pip install 'auditkit[spark]' "
                "(and Java 17)."
            ) from err
        builder = SparkSession.builder.appName("auditkit")
        session = (
            SparkSession.getActiveSession()
            or builder.master(os.environ.get("SPARK_MASTER", "local[2]")).getOrCreate()
        )
        return ibis.pyspark.connect(session)
    scheme = urlsplit(source.connection).scheme
    if scheme not in ("postgres", "postgresql"):
        raise ConfigError(
            f"'data.connection' must be postgresql://user@host/database or spark; found "
            f"scheme '{scheme or source.connection}'."
        )
    return ibis.connect(
        expand_connection(source.connection).replace("postgresql://", "postgres://", 1)
    )


def close(table: ir.Table) -> None:
    """Disconnect the table's backend (a Spark session is left running for its owner)."""
    try:
        backend = table.get_backend()
    except Exception:  # an expression without a backend holds no connection
        return
    if getattr(backend, "name", "") != "pyspark":
        backend.disconnect()


def _files_sql(files: Sequence[Path], text_columns: Sequence[str]) -> str:
    listed = "[" + ", ".join(_quote(f.as_posix()) for f in files) + "]"
    if _file_kind(files[0]) == "parquet":
        return f"SELECT * FROM read_parquet({listed})"
    nulls = "[" + ", ".join(_quote(m) for m in NULL_MARKERS) + "]"
    # group labels exactly as written; pandas' missing markers
    types = ", ".join(f"{_quote(c)}: 'VARCHAR'" for c in text_columns)
    typed = f", types = {{{types}}}" if types else ""
    return f"SELECT * FROM read_csv({listed}, header = true, nullstr = {nulls}{typed})"


ROW_COLUMN = "__auditkit_row"


def _numbered_parquet_sql(con: Any, files: Sequence[Path], columns: Sequence[str]) -> str | None:
    """Parquet parts with their global row number, without a window over every row.

    Row ``i`` of part ``k`` is ``rows before part k + i`` (the parts in sorted order, as pandas
    concatenates them): DuckDB reads the parts in parallel and no row waits for the others. The
    parts' row counts come from their footers (DuckDB's ``parquet_file_metadata``). ``None`` when
    a column of the files has the name of DuckDB's file columns.
    """
    if {"filename", "file_row_number", ROW_COLUMN} & set(columns):
        return None
    listed = "[" + ", ".join(_quote(f.as_posix()) for f in files) + "]"
    offset = "0"
    if len(files) > 1:
        counted = con.raw_sql(
            f"SELECT file_name, num_rows FROM parquet_file_metadata({listed})"
        ).fetchall()
        rows = {str(name): int(n) for name, n in counted}
        offsets, total = [], 0
        for file in files:
            offsets.append(f"WHEN {_quote(file.as_posix())} THEN {total}")
            total += rows[file.as_posix()]
        offset = f"(CASE filename {' '.join(offsets)} END)"
    return (
        f"SELECT * EXCLUDE (filename, file_row_number), "
        f"CAST({offset} + file_row_number AS BIGINT) AS {ROW_COLUMN} "
        f"FROM read_parquet({listed}, filename = true, file_row_number = true)"
    )


def open_table(source: Source, *, text_columns: Sequence[str] = ()) -> ir.Table:
    """An Ibis table over the source (nothing is read yet)."""
    with engine_errors(source, "connecting"):
        con = _connect(source)
    try:
        with engine_errors(source, "opening the predictions"):
            return _table(con, source, text_columns)
    except BaseException:
        if source.connection != "spark":
            con.disconnect()
        raise


def _table(con: Any, source: Source, text_columns: Sequence[str]) -> ir.Table:
    if source.kind == "query":
        assert source.query is not None
        return con.sql(source.query)
    if source.kind == "table":
        assert source.table is not None
        return con.table(source.table)
    if source.embedded:
        header = con.sql(_files_sql(source.files, ())).columns
        if _file_kind(source.files[0]) == "parquet":
            numbered = _numbered_parquet_sql(con, source.files, header)
            if numbered is not None:
                return con.sql(numbered)
        present = [c for c in text_columns if c in header]
        return con.sql(_files_sql(source.files, present))
    # Spark reads the files itself (in file order) into a temporary view
    paths = [f.as_posix() for f in source.files]
    session = con._session
    if _file_kind(source.files[0]) == "parquet":
        frame = session.read.parquet(*paths)
    else:
        frame = session.read.csv(paths, header=True, inferSchema=True)
    frame.createOrReplaceTempView("auditkit_predictions")
    return con.table("auditkit_predictions")


def require_columns(table: ir.Table, columns: Sequence[str], source: Source) -> None:
    """Every configured column exists in the source."""
    found = list(table.columns)
    missing = [c for c in dict.fromkeys(columns) if c not in found]
    if missing:
        shown = ", ".join(found[:30]) + (" ..." if len(found) > 30 else "")
        raise InputDataError(
            f"{source.label} has no column {', '.join(repr(c) for c in missing)}. "
            f"Columns found: {shown}.",
            file=source.files[0] if len(source.files) == 1 else None,
            hint="Fix the column names in audit.yaml's data section (or the query).",
        )
