"""Reading tables with clear errors, and hashing files.

Input files are only ever read. Group-like columns are read as text so that codes such as
``"01"`` keep their spelling and every group label is the value as written in the file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from auditkit._errors import InputDataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TABLE_SUFFIXES", "file_sha256", "read_table", "require_columns"]

TABLE_SUFFIXES = (".csv", ".parquet", ".pq", ".csv.gz")


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return next((s for s in sorted(TABLE_SUFFIXES, key=len, reverse=True) if name.endswith(s)), "")


def read_table(
    path: Path,
    *,
    columns: Sequence[str] | None = None,
    text_columns: Iterable[str] = (),
    role: str = "table",
) -> pd.DataFrame:
    """Read a CSV or Parquet table.

    Parameters
    ----------
    path : Path
        ``.csv``, ``.csv.gz``, ``.parquet`` or ``.pq``.
    columns : sequence of str, optional
        Read only these columns; each must exist.
    text_columns : iterable of str
        Columns read as categorical text (group labels exactly as written).
    role : str
        What the table is, for messages ("predictions", "raw requests", ...).

    Raises
    ------
    InputDataError
        Missing, empty or unreadable file, unknown format, missing columns.
    """
    import pandas as pd

    if not path.exists():
        raise InputDataError(
            f"the {role} file does not exist.",
            file=path,
            hint="Check the path in audit.yaml (it is relative to audit.yaml itself).",
        )
    if path.is_dir():
        raise InputDataError(f"expected the {role} file, found a folder.", file=path)
    if path.stat().st_size == 0:
        raise InputDataError(
            f"the {role} file is empty.", file=path, hint="Export the table again with its rows."
        )
    suffix = _suffix(path)
    text = list(dict.fromkeys(text_columns))
    if suffix in (".csv", ".csv.gz"):
        separator = _csv_separator(path)
        header = _csv_header(path, role, separator)
        if columns is not None:
            require_columns(header, columns, path=path, role=role)
        try:
            frame = pd.read_csv(
                path,
                sep=separator,
                encoding="utf-8-sig",
                usecols=list(dict.fromkeys(columns)) if columns is not None else None,
                # categorical text: labels exactly as written, factorised once while parsing
                dtype={c: "category" for c in text if c in header},
                keep_default_na=True,
                low_memory=False,
            )
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
            raise InputDataError(
                f"could not be read as CSV: {err}.",
                file=path,
                hint="Check that it is a comma-separated UTF-8 file with one header row.",
            ) from err
    elif suffix in (".parquet", ".pq"):
        try:
            import pyarrow.parquet as pq

            schema_names = pq.read_schema(path).names
        except Exception as err:  # pyarrow raises several unrelated types for bad files
            raise InputDataError(
                f"could not be read as Parquet: {err}.", file=path, hint="Write it again."
            ) from err
        if columns is not None:
            require_columns(schema_names, columns, path=path, role=role)
        frame = pd.read_parquet(
            path, columns=list(dict.fromkeys(columns)) if columns is not None else None
        )
        for column in text:
            if column in frame.columns:
                frame[column] = _as_text(frame[column]).astype("category")
    else:
        raise InputDataError(
            f"the {role} file must be .csv, .csv.gz or .parquet; "
            f"found '{path.suffix or path.name}'.",
            file=path,
        )
    if len(frame) == 0:
        raise InputDataError(
            f"the {role} table has a header but no rows.",
            file=path,
            hint="Export the table again with its rows.",
        )
    return frame


def _csv_separator(path: Path) -> str:
    """Comma, semicolon (spreadsheets in Spanish and Portuguese), tab or pipe, from the header."""
    import csv
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline()
    except (OSError, EOFError):
        return ","
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _csv_header(path: Path, role: str, separator: str) -> list[str]:
    import pandas as pd

    try:
        return list(pd.read_csv(path, nrows=0, sep=separator, encoding="utf-8-sig").columns)
    except pd.errors.EmptyDataError as err:
        raise InputDataError(f"the {role} file has no header row.", file=path) from err
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
        raise InputDataError(
            f"could not be read as CSV: {err}.",
            file=path,
            hint="Check that it is a comma-separated UTF-8 file with one header row.",
        ) from err


def _as_text(series: pd.Series) -> pd.Series:
    """Group labels as text; integral floats lose their '.0' (a NaN made them floats)."""
    import pandas as pd

    if pd.api.types.is_float_dtype(series):
        values = series.dropna()
        if len(values) and (values == values.round()).all():
            return series.astype("Int64").astype("string")
    if pd.api.types.is_bool_dtype(series):
        return series.map({True: "true", False: "false"}).astype("string")
    return series.astype("string")


def require_columns(
    available: Iterable[str], wanted: Iterable[str], *, path: Path, role: str
) -> None:
    """Raise a clear error naming every wanted column that is missing."""
    import difflib

    available = list(available)
    missing = [c for c in dict.fromkeys(wanted) if c not in available]
    if not missing:
        return
    parts = []
    for column in missing:
        close = difflib.get_close_matches(column, available, n=1)
        parts.append(f"'{column}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
    shown = ", ".join(available[:30]) + (" ..." if len(available) > 30 else "")
    raise InputDataError(
        f"the {role} table has no column {', '.join(parts)}. Columns found: {shown}.",
        file=path,
        hint="Fix the column name in audit.yaml or in the file.",
    )
