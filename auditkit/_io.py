"""Reading inputs with clear errors and limits, and hashing files.

Input files are only ever read. Group-like columns are read as text so that codes such as
``"01"`` keep their spelling and every group label is the value as written in the file.

Every input goes through the same gate before it is parsed (:func:`check_input_file`): it must
be a regular file (not a folder, a device such as ``/dev/zero``, a pipe or a socket) and no
larger than its limit (:func:`input_limits`); while it is parsed, :func:`reading` turns any
operating-system or decoding failure into an :class:`~auditkit._errors.InputDataError` that
names the file, so a damaged input is a clear message and exit code 2, never a traceback.
"""

from __future__ import annotations

import hashlib
import os
import stat
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditkit._errors import AuditkitError, InputDataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TABLE_SUFFIXES",
    "Limits",
    "check_group_labels",
    "check_input_file",
    "file_sha256",
    "input_limits",
    "read_table",
    "reading",
    "require_columns",
]

TABLE_SUFFIXES = (".csv", ".parquet", ".pq", ".csv.gz")

_MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Limits on every input of a review (each one is stated in the README).

    Attributes
    ----------
    table_bytes : int
        Largest table, model or other data file (``.csv.gz``: after decompression).
        ``AUDITKIT_MAX_TABLE_MB``, default 2048.
    yaml_bytes : int
        Largest YAML file (audit.yaml, answers, playbooks). ``AUDITKIT_MAX_YAML_KB``, default
        1024.
    yaml_aliases : int
        Most aliases (``*name``) in one YAML file: 100.
    yaml_depth : int
        Deepest nesting of a YAML or JSON document: 64.
    yaml_nodes : int
        Most values in one YAML document once every alias is expanded: 100,000.
    json_bytes : int
        Largest JSON file of a review bundle (manifest, findings, decision):
        ``AUDITKIT_MAX_JSON_MB``, default 256.
    label_chars : int
        Longest group label (a value of a group column). ``AUDITKIT_MAX_LABEL_CHARS``,
        default 200.
    groups : int
        Most distinct groups in one group column. ``AUDITKIT_MAX_GROUPS``, default 1000.
    """

    table_bytes: int = 2048 * _MB
    yaml_bytes: int = 1024 * 1024
    yaml_aliases: int = 100
    yaml_depth: int = 64
    yaml_nodes: int = 100_000
    json_bytes: int = 256 * _MB
    label_chars: int = 200
    groups: int = 1000


# (environment variable, field, unit in bytes or 1)
_OVERRIDES: tuple[tuple[str, str, int], ...] = (
    ("AUDITKIT_MAX_TABLE_MB", "table_bytes", _MB),
    ("AUDITKIT_MAX_YAML_KB", "yaml_bytes", 1024),
    ("AUDITKIT_MAX_JSON_MB", "json_bytes", _MB),
    ("AUDITKIT_MAX_LABEL_CHARS", "label_chars", 1),
    ("AUDITKIT_MAX_GROUPS", "groups", 1),
)


def input_limits() -> Limits:
    """The limits in force: the defaults of :class:`Limits`, raised or lowered by environment.

    Raises
    ------
    InputDataError
        An ``AUDITKIT_MAX_*`` variable is not a positive whole number.

    Examples
    --------
    >>> input_limits().label_chars
    200
    """
    values: dict[str, int] = {}
    for name, key, unit in _OVERRIDES:
        raw = os.environ.get(name, "").strip()
        if not raw:
            continue
        if not raw.isdigit() or int(raw) <= 0:
            raise InputDataError(
                f"the environment variable {name} must be a positive whole number; "
                f"found '{raw[:40]}'."
            )
        values[key] = int(raw) * unit
    return Limits(**values)


def _size_text(size: int) -> str:
    if size >= _MB:
        return f"{size / _MB:,.1f} MB"
    return f"{size / 1024:,.1f} KB" if size >= 1024 else f"{size} bytes"


def check_input_file(
    path: Path,
    *,
    role: str,
    max_bytes: int,
    setting: str = "AUDITKIT_MAX_TABLE_MB",
    error: type[AuditkitError] = InputDataError,
) -> int:
    """Check that an input is a regular file within its size limit; return its size in bytes.

    Links are followed (a link to a file is that file). Nothing is opened, so a device or a
    pipe given by mistake (``/dev/zero``, a FIFO) is refused before it can hang the review.

    Raises
    ------
    AuditkitError
        Of type ``error``: missing, a folder, not a regular file, unreadable, or too large.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(
            f"the {role} file does not exist.",
            file=path,
            hint="Check the path (paths in audit.yaml are relative to audit.yaml itself).",
        ) from None
    except OSError as err:
        raise error(f"the {role} file cannot be read ({err.strerror}).", file=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"expected the {role} file, found a folder.", file=path)
    if not stat.S_ISREG(info.st_mode):
        raise error(
            f"the {role} must be a regular file; found a device, pipe or socket.",
            file=path,
            hint="Give the path of the file itself.",
        )
    if info.st_size > max_bytes:
        raise error(
            f"the {role} file is {_size_text(info.st_size)}; the limit is {_size_text(max_bytes)}.",
            file=path,
            hint=f"Check that it is the right file, or raise the limit with {setting}.",
        )
    return info.st_size


