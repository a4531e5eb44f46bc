"""The personal-data scan of a table: which columns hold which kind of personal data, how often.

How a column is scanned
-----------------------
1. Its *name* is tokenised (``auditkit.privacy._names``): ``fecha_nacimiento``, ``telefono``,
   ``nombre_solicitante``, ``latitud`` point to a kind without reading a value.
2. Its *distinct values* and their row counts are computed once, in Arrow (C++, no Python loop
   over rows). Columns longer than ``max_rows`` (default 50,000) are scanned on a seeded random
   sample of that many rows, and samples with more than ``max_values`` (20,000) distinct values
   on a seeded sample of those; counts are then estimates (``estimated=True``). The question the
   scan answers is whether a column holds personal data: a kind present in 0.02% of the rows is
   missed with probability below 5e-5 (``(1 - 0.0002) ** 50000``), and the shares the rules below
   compare with 1/2 are known to within a few percentage points. ``max_rows=None`` (``auditkit
   scan --all-rows``) reads every row, for rare values hidden in large tables. Columns given as
   Python lists of strings (an artefact's key paths and lines, a workbook's cells) are counted
   in Python, without pandas, and share one pool of distinct strings per scan (``_Pool``).
3. Cheap regular expressions run over the distinct values in Arrow (RE2) and keep *candidates*;
   only candidates reach Python, where identifiers are proven by their check digits
   (``python-stdnum``) and phone numbers by ``phonenumbers``. Over a pool each pattern runs once
   for every column of the scan.
4. Rules decide per column, so that chance matches do not count: an identifier scheme is reported
   when at least half of its candidates validate (random digit strings validate one time in ten
   or a hundred); bare digits need several distinct valid values or a column name that names the
   scheme; identifiers without a check digit (DNI, cédula) and bare national phone numbers need
   the column name.

A hit gives the column, the kind and the number of rows; never a value. A column whose *name*
itself looks like personal data (a file exported without its header row) is reported by position.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, Literal

from auditkit.privacy._dictionaries import PLACE_WORDS
from auditkit.privacy._given_names import GIVEN_NAMES
from auditkit.privacy._identifiers import NO_CHECK_DIGIT, SCHEMES, Scheme, bounded, bounded_bare
from auditkit.privacy._names import column_hints
from auditkit.privacy._text import ALL_GIVEN_NAMES, request_number_shaped

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "KINDS",
    "DistinctValues",
    "PersonalDataHit",
    "Profile",
    "scan_columns",
    "scan_distinct",
    "scan_frame",
]

Profile = Literal["table", "artefact"]

KINDS: dict[str, str] = {
    "email": "e-mail address",
    "phone": "phone number",
    "national_id": "national identifier",
    "person_name": "person name",
    "address": "street address",
    "birth_date": "date of birth",
    "coordinates": "precise coordinates",
}

# Latin American regions tried for national-format phone numbers when no country is given.
PHONE_REGIONS = ("MX", "BR", "CO", "CL", "AR", "UY", "PE", "EC")
_CALLING_CODES = (
    "52",
    "55",
    "57",
    "56",
    "54",
    "598",
    "51",
    "593",
    "502",
    "506",
    "507",
    "595",
    "591",
)

MAX_ROWS = 50_000
MAX_VALUES = 20_000
# Candidates of one kind checked in Python per column (a seeded sample beyond that): the rules
# compare shares with 1/2, which 500 values estimate to within about 4.5 percentage points.
MAX_CHECKED = 500


@dataclass(frozen=True)
class PersonalDataHit:
    """One kind of personal data in one column. Holds counts only, never a value.

    Parameters
    ----------
    source : str
        The file or artefact scanned (as given, e.g. ``requests.csv``).
    column : str
        The column name, or ``"#3"`` (its position) when the name itself looks like data.
    kind : str
        One of :data:`KINDS`.
    rows : int
        Rows of the column holding this kind (an estimate when ``estimated``).
    basis : str
        ``"name"``, ``"values"`` or ``"name+values"``: what the finding rests on.
    scheme : str or None
        For national identifiers, the scheme (``"br.cpf"``, ``"mx.curp"``...).
    estimated : bool
        The column was scanned on a sample of its distinct values.
    """

    source: str
    column: str
    kind: str
    rows: int
    basis: str
    scheme: str | None = None
    estimated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, keys in a fixed order."""
        return {
            "source": self.source,
            "column": self.column,
            "kind": self.kind,
            "scheme": self.scheme,
            "rows": self.rows,
            "basis": self.basis,
            "estimated": self.estimated,
        }


# --------------------------------------------------------------------------------------------
# Patterns. Arrow (RE2) runs the prefilters; Python extracts and validates the candidates.

