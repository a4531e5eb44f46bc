"""Bootstrap blocks: every row dealt to a block by a hash of its row number.

The hash uses only 64-bit integer arithmetic (add, multiply, modulo, shift, xor), so numpy and
every SQL engine (DuckDB, PostgreSQL, Spark) deal each row to the same block: the bootstrap
intervals do not depend on where the statistics were computed. Rows are numbered from 0 in the
order the table is read; the seed moves every row to another block.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["block_expression", "block_of_rows", "salt"]

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