@contextmanager
def reading(
    path: Path, *, role: str, error: type[AuditkitError] = InputDataError
) -> Iterator[None]:
    """Turn any failure to read or decode ``path`` into ``error`` naming the file.

    Operating-system errors (permissions, a file that vanished, a name too long), truncated or
    damaged compressed data, text that is not UTF-8, documents nested too deeply and documents
    too large for memory all become one clear message with exit code 2.
    """
    try:
        yield
    except AuditkitError:
        raise
    except UnicodeDecodeError as err:
        raise error(
            f"the {role} file is not UTF-8 text (byte {err.start}).",
            file=path,
            hint="Save it as UTF-8.",
        ) from None
    except (EOFError, zlib.error) as err:
        raise error(
            f"the {role} file is truncated or damaged ({err}).",
            file=path,
            hint="Copy or export it again.",
        ) from None
    except OSError as err:
        detail = err.strerror or str(err) or type(err).__name__
        raise error(
            f"the {role} file cannot be read ({detail}).",
            file=path,
            hint="Check that it is complete and readable, or export it again.",
        ) from None
    except RecursionError:
        raise error(f"the {role} file is nested too deeply to be read.", file=path) from None
    except MemoryError:
        raise error(
            f"the {role} file does not fit in memory.",
            file=path,
            hint="Reduce it to the columns and rows the review needs.",
        ) from None