_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
_PHONE_PREFILTER = r"(?:^|[^0-9A-Za-z])\+?\(?[0-9][0-9 ().\-]{6,22}[0-9](?:$|[^0-9A-Za-z])"
_PHONE_TOKEN = re.compile(r"(?<![\w+\-/])(?:\+|00)?\(?[0-9][0-9 ().\-]{6,22}[0-9](?![\w])")
_DATE_LIKE = re.compile(
    r"[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}"
)
_DECIMAL_TOKEN = re.compile(r"-?[0-9]+[.,][0-9]+")
_NON_DIGIT = re.compile(r"\D")
_SEPARATOR = re.compile(r"[ ().\-]")
# Identifier-shaped tokens (123.456.789-09, 12.345.678/0001-95) are not phone numbers.
_ID_SHAPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:[-/][0-9]{1,4})*(?:-[0-9Kk]{1,2})?")
_THOUSANDS = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+(?:-[0-9Kk])?$")
_DECIMAL = r"^\s*-?[0-9]+[.,][0-9]+\s*$"
_PRECISE_DEGREES = r"^\s*-?[0-9]{1,3}[.,][0-9]{4,}\s*$"
_PAIR = (
    r"-?[0-9]{1,3}\.[0-9]{4,}\s*[,; ]\s*-?[0-9]{1,3}\.[0-9]{4,}"
    r"|POINT\s*\(\s*-?[0-9]{1,3}\.[0-9]{4,}\s+-?[0-9]{1,3}\.[0-9]{4,}\s*\)"
)
_PAIR_TOKEN = re.compile(r"(-?[0-9]{1,3}\.[0-9]{4,})\s*[,; ]\s*(-?[0-9]{1,3}\.[0-9]{4,})")
_POINT_TOKEN = re.compile(r"POINT\s*\(\s*(-?[0-9]{1,3}\.[0-9]{4,})\s+(-?[0-9]{1,3}\.[0-9]{4,})")
_WORDS = r"^\s*\p{L}[\p{L}'.\-]*(?:,?\s+\p{L}[\p{L}'.\-]*){0,6}\s*$"
_STREET_TYPES = (
    r"calle|c\.|cll?\.?|av\.?|avda\.?|avenida|blvd\.?|bulevar|boulevard|calz\.?|calzada|carrera|"
    r"cra\.?|kr\.?|cr\.?|diagonal|dg\.?|transversal|tv\.?|privada|priv\.?|cerrada|andador|"
    r"callej[oó]n|camino|carretera|pasaje|psje\.?|rua|r\.|travessa|trav\.?|alameda|estrada|"
    r"rodovia|pra[cç]a|largo|street|st\.?|road|rd\.?|ave\.?|avenue|jir[oó]n|jr\.?|ruta|circuito|"
    r"prolongaci[oó]n|prol\.?|bulevard|paseo|vereda|manzana|mz\.?|lote"
)
_ADDRESS = (
    rf"(?i)(?:(?:^|[^\p{{L}}])(?:{_STREET_TYPES})\s+[^0-9]*[0-9]"
    r"|[0-9]+[a-z]?\s*(?:#|n[°ºo]\.?\s*[0-9]|num\.\s*[0-9]|n[uú]mero\s*[0-9])"
    r"|\b(?:col\.|colonia|bairro|barrio|fracc\.?|fraccionamiento|depto\.?|apto\.?|apt\.?|casa)"
    r"\s.*[0-9]|[0-9]+\s*(?:int\.?|interior|ext\.?|exterior|piso|andar|bloco)\b)"
)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


# --------------------------------------------------------------------------------------------


def _bools(array: pa.Array) -> np.ndarray:
    """A boolean Arrow array as numpy (nulls as False), read from its buffers.

    ``Array.to_numpy`` of booleans goes through pyarrow's pandas shim, which imports pandas.
    """
    import numpy as np

    n, offset = len(array), array.offset
    validity, data = array.buffers()[:2]
    if n == 0 or data is None:
        return np.zeros(n, bool)
    bits = np.unpackbits(np.frombuffer(data, np.uint8), bitorder="little")
    out: np.ndarray = bits[offset : offset + n].astype(bool)
    if validity is not None and array.null_count:
        valid = np.unpackbits(np.frombuffer(validity, np.uint8), bitorder="little")
        out &= valid[offset : offset + n].astype(bool)
    return out


def _floats(array: pa.Array) -> np.ndarray:
    """A float64 Arrow array without nulls as numpy, read from its buffers."""
    import numpy as np

    data = array.buffers()[1]
    if len(array) == 0 or data is None:
        return np.zeros(0, np.float64)
    values: np.ndarray = np.frombuffer(data, np.float64)[array.offset : array.offset + len(array)]
    return values


def _indices(positions: np.ndarray) -> pa.Array:
    """Row positions as an Arrow int64 array, built from their buffer (``pa.array`` of numpy
    imports pandas)."""
    import numpy as np
    import pyarrow as pa

    data = np.ascontiguousarray(positions, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(data), [None, pa.py_buffer(data)])


def _utf8_array(encoded: list[bytes | None]) -> pa.Array:
    """UTF-8 encoded strings (``None``: missing) as an Arrow string array (``large_string``
    beyond 2 GiB), built from its buffers: ``pa.array`` of a list imports pandas whenever pandas
    is installed."""
    import numpy as np
    import pyarrow as pa

    n = len(encoded)
    offsets = np.zeros(n + 1, np.int64)
    np.cumsum([0 if b is None else len(b) for b in encoded], out=offsets[1:])
    large = offsets[-1] >= 2**31
    missing = [i for i, b in enumerate(encoded) if b is None]
    validity = None
    if missing:
        valid = np.ones(n, bool)
        valid[missing] = False
        validity = pa.py_buffer(np.packbits(valid, bitorder="little"))
    data = b"".join(b for b in encoded if b is not None)
    return pa.Array.from_buffers(
        pa.large_string() if large else pa.string(),
        n,
        [
            validity,
            pa.py_buffer(offsets if large else offsets.astype(np.int32)),
            pa.py_buffer(data),
        ],
        null_count=len(missing),
    )


