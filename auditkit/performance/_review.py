"""The performance area of a review: skill over the baseline and interval coverage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditkit._area import (
    AreaResult,
    InputRecord,
    MetricRow,
    ReviewContext,
    binary_column,
    finding,
    load_predictions,
    metric_row,
    numeric_column,
)
from auditkit._findings import Finding
from auditkit.performance._skill import coverage_from_cells, skill_from_cells

if TYPE_CHECKING:
    from auditkit._config import AuditConfig
    from auditkit.performance._statistics import PerformanceStatistics

__all__ = ["review_performance"]

_EVIDENCE = ("findings.json#metrics",)


def review_performance(config: AuditConfig, context: ReviewContext) -> AreaResult:
    """Skill over the configured baseline; coverage of the prediction interval."""
    data, limits = config.data, config.performance
    needs_rows = (
        data.baseline is not None
        or data.y_score is not None
        or (data.y_pred_lower is not None and data.y_pred_upper is not None)
    )
    # sums per cell and score bin, aggregated where the data lives (never the rows themselves)
    statistics = _statistics(config, context) if needs_rows else None
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
        assert statistics is not None and statistics.cells is not None
        results = skill_from_cells(statistics.cells)
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
            assert statistics is not None and statistics.cells is not None
            measured = coverage_from_cells(statistics.cells)
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
        assert statistics is not None
        findings.append(_calibration(config, statistics, rows, section))
    # no hidden group may follow from the published ones by subtraction (auditkit.privacy)
    from auditkit.privacy._suppress import protect_rows

    protect_rows(rows, k=min_cell)
    return AreaResult(findings=findings, metrics=rows, sections={"performance": section})


def _statistics(config: AuditConfig, context: ReviewContext) -> PerformanceStatistics:
    """The area's sums: by the engine where the data lives, or from the frame of a plain file.

    Both go through :func:`auditkit.performance._statistics.performance_statistics`; a frame is
    first checked row by row (the messages name the first bad rows).
    """
    from auditkit.engine._source import Source, open_table, uses_engine
    from auditkit.engine._statistics import frame_table
    from auditkit.performance._statistics import performance_statistics

    data = config.data
    interval = data.y_pred_lower is not None and data.y_pred_upper is not None
    columns: dict[str, Any] = {
        "baseline": data.baseline,
        "y_pred_lower": data.y_pred_lower if interval else None,
        "y_pred_upper": data.y_pred_upper if interval else None,
        "y_score": data.y_score,
        "sample_weight": data.sample_weight,
    }
    options: dict[str, Any] = {
        "task": config.pilot.task,
        "y_true": data.y_true,
        "y_pred": data.y_pred,
        "groups": list(data.groups),
        "positive_label": data.positive_label,
        **columns,
    }
    if uses_engine(config):
        source = Source.from_config(config)
        statistics = performance_statistics(
            open_table(source, text_columns=data.groups), source, **options
        )
        if not any(r.role == "predictions" for r in context.inputs):
            context.inputs.append(
                InputRecord(
                    "predictions", source.label, source.fingerprint(), rows=statistics.n_rows
                )
            )
        return statistics
    frame = load_predictions(context)
    _check_frame(config, frame)
    names = [data.y_true, data.y_pred, *data.groups, *(c for c in columns.values() if c)]
    table = frame_table(frame, names, text_columns=data.groups)
    source = Source(kind="files", label=data.source, base_dir=config.base_dir)
    return performance_statistics(table, source, **options)


def _check_frame(config: AuditConfig, frame: Any) -> None:
    """Row-by-row checks of a frame: missing, non-numeric, infinite, out-of-range values."""
    from auditkit._errors import InputDataError

    data = config.data
    numeric = [data.baseline, data.y_score, data.sample_weight]
    if data.y_pred_lower is not None and data.y_pred_upper is not None:
        numeric += [data.y_pred_lower, data.y_pred_upper, data.y_true]
    values = {c: numeric_column(frame[c], c, data.source) for c in numeric if c}
    if data.y_score is not None:
        binary_column(frame[data.y_true], data.y_true, data.positive_label, data.source)
        outside = (values[data.y_score] < 0) | (values[data.y_score] > 1)
        if outside.any():
            raise InputDataError(
                f"column '{data.y_score}' (data.y_score) must hold probabilities from 0 to 1; "
                f"{int(outside.sum())} values are outside.",
                file=data.source,
                hint="Give the model's probability of the positive class, not a score or a label.",
            )
    if data.sample_weight and (values[data.sample_weight] < 0).any():
        raise InputDataError(
            f"sample weights in column '{data.sample_weight}' must be zero or positive; "
            f"{int((values[data.sample_weight] < 0).sum())} are negative.",
            file=data.source,
        )


def _calibration(
    config: AuditConfig,
    statistics: PerformanceStatistics,
    rows: list[MetricRow],
    section: dict[str, Any],
) -> Finding:
    """VAL-02 for classifiers: Brier score and ECE of data.y_score, judged against calibrated
    scores on the same cases (see :mod:`auditkit.performance._calibration`)."""
    from auditkit.performance._calibration import calibration_from_bins

    assert statistics.calibration is not None
    result = calibration_from_bins(
        statistics.calibration,
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
        evidence=_EVIDENCE,
    )
