"""Scan files and artefacts: tables (CSV, Parquet), JSON documents and text reports.

Tables are read with every column as text, so identifiers keep their leading zeros and
coordinates their decimals as written. CSV files exported by public bodies are often Latin-1 and
separated by semicolons: the encoding falls back to Latin-1 when the bytes are not UTF-8 and the
separator is sniffed among ``, ; TAB |``. JSON is flattened to one column per key path; text
(Markdown, HTML, plain text) is scanned line by line as one column.

Nothing here prints or logs a value: errors name the file and the problem, hits carry counts.
"""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import Any, Literal

from auditkit._errors import InputDataError
from auditkit.privacy._names import column_hints
from auditkit.privacy._scan import (
    MAX_ROWS,
    MAX_VALUES,
    PersonalDataHit,
    Profile,
    scan_columns,
    scan_tables,
)

__all__ = ["SCANNABLE_SUFFIXES", "FileScan", "scan_bytes", "scan_path"]

_TABLES = (".csv", ".csv.gz", ".tsv", ".parquet", ".pq", ".xlsx", ".xlsm")
_JSON = (".json", ".jsonl", ".ndjson", ".geojson")
_TEXT = (".md", ".markdown", ".txt", ".html", ".htm", ".svg", ".log", ".yaml", ".yml")
SCANNABLE_SUFFIXES: tuple[str, ...] = _TABLES + _JSON + _TEXT
# Binary artefacts the review writes that carry no text to scan (figures are drawn from aggregates).
SKIPPED_SUFFIXES: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".pdf")

As = Literal["auto", "table", "artefact"]


@dataclass(frozen=True)
class FileScan:
    """The scan of one file: its size and its hits (no values)."""

    source: str
    rows: int
    columns: int
    hits: tuple[PersonalDataHit, ...]
    profile: Profile

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "rows": self.rows,
            "columns": self.columns,
            "profile": self.profile,
            "hits": [h.to_dict() for h in self.hits],
        }


def _suffix(name: str) -> str:
    lower = name.lower()
    return next(
        (
            s
            for s in sorted(SCANNABLE_SUFFIXES + SKIPPED_SUFFIXES, key=len, reverse=True)
            if lower.endswith(s)
        ),
        "",
    )


def _decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM), else Latin-1, which never fails."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _sniff_delimiter(sample: str, default: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return default