class _Pool:
    """The distinct strings of one scan's small columns, each held once.

    An artefact has many short columns (a JSON document's key paths, a report's lines) and a
    review's bundle repeats the same labels, metric names and numbers across its files. Every
    list-of-strings column of a scan registers its distinct values here; each regular expression
    then runs once, in Arrow, over every string of the scan (one call per pattern instead of one
    per column), and each string's spans of personal data (:func:`find_personal`) are found once.
    Both are pure functions of the string (and of the pattern, or of the country): the column's
    own context (its name's hints, the kinds already found in it, its counts) is applied by the
    detectors afterwards, per column, exactly as before. The pool lives for one scan.
    """

    def __init__(self) -> None:
        self._raw: dict[str, int] = {}  # as given, before trimming
        self._encoded: list[bytes] = []
        self._settled: np.ndarray | None = None  # raw id -> id of its trimmed string, -1 blank
        self.strings: list[str] = []  # trimmed, non-empty, distinct
        self._array: pa.Array | None = None
        self._matches: dict[str, np.ndarray] = {}
        self._personal: dict[str | None, dict[str, list[tuple[int, int, str]]]] = {}
        self.labels: dict[str, bool] = {}  # column name -> it looks like personal data

    def register(self, values: list[Any]) -> tuple[list[int], list[int]] | None:
        """(raw ids, row counts) of a list's distinct values in the order each first appears
        (as Arrow's ``value_counts``), ``None`` left out; ``None`` when the list holds anything
        but strings (or a string UTF-8 cannot hold): that column takes the general path
        (:func:`_distinct`). Blanks are dropped when the pool is settled."""
        from collections import Counter

        if not set(map(type, values)) <= {str, type(None)}:
            return None
        counted = Counter(values)
        counted.pop(None, None)
        try:
            new = [(v, v.encode("utf-8")) for v in counted if v not in self._raw]
        except UnicodeEncodeError:
            return None
        for value, encoded in new:
            self._raw[value] = len(self._encoded)
            self._encoded.append(encoded)
        raw = self._raw
        return [raw[v] for v in counted], list(counted.values())

    def settle(self) -> None:
        """Trim every registered string (Arrow's ``utf8_trim_whitespace``, as
        :func:`_distinct` does), once for the whole scan; blanks are left out."""
        import numpy as np
        import pyarrow.compute as pc

        assert self._settled is None, "a pool is settled once"
        raw = _utf8_array(list(self._encoded))
        ids: dict[str, int] = {}
        settled: list[int] = []
        for text in pc.utf8_trim_whitespace(raw).to_pylist():
            if not text:
                settled.append(-1)
                continue
            if text not in ids:
                ids[text] = len(self.strings)
                self.strings.append(text)
            settled.append(ids[text])
        self._settled = np.asarray(settled, dtype=np.int64)

    def column(
        self,
        raw_ids: list[int],
        counts: list[int],
        *,
        row_scale: float,
        sampled_rows: bool,
        max_values: int,
        seed: int,
    ) -> _Column:
        """The column of registered strings: what :func:`_distinct` makes of the same list."""
        import numpy as np

        assert self._settled is not None, "settle the pool first"
        ids = self._settled[np.asarray(raw_ids, dtype=np.int64)]
        counts_np = np.asarray(counts, dtype=np.int64)
        keep = ids >= 0
        ids, counts_np = ids[keep], counts_np[keep]
        nonnull = round(int(counts_np.sum()) * row_scale)
        if len(ids) <= max_values:
            return _Column(None, counts_np, nonnull, row_scale, sampled_rows, self, ids)
        rng = np.random.default_rng(seed)
        picked = np.sort(rng.choice(len(ids), size=max_values, replace=False))
        sample_counts = counts_np[picked]
        scale = nonnull / max(int(sample_counts.sum()), 1)
        return _Column(None, sample_counts, nonnull, scale, True, self, ids[picked])

    @property
    def array(self) -> pa.Array:
        """Every settled string, in Arrow."""
        if self._array is None:
            self._array = _utf8_array([text.encode("utf-8") for text in self.strings])
        return self._array

    def match(self, pattern: str) -> np.ndarray:
        """Which pool strings ``pattern`` (RE2) finds, computed once per pattern."""
        import pyarrow.compute as pc

        found = self._matches.get(pattern)
        if found is None:
            found = _bools(pc.match_substring_regex(self.array, pattern))
            self._matches[pattern] = found
        return found

    def personal(self, country: str | None) -> dict[str, list[tuple[int, int, str]]]:
        """The memo of :func:`find_personal` of whole values for ``country`` (a pure function of
        the text and the country, both in the key): text -> spans, filled by :func:`_spans`."""
        return self._personal.setdefault(country, {})


def _spans(
    memo: dict[str, list[tuple[int, int, str]]], text: str, country: str | None
) -> list[tuple[int, int, str]]:
    """:func:`find_personal` of one whole value, through ``memo`` (:meth:`_Pool.personal`)."""
    from auditkit.privacy._text import find_personal

    spans = memo.get(text)
    if spans is None:
        spans = memo[text] = find_personal(text, country=country, whole=True)
    return spans


