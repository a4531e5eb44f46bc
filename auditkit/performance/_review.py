"""The performance area of a review: skill over the baseline and interval coverage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditkit._area import (
    AreaResult,
    MetricRow,
    ReviewContext,
    binary_column,
    finding,
    load_predictions,
    metric_row,
    numeric_column,
)
from auditkit._findings import Finding, Severity
from auditkit.performance._skill import baseline_skill, interval_coverage

if TYPE_CHECKING:
    from auditkit._config import AuditConfig

__all__ = ["review_performance"]

_SEVERITY: dict[str, Severity] = {"fail": "high", "warn": "medium"}
_EVIDENCE = ("findings.json#metrics",)


def review_performance(config: AuditConfig, context: ReviewContext) -> AreaResult:
    """Skill over the configured baseline; coverage of the prediction interval."""
    data, limits = config.data, config.performance
    needs_rows = (
        data.baseline is not None
        or data.y_score is not None
        or (data.y_pred_lower is not None and data.y_pred_upper is not None)
    )
    # the rows only when a check needs them (a fairness-only review at 10^8 never holds them)
    frame = load_predictions(context) if needs_rows else None
    min_size, min_cell = config.fairness.min_group_size, config.privacy.min_cell
    findings: list[Finding] = []
    rows: list[MetricRow] = []
    section: dict[str, Any] = {}

    if data.baseline is None:
        findings.append(
            finding(
                "performance.baseline_skill",
                "needs_evidence",
                "performance.baseline_skill.no_baseline",
                evidence=_EVIDENCE,
            )
        )
    else:
        assert frame is not None
        numeric_column(frame[data.baseline], data.baseline, data.source)
        results = baseline_skill(
            frame,
            y_true=data.y_true,
            y_pred=data.y_pred,
            baseline=data.baseline,
            task=config.pilot.task,
            groups=data.groups,
            sample_weight=data.sample_weight,
        )
        overall, by_group = results[0], results[1:]
        judged = [r for r in by_group if r.n >= min_size]
        losing = [r for r in judged if r.skill < limits.min_skill]
        if overall.skill < limits.min_skill:
            status = "fail"
        elif losing:
            status = "warn"
        else:
            status = "pass"
        for result in results:
            row_status = (
                "insufficient_data"
                if result.n < min_size
                else ("fail" if result.skill < limits.min_skill else "pass")
            )
            if result.attribute != "(all)" and row_status == "fail":
                row_status = "warn"
            rows.append(
                metric_row(
                    "performance",
                    result.attribute,
                    result.group,
                    "skill_over_baseline",
                    value=result.skill,
                    n=result.n,
                    status=row_status,
                    min_cell=min_cell,
                )
            )
        worst = min(judged, key=lambda r: r.skill) if judged else None
        params = {
            "skill": overall.skill,
            "min_skill": limits.min_skill,
            "model_error": overall.model_error,
            "baseline_error": overall.baseline_error,
            "groups_below": len(losing),
            "worst_attribute": worst.attribute if worst else None,
            "worst_group": worst.group if worst else None,
            "worst_skill": worst.skill if worst else None,
        }
        findings.append(
            finding(
                "performance.baseline_skill",
                status,
                f"performance.baseline_skill.{status}",
                params,
                severity=_SEVERITY.get(status, "info"),
                evidence=_EVIDENCE,
            )
        )
        section["skill_over_baseline"] = overall.skill

    if data.y_pred_lower is not None and data.y_pred_upper is not None:
        if data.interval_level is None:
            findings.append(
                finding(
                    "performance.interval_coverage",
                    "needs_evidence",
                    "performance.interval_coverage.no_level",
                    evidence=_EVIDENCE,
                )
            )
        else:
            measured = interval_coverage(
                frame,
                y_true=data.y_true,
                lower=data.y_pred_lower,
                upper=data.y_pred_upper,
                sample_weight=data.sample_weight,
            )
            gap = measured["coverage"] - data.interval_level
            tolerance = limits.coverage_tolerance
            if abs(gap) <= tolerance:
                status = "pass"
            elif gap < -2 * tolerance:
                status = "fail"  # intervals much too narrow: crews planned on false certainty
            else:
                status = "warn"
            params = {
                "coverage": measured["coverage"],
                "level": data.interval_level,
                "tolerance": tolerance,
            }
            findings.append(
                finding(
                    "performance.interval_coverage",
                    status,
                    f"performance.interval_coverage.{status}",
                    params,
                    severity=_SEVERITY.get(status, "info"),
                    evidence=_EVIDENCE,
                )
            )
            rows.append(
                metric_row(
                    "performance",
                    "(all)",
                    "(all)",
                    "interval_coverage",
                    value=measured["coverage"],
                    n=measured["n"],
                    status=status,
                    min_cell=min_cell,
                )
            )
            section["interval_coverage"] = measured["coverage"]
            section["interval_level"] = data.interval_level
    if data.y_score is not None:
        assert frame is not None
        findings.append(_calibration(config, frame, rows, section))
    # no hidden group may follow from the published ones by subtraction (auditkit.privacy)
    from auditkit.privacy._suppress import protect_rows

    protect_rows(rows, k=min_cell)
    return AreaResult(findings=findings, metrics=rows, sections={"performance": section})


def _calibration(
    config: AuditConfig, frame: Any, rows: list[MetricRow], section: dict[str, Any]
) -> Finding:
    """VAL-02 for classifiers: Brier score and ECE of data.y_score, judged against calibrated
    scores on the same cases (see :mod:`auditkit.performance._calibration`)."""
    import numpy as np

    from auditkit._errors import InputDataError
    from auditkit.performance._calibration import calibration_check

    data = config.data
    assert data.y_score is not None
    y = binary_column(frame[data.y_true], data.y_true, data.positive_label, data.source)
    score = numeric_column(frame[data.y_score], data.y_score, data.source)
    outside = (score < 0) | (score > 1)
    if outside.any():
        raise InputDataError(
            f"column '{data.y_score}' (data.y_score) must hold probabilities from 0 to 1; "
            f"{int(outside.sum())} values are outside.",
            file=data.source,
            hint="Give the model's probability of the positive class, not a score or a label.",
        )
    weight = (
        numeric_column(frame[data.sample_weight], data.sample_weight, data.source)
        if data.sample_weight
        else None
    )
    result = calibration_check(
        np.asarray(y, dtype=np.float64),
        np.asarray(score, dtype=np.float64),
        weight,
        tolerance=config.performance.calibration_tolerance,
        seed=config.fairness.seed,
    )
    status = result["status"]
    for metric in ("brier", "ece"):
        rows.append(
            metric_row(
                "performance",
                "(all)",
                "(all)",
                "brier_score" if metric == "brier" else "expected_calibration_error",
                value=result[metric],
                n=result["n"],
                status=status if metric == "ece" else "not_applicable",
                min_cell=config.privacy.min_cell,
            )
        )
    section["calibration"] = {k: result[k] for k in ("brier", "ece", "ece_null", "tolerance")}
    return finding(
        "performance.calibration",
        status,
        f"performance.calibration.{status}",
        {k: result[k] for k in ("brier", "ece", "ece_null", "tolerance", "n")},
        severity=_SEVERITY.get(status, "info"),
        evidence=_EVIDENCE,
    )