def _read_csv(
    data: bytes | Path, source: str, *, default_delimiter: str = ","
) -> tuple[list[str], Any]:
    """(header, Arrow table with columns c0..cN as strings) from bytes or a file path.

    UTF-8 first (Arrow checks every string); Latin-1 when the bytes are not UTF-8.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    if isinstance(data, bytes):
        head = data[: 1 << 16]
    else:
        with data.open("rb") as handle:
            head = handle.read(1 << 16)
    head_text, encoding = _decode(head)
    head_text = head_text.lstrip("\ufeff")
    if not head_text.strip():
        raise InputDataError("the file is empty.", file=source)
    delimiter = _sniff_delimiter(head_text, default_delimiter)
    first = next(csv.reader(io.StringIO(head_text), delimiter=delimiter), [])
    if not first:
        raise InputDataError("the file has no header row.", file=source)
    names = [f"c{i}" for i in range(len(first))]

    def read(newlines_in_values: bool, encoding: str) -> Any:
        return pcsv.read_csv(
            io.BytesIO(data) if isinstance(data, bytes) else str(data),
            read_options=pcsv.ReadOptions(
                column_names=names, skip_rows=1, encoding=encoding, block_size=1 << 20
            ),
            parse_options=pcsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=newlines_in_values
            ),
            convert_options=pcsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )

    def read_any_layout(encoding: str) -> Any:
        try:
            # blocks parsed in parallel; quoted line breaks inside values need the slower reader
            return read(False, encoding)
        except pa.ArrowInvalid as err:
            if "UTF8" in str(err):
                raise
            return read(True, encoding)

    try:
        try:
            table = read_any_layout(encoding)
        except pa.ArrowInvalid as err:
            if encoding != "utf-8" or "UTF8" not in str(err):
                raise
            table = read_any_layout("latin-1")
    except (pa.ArrowInvalid, ValueError) as err:
        # Arrow's message ends with the offending row: keep only the field counts.
        counts = re.search(r"Expected \d+ columns, got \d+", str(err))
        detail = counts.group(0).lower() if counts else "malformed rows"
        raise InputDataError(
            f"could not be read as a delimited table ({detail}).",
            file=source,
            hint="Check that every row has as many fields as the header.",
        ) from None
    return [str(h) for h in first], table


def _read_parquet(data: bytes, source: str) -> tuple[list[str], Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(pa.BufferReader(data))
    except Exception:  # pyarrow raises several unrelated types for bad files
        raise InputDataError("could not be read as Parquet.", file=source) from None
    return [str(n) for n in table.column_names], table


def _read_workbook(data: bytes, source: str) -> tuple[list[tuple[str, list[Any]]], int]:
    """Every sheet of an Excel workbook: (column label, values) pairs and the most rows.

    The first row of each sheet is its header; with several sheets a column is labelled
    ``sheet / column``. Only cell values are read (no formulas, no macros run).
    """
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InputDataError("could not be read as an Excel workbook.", file=source) from None
    columns: list[tuple[str, list[Any]]] = []
    most = 0
    try:
        sheets = book.worksheets
        for sheet in sheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if not header:
                continue
            values: list[list[Any]] = [[] for _ in header]
            count = 0
            for row in rows:
                count += 1
                for i in range(len(header)):
                    cell = row[i] if i < len(row) else None
                    values[i].append(None if cell is None else str(cell))
            most = max(most, count)
            for i, name in enumerate(header):
                label = "" if name is None else str(name)
                if len(sheets) > 1:
                    label = f"{sheet.title} / {label}"
                columns.append((label, values[i]))
    finally:
        book.close()
    return columns, most


_COORDINATE_HINTS = frozenset({"latitude", "longitude", "projected", "point"})


@lru_cache(maxsize=4096)
def _coordinate_path(path: str) -> bool:
    """The last key of a JSON path says the number is a coordinate."""
    return bool(column_hints(path.rsplit(".", 1)[-1]) & _COORDINATE_HINTS)


def _flatten(value: Any, path: str, out: dict[str, list[str]]) -> None:
    keys: Iterable[str]
    items: Iterable[Any]
    if isinstance(value, dict):
        keys = [f"{path}.{key}" if path else str(key) for key in value]
        items = value.values()
    elif isinstance(value, list):
        keys, items = repeat(path, len(value)), value
    else:
        keys, items = (path,), (value,)
    for where, item in zip(keys, items, strict=True):
        kind = type(item)
        if kind is str:  # the common leaves first, without a call
            out.setdefault(where or "value", []).append(item)
        elif isinstance(item, float):
            # a JSON number with a fraction is a measurement, never an identifier; keep it only
            # where the key says it is a coordinate
            if _coordinate_path(where):
                out.setdefault(where or "value", []).append(repr(item))
        elif isinstance(item, dict | list):
            _flatten(item, where, out)
        elif item is not None and not isinstance(item, bool):
            out.setdefault(where or "value", []).append(str(item))


def _json_columns(data: bytes, source: str, suffix: str) -> dict[str, list[str]]:
    text, _ = _decode(data)
    out: dict[str, list[str]] = {}
    try:
        if suffix in (".jsonl", ".ndjson"):
            for line in text.splitlines():
                if line.strip():
                    _flatten(json.loads(line), "", out)
        else:
            _flatten(json.loads(text), "", out)
    except json.JSONDecodeError as err:
        raise InputDataError(
            f"is not valid JSON (line {err.lineno}, column {err.colno}).", file=source
        ) from None
    return out


# Tags that end a piece of text: the text on either side is never one value (a table cell, a
# paragraph). Other tags (<b>, <a>, <span>...) can sit inside one value, e.g. a name in bold.
_HTML_BREAKS = re.compile(
    r"</?(?:td|th|tr|thead|tbody|tfoot|table|caption|li|ul|ol|dl|dt|dd|p|div|br|hr|h[1-6]|"
    r"section|article|header|footer|nav|main|aside|figure|figcaption|pre|blockquote|details|"
    r"summary|option|title|text|tspan)\b[^>]*>",
    re.IGNORECASE,
)
_HTML_TAG = re.compile(r"<[^>]+>")


def _text_lines(data: bytes, suffix: str) -> list[str]:
    """Lines of text to scan, one value per line where the format says where values end.

    HTML table cells and blocks become separate lines (stripping tags into spaces would run the
    numbers of neighbouring cells together into something that reads like a phone number);
    Markdown table rows are split at their ``|``.
    """
    text, _ = _decode(data)
    if suffix in (".html", ".htm", ".svg"):
        text = _HTML_TAG.sub(" ", _HTML_BREAKS.sub("\n", text))
        text = html.unescape(text)
    lines: list[str] = []
    for line in text.splitlines():
        if suffix in (".md", ".markdown") and line.lstrip().startswith("|"):
            lines.extend(cell for cell in line.split("|") if cell.strip())
        elif line.strip():
            lines.append(line)
    return lines


def _columns(
    data: bytes, source: str, suffix: str
) -> tuple[list[tuple[str, Any]], int, int, Profile]:
    if suffix in (".csv", ".csv.gz", ".tsv"):
        if suffix == ".csv.gz":
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError):
                raise InputDataError("is not a valid gzip file.", file=source) from None
        header, table = _read_csv(data, source, default_delimiter="\t" if suffix == ".tsv" else ",")
        pairs = zip(header, table.columns, strict=True)
        return list(pairs), table.num_rows, len(header), "table"
    if suffix in (".xlsx", ".xlsm"):
        sheets, rows = _read_workbook(data, source)
        return sheets, rows, len(sheets), "table"
    if suffix in (".parquet", ".pq"):
        header, table = _read_parquet(data, source)
        return list(zip(header, table.columns, strict=True)), table.num_rows, len(header), "table"
    if suffix in _JSON:
        columns = _json_columns(data, source, suffix)
        rows = max((len(v) for v in columns.values()), default=0)
        return list(columns.items()), rows, len(columns), "artefact"
    lines = _text_lines(data, suffix)
    return [("text", lines)], len(lines), 1, "artefact"


def _read(name: str, data: bytes) -> tuple[list[tuple[str, Any]], int, int, Profile] | None:
    """The columns of one file's content (``None``: a binary artefact with no text to scan)."""
    suffix = _suffix(name)
    if suffix in SKIPPED_SUFFIXES:
        return None
    if suffix not in SCANNABLE_SUFFIXES:
        raise InputDataError(
            f"cannot scan this kind of file (found '{Path(name).suffix or name}'); expected one "
            f"of {', '.join(SCANNABLE_SUFFIXES)}.",
            file=name,
            hint="Save spreadsheets as .xlsx or export them as CSV.",
        )
    if not data.strip():
        raise InputDataError("the file is empty.", file=name)
    return _columns(data, name, suffix)


