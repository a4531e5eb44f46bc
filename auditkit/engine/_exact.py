"""Sums of decimals that come back with the same bits from every engine and every run.

A parallel engine adds floating-point numbers in whatever order its threads finish, so the last
bits of a ``SUM`` of doubles change from run to run (DuckDB on two threads, PostgreSQL's
parallel aggregate, Spark's partial aggregates): a review's ``findings.json`` would change
with them. Each value is therefore rounded once to a fixed-point integer, ``floor(x * 2**k +
0.5)``, with ``k`` chosen from a bound on ``|x|`` so that every integer stays below
``2**BITS``; the integers are summed as ``DECIMAL(38, 0)``, which every engine adds exactly
(in any order), and the exact total is divided by ``2**k`` on the way back.

Rounding costs at most ``bound * 2**-(BITS + 1)`` per row (about ``4e-16`` of the largest value
at ``BITS = 50``), the same order as one double-precision rounding.

Examples
--------
>>> scale = scale_for(3.0)
>>> scale == 2.0**48
True
>>> quantize(np.array([1.5, -2.25, 0.1]), scale).tolist()
[422212465065984, -633318697598976, 28147497671066]
>>> float(from_sum(28147497671066, scale))  # 0.1 back, to 15 digits
0.10000000000000142
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

__all__ = ["BITS", "exact_sum", "from_sum", "from_sums", "quantize", "scale_for"]

BITS = 50


def scale_for(bound: float) -> float:
    """The power of two ``2**k`` that brings values up to ``|bound|`` just below ``2**BITS``.

    ``bound`` must be finite (a NaN or infinite column is refused before summing).
    """
    if not math.isfinite(bound):
        raise ValueError(f"bound must be finite; found {bound}")
    _, exponent = math.frexp(abs(bound))  # |bound| < 2**exponent
    return math.ldexp(1.0, BITS - exponent)


def quantize(values: npt.ArrayLike, scale: float) -> npt.NDArray[np.int64]:
    """The fixed-point integers the engine sums (numpy, for tests and the doctest)."""
    array = np.asarray(values, dtype=np.float64)
    return np.floor(array * scale + 0.5).astype(np.int64)


def exact_sum(value: ir.NumericValue, scale: float) -> ir.NumericScalar:
    """``SUM(value)`` as an exact fixed-point total (read it back with :func:`from_sums`)."""
    import ibis.expr.datatypes as dt

    fixed = ((value.cast("float64") * scale) + 0.5).floor().cast("int64")
    total: ir.NumericScalar = fixed.cast(dt.Decimal(38, 0)).sum()
    return total


def from_sum(total: Any, scale: float) -> float:
    """One exact total back as a float (the integer is converted once, correctly rounded)."""
    if total is None or (isinstance(total, float) and math.isnan(total)):
        return 0.0
    return float(int(total)) / scale


def from_sums(totals: pd.Series, scale: float) -> npt.NDArray[np.float64]:
    """A column of exact totals (decimals, integers or nulls) back as floats."""
    return np.fromiter(
        (from_sum(total, scale) for total in totals), dtype=np.float64, count=len(totals)
    )
