"""Reviews in MLflow: log a review as a run linked to its model run, compare reviews.

A review run carries the decision, tier and pilot as ``auditkit.*`` tags and its measurements as
``audit.*`` metrics, so the MLflow UI and :func:`compare_reviews` can search every reviewed pilot
across cities with MLflow's own filter syntax.
"""

from auditkit.tracking._log import LoggedReview, log_bundle, review_metrics, review_tags
from auditkit.tracking._store import (
    TRACKING_DEFAULTS,
    check_tracking_uri,
    tracking_client,
    tracking_defaults,
)

__all__ = [
    "TRACKING_DEFAULTS",
    "LoggedReview",
    "check_tracking_uri",
    "log_bundle",
    "review_metrics",
    "review_tags",
    "tracking_client",
    "tracking_defaults",
]
