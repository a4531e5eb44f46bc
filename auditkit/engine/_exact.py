"""Sums of decimals that come back with the same bits from every engine and every run.

A parallel engine adds floating-point numbers in whatever order its threads finish, so the last
bits of a ``SUM`` of doubles change from run to run (DuckDB on two threads, PostgreSQL's
parallel aggregate, Spark's partial aggregates), and a review's ``findings.json`` with them.
Each value is therefore turned into an integer number of ``2**-52`` units before it is summed,

    units(x) = floor(x) * 2**52 + floor((x - floor(x)) * 2**52 + 0.5)

and its two integer parts are added as ``DECIMAL(38, 0)``, which every engine adds exactly, in
any order; the parts are combined after the sum, in Python.

Every step is exact or one IEEE double rounding that every engine performs alike (``x -
floor(x)`` is exact for ``x >= 0`` and one rounding below zero, multiplying by a power of two is
exact, ``+ 0.5`` is one rounding), unlike a cast of a double to a decimal, which engines round
differently (PostgreSQL through 15 significant digits, Spark through the shortest decimal
string). No pass over the data is needed first. A value moves by at most ``2**-52`` (about
``2e-16``); integers (counts) not at all. The exact total comes back as one correctly rounded
double.

Values must be finite and below ``2**52`` in magnitude (a NaN or infinite value is refused by the
caller, naming its column).

Examples
--------
>>> units(np.array([1.5, -2.25, 3.0])).tolist()
[6755399441055744, -10133099161583616, 13510798882111488]
>>> float(from_units(sum(units(np.array([0.1, 0.2])).tolist())))
0.30000000000000004
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

__all__ = [
    "UNIT_BITS",
    "exact_sum",
    "from_units",
    "nonfinite",
    "take_sum",
    "units",
    "units_of",
]

UNIT_BITS = 52
_UNIT = 2.0**UNIT_BITS
_WHOLE = "__whole"
_UNITS = "__units"


def units(values: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """The integer units of each value, as the engines compute them (numpy, for tests)."""
    array = np.asarray(values, dtype=np.float64)
    whole = np.floor(array)
    fraction = np.floor((array - whole) * _UNIT + 0.5)
    return np.asarray(
        [int(w) * (1 << UNIT_BITS) + int(f) for w, f in zip(whole, fraction, strict=True)],
        dtype=object,
    )


def exact_sum(name: str, value: ir.NumericValue) -> dict[str, ir.NumericScalar]:
    """``SUM(value)`` as two exact integer sums, to put among a ``GROUP BY``'s metrics.

    The whole parts and the fraction units are summed apart (each as ``DECIMAL(38, 0)``, no
    multiplication in the engine: DuckDB turns a decimal product wider than 38 digits into a
    double); :func:`take_sum` combines them. NaN and infinite values are summed as 0: count
    them with :func:`nonfinite` and refuse them.
    """
    import ibis.expr.datatypes as dt

    x = value.cast("float64")
    x = (x.isnan() | x.isinf()).ifelse(0.0, x)
    whole = x.floor().cast("int64")
    fraction = ((x - whole.cast("float64")) * _UNIT + 0.5).floor().cast("int64")
    integer = dt.Decimal(38, 0)
    return {
        f"{name}{_WHOLE}": whole.cast(integer).sum(),
        f"{name}{_UNITS}": fraction.cast(integer).sum(),
    }


def take_sum(frame: pd.DataFrame, name: str) -> npt.NDArray[np.float64]:
    """The column ``name`` of a grouped result as doubles (its two exact parts removed)."""
    wholes = frame.pop(f"{name}{_WHOLE}")
    fractions = frame.pop(f"{name}{_UNITS}")
    return np.fromiter(
        (
            from_units(units_of(w) * (1 << UNIT_BITS) + units_of(f))
            for w, f in zip(wholes, fractions, strict=True)
        ),
        dtype=np.float64,
        count=len(frame),
    )


def nonfinite(value: ir.NumericValue) -> ir.IntegerScalar:
    """Rows where ``value`` is NaN or infinite (they are summed as 0: refuse them)."""
    x = value.cast("float64")
    total: ir.IntegerScalar = (x.isnan() | x.isinf()).ifelse(1, 0).sum()
    return total


def units_of(total: Any) -> int:
    """One engine total (a decimal, an integer, or missing for no rows) as an integer."""
    if total is None or (isinstance(total, float) and math.isnan(total)):
        return 0
    return int(total)


def from_units(total: int) -> float:
    """Integer units back as a double: the exact total, rounded once."""
    return math.ldexp(float(total), -UNIT_BITS) if abs(total) < 2**1000 else float("inf")