def file_sha256(path: Path) -> str:
    """SHA-256 of a regular file's bytes, read in chunks.

    Raises
    ------
    InputDataError
        The path is not a regular file (a device such as ``/dev/zero`` would never end) or
        cannot be read.
    """
    digest = hashlib.sha256()
    with reading(path, role="input"):
        # stat before opening: opening a pipe blocks until someone writes to it
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InputDataError(
                "must be a regular file; found a folder, device, pipe or socket.", file=path
            )
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
    exact_floats: bool = False,
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
    exact_floats : bool
        CSV: parse numbers to the exact double they were written from (about 3x slower on
        float columns). Needed when a model is re-run on the table: pandas' default parser can
        be off in the last bit, which moves rows across tree split thresholds.

    Raises
    ------
    InputDataError
        Missing, empty or unreadable file, unknown format, missing columns.
    """
    limits = input_limits()
    size = check_input_file(path, role=role, max_bytes=limits.table_bytes)
    if size == 0:
        raise InputDataError(
            f"the {role} file is empty.", file=path, hint="Export the table again with its rows."
        )
    text = list(dict.fromkeys(text_columns))
    with reading(path, role=role):
        frame = _parse_table(path, columns=columns, text=text, role=role, exact=exact_floats)
    if len(frame) == 0:
        raise InputDataError(
            f"the {role} table has a header but no rows.",
            file=path,
            hint="Export the table again with its rows.",
        )
    check_group_labels(frame, text, path=path, role=role, limits=limits)
    return frame


def _parse_table(
    path: Path, *, columns: Sequence[str] | None, text: list[str], role: str, exact: bool
) -> pd.DataFrame:
    import pandas as pd

    suffix = _suffix(path)
    if suffix in (".csv", ".csv.gz"):
        if suffix == ".csv.gz":
            _check_gzip(path, role=role, max_bytes=input_limits().table_bytes)
        separator = _csv_separator(path)
        header = _csv_header(path, role, separator)
        if columns is not None:
            require_columns(header, columns, path=path, role=role)
        try:
            return pd.read_csv(
                path,
                sep=separator,
                encoding="utf-8-sig",
                usecols=list(dict.fromkeys(columns)) if columns is not None else None,
                # categorical text: labels exactly as written, factorised once while parsing
                dtype={c: "category" for c in text if c in header},
                keep_default_na=True,
                low_memory=False,
                float_precision="round_trip" if exact else None,
            )
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
            raise InputDataError(
                f"could not be read as CSV: {err}.",
                file=path,
                hint="Check that it is a comma-separated UTF-8 file with one header row.",
            ) from err
    if suffix in (".parquet", ".pq"):
        try:
            import pyarrow.parquet as pq

            schema_names = pq.read_schema(path).names
        except Exception as err:  # pyarrow raises several unrelated types for bad files
            raise InputDataError(
                f"could not be read as Parquet: {_first_line(err)}.",
                file=path,
                hint="Write it again.",
            ) from err
        if columns is not None:
            require_columns(schema_names, columns, path=path, role=role)
        try:
            frame = pd.read_parquet(
                path, columns=list(dict.fromkeys(columns)) if columns is not None else None
            )
        except (MemoryError, RecursionError):
            raise
        except Exception as err:  # a damaged page shows only when the data is read
            raise InputDataError(
                f"could not be read as Parquet: {type(err).__name__}: {_first_line(err)}.",
                file=path,
                hint="The file is damaged: write it again.",
            ) from err
        for column in text:
            if column in frame.columns:
                frame[column] = _as_text(frame[column]).astype("category")
        return frame
    raise InputDataError(
        f"the {role} file must be .csv, .csv.gz or .parquet; found '{path.suffix or path.name}'.",
        file=path,
    )


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:200] if text else ""


def _check_gzip(path: Path, *, role: str, max_bytes: int) -> None:
    """Decompress once without keeping anything: refuse a truncated file or a decompression bomb."""
    import gzip

    total = 0
    with gzip.open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            total += len(chunk)
            if total > max_bytes:
                raise InputDataError(
                    f"the {role} file decompresses to more than {_size_text(max_bytes)}.",
                    file=path,
                    hint="Check that it is the right file, or raise the limit with "
                    "AUDITKIT_MAX_TABLE_MB.",
                )


def check_group_labels(
    frame: pd.DataFrame,
    columns: Iterable[str],
    *,
    path: Path,
    role: str,
    limits: Limits | None = None,
) -> None:
    """Refuse group columns with labels too long or too many groups to report.

    A group label is printed in every table, figure and file of a review, so a label of a
    megabyte or a column with tens of thousands of groups would make reports nobody can read
    (and figures that take minutes). Values are never echoed: they may be personal data.

    Raises
    ------
    InputDataError
        A label longer than ``limits.label_chars`` or more than ``limits.groups`` groups.
    """
    import pandas as pd

    limits = limits or input_limits()
    for column in columns:
        if column not in frame.columns:
            continue
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            labels = pd.Series(series.cat.categories.astype(str))
            count = int(series.cat.remove_unused_categories().cat.categories.size)
        else:
            labels = pd.Series(series.dropna().astype(str).unique())
            count = len(labels)
        longest = int(labels.str.len().max()) if len(labels) else 0
        if longest > limits.label_chars:
            raise InputDataError(
                f"the group column '{column}' of the {role} table has a label of {longest:,} "
                f"characters; group labels are limited to {limits.label_chars:,} characters.",
                file=path,
                hint="Replace long labels with short codes, or raise the limit with "
                "AUDITKIT_MAX_LABEL_CHARS.",
            )
        if count > limits.groups:
            raise InputDataError(
                f"the group column '{column}' of the {role} table has {count:,} distinct groups; "
                f"a review reports at most {limits.groups:,} groups per column.",
                file=path,
                hint="Group the values into coarser groups (e.g. districts rather than blocks), "
                "or raise the limit with AUDITKIT_MAX_GROUPS.",
            )


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


def _as_text(series: Any) -> Any:
    """Group labels as text; integral floats lose their '.0' (a NaN made them floats).

    ``series`` is a pandas Series (the result is a ``string`` Series, ``<NA>`` where missing)
    or an Arrow array as an engine returns it (the result is a list of the same labels, ``None``
    where missing). An Arrow array is labelled as pandas labels the same values: booleans are
    ``true``/``false`` (with missing values too), integers and integral floats within int64 are
    written without '.0' (an infinite or huge value keeps its float text, ``inf``), ``-0.0`` is
    ``0.0`` (equal numbers, one group, as every engine's GROUP BY has them), NaN is missing.
    Text, integers, booleans and doubles are labelled without pandas (pyarrow's conversions to
    numpy would import it); other types (dates, timestamps, decimals...) through pandas, so
    give them the column's distinct values (an Arrow dictionary), not every row.

    Examples
    --------
    >>> import pandas as pd
    >>> _as_text(pd.Series([1.0, None, 3.0])).tolist()
    ['1', <NA>, '3']
    >>> import pyarrow as pa
    >>> _as_text(pa.array([1.0, None, 3.0]))
    ['1', None, '3']
    >>> import datetime
    >>> _as_text(pa.array([datetime.date(2024, 5, 1), None]))
    ['2024-05-01', None]
    """
    if type(series).__module__.startswith("pyarrow"):
        return _arrow_text(series)
    import pandas as pd

    if pd.api.types.is_float_dtype(series):
        values = series.dropna()
        # integral and within int64 (an infinite or huge value keeps its float text: "inf")
        within = (values >= -(2.0**63)) & (values < 2.0**63)
        if len(values) and ((values == values.round()) & within).all():
            return series.astype("Int64").astype("string")
        return (series + 0.0).astype("string")  # -0.0 + 0.0 is 0.0: one group, as engines group
    if pd.api.types.is_bool_dtype(series) or _booleans_with_missing(series):
        return series.map({True: "true", False: "false"}).astype("string")
    return series.astype("string")


def _booleans_with_missing(series: Any) -> bool:
    """An object column of booleans and missing values (how pandas holds booleans with None)."""
    if series.dtype != object:
        return False
    present = series.dropna()
    return bool(len(present)) and all(isinstance(v, bool) for v in present)


def _arrow_text(values: Any) -> list[str | None]:
    """:func:`_as_text` of an Arrow array (without pandas for text, numbers and booleans)."""

    import pyarrow as pa

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    kind = values.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return values.to_pylist()  # type: ignore[no-any-return]
    if pa.types.is_integer(kind):
        return [None if v is None else str(v) for v in values.to_pylist()]
    if pa.types.is_boolean(kind):
        return [None if v is None else "true" if v else "false" for v in values.to_pylist()]
    if pa.types.is_float64(kind):
        items = values.to_pylist()
        present = [v for v in items if v is not None and v == v]
        if all(v.is_integer() and -(2.0**63) <= v < 2.0**63 for v in present):  # not inf
            return [None if v is None or v != v else str(int(v)) for v in items]
        return [None if v is None or v != v else str(v + 0.0) for v in items]
    # float32, dates, timestamps, decimals...: pandas
    import pandas as pd

    text = _as_text(values.to_pandas())
    return [None if v is pd.NA else str(v) for v in text.astype(object).tolist()]


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
