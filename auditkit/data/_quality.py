"""Quality and freshness of the raw records: missing values, duplicates, invalid categories,
gaps in the time series and the age of the latest record.

Freshness is measured against a date written in the configuration (``quality.as_of``) or, when
there is none, the latest prediction time: never the wall clock, so the same inputs always give
the same ``findings.json``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auditkit._errors import InputDataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Freshness",
    "duplicates",
    "freshness",
    "invalid_categories",
    "longest_gap",
    "missing_shares",
    "parse_dates",
]


def parse_dates(series: pd.Series, *, column: str, file: str) -> pd.Series:
    """Dates (day precision, no time zone) of a timestamp column; unparseable values are errors.

    Raises
    ------
    InputDataError
        When values that are not empty cannot be read as dates; the count is given, no value.
    """
    import pandas as pd

    text = series.astype("string")
    parsed = pd.to_datetime(text, errors="coerce", format="mixed", utc=True)
    bad = int((parsed.isna() & text.notna() & (text.str.strip() != "")).sum())
    if bad:
        raise InputDataError(
            f"column '{column}' must hold dates or timestamps (e.g. 2024-03-15); {bad} value(s) "
            "could not be read.",
            file=file,
            hint="Write dates as YYYY-MM-DD.",
        )
    return parsed.dt.tz_localize(None).dt.normalize()


def missing_shares(frame: pd.DataFrame, columns: Iterable[str]) -> dict[str, float]:
    """Share of empty cells (missing or blank text) per column."""
    shares = {}
    for column in columns:
        values = frame[column]
        empty = values.isna()
        if values.dtype == object or str(values.dtype) in ("string", "category"):
            empty |= values.astype("string").str.strip().fillna("") == ""
        shares[column] = float(empty.mean()) if len(values) else 0.0
    return shares


def duplicates(frame: pd.DataFrame, record_id: str | None) -> tuple[int, str]:
    """(duplicate rows, basis): repeated record ids, or else rows identical in every column."""
    if record_id is not None:
        ids = frame[record_id].dropna()
        return int(ids.duplicated().sum()), "record_id"
    return int(frame.duplicated().sum()), "all_columns"


def invalid_categories(
    frame: pd.DataFrame, allowed: Mapping[str, list[str]]
) -> dict[str, dict[str, int]]:
    """Per column: rows and distinct values outside the allowed list (counts, never values)."""
    out = {}
    for column, values in allowed.items():
        text = frame[column].astype("string").str.strip()
        bad = text.notna() & ~text.isin([str(v) for v in values])
        out[column] = {"rows": int(bad.sum()), "distinct": int(text[bad].nunique())}
    return out


def longest_gap(dates: pd.Series) -> tuple[int, dt.date | None]:
    """Longest run of consecutive days without any record between the first and last one.

    Returns (days, first day of that run); (0, None) when there is no gap.

    >>> import pandas as pd
    >>> longest_gap(pd.Series(pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-06"])))
    (3, datetime.date(2024, 1, 3))
    """
    import numpy as np

    days = np.unique(dates.dropna().to_numpy(dtype="datetime64[D]"))
    if len(days) < 2:
        return 0, None
    steps = np.diff(days).astype(int) - 1
    worst = int(np.argmax(steps))
    if steps[worst] <= 0:
        return 0, None
    start = (days[worst] + np.timedelta64(1, "D")).astype(dt.date)
    return int(steps[worst]), start


@dataclass(frozen=True)
class Freshness:
    """Age of the data at a reference date, and the records dated after that date."""

    latest: dt.date | None
    """The latest record dated on or before the reference (None: every record is after it)."""
    age_days: int | None
    """Days from ``latest`` to the reference: never negative."""
    after: int
    """Records dated after the reference date."""
    latest_any: dt.date
    """The latest record of all."""


def freshness(dates: pd.Series, reference: dt.date) -> Freshness:
    """How old the data is at ``reference``, counting the records dated after it apart.

    A record dated after the reference date cannot have been known at that date: it does not
    make the data "fresher than fresh" (a negative age), it is counted and reported.

    >>> import pandas as pd
    >>> days = pd.Series(pd.to_datetime(["2024-11-20", "2024-11-28", "2024-12-29"]))
    >>> fresh = freshness(days, dt.date(2024, 12, 1))
    >>> fresh.latest, fresh.age_days, fresh.after
    (datetime.date(2024, 11, 28), 3, 1)
    """
    import pandas as pd

    known = dates.dropna()
    cutoff = pd.Timestamp(reference)
    before = known[known <= cutoff]
    latest = before.max().date() if len(before) else None
    return Freshness(
        latest=latest,
        age_days=(reference - latest).days if latest is not None else None,
        after=int((known > cutoff).sum()),
        latest_any=known.max().date(),
    )


def summary(values: Mapping[str, Any]) -> dict[str, Any]:
    """Round floats for a stable, readable section."""
    return {k: round(v, 6) if isinstance(v, float) else v for k, v in values.items()}
