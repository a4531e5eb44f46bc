"""Small-cell suppression for every public output.

A count of fewer than ``k`` people or requests, and any rate, share or mean computed over fewer
than ``k``, is shown as the text ``"< k"`` (e.g. ``"< 10"``): small cells can identify the people
in them (one complaint from a small zone, two residents of an age band). ``k`` is
``privacy.min_cell`` in ``audit.yaml`` (default 10).

These helpers only *mask* primary cells. They do not do complementary suppression: when a table
also publishes its total, a single suppressed cell can be recovered by subtraction, so publish
totals only over unsuppressed cells or suppress a second cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["is_suppressed", "suppress_count", "suppress_rate", "suppress_table", "suppressed"]

T = TypeVar("T")


def suppressed(k: int) -> str:
    """The text shown instead of a small cell.

    >>> suppressed(10)
    '< 10'
    """
    return f"< {k}"


def is_suppressed(value: Any) -> bool:
    """True when ``value`` is the text of a suppressed cell.

    >>> is_suppressed("< 10"), is_suppressed(10)
    (True, False)
    """
    return isinstance(value, str) and value.startswith("< ") and value[2:].isdigit()


def _check_k(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k (privacy.min_cell) must be a positive integer; got {k!r}")
    return k


def suppress_count(n: int, k: int = 10) -> int | str:
    """``n`` itself when at least ``k``, else ``"< k"`` (zero included).

    >>> suppress_count(12, 10), suppress_count(3, 10), suppress_count(0, 10)
    (12, '< 10', '< 10')
    """
    _check_k(k)
    return n if n >= k else suppressed(k)


def suppress_rate(value: T, n: int, k: int = 10) -> T | str:
    """A rate, share or mean ``value`` computed over ``n`` people or requests.

    >>> suppress_rate(0.25, 40), suppress_rate(0.5, 4)
    (0.25, '< 10')
    """
    _check_k(k)
    return value if n >= k else suppressed(k)


def suppress_table(
    table: pd.DataFrame | Sequence[Mapping[str, Any]],
    *,
    k: int = 10,
    counts: Iterable[str] = ("n",),
    rates: Mapping[str, str] | None = None,
) -> pd.DataFrame | list[dict[str, Any]]:
    """Suppress the small cells of a tidy table (a DataFrame or a list of row dicts).

    Parameters
    ----------
    table : DataFrame or sequence of mappings
        One row per group (x metric). Not modified: a new table is returned.
    k : int
        The minimum cell (``privacy.min_cell``).
    counts : iterable of str
        Count columns: each is suppressed where it is below ``k``. Missing columns are ignored.
    rates : mapping of str to str, optional
        Rate column -> the count column it is computed over; the rate is suppressed where that
        count is below ``k``. Every rate column is also suppressed where any count of the row
        is, so that a rate cannot reveal a suppressed count.

    Returns
    -------
    Same type as ``table``; suppressed cells hold ``"< k"`` (DataFrame columns become ``object``).

    Examples
    --------
    >>> rows = [{"zone": "A", "n": 120, "rate": 3.1}, {"zone": "B", "n": 4, "rate": 0.4}]
    >>> suppress_table(rows, k=10, counts=["n"], rates={"rate": "n"})
    [{'zone': 'A', 'n': 120, 'rate': 3.1}, {'zone': 'B', 'n': '< 10', 'rate': '< 10'}]
    """
    _check_k(k)
    count_columns = list(counts)
    rate_columns = dict(rates or {})
    if isinstance(table, Sequence):
        return [_suppress_row(row, k, count_columns, rate_columns) for row in table]
    import pandas as pd

    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a DataFrame or a list of dicts; got {type(table).__name__}")
    out = table.copy()
    small = pd.Series(False, index=out.index)
    for column in count_columns:
        if column in out.columns:
            below = pd.to_numeric(out[column], errors="coerce") < k
            small |= below.fillna(False)
            out[column] = out[column].astype(object).where(~below.fillna(False), suppressed(k))
    for column, denominator in rate_columns.items():
        if column not in out.columns:
            continue
        mask = small.copy()
        if denominator in table.columns:
            mask |= (pd.to_numeric(table[denominator], errors="coerce") < k).fillna(False)
        out[column] = out[column].astype(object).where(~mask, suppressed(k))
    return out


def _suppress_row(
    row: Mapping[str, Any], k: int, counts: list[str], rates: dict[str, str]
) -> dict[str, Any]:
    out = dict(row)
    small = False
    for column in counts:
        value = row.get(column)
        if isinstance(value, int | float) and not isinstance(value, bool) and value < k:
            out[column] = suppressed(k)
            small = True
    for column, denominator in rates.items():
        if column not in row:
            continue
        n = row.get(denominator)
        below = isinstance(n, int | float) and not isinstance(n, bool) and n < k
        if small or below or is_suppressed(n):
            out[column] = suppressed(k)
    return out