@dataclass
class _Column:
    """Distinct values of one column, their row counts and the scale to all rows.

    The values are held in Arrow (``values``, a table's column) or in a :class:`_Pool`
    (``ids``, a list of strings); the detectors see the same column either way.
    """

    values: pa.Array | None  # distinct non-empty strings (possibly a sample); None: in the pool
    counts: np.ndarray  # rows per value
    nonnull_rows: int
    scale: float  # rows represented per sampled row (1.0 when exact)
    estimated: bool
    pool: _Pool  # detections shared by the scan's columns
    ids: np.ndarray | None = None  # positions of the values in the pool

    def __len__(self) -> int:
        return len(self.ids) if self.ids is not None else len(self.values)  # type: ignore[arg-type]

    def rows(self, mask: Iterable[bool] | np.ndarray) -> int:
        import numpy as np

        picked = self.counts[np.asarray(mask, dtype=bool)]
        return round(float(picked.sum()) * self.scale)

    def distinct(self, mask: Iterable[bool] | np.ndarray) -> int:
        import numpy as np

        return int(np.asarray(mask, dtype=bool).sum())

    def match(self, pattern: str) -> np.ndarray:
        import numpy as np
        import pyarrow.compute as pc

        if self.ids is not None:
            found: np.ndarray = self.pool.match(pattern)[self.ids]
            return found
        if len(self) == 0:
            return np.zeros(0, dtype=bool)
        return _bools(pc.match_substring_regex(self.values, pattern))

    def match_within(self, mask: np.ndarray, pattern: str) -> np.ndarray:
        """:meth:`match` evaluated only on the values already in ``mask``."""
        import numpy as np
        import pyarrow.compute as pc

        if self.ids is not None:  # the pool has run the pattern over every value already
            within: np.ndarray = self.match(pattern) & np.asarray(mask, dtype=bool)
            return within
        out = np.zeros(len(self), bool)
        indices = np.flatnonzero(mask)
        if len(indices) == 0:
            return out
        if len(indices) == len(self):
            return self.match(pattern)
        subset = self.values.take(_indices(indices))  # type: ignore[union-attr]
        out[indices] = _bools(pc.match_substring_regex(subset, pattern))
        return out

    def texts(self, positions: np.ndarray | None = None) -> list[str]:
        """The values (or those at ``positions``) as Python strings."""
        if self.ids is not None:
            ids = self.ids if positions is None else self.ids[positions]
            return [self.pool.strings[i] for i in ids.tolist()]
        assert self.values is not None
        picked = self.values if positions is None else self.values.take(_indices(positions))
        texts: list[str] = picked.to_pylist()
        return texts

    def strings(self, mask: np.ndarray) -> pa.Array:
        """The values in ``mask`` as an Arrow string array."""
        import numpy as np

        if self.ids is not None:
            return self.pool.array.take(_indices(self.ids[np.asarray(mask, dtype=bool)]))
        assert self.values is not None
        return self.values.take(_indices(np.flatnonzero(mask)))

    def examine(self, mask: np.ndarray) -> tuple[list[tuple[int, str]], np.ndarray]:
        """(index, value) of the masked distinct values as Python strings, at most
        :data:`MAX_CHECKED` of them (a seeded sample), and the mask of those examined."""
        import numpy as np

        indices = np.flatnonzero(mask)
        if len(indices) > MAX_CHECKED:
            rng = np.random.default_rng(len(indices))
            indices = np.sort(rng.choice(indices, size=MAX_CHECKED, replace=False))
        examined = np.zeros(len(self), bool)
        examined[indices] = True
        if len(indices) == 0:
            return [], examined
        picked = self.texts(indices)
        return list(zip(indices.tolist(), picked, strict=True)), examined

    def scaled_rows(self, valid: np.ndarray, examined: np.ndarray, candidates: np.ndarray) -> int:
        """Rows of ``valid`` values, scaled from the examined candidates to all candidates."""
        examined_rows = float(self.counts[examined].sum())
        if examined_rows == 0:
            return 0
        ratio = float(self.counts[candidates].sum()) / examined_rows
        return round(float(self.counts[valid].sum()) * ratio * self.scale)


