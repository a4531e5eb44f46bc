"""Sums of decimals that come back with the same bits from every engine and every run.

A parallel engine adds floating-point numbers in whatever order its threads finish, so the last
bits of a ``SUM`` of doubles change from run to run (DuckDB on two threads, PostgreSQL's
parallel aggregate, Spark's partial aggregates), and a review's ``findings.json`` with them.
Each value is therefore turned into an integer number of ``2**-52`` units before it is summed,

    units(x) = floor(x) * 2**52 + floor((x - floor(x)) * 2**52 + 0.5)

computed as ``DECIMAL(22, 0) * DECIMAL(16, 0) + DECIMAL(16, 0)`` (38 digits: DuckDB turns a
wider decimal product into a double) and added as ``DECIMAL(38, 0)``, which every engine adds
exactly, in any order. The totals come back as Python integers (:func:`exact_int`): sums of
them stay exact, and :func:`as_float` rounds once at the end.

Every step is exact or one IEEE double rounding that every engine performs alike (``x -
floor(x)`` is exact for ``x >= 0`` and one rounding below zero, multiplying by a power of two is
exact, ``+ 0.5`` is one rounding), unlike a cast of a double to a decimal, which engines round
differently (PostgreSQL through 15 significant digits, Spark through the shortest decimal
string). No pass over the data is needed first. A value moves by at most ``2**-52`` (about
``2e-16``); integers (counts) not at all. The exact total comes back as one correctly rounded
double.

Values must be finite and below ``10**22`` in magnitude, and a total below ``10**38`` units
(``|x| * rows < 2e22``): beyond that the engine reports an overflow. NaN and infinite values are
summed as 0; count them with :func:`nonfinite` and refuse them, naming the column.

Examples
--------
>>> units(np.array([1.5, -2.25, 3.0])).tolist()
[6755399441055744, -10133099161583616, 13510798882111488]
>>> float(as_float(sum(units(np.array([0.1, 0.2])).tolist())))
0.30000000000000004
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from collections.abc import Mapping

    import ibis.expr.types as ir

    from auditkit.engine._source import Source

__all__ = [
    "UNIT",
    "as_float",
    "exact_int",
    "exact_sum",
    "nonfinite",
    "refuse_nonfinite",
    "units",
]

UNIT_BITS = 52
UNIT = 1 << UNIT_BITS  # one, in units: an unweighted count ``n`` is ``n * UNIT``


def units(values: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """The integer units of each value, as the engines compute them (numpy: arrays in memory)."""
    array = np.asarray(values, dtype=np.float64)
    whole = np.floor(array)
    fraction = np.floor((array - whole) * float(UNIT) + 0.5)
    return np.asarray(
        [int(w) * UNIT + int(f) for w, f in zip(whole.tolist(), fraction.tolist(), strict=True)],
        dtype=object,
    )


def exact_sum(value: ir.NumericValue) -> ir.NumericScalar:
    """``SUM(value)`` in integer units, exact in every engine (read back with :func:`exact_int`)."""
    import ibis
    import ibis.expr.datatypes as dt

    x = value.cast("float64")
    x = (x.isnan() | x.isinf()).ifelse(0.0, x)
    whole = x.floor().cast("int64")
    fraction = ((x - whole.cast("float64")) * float(UNIT) + 0.5).floor().cast("int64")
    unit = ibis.literal(UNIT, type=dt.Decimal(16, 0))
    fixed = whole.cast(dt.Decimal(22, 0)) * unit + fraction.cast(dt.Decimal(16, 0))
    total: ir.NumericScalar = fixed.cast(dt.Decimal(38, 0)).sum()
    return total


def nonfinite(value: ir.NumericValue) -> ir.IntegerScalar:
    """Rows where ``value`` is NaN or infinite (:func:`exact_sum` adds them as 0: refuse them)."""
    x = value.cast("float64")
    total: ir.IntegerScalar = (x.isnan() | x.isinf()).ifelse(1, 0).sum()
    return total


def refuse_nonfinite(frame: Any, counts: Mapping[str, str], source: Source) -> None:
    """Raise naming the first column (``column -> name of its nonfinite count``) with NaN or
    infinite values in a grouped result (a frame, or anything that maps names to columns)."""
    from auditkit._errors import InputDataError

    for column, name in counts.items():
        count = int(frame[name].sum()) if name in frame else 0
        if count:
            raise InputDataError(
                f"column '{column}' has {count} NaN or infinite values in {source.label}.",
                file=source.files[0] if len(source.files) == 1 else None,
                hint="Every outcome, prediction, bound, score and weight must be a finite "
                "number: drop or fix those rows before the review (or in the query).",
            )


def exact_int(totals: Any) -> list[int]:
    """Engine totals (decimals, integers, or missing for a group without values) as integers."""
    out = []
    for total in totals:
        if total is None or (isinstance(total, float) and math.isnan(total)):
            out.append(0)
        else:
            out.append(int(total))
    return out


def _one(total: int) -> float:
    return math.ldexp(float(total), -UNIT_BITS)


def as_float(total: int | Any) -> Any:
    """Integer units (one, or a sequence or object array of them) as doubles, rounded once."""
    if isinstance(total, int | np.integer):
        return _one(int(total))
    return np.fromiter((_one(int(t)) for t in total), dtype=np.float64, count=len(total))
