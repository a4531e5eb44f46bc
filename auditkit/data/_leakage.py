"""Leakage: an evaluation must only use what was known when each prediction was made.

Two checks. The training window must end before the evaluation window starts (an overlap means
the model was scored on days it learnt from). And each evaluated row's features must come from
records no later than the row's prediction time (a feature computed from later records knows
the future).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["features_after_prediction", "window_overlap_days"]


def window_overlap_days(train: tuple[dt.date, dt.date], evaluation: tuple[dt.date, dt.date]) -> int:
    """Days that belong to both windows (both ends included); 0 when they do not overlap.

    >>> window_overlap_days((dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
    ...                     (dt.date(2024, 6, 24), dt.date(2024, 12, 31)))
    7
    >>> window_overlap_days((dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
    ...                     (dt.date(2024, 7, 1), dt.date(2024, 12, 31)))
    0
    """
    start, end = max(train[0], evaluation[0]), min(train[1], evaluation[1])
    return max((end - start).days + 1, 0)


def features_after_prediction(feature_time: pd.Series, prediction_time: pd.Series) -> int:
    """Rows whose features use records later than their prediction time."""
    later = feature_time > prediction_time
    return int(later.fillna(False).sum())
