"""A comparison's rows as data and as files: one review of one pilot per row.

The rows are what ``auditkit compare`` shows (``compare.csv``) and the trend of each pilot
across its reviews (``history.csv``). They belong to the outputs stage, so that the tracking
stage, which reads them from MLflow, can hand them to the renderers without a cycle.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields

from auditkit.report._escape import escape_csv_cell

__all__ = ["HISTORY_COLUMNS", "ReviewRow", "history_csv", "pilot_histories", "rows_csv"]


@dataclass(frozen=True)
class ReviewRow:
    """One review of one pilot as the comparison shows it: who, the indicators, the run.

    The indicators are defined in ``docs/compare.md``; ``None`` is "not measured".
    """

    date: str
    city: str
    country: str
    pilot: str
    pilot_type: str
    lang: str
    decision: str
    tier: str
    tier_status: str
    skill: float | None
    coverage_gap: float | None
    equity_gap: float | None
    equity_gap_ci_low: float | None
    equity_gap_ci_high: float | None
    equity_gap_group: str
    equity_gap_attribute: str
    equity_gap_metric: str
    under_reporting_ratio: float | None
    under_reporting_ci_low: float | None
    under_reporting_ci_high: float | None
    blocking_open: int | None
    conditions_open: int | None
    days_since_review: int | None
    fail: int
    warn: int
    status: str
    reviewed_at: str
    experiment: str
    run_id: str
    reviewed_run_id: str
    # classifiers with scores (data.y_score): expected calibration error and Brier score
    calibration_error: float | None = None
    brier: float | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """The pilot: (experiment, pilot slug, city)."""
        return (self.experiment, self.pilot, self.city)


def rows_csv(rows: Sequence[ReviewRow]) -> str:
    """The rows as CSV text (one header line; empty cells for missing values).

    Text cells pass :func:`auditkit.report._escape.escape_csv_cell` (no spreadsheet formulas).
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=[f.name for f in fields(ReviewRow)], lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: "" if v is None else escape_csv_cell(v) for k, v in asdict(row).items()}
        )
    return buffer.getvalue()


HISTORY_COLUMNS: tuple[str, ...] = (
    "experiment",
    "pilot",
    "city",
    "country",
    "review",
    "date",
    "decision",
    "tier",
    "tier_status",
    "skill",
    "coverage_gap",
    "calibration_error",
    "equity_gap",
    "equity_gap_ci_low",
    "equity_gap_ci_high",
    "equity_gap_group",
    "under_reporting_ratio",
    "under_reporting_ci_low",
    "under_reporting_ci_high",
    "blocking_open",
    "conditions_open",
    "run_id",
)


def pilot_histories(rows: Sequence[ReviewRow]) -> list[list[ReviewRow]]:
    """Every review grouped by pilot, oldest review first; pilots in (city, pilot) order.

    ``rows`` are newest first (as :func:`auditkit.tracking.compare_reviews` returns them).
    """
    by_pilot: dict[tuple[str, str, str], list[ReviewRow]] = {}
    for row in rows:
        by_pilot.setdefault(row.key, []).append(row)
    ordered = sorted(by_pilot.items(), key=lambda item: (item[0][2], item[0][1], item[0][0]))
    # rows come newest first: reviews stamped in the same second keep that order, reversed
    return [
        [
            r
            for _, r in sorted(
                enumerate(reviews), key=lambda p: (p[1].reviewed_at, p[1].date, -p[0])
            )
        ]
        for _key, reviews in ordered
    ]


def history_csv(rows: Sequence[ReviewRow]) -> str:
    """Each pilot's indicators across its reviews (``history.csv``), one line per review.

    ``review`` numbers a pilot's reviews from 1, oldest first.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(HISTORY_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for reviews in pilot_histories(rows):
        for number, row in enumerate(reviews, start=1):
            values = {**asdict(row), "review": number}
            writer.writerow(
                {
                    k: "" if values[k] is None else escape_csv_cell(values[k])
                    for k in HISTORY_COLUMNS
                }
            )
    return buffer.getvalue()
