"""The fairness area of a review: config in, findings and tidy metric rows out."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from auditkit._area import (
    AreaResult,
    InputRecord,
    MetricRow,
    ReviewContext,
    finding,
    load_predictions,
)
from auditkit._findings import Finding, worst_status
from auditkit.engine._source import uses_engine
from auditkit.fairness._core import (
    OVERALL,
    GroupMetrics,
    ViewSummary,
    _resolve_metrics,
    group_metrics,
    metrics_from_statistics,
)
from auditkit.fairness._metrics import DEFAULT_BANDS, METRICS
from auditkit.fairness._multiclass import one_vs_rest, one_vs_rest_in_place
from auditkit.fairness._stats import MISSING_LABEL

if TYPE_CHECKING:
    from auditkit._config import AuditConfig

__all__ = ["equity_gap", "review_fairness"]


def _group_metrics(
    config: AuditConfig,
    context: ReviewContext,
    *,
    groups: list[str],
    reference: dict[str, str] | None,
    intersections: bool,
) -> GroupMetrics:
    """The core on the predictions: statistics by the engine where the data lives, or a frame."""
    data, fairness = config.data, config.fairness
    options: dict[str, Any] = {
        "task": config.pilot.task,
        "reference": reference,
        "min_group_size": fairness.min_group_size,
        "min_cell": config.privacy.min_cell,
        "intersections": intersections,
        "bootstrap": fairness.bootstrap,
        "confidence": fairness.confidence,
        "seed": fairness.seed,
        "source": data.source,
    }
    columns: dict[str, Any] = {
        "y_true": data.y_true,
        "y_pred": data.y_pred,
        "sample_weight": data.sample_weight,
        "y_pred_lower": data.y_pred_lower,
        "y_pred_upper": data.y_pred_upper,
        "positive_label": data.positive_label,
    }
    if not uses_engine(config):
        frame = load_predictions(context)
        return group_metrics(
            frame,
            groups=groups,
            metrics=fairness.metrics,
            band=fairness.band,
            **columns,
            **options,
        )
    from auditkit.engine import Source, open_table
    from auditkit.fairness._engine import engine_statistics

    source = Source.from_config(config)
    table = open_table(source, text_columns=groups)
    cells = engine_statistics(
        table,
        source,
        groups=groups,
        task=config.pilot.task,
        seed=fairness.seed,
        row_key=data.row_key,
        **columns,
    )
    if not any(r.role == "predictions" for r in context.inputs):
        context.inputs.append(
            InputRecord(
                role="predictions",
                path=source.label,
                sha256=source.fingerprint(),
                rows=cells.n_rows,
            )
        )
    task = config.pilot.task
    specs = _resolve_metrics(task, fairness.metrics, has_interval=data.y_pred_lower is not None)
    band = fairness.band if fairness.band is not None else DEFAULT_BANDS[task]
    return metrics_from_statistics(
        cells, specs=specs, band=(float(band[0]), float(band[1])), **options
    )


def review_fairness(config: AuditConfig, context: ReviewContext) -> AreaResult:
    """Disaggregate the configured metrics and judge every disparity."""
    data, fairness = config.data, config.fairness
    result = _group_metrics(
        config,
        context,
        groups=data.groups,
        reference=fairness.reference,
        intersections=fairness.intersections,
    )
    findings = _coverage_findings(result, config) + _disparity_findings(result)
    rows = list(result.rows)
    segments: list[dict[str, Any]] = []
    if data.segments:
        segment_rows, segment_findings, segments = _segment_performance(config, context)
        rows += segment_rows
        findings += segment_findings
    views, metrics = list(result.views), list(result.metrics)
    per_class = config.fairness.one_vs_rest
    if per_class is not None and config.pilot.task == "classification":
        for _, part in _one_vs_rest(config, context):
            findings += _disparity_findings(part)
            rows += part.rows
            views += part.views
            metrics += [m for m in part.metrics if m not in metrics]
    section = {
        "fairness": {
            "task": config.pilot.task,
            "metrics": metrics,
            "band": list(result.band),
            "min_group_size": result.min_group_size,
            "min_cell": result.min_cell,
            "bootstrap": result.bootstrap,
            "confidence": fairness.confidence,
            "rows": result.n_rows,
            "attributes": [
                v.to_dict(min_cell=result.min_cell, hidden=result.hidden) for v in views
            ],
            "segments": segments,
            "equity_gap": equity_gap(result, config.pilot.task),
        }
    }
    return AreaResult(findings=findings, metrics=rows, sections=section)


def _one_vs_rest(config: AuditConfig, context: ReviewContext) -> list[tuple[str, GroupMetrics]]:
    """Every class against the rest: in place through the engine, or on the shared frame."""
    data, fairness, per_class = config.data, config.fairness, config.fairness.one_vs_rest
    assert per_class is not None
    options: dict[str, Any] = {
        "reference": fairness.reference,
        "min_group_size": fairness.min_group_size,
        "min_cell": config.privacy.min_cell,
        "intersections": False,
        "bootstrap": fairness.bootstrap,
        "confidence": fairness.confidence,
        "seed": fairness.seed,
        "source": data.source,
    }
    if not uses_engine(config):
        return one_vs_rest(
            load_predictions(context),
            groups=data.groups,
            metrics=per_class.metrics,
            band=fairness.band,
            y_true=per_class.y_true,
            y_pred=per_class.y_pred,
            **options,
        )
    from auditkit.engine import Source

    band = fairness.band if fairness.band is not None else DEFAULT_BANDS["classification"]
    return one_vs_rest_in_place(
        Source.from_config(config),
        groups=data.groups,
        metrics=per_class.metrics,
        band=(float(band[0]), float(band[1])),
        row_key=data.row_key,
        y_true=per_class.y_true,
        y_pred=per_class.y_pred,
        **options,
    )


def _segment_performance(
    config: AuditConfig, context: ReviewContext
) -> tuple[list[MetricRow], list[Finding], list[dict[str, Any]]]:
    """Performance by segment (e.g. service category): reported rows, never a fairness gate.

    The same metrics and intervals as the equity attributes, each segment compared with the
    largest, but every row is ``not_applicable`` (or ``insufficient_data``) and its area is
    ``performance``: a model may forecast trash collection worse than street lighting without
    treating anybody unfairly.
    """
    data = config.data
    result = _group_metrics(
        config, context, groups=data.segments, reference=None, intersections=False
    )
    rows = []
    for row in result.rows:
        if row["attribute"] == OVERALL:
            continue  # the fairness rows already hold the overall values
        judged = row["status"] in ("pass", "warn", "fail")
        segment = row.copy()
        segment["area"] = "performance"
        segment["status"] = "not_applicable" if judged else row["status"]
        rows.append(segment)
    findings = []
    for view in result.views:
        params: dict[str, Any] = {
            "attribute": view.attribute,
            "segments": len(view.groups),
            "metrics": len(result.metrics),
        }
        findings.append(_finding("fairness.segments", view.attribute, "pass", "pass", params))
    summaries = [v.to_dict(min_cell=result.min_cell, hidden=result.hidden) for v in result.views]
    return rows, findings, summaries


def _finding(check: str, key: str, status: str, message: str, params: dict[str, Any]) -> Finding:
    """A finding about one attribute: message under its check, the attribute's rows as evidence."""
    return finding(
        check,
        status,
        f"{check}.{message}",
        params,
        subject=key,
        evidence=("findings.json#metrics", f"attribute={params['attribute']}"),
    )


