"""Fairness: disaggregated metrics and disparities between groups.

A *disaggregated metric* is a model metric computed separately for each group of an equity
attribute (zones by marginalisation stratum, residents by sex). A *disparity* compares a group
with a reference group, as a ratio (tolerated within a band such as [0.8, 1.25], the
"four-fifths" convention) and as a difference, each with a bootstrap confidence interval.

Everything is computed from per-group sufficient statistics built in one pass over the rows
(see :mod:`auditkit.fairness._stats`), which gives the same values as fairlearn's
``MetricFrame`` at a small fraction of the cost, and intervals from thousands of bootstrap
replicates in about the time of one.
"""

from auditkit.fairness._core import METRIC_ROW_KEYS, GroupMetrics, ViewSummary, group_metrics
from auditkit.fairness._metrics import DEFAULT_METRICS, METRICS, MetricSpec, default_metrics
from auditkit.fairness._review import review_fairness
from auditkit.fairness._stats import MISSING_LABEL

__all__ = [
    "DEFAULT_METRICS",
    "METRICS",
    "METRIC_ROW_KEYS",
    "MISSING_LABEL",
    "GroupMetrics",
    "MetricSpec",
    "ViewSummary",
    "default_metrics",
    "group_metrics",
    "review_fairness",
]
