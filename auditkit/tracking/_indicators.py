"""The comparable indicators of a review: the same names for every pilot, language and type.

An advisor following many pilots compares a handful of numbers that mean the same thing in every
city. They are computed here once, from a review's ``findings.json`` and ``decision.json``, and
logged on every review run (``auditkit log``, ``auditkit review --log-mlflow``) as MLflow run
metrics (``audit.<name>``) and tags (``auditkit.<name>``), which ``auditkit compare`` reads back.
``docs/compare.md`` defines each one:

========================  =================================================================
``decision``              GO, GO_WITH_CONDITIONS, NO_GO, ESCALATE (tag), or ``none``
``tier``                  I–IV (tag) and 1–4 (metric ``audit.tier``)
``tier_status``           ``final`` or ``provisional`` (tag), ``none`` without a risk area
``skill``                 skill over the baseline of ``audit.yaml`` (the stronger of the two
                          baselines in a baked pilot): 1 − model error / baseline error
``coverage_gap``          calibration of a forecast's intervals: observed coverage − nominal
                          level (negative: intervals too narrow)
``calibration_error``     calibration of a classifier's scores (``data.y_score``): expected
                          calibration error over ten score bins; ``brier`` the Brier score
``equity_gap``            the judged disparity of the primary equity attribute
                          (``findings.json`` → ``fairness.equity_gap``): ratio, interval
                          (``equity_gap_ci_low``, ``equity_gap_ci_high``) and group
``under_reporting_ratio`` requests per resident of the most marginalised stratum over the
                          rest (DAT-03), with its interval, where the data area ran
``blocking_open``         items that block deployment at this tier and fail or lack evidence
``conditions_open``       the other open items the decision lists as conditions
``days_since_review``     computed when read, from the tag ``auditkit.reviewed_at``
========================  =================================================================

The noisy ``audit.worst_disparity`` headline of earlier versions (the furthest ratio over every
metric and group, dominated by volume-driven metrics) is gone; ``audit.worst_ratio.<metric>``
stays as a descriptive number, never a headline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

__all__ = ["INDICATOR_METRICS", "indicator_metrics", "indicator_tags"]

# Every metric key an indicator may be logged under (absent when not measured).
INDICATOR_METRICS: tuple[str, ...] = (
    "audit.tier",
    "audit.skill",
    "audit.coverage_gap",
    "audit.calibration_error",
    "audit.brier",
    "audit.equity_gap",
    "audit.equity_gap_ci_low",
    "audit.equity_gap_ci_high",
    "audit.under_reporting_ratio",
    "audit.under_reporting_ci_low",
    "audit.under_reporting_ci_high",
    "audit.blocking_open",
    "audit.conditions_open",
)

_BLOCKING_OPEN = ("fail", "needs_evidence")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _finding(findings: Mapping[str, Any], check: str) -> Mapping[str, Any] | None:
    for finding in findings.get("findings") or []:
        if finding.get("check") == check and not finding.get("subject"):
            return finding if isinstance(finding, Mapping) else None
    return None


def _blocking_open(decision: Mapping[str, Any]) -> set[str]:
    return {
        str(item.get("id"))
        for item in decision.get("items") or []
        if isinstance(item, Mapping)
        and item.get("applies")
        and item.get("blocking")
        and item.get("status") in _BLOCKING_OPEN
    }


def indicator_metrics(findings: Mapping[str, Any], decision: Mapping[str, Any]) -> dict[str, float]:
    """The indicators that are numbers, keyed as run metrics (``audit.<name>``).

    Examples
    --------
    >>> doc = {"fairness": {"equity_gap": {"ratio": 0.71, "ci_low": 0.66, "ci_high": 0.76,
    ...        "group": "muy alto"}}, "findings": [{"check": "performance.interval_coverage",
    ...        "params": {"coverage": 0.72, "level": 0.8}}]}
    >>> m = indicator_metrics(doc, {})
    >>> m["audit.equity_gap"], m["audit.equity_gap_ci_high"], round(m["audit.coverage_gap"], 2)
    (0.71, 0.76, -0.08)
    """
    metrics: dict[str, float] = {}

    def put(key: str, value: Any) -> None:
        number = _number(value)
        if number is not None:
            metrics[key] = number

    skill = _finding(findings, "performance.baseline_skill")
    if skill is not None:
        put("audit.skill", (skill.get("params") or {}).get("skill"))
    coverage = _finding(findings, "performance.interval_coverage")
    if coverage is not None:
        params = coverage.get("params") or {}
        observed, level = _number(params.get("coverage")), _number(params.get("level"))
        if observed is not None and level is not None:
            put("audit.coverage_gap", observed - level)
    calibration = _finding(findings, "performance.calibration")
    if calibration is not None:  # classifiers with data.y_score
        params = calibration.get("params") or {}
        put("audit.brier", params.get("brier"))
        put("audit.calibration_error", params.get("ece"))
    gap = (findings.get("fairness") or {}).get("equity_gap")
    if isinstance(gap, Mapping):
        put("audit.equity_gap", gap.get("ratio"))
        put("audit.equity_gap_ci_low", gap.get("ci_low"))
        put("audit.equity_gap_ci_high", gap.get("ci_high"))
    reporting = _finding(findings, "data.representativeness")
    if reporting is not None:
        params = reporting.get("params") or {}
        put("audit.under_reporting_ratio", params.get("ratio"))
        put("audit.under_reporting_ci_low", params.get("ci_low"))
        put("audit.under_reporting_ci_high", params.get("ci_high"))
    if decision.get("items") is not None or decision.get("conditions") is not None:
        blocking = _blocking_open(decision)
        conditions = [
            c
            for c in decision.get("conditions") or []
            if isinstance(c, Mapping) and str(c.get("item")) not in blocking
        ]
        metrics["audit.blocking_open"] = float(len(blocking))
        metrics["audit.conditions_open"] = float(len(conditions))
    return metrics


def indicator_tags(findings: Mapping[str, Any], decision: Mapping[str, Any]) -> dict[str, str]:
    """The indicators that are words, as run tags (``auditkit.<name>``).

    The equity gap's group is a label in the data's own language (``muy alto``); it is a tag's
    value, never part of a key.

    Examples
    --------
    >>> indicator_tags({"fairness": {"equity_gap": {"group": "baixo", "attribute": "estrato",
    ...     "metric": "prediction_to_actual_ratio", "status": "fail"}}}, {"tier_status": "final"})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'auditkit.tier_status': 'final', 'auditkit.equity_gap_group': 'baixo',
     'auditkit.equity_gap_attribute': 'estrato',
     'auditkit.equity_gap_metric': 'prediction_to_actual_ratio',
     'auditkit.equity_gap_status': 'fail'}
    """
    status = decision.get("tier_status")
    tags = {"auditkit.tier_status": str(status) if status in ("final", "provisional") else "none"}
    gap = (findings.get("fairness") or {}).get("equity_gap")
    if isinstance(gap, Mapping):
        for key in ("group", "attribute", "metric", "status"):
            if gap.get(key) is not None:
                tags[f"auditkit.equity_gap_{key}"] = str(gap[key])
    return tags