def _as_strings(values: Any) -> pa.Array:
    """Any Arrow/pandas column as Arrow strings (numbers in their shortest form)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not isinstance(values, pa.Array):
        import pandas as pd

        series = values if isinstance(values, pd.Series) else pd.Series(values)
        try:
            values = pa.array(series, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            values = pa.array(series.astype("string"), from_pandas=True)
    if pa.types.is_dictionary(values.type):
        values = values.dictionary_decode()
    if pa.types.is_large_string(values.type) or pa.types.is_string(values.type):
        return values
    if pa.types.is_null(values.type):
        return pa.array([], type=pa.string())
    try:
        return pc.cast(values, pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.array([None if v is None else str(v) for v in values.to_pylist()], pa.string())


@lru_cache(maxsize=8)
def _row_sample(n: int, size: int, seed: int) -> np.ndarray:
    """Sorted distinct row numbers, the same for every column of a table (computed once)."""
    import numpy as np

    picked = np.sort(np.random.default_rng(seed).choice(n, size=size, replace=False))
    picked.setflags(write=False)
    return picked


def _sample_rows(values: Any, size: int, seed: int) -> tuple[Any, int]:
    """A seeded sample of ``size`` rows of a column (Arrow, pandas or a list), and its length."""
    import pyarrow as pa

    n = len(values)
    if n <= size:
        return values, n
    picked = _row_sample(n, size, seed)
    if isinstance(values, pa.ChunkedArray | pa.Array):
        return values.take(pa.array(picked)), n
    if hasattr(values, "iloc"):
        return values.iloc[picked], n
    return [values[i] for i in picked.tolist()], n


def _distinct(
    values: Any, *, max_values: int, max_rows: int | None, seed: int, pool: _Pool
) -> _Column:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    sampled_rows = False
    row_scale = 1.0
    if max_rows is not None:
        sample, n = _sample_rows(values, max_rows, seed)
        if len(sample) < n:
            values, sampled_rows, row_scale = sample, True, n / max_rows
    strings = _as_strings(values)
    counted = pc.value_counts(strings)
    uniques = pc.utf8_trim_whitespace(counted.field("values"))
    counts = counted.field("counts").to_numpy(zero_copy_only=False).astype(np.int64)
    keep = pc.fill_null(pc.not_equal(pc.utf8_length(uniques), 0), False)
    keep_np = keep.to_numpy(zero_copy_only=False).astype(bool)
    uniques = uniques.filter(pa.array(keep_np))
    counts = counts[keep_np]
    nonnull = round(int(counts.sum()) * row_scale)
    if len(uniques) <= max_values:
        return _Column(uniques, counts, nonnull, row_scale, sampled_rows, pool)
    rng = np.random.default_rng(seed)
    picked = np.sort(rng.choice(len(uniques), size=max_values, replace=False))
    sample_counts = counts[picked]
    scale = nonnull / max(int(sample_counts.sum()), 1)
    return _Column(uniques.take(pa.array(picked)), sample_counts, nonnull, scale, True, pool)


# --------------------------------------------------------------------------------------------
# Detectors: each returns (kind, scheme, rows, basis, estimated) tuples for one column.

_Result = tuple[str, str | None, int, str, bool]


def _emails(col: _Column, hints: frozenset[str]) -> list[_Result]:
    mask = col.match(_EMAIL)
    if mask.any():
        basis = "name+values" if "email" in hints else "values"
        return [("email", None, col.rows(mask), basis, col.estimated)]
    return []


def _scheme_hit(
    col: _Column, scheme: Scheme, hints: frozenset[str], profile: Profile, within: np.ndarray
) -> _Result | None:
    import numpy as np

    named = f"id:{scheme.name}" in hints or "id:" in hints
    strong_mask = col.match_within(within, bounded(scheme.strong))
    use_weak = scheme.weak is not None and (profile == "table" or named)
    weak_mask = (
        col.match_within(within, bounded_bare(scheme.weak))
        if use_weak and scheme.weak
        else np.zeros(len(col), bool)
    )
    candidates = strong_mask | weak_mask
    if not candidates.any():
        return None
    strong_re = _token_re(scheme.strong)
    weak_re = _bare_re(scheme.weak) if use_weak and scheme.weak else None
    pairs, examined = col.examine(candidates)
    valid_strong = np.zeros(len(col), bool)
    valid_weak = np.zeros(len(col), bool)
    for index, text in pairs:
        upper = text.upper()
        if any(scheme.validate(m.group(0)) for m in strong_re.finditer(upper)):
            valid_strong[index] = True
        elif weak_re is not None and any(
            scheme.validate(m.group(0)) for m in weak_re.finditer(upper)
        ):
            valid_weak[index] = True
    valid = valid_strong | valid_weak
    n_valid = int(valid.sum())
    if n_valid == 0 or n_valid < 0.5 * int(examined.sum()):
        return None
    enough_weak = int(valid_weak.sum()) >= (1 if scheme.name in _TWO_CHECKS else 3)
    if not (valid_strong.any() or named or enough_weak):
        return None
    basis = "name+values" if named else "values"
    estimated = col.estimated or bool((candidates & ~examined).any())
    return (
        "national_id",
        scheme.name,
        col.scaled_rows(valid, examined, candidates),
        basis,
        estimated,
    )


# Bodies of identifiers often stored without their check digit (Chile's RUN and DV columns).
_BODIES = {
    "cl.rut": r"^[0-9]{1,2}\.?[0-9]{3}\.?[0-9]{3}$",
    "uy.ci": r"^[0-9]\.?[0-9]{3}\.?[0-9]{3}$",
}

# One prefilter for every scheme: most columns have no candidate at all.
_ID_UNION = bounded("|".join(p for s in SCHEMES for p in (s.strong, s.weak) if p))

# Schemes whose bare digits carry two check digits or a rigid structure: one valid value suffices.
_TWO_CHECKS = {"br.cpf", "br.cnpj", "ar.cuit", "uy.rut"}


@cache
def _token_re(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![0-9A-Za-z])(?:{pattern})(?![0-9A-Za-z])")


@cache
def _bare_re(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![0-9A-Za-z.,])(?:{pattern})(?![0-9A-Za-z]|[.,][0-9])")


def _identifiers(
    col: _Column, hints: frozenset[str], profile: Profile, country: str | None
) -> list[_Result]:
    within = col.match(_ID_UNION)
    found = []
    if within.any():
        found = [
            hit for s in SCHEMES if (hit := _scheme_hit(col, s, hints, profile, within)) is not None
        ]
    if found:
        return found
    # Schemes without a check digit: only when the column's name says so.
    named = sorted(h.removeprefix("id:") for h in hints if h.startswith("id:"))
    if not named:
        return []
    body = next((n for n in named if n in _BODIES), None)
    if body is not None:  # RUN and DV, CI and digit kept in two columns: the body identifies
        mask = col.match(_BODIES[body])
        if mask.mean() >= 0.5:
            return [("national_id", body, col.rows(mask), "name+values", col.estimated)]
    scheme = next((n for n in named if n in NO_CHECK_DIGIT), None)
    if scheme is None:
        if "" not in named:  # a scheme with a check digit, and its values do not pass it
            return []
        by_country = {"AR": "ar.dni", "CO": "co.cedula"}
        scheme = by_country.get((country or "").upper(), "document")
    mask = col.match(NO_CHECK_DIGIT[scheme][1])
    if col.distinct(mask) == 0 or mask.mean() < 0.5:
        return []
    return [("national_id", scheme, col.rows(mask), "name+values", col.estimated)]


def _phone_valid(token: str, regions: tuple[str, ...]) -> tuple[bool, str]:
    """(valid, how): how is 'international', 'formatted', 'prefixed' or 'bare'."""
    digits = _NON_DIGIT.sub("", token)
    if not 8 <= len(digits) <= 15:
        return False, "bare"
    if token.startswith(("+", "00")):
        digits = digits[2:] if token.startswith("00") else digits
        return _valid_international(digits), "international"
    if _SEPARATOR.search(token):
        return any(_valid_national(digits, r) for r in regions), "formatted"
    if len(digits) >= 11 and digits.startswith(_CALLING_CODES) and _valid_international(digits):
        return True, "prefixed"
    return any(_valid_national(digits, r) for r in regions), "bare"


def _valid_international(digits: str) -> bool:
    import phonenumbers

    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return False
    if phonenumbers.is_valid_number(number):
        return True
    # WhatsApp still writes Mexican mobiles as +52 1 XX XXXX XXXX (the "1" was dropped in 2019).
    national = str(number.national_number)
    if number.country_code == 52 and len(national) == 11 and national.startswith("1"):
        return _valid_international("52" + national[1:])
    return False


def _valid_national(digits: str, region: str) -> bool:
    import phonenumbers

    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(digits, region)))
    except phonenumbers.NumberParseException:
        return False


def _phones(
    col: _Column, hints: frozenset[str], profile: Profile, country: str | None
) -> list[_Result]:
    import numpy as np

    candidates = col.match(_PHONE_PREFILTER) & ~col.match(_DECIMAL)
    if not candidates.any():
        return []
    named = "phone" in hints
    regions = (country.upper(),) if country else PHONE_REGIONS
    strong = np.zeros(len(col), bool)
    weak = np.zeros(len(col), bool)
    tried = np.zeros(len(col), bool)
    pairs, examined = col.examine(candidates)
    for step, (index, text) in enumerate(pairs, start=1):
        if step % 100 == 0 and (strong | weak).sum() < 0.25 * tried.sum():
            break  # clearly not a column of phone numbers; stop spending parses on it
        for match in _PHONE_TOKEN.finditer(text):
            token = match.group(0)
            if (
                _DATE_LIKE.search(token)
                or _DECIMAL_TOKEN.fullmatch(token)
                or _ID_SHAPED.fullmatch(token)
                or request_number_shaped(token)
            ):
                continue
            bare = token.isdigit()
            prefixed = len(token) >= 11 and token.startswith(_CALLING_CODES)
            if bare and (profile == "artefact" or not (named or prefixed)):
                continue  # bare national digits: too many random strings are "valid"
            tried[index] = True
            ok, how = _phone_valid(token, regions)
            if ok and how in ("international", "formatted"):
                strong[index] = True
                break
            if ok:
                weak[index] = True
    valid = strong | weak
    n_valid = int(valid.sum())
    if n_valid == 0 or n_valid < 0.5 * int(tried.sum()):
        return []
    if not (strong.any() or named or int(weak.sum()) >= 3):
        return []
    estimated = col.estimated or bool((candidates & ~examined).any())
    basis = "name+values" if named else "values"
    return [("phone", None, col.scaled_rows(valid, examined, candidates), basis, estimated)]


def _coordinates(col: _Column, hints: frozenset[str], profile: Profile) -> list[_Result]:
    import numpy as np
    import pyarrow.compute as pc

    axis = hints & {"latitude", "longitude"}
    if axis:
        numeric = col.match(_DECIMAL) | col.match(r"^\s*-?[0-9]{1,3}\s*$")
        precise = col.match(_PRECISE_DEGREES)
        if precise.any():
            limit = 90.0 if "latitude" in axis else 180.0
            as_float = _floats(
                pc.cast(pc.replace_substring(col.strings(precise), ",", "."), "float64")
            )
            in_range = np.zeros(len(col), bool)
            in_range[np.flatnonzero(precise)] = np.abs(as_float) <= limit
            if in_range.sum() >= 0.5 * max(int(numeric.sum()), 1):
                return [("coordinates", None, col.rows(in_range), "name+values", col.estimated)]
    if "projected" in hints:
        numeric = col.match(r"^\s*-?[0-9]{4,8}(?:[.,][0-9]+)?\s*$")
        if numeric.any():
            values = _floats(
                pc.cast(pc.replace_substring(col.strings(numeric), ",", "."), "float64")
            )
            fine = np.zeros(len(col), bool)
            fine[np.flatnonzero(numeric)] = np.abs(values - np.round(values, -2)) > 1e-9
            if fine.sum() >= 0.5 * numeric.sum():
                return [("coordinates", None, col.rows(fine), "name+values", col.estimated)]
    pairs_mask = col.match(_PAIR)
    if not pairs_mask.any():
        return []
    located = np.zeros(len(col), bool)
    pairs, examined = col.examine(pairs_mask)
    for index, text in pairs:
        for a, b in [*_PAIR_TOKEN.findall(text), *_POINT_TOKEN.findall(text)]:
            x, y = float(a), float(b)
            plausible = min(abs(x), abs(y)) <= 90 and max(abs(x), abs(y)) <= 180
            # Latin America lies west of Greenwich: a real pair has a longitude beyond 10°.
            plausible &= max(abs(x), abs(y)) >= 10
            if profile == "artefact":
                plausible &= x < 0 or y < 0
            if plausible:
                located[index] = True
                break
    if not located.any():
        return []
    basis = "name+values" if "point" in hints else "values"
    estimated = col.estimated or bool((pairs_mask & ~examined).any())
    return [("coordinates", None, col.scaled_rows(located, examined, pairs_mask), basis, estimated)]


def _person_names(col: _Column, hints: frozenset[str]) -> list[_Result]:
    import numpy as np

    if "not_person" in hints:
        return []
    wordy = col.match(_WORDS)
    if not wordy.any():
        return []
    if "person_name" in hints:
        if wordy.sum() >= 0.5 * len(col):
            return [("person_name", None, col.rows(wordy), "name+values", col.estimated)]
        return []
    named = np.zeros(len(col), bool)
    single = np.zeros(len(col), bool)
    pairs, examined = col.examine(wordy)
    for index, text in pairs:
        folded = _fold(text)
        if "," in folded:  # "PEREZ GARCIA, JUAN"
            folded = folded.split(",", 1)[1]
        words = folded.replace(".", " ").split()
        if any(w in PLACE_WORDS for w in words):
            continue  # "John Jay Park", "George Washington Bridge"
        if words and words[0] in ALL_GIVEN_NAMES:
            if len(words) >= 2:
                named[index] = True
            else:
                single[index] = True
    # shares over all distinct values, estimated from the examined ones
    share = float(wordy.sum()) / max(int(examined.sum()), 1) / len(col)
    estimated = col.estimated or bool((wordy & ~examined).any())
    people = named | single
    if named.sum() >= 3 and named.sum() * share >= 0.5:
        return [
            ("person_name", None, col.scaled_rows(people, examined, wordy), "values", estimated)
        ]
    if single.sum() >= 5 and people.sum() * share >= 0.8:
        return [
            ("person_name", None, col.scaled_rows(people, examined, wordy), "values", estimated)
        ]
    return []


_FLAG = r"(?i)^\s*(?:y|n|s|yes|no|si|sí|sim|nao|não|true|false|t|f|0|1|-)\s*$"


def _addresses(col: _Column, hints: frozenset[str]) -> list[_Result]:
    if "address" in hints:
        flags = col.match(_FLAG)
        if flags.all():  # "AddressVerified": Y/N, not an address
            return []
        if "split_address" not in hints and not col.match(r"[0-9]").any():
            return []  # street names without any number ("RUA XV DE NOVEMBRO") locate no home
        basis = "name+values" if col.match(_ADDRESS).any() else "name"
        return [("address", None, col.nonnull_rows, basis, col.estimated)]
    if "not_person" in hints:  # a zone or category column: "Colonia Centro 2" is not a home
        return []
    mask = col.match(_ADDRESS)
    if col.distinct(mask) >= 3 and mask.sum() >= 0.3 * len(col):
        return [("address", None, col.rows(mask), "values", col.estimated)]
    return []


def _birth_dates(col: _Column, hints: frozenset[str]) -> list[_Result]:
    if "birth_date" in hints and col.nonnull_rows:
        return [("birth_date", None, col.nonnull_rows, "name", col.estimated)]
    return []


def _in_text(
    col: _Column, hints: frozenset[str], country: str | None, found: set[str]
) -> list[_Result]:
    """Artefacts: spans of personal data inside each value (see ``auditkit.privacy._text``).

    Group labels, report cells and lines are short: every distinct value is read in Python.
    """
    import numpy as np

    if "not_text" in hints:
        return []
    values = col.texts()
    memo = col.pool.personal(country)
    masks: dict[str, np.ndarray] = {}
    for index, value in enumerate(values):
        spans = memo.get(value)
        if spans is None:
            spans = _spans(memo, value, country)
        for _, _, kind in spans:
            if kind in found:
                continue
            masks.setdefault(kind, np.zeros(len(values), bool))[index] = True
    return [
        (kind, None, max(col.rows(mask), 1), "values", col.estimated)
        for kind, mask in sorted(masks.items())
    ]


# --------------------------------------------------------------------------------------------


def _label(column: str, position: int, pool: _Pool) -> str:
    """The column's name, unless the name itself looks like personal data (judged once per
    name in a scan)."""
    text = str(column)
    looks = pool.labels.get(text)
    if looks is None:
        words = _fold(text).split()
        looks = bool(
            _spans(pool.personal(None), text, None)
            or re.search(_EMAIL, text)
            or re.search(r"[0-9]{6,}", re.sub(r"[ .\-/()]", "", text))
            or (words and words[0] in GIVEN_NAMES)
        )
        pool.labels[text] = looks
    return f"#{position + 1}" if looks else text


def scan_columns(
    columns: Mapping[str, Any] | Iterable[tuple[str, Any]],
    *,
    source: str,
    country: str | None = None,
    profile: Profile = "table",
    max_values: int = MAX_VALUES,
    max_rows: int | None = MAX_ROWS,
    seed: int = 0,
) -> list[PersonalDataHit]:
    """Scan named columns (any sequence of values: Arrow, pandas, lists).

    Parameters
    ----------
    columns : mapping or iterable of (name, values)
        The columns to scan.
    source : str
        Name of the file or artefact, for the hits.
    country : str, optional
        ISO 3166-1 alpha-2 code of the pilot: the region of national phone numbers and of
        identity documents without a check digit.
    profile : {"table", "artefact"}
        ``"artefact"`` scans outputs (findings.json, reports) where group labels and metric values
        must not be mistaken for names or phone numbers: only value evidence that cannot be
        mistaken for a label counts (e-mail addresses, formatted or international phone numbers,
        identifiers with check digits, signed coordinate pairs) plus column names of direct kinds.
    max_values : int
        Distinct values scanned per column before sampling them.
    max_rows : int or None
        Rows scanned per column before sampling them (``None``: every row).
    seed : int
        Seed of that sampling, so that repeated scans agree.

    Returns
    -------
    list of PersonalDataHit
        Sorted by column position then kind.
    """
    items = list(columns.items()) if isinstance(columns, Mapping) else list(columns)
    [hits] = scan_tables(
        [(source, items, profile)],
        country=country,
        max_values=max_values,
        max_rows=max_rows,
        seed=seed,
    )
    return hits


def scan_tables(
    tables: Iterable[tuple[str, Iterable[tuple[str, Any]], Profile]],
    *,
    country: str | None = None,
    max_values: int = MAX_VALUES,
    max_rows: int | None = MAX_ROWS,
    seed: int = 0,
) -> list[list[PersonalDataHit]]:
    """:func:`scan_columns` of several tables at once (source, columns, profile): the hits of
    each, as if each were scanned alone.

    Columns given as lists of strings (an artefact's key paths and lines) share one
    :class:`_Pool`: every pattern runs once over the distinct strings of all of them, and each
    string's spans are found once. The publishing gate scans a review's whole bundle so.
    """
    listed = [(source, list(columns), profile) for source, columns, profile in tables]
    pool = _Pool()
    registered: dict[tuple[int, int], tuple[list[int], list[int], int]] = {}
    for t, (_, columns, _) in enumerate(listed):
        for i, (_, values) in enumerate(columns):
            if not isinstance(values, list):
                continue
            n = len(values)
            if max_rows is not None:
                values, n = _sample_rows(values, max_rows, seed + i)
            found = pool.register(values)
            if found is not None:
                registered[t, i] = (*found, n)
    pool.settle()

    def prepare(t: int, i: int, values: Any) -> _Column:
        if (t, i) not in registered:
            return _distinct(
                values, max_values=max_values, max_rows=max_rows, seed=seed + i, pool=pool
            )
        raw_ids, counts, n = registered[t, i]
        sampled = max_rows is not None and n > max_rows
        return pool.column(
            raw_ids,
            counts,
            row_scale=n / max_rows if sampled and max_rows else 1.0,
            sampled_rows=sampled,
            max_values=max_values,
            seed=seed + i,
        )

    return [
        _scan_prepared(
            ((str(name), prepare(t, i, values)) for i, (name, values) in enumerate(columns)),
            [str(name) for name, _ in columns],
            source,
            country=country,
            profile=profile,
            pool=pool,
        )
        for t, (source, columns, profile) in enumerate(listed)
    ]


@dataclass(frozen=True)
class DistinctValues:
    """A column given as its distinct values and their row counts (computed elsewhere).

    What an engine returns for a table too large to read (:mod:`auditkit.engine._profile`).

    Parameters
    ----------
    name : str
        The column.
    values : Arrow array or sequence
        Distinct values (any type: numbers are scanned in their shortest text form), every one
        of them or a sample.
    counts : sequence of int
        Rows holding each value.
    nonnull_rows : int
        Rows of the column with a value.
    complete : bool
        ``values`` holds every distinct value; otherwise the rows of a kind are estimated from
        the sample (``estimated=True``).
    """

    name: str
    values: Any
    counts: Any
    nonnull_rows: int
    complete: bool = True


def _from_distinct(column: DistinctValues, pool: _Pool) -> _Column:
    """The scan's view of a column given as distinct values (trimmed; blanks dropped)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    strings = _as_strings(column.values)
    counts = np.asarray(column.counts, dtype=np.int64)
    uniques = pc.utf8_trim_whitespace(strings)
    keep = pc.fill_null(pc.not_equal(pc.utf8_length(uniques), 0), False)
    keep_np = keep.to_numpy(zero_copy_only=False).astype(bool)
    uniques, counts = uniques.filter(pa.array(keep_np)), counts[keep_np]
    if column.complete:
        return _Column(uniques, counts, int(counts.sum()), 1.0, False, pool)
    scale = column.nonnull_rows / max(int(counts.sum()), 1)
    return _Column(uniques, counts, column.nonnull_rows, scale, True, pool)


def scan_distinct(
    columns: Iterable[DistinctValues],
    *,
    source: str,
    country: str | None = None,
    profile: Profile = "table",
) -> list[PersonalDataHit]:
    """Scan columns given as distinct values and counts; the rules of :func:`scan_columns`.

    The same hits as :func:`scan_columns` on the rows those values and counts describe, when
    every distinct value is given (and the order of the values does not change a sample, that
    is, below 500 candidates of a kind per column).

    Examples
    --------
    >>> column = DistinctValues("correo", ["ana@example.org", "Centro"], [3, 1], nonnull_rows=4)
    >>> [(h.column, h.kind, h.rows) for h in scan_distinct([column], source="t")]
    [('correo', 'email', 3)]
    """
    items = list(columns)
    pool = _Pool()
    pool.settle()  # nothing registered: the columns are held in Arrow
    prepared = ((c.name, _from_distinct(c, pool)) for c in items)
    return _scan_prepared(
        prepared, [c.name for c in items], source, country=country, profile=profile, pool=pool
    )


def _scan_prepared(
    prepared: Iterable[tuple[str, _Column]],
    names: list[str],
    source: str,
    *,
    country: str | None,
    profile: Profile,
    pool: _Pool,
) -> list[PersonalDataHit]:
    hits: list[PersonalDataHit] = []
    # A street column next to a house-number column is a home address split in two (reported
    # on the street column: the number alone locates nothing).
    house_number = any("house_number" in column_hints(name) for name in names)
    for position, (name, col) in enumerate(prepared):
        hints = column_hints(name)
        if house_number and "street" in hints:
            hints = hints | {"address", "split_address"}
        if col.nonnull_rows == 0:
            continue
        results: list[_Result] = []
        results += _emails(col, hints)
        results += _identifiers(col, hints, profile, country)
        if not any(r[0] == "national_id" for r in results):
            results += _phones(col, hints, profile, country)
        results += _coordinates(col, hints, profile)
        if profile == "artefact":
            results += _in_text(col, hints, country, {r[0] for r in results})
        if profile == "table":
            results += _birth_dates(col, hints)
            if not results:
                results += _person_names(col, hints)
            if not any(r[0] in ("person_name", "email") for r in results):
                results += _addresses(col, hints)
        label = _label(name, position, pool)
        seen: set[tuple[str, str | None]] = set()
        for kind, scheme, rows, basis, estimated in results:
            if (kind, scheme) in seen or rows <= 0:
                continue
            seen.add((kind, scheme))
            hits.append(
                PersonalDataHit(
                    source=source,
                    column=label,
                    kind=kind,
                    rows=rows,
                    basis=basis,
                    scheme=scheme,
                    estimated=estimated,
                )
            )
    return hits


def scan_frame(
    frame: pd.DataFrame,
    *,
    source: str,
    country: str | None = None,
    profile: Profile = "table",
    max_values: int = MAX_VALUES,
    max_rows: int | None = MAX_ROWS,
    seed: int = 0,
) -> list[PersonalDataHit]:
    """Scan every column of a pandas DataFrame; see :func:`scan_columns`.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"correo": ["ana@example.org", None], "zona": ["Centro", "Norte"]})
    >>> [(h.column, h.kind, h.rows) for h in scan_frame(frame, source="t.csv")]
    [('correo', 'email', 1)]
    """
    return scan_columns(
        ((str(name), frame.iloc[:, i]) for i, name in enumerate(frame.columns)),
        source=source,
        country=country,
        profile=profile,
        max_values=max_values,
        max_rows=max_rows,
        seed=seed,
    )