def scan_bytes(
    name: str,
    data: bytes,
    *,
    country: str | None = None,
    as_: As = "auto",
    max_values: int = MAX_VALUES,
    max_rows: int | None = MAX_ROWS,
) -> FileScan:
    """Scan the content of one file or artefact named ``name`` (its suffix picks the reader).

    ``as_="auto"`` scans tables as tables and JSON or text as artefacts (see
    :func:`auditkit.privacy.scan_columns`).

    Raises
    ------
    InputDataError
        Unknown or unreadable format.
    """
    [scan] = scan_many(
        [(name, data)], country=country, as_=as_, max_values=max_values, max_rows=max_rows
    )
    return scan


def scan_many(
    files: Iterable[tuple[str, bytes]],
    *,
    country: str | None = None,
    as_: As = "auto",
    max_values: int = MAX_VALUES,
    max_rows: int | None = MAX_ROWS,
) -> list[FileScan]:
    """:func:`scan_bytes` of several files, in their order, each scan as if alone.

    Every file is read first (the first unreadable one raises, nothing is scanned), then all
    are scanned together (:func:`auditkit.privacy._scan.scan_tables`): the strings they share
    (a review's labels, metric names and numbers) are examined once.

    Raises
    ------
    InputDataError
        Unknown or unreadable format.
    """
    read = [(name, _read(name, data)) for name, data in files]
    tables = [
        (name, found[0], found[3] if as_ == "auto" else as_)
        for name, found in read
        if found is not None
    ]
    hits = iter(scan_tables(tables, country=country, max_values=max_values, max_rows=max_rows))
    scans: list[FileScan] = []
    for name, found in read:
        if found is None:
            scans.append(FileScan(name, 0, 0, (), "artefact"))
            continue
        _, rows, n_columns, profile = found
        profile = profile if as_ == "auto" else as_
        scans.append(FileScan(name, rows, n_columns, tuple(next(hits)), profile))
    return scans


def scan_path(
    path: str | Path,
    *,
    country: str | None = None,
    as_: As = "auto",
    max_values: int = MAX_VALUES,
    max_rows: int | None = MAX_ROWS,
) -> FileScan:
    """Scan one file on disk; the file is only read. See :func:`scan_bytes`."""
    path = Path(path)
    if not path.exists():
        raise InputDataError("the file does not exist.", file=path)
    if path.is_dir():
        raise InputDataError("expected a file, found a folder.", file=path)
    if _suffix(path.name) not in SCANNABLE_SUFFIXES + SKIPPED_SUFFIXES:
        raise InputDataError(
            f"cannot scan this kind of file (found '{path.suffix or path.name}'); expected one "
            f"of {', '.join(SCANNABLE_SUFFIXES)}.",
            file=path,
            hint="Save spreadsheets as .xlsx or export them as CSV.",
        )
    suffix = _suffix(path.name)
    if suffix in (".csv", ".tsv") and path.stat().st_size > 0:
        # large exports: Arrow reads the file itself, in parallel, without a copy in Python
        header, table = _read_csv(
            path, str(path), default_delimiter="\t" if suffix == ".tsv" else ","
        )
        profile: Profile = "table" if as_ == "auto" else as_
        hits = scan_columns(
            zip(header, table.columns, strict=True),
            source=str(path),
            country=country,
            profile=profile,
            max_values=max_values,
            max_rows=max_rows,
        )
        return FileScan(str(path), table.num_rows, len(header), tuple(hits), profile)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputDataError(f"could not be read ({err.strerror}).", file=path) from None
    return scan_bytes(
        str(path), data, country=country, as_=as_, max_values=max_values, max_rows=max_rows
    )
