"""Reviews in MLflow: log a review as a run linked to its model run, compare reviews.

A review run carries the decision, tier and pilot as ``auditkit.*`` tags and the comparable
indicators (equity gap, under-reporting, skill, calibration, open items; ``docs/compare.md``) as
``audit.*`` metrics with the same names in every language, so the MLflow UI and
:func:`compare_pilots` can compare every reviewed pilot across cities with MLflow's own filter
syntax.
"""

from auditkit.tracking._compare import Comparison, ReviewRow, compare_pilots, compare_reviews
from auditkit.tracking._indicators import INDICATOR_METRICS, indicator_metrics, indicator_tags
from auditkit.tracking._log import LoggedReview, log_bundle, review_metrics, review_tags
from auditkit.tracking._store import (
    TRACKING_DEFAULTS,
    check_tracking_uri,
    tracking_client,
    tracking_defaults,
)

__all__ = [
    "INDICATOR_METRICS",
    "TRACKING_DEFAULTS",
    "Comparison",
    "LoggedReview",
    "ReviewRow",
    "check_tracking_uri",
    "compare_pilots",
    "compare_reviews",
    "indicator_metrics",
    "indicator_tags",
    "log_bundle",
    "review_metrics",
    "review_tags",
    "tracking_client",
    "tracking_defaults",
]
