"""Bootstrap blocks: every row dealt to a block by a hash of its row number or of a row key.

The hash uses only 64-bit integer arithmetic (add, multiply, modulo, shift, xor), so numpy and
every SQL engine (DuckDB, PostgreSQL, Spark) deal each row to the same block: the bootstrap
intervals do not depend on where the statistics were computed. Rows are numbered from 0 in the
order the table is read; the seed moves every row to another block.

With ``data.row_key`` a row is dealt by its key instead, so the blocks do not depend on the order
the rows are stored in either (a re-exported or re-partitioned table gives the same intervals),
and rows sharing a key stay in one block. An integer key is folded to 32 bits by the same mixer;
a text key by the first 32 bits of its MD5 digest (``md5()`` in DuckDB, PostgreSQL and Spark, and
:mod:`hashlib` here), over its UTF-8 bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from auditkit._errors import InputDataError

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from auditkit.engine._source import Source

__all__ = [
    "block_expression",
    "block_of_rows",
    "check_row_key",
    "key_hash",
    "key_hash_expression",
    "refuse_missing_keys",
    "salt",
]

_MOD = 2**32
_MULTIPLIER = 0x45D9F3B  # an odd 27-bit constant: products stay below 2**59
_GOLDEN = 0x9E3779B1


def salt(seed: int) -> int:
    """The seed as an offset in ``[0, 2**32)``."""
    return (int(seed) * _GOLDEN + 0x7F4A7C15) % _MOD


def _mix(x: Any) -> Any:
    """A 32-bit integer mixer on int64 values in ``[0, 2**32)`` (numpy arrays or Ibis columns)."""
    x = (((x >> 16) ^ x) * _MULTIPLIER) % _MOD
    x = (((x >> 16) ^ x) * _MULTIPLIER) % _MOD
    return (x >> 16) ^ x


def block_of_rows(
    row_number: npt.NDArray[np.int64], n_blocks: int, seed: int
) -> npt.NDArray[np.intp]:
    """Block of each row (numpy), in ``[0, n_blocks)``.

    Examples
    --------
    >>> block_of_rows(np.arange(5, dtype=np.int64), 3, seed=0).tolist()
    [2, 0, 2, 2, 0]
    """
    x = (np.asarray(row_number, dtype=np.int64) % _MOD + salt(seed)) % _MOD
    return np.asarray(_mix(x) % n_blocks, dtype=np.intp)


def block_expression(row_number: ir.IntegerValue, n_blocks: int, seed: int) -> ir.IntegerValue:
    """The same block as :func:`block_of_rows`, as an Ibis expression evaluated in the engine."""
    x = (row_number.cast("int64") % _MOD + salt(seed)) % _MOD
    result: ir.IntegerValue = _mix(x) % n_blocks
    return result


def _fold(x: Any) -> Any:
    """A 64-bit integer (numpy array or Ibis column) as a hash in ``[0, 2**32)``.

    Keys below ``2**32`` are themselves, so a key equal to the row number deals as the row.
    """
    low = ((x % _MOD) + _MOD) % _MOD  # SQL's remainder keeps the sign: make it non-negative
    high = (((x >> 32) % _MOD) + _MOD) % _MOD
    return _mix(high) ^ low


def key_hash(values: Any) -> npt.NDArray[np.int64]:
    """The hash in ``[0, 2**32)`` of each row key (integers, or text hashed by MD5).

    Pass it to :func:`block_of_rows` in place of the row number.

    Examples
    --------
    >>> key_hash(np.array([0, 7, 2**40])).tolist()[:2]
    [0, 7]
    >>> key_hash(np.array(["SR-2026-001"], dtype=object)).tolist()
    [1902066423]
    """
    import hashlib

    array = np.asarray(values)
    if array.dtype.kind in "iu":
        return np.asarray(_fold(array.astype(np.int64)), dtype=np.int64)
    digests = [int(hashlib.md5(str(v).encode("utf-8")).hexdigest()[:8], 16) for v in array]
    return np.asarray(digests, dtype=np.int64)


def key_hash_expression(key: ir.Value) -> ir.IntegerValue:
    """The same hash as :func:`key_hash`, as an Ibis expression evaluated in the engine."""
    import ibis

    if key.type().is_integer():
        folded: ir.IntegerValue = _fold(key.cast("int64"))
        return folded

    @ibis.udf.scalar.builtin  # type: ignore[untyped-decorator]
    def md5(value: str) -> str:  # type: ignore[empty-body]
        """MD5 as 32 lowercase hexadecimal digits (DuckDB, PostgreSQL and Spark alike)."""

    digest = md5(key.cast("string"))
    digits = ibis.literal("0123456789abcdef")
    value: ir.IntegerValue = ibis.literal(0).cast("int64")
    for position in range(8):
        value = value * 16 + digits.find(digest.substr(position, 1)).cast("int64")
    return value


def _file(source: Source) -> Any:
    return source.files[0] if len(source.files) == 1 else None


def check_row_key(table: ir.Table, row_key: str, source: Source) -> None:
    """``data.row_key`` names an integer or text column of the source."""
    found = table.schema()[row_key]
    if not (found.is_integer() or found.is_string()):
        raise InputDataError(
            f"data.row_key '{row_key}' must be an integer or text column; in {source.label} it "
            f"is {found}.",
            file=_file(source),
            hint="Point data.row_key at the case or record id, or cast it in data.query "
            f"(CAST({row_key} AS VARCHAR)).",
        )


def refuse_missing_keys(missing: int, row_key: str, source: Source) -> None:
    """Every row needs a key to be dealt to a block."""
    if missing:
        raise InputDataError(
            f"data.row_key '{row_key}' has {missing} missing values in {source.label}; every "
            "row needs a key to be dealt to a bootstrap block.",
            file=_file(source),
            hint="Fill or drop those rows (or filter them in data.query), or remove "
            "data.row_key to deal rows by their row number.",
        )