def _coverage_findings(result: GroupMetrics, config: AuditConfig) -> list[Finding]:
    findings = []
    limit = config.fairness.max_missing_share
    for view in result.views:
        if len(view.attributes) != 1:
            continue
        total = sum(view.counts)
        small = [
            g for g, n in zip(view.groups, view.counts, strict=True) if n < result.min_group_size
        ]
        missing = sum(
            n for g, n in zip(view.groups, view.counts, strict=True) if g == MISSING_LABEL
        )
        share = missing / total if total else 0.0
        problems = []
        if small:
            problems.append("small_groups")
        if share > limit:
            problems.append("missing")
        status = "warn" if problems else "pass"
        params: dict[str, Any] = {
            "attribute": view.attribute,
            "groups": len(view.groups),
            "small_groups": len(small),
            "min_group_size": result.min_group_size,
            "missing_share": round(share, 4),
            "max_missing_share": limit,
        }
        message = "pass" if not problems else "_".join(problems)
        findings.append(
            _finding("fairness.group_coverage", view.attribute, status, message, params)
        )
    return findings


def _worst(rows: list[MetricRow]) -> MetricRow | None:
    """The group a headline names: the furthest from 1 (log scale) among the worst status.

    A failing finding names its furthest *failing* group, not a group further away whose wide
    interval only makes it a warning; a warning names the furthest warning.
    """
    judged = [r for r in rows if r["ratio"] is not None and r["status"] in ("pass", "warn", "fail")]
    judged = [r for r in judged if r["group"] != r["reference_group"]]
    for status in ("fail", "warn"):
        worst = [r for r in judged if r["status"] == status]
        if worst:
            judged = worst
            break
    if not judged:
        return None
    return max(judged, key=lambda r: _log_distance(r["ratio"]))


