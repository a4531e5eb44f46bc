"""Data checks: can this data be used at all?

Service requests measure *who reports*, not who needs service: a zone that reports little may be
a zone that is served badly, not one with few problems. Before anyone looks at a model, the review
asks whether the reporting rate per resident falls in the most marginalised strata
(*representativeness*), whether the records are complete, unique, valid and recent (*quality* and
*freshness*), and whether the evaluation used anything from the future (*leakage*).
"""

from auditkit.data._leakage import features_after_prediction, window_overlap_days
from auditkit.data._quality import duplicates, invalid_categories, longest_gap, missing_shares
from auditkit.data._representativeness import ReportingRates, reporting_rates
from auditkit.data._review import review_data

__all__ = [
    "ReportingRates",
    "duplicates",
    "features_after_prediction",
    "invalid_categories",
    "longest_gap",
    "missing_shares",
    "reporting_rates",
    "review_data",
    "window_overlap_days",
]