def _log_distance(ratio: float | None) -> float:
    """How far a ratio is from 1 on a log scale (infinite for 0; rows without one come last)."""
    if ratio is None:
        return -math.inf
    return abs(math.log(ratio)) if ratio > 0 else math.inf


def _disparity_findings(result: GroupMetrics) -> list[Finding]:
    by_view: dict[tuple[str, str], list[MetricRow]] = defaultdict(list)
    for row in result.rows:
        if row["attribute"] != OVERALL:
            by_view[(row["attribute"], row["metric"])].append(row)
    views: dict[str, ViewSummary] = {v.attribute: v for v in result.views}
    findings = []
    for (attribute, metric), rows in by_view.items():
        if not METRICS[metric].gated:
            continue
        check = (
            "fairness.disparity"
            if len(views[attribute].attributes) == 1
            else "fairness.intersectional"
        )
        compared = [r for r in rows if r["group"] != r["reference_group"]]
        statuses = [r["status"] for r in compared]
        counts = {s: statuses.count(s) for s in ("fail", "warn", "pass", "insufficient_data")}
        if counts["fail"] or counts["warn"] or counts["pass"]:
            status = worst_status(s for s in statuses if s != "insufficient_data")
        else:
            status = "insufficient_data"
        worst = _worst(rows)
        # fairlearn's MetricFrame.ratio()/difference() between groups, over the shown groups
        shown = [r["value"] for r in rows if r["value"] is not None and not r["suppressed"]]
        between_ratio = between_difference = None
        if shown:
            low, high = min(shown), max(shown)
            between_ratio = low / high if high else None
            between_difference = high - low
        params: dict[str, Any] = {
            "attribute": attribute,
            "metric": metric,
            "reference_group": views[attribute].reference_group,
            "band_low": result.band[0],
            "band_high": result.band[1],
            "groups_fail": counts["fail"],
            "groups_warn": counts["warn"],
            "groups_pass": counts["pass"],
            "groups_insufficient": counts["insufficient_data"],
            "worst_group": worst["group"] if worst else None,
            "worst_ratio": worst["ratio"] if worst else None,
            "worst_ratio_ci_low": worst["ratio_ci_low"] if worst else None,
            "worst_ratio_ci_high": worst["ratio_ci_high"] if worst else None,
            "worst_value": worst["value"] if worst else None,
            "ratio_between_groups": between_ratio,
            "difference_between_groups": between_difference,
            "reference_value": next(
                (r["value"] for r in rows if r["group"] == r["reference_group"]), None
            ),
        }
        # a pass of an interval-judged metric may have groups outside the band within their noise
        message = (
            f"{status}_interval" if status == "pass" and METRICS[metric].interval_judged else status
        )
        findings.append(_finding(check, f"{attribute}.{metric}", status, message, params))
    return findings


def equity_gap(result: GroupMetrics, task: str) -> dict[str, Any] | None:
    """The judged disparity of the primary equity attribute (the first of ``data.groups``).

    For forecasts and regressions it is the predicted-to-actual ratio of the group the headline
    names (the worst failing group, else the furthest from 1) to the reference group, with its
    simultaneous interval: 1 for a model right on average in every group, whatever their volumes.
    For classifiers it is the gated metric whose named group is worst. ``None`` when no group
    could be compared.
    """
    primary = next((v for v in result.views if len(v.attributes) == 1), None)
    if primary is None:
        return None
    rows = [r for r in result.rows if r["attribute"] == primary.attribute]
    if task == "classification":
        names = [m for m in result.metrics if METRICS[m].gated]
    else:
        names = [m for m in result.metrics if METRICS[m].interval_judged]
    rank = {"fail": 2, "warn": 1, "pass": 0}
    candidates = []
    for metric in names:
        worst = _worst([r for r in rows if r["metric"] == metric])
        ratio = worst["ratio"] if worst is not None else None
        if worst is not None and ratio is not None and ratio > 0:
            candidates.append((rank[worst["status"]], abs(math.log(ratio)), metric, worst))
    if not candidates:
        return None
    *_, metric, worst = max(candidates, key=lambda c: (c[0], c[1], c[2]))
    return {
        "attribute": primary.attribute,
        "metric": metric,
        "group": worst["group"],
        "reference_group": worst["reference_group"],
        "ratio": worst["ratio"],
        "ci_low": worst["ratio_ci_low"],
        "ci_high": worst["ratio_ci_high"],
        "status": worst["status"],
    }
