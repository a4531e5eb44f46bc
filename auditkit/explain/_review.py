"""The explain area of a review: attributions, group drivers, proxies, reason codes, figures.

Runs when ``audit.yaml`` has ``model:`` and ``explain:``; otherwise it adds nothing (the playbook
items EXP-01..03 and FAI-04 then have no automatic finding). Everything written is aggregated:
means over rows and groups, and reason codes that name features and contributions, never a row's
input values. Groups smaller than ``fairness.min_group_size`` are left out of the group drivers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from auditkit._area import AreaResult, InputRecord, MetricRow, ReviewContext, finding, metric_row
from auditkit._findings import Finding, Severity, Status
from auditkit._io import require_columns
from auditkit.explain._attributions import Attributions
from auditkit.explain._drivers import (
    FeatureImportance,
    GroupDrivers,
    global_importance,
    group_drivers,
)
from auditkit.explain._figures import bar_figure, beeswarm_figure, figure_name, group_figure
from auditkit.explain._inputs import (
    aligned_predictions,
    group_labels,
    model_columns,
    prediction_agreement,
    read_features,
    run_explainer,
)
from auditkit.explain._load import load_model
from auditkit.explain._proxies import ProxyAssociation, proxy_features
from auditkit.explain._reasons import reason_codes
from auditkit.explain._text import class_terms, explain_text, is_text_pipeline

if TYPE_CHECKING:
    import pandas as pd

    from auditkit._config import AuditConfig, ExplainConfig

__all__ = ["review_explain"]

_MIN_ROWS = 30
# Share of explained rows whose recomputed prediction must match data.y_pred: a different model
# agrees on almost no row; rounding in exported tables can move a few rows across tree splits.
_MIN_AGREEMENT = 0.95
_REASONS_PER_ROW = 3


def _r(value: float) -> float:
    """Round for stable, readable JSON (6 significant digits)."""
    return float(f"{float(value):.6g}")


def _percent(share: float) -> float:
    """A share as a percentage with one decimal, for messages."""
    return round(100 * float(share), 1)


def review_explain(config: AuditConfig, context: ReviewContext) -> AreaResult:
    """Explain the model named in ``config.model`` on ``config.explain.features``.

    Raises
    ------
    ModelLoadError
        The model is missing or may not be loaded without ``--trust-model``.
    InputDataError
        The features table does not fit the model or the predictions table.
    """
    if config.model is None or config.explain is None:
        return AreaResult()
    settings = config.explain
    loaded = load_model(
        config.model.uri,
        base_dir=config.base_dir,
        trust=context.options.trust_model,
        trusted_types=config.model.trusted_types,
        tracking_uri=config.model.tracking_uri,
    )
    context.inputs.append(
        InputRecord(role="model", path=config.model.uri, sha256=loaded.sha256, rows=None)
    )
    features_path = config.resolve(settings.features)
    columns = model_columns(loaded, settings)
    features = context.table("features", lambda: read_features(config, features_path, columns))
    require_columns(features.columns, columns, path=features_path, role="features")
    predictions = aligned_predictions(config, context, features, features_path)
    groups = group_labels(config, features, predictions)
    X = features[columns]
    text = is_text_pipeline(loaded.model, columns)
    if text:  # a linear text classifier: the words and n-grams that drive its decisions
        attributions = explain_text(loaded.model, X, max_rows=settings.max_rows, seed=settings.seed)
    else:
        attributions = run_explainer(loaded, X, config, settings, context)
    labels = {name: series.iloc[attributions.rows] for name, series in groups.items()}
    evidence = (str(settings.features), config.model.uri)

    importance = global_importance(
        attributions.values,
        attributions.features,
        bootstrap=settings.bootstrap,
        confidence=settings.confidence,
        seed=settings.seed,
    )
    findings = [_importance_finding(attributions, importance, settings, evidence)]
    agreement = prediction_agreement(attributions, config, predictions)
    if agreement is not None:
        findings.append(_agreement_finding(agreement, config, evidence))

    drivers = [
        group_drivers(
            attributions.values,
            attributions.features,
            labels[name].tolist(),
            attribute=name,
            min_group_size=max(config.fairness.min_group_size, config.privacy.min_cell),
            confidence=settings.confidence,
        )
        for name in config.data.groups
    ]
    findings += [_drivers_finding(d, settings, evidence) for d in drivers]

    shares = {f.feature: f.share for f in importance}
    checked = config.data.groups if settings.proxy_attributes is None else settings.proxy_attributes
    protected = [name for name in config.data.groups if name in checked]
    unit = _unit_labels(config, features, predictions)
    unit_rows = unit.iloc[attributions.rows] if unit is not None else None
    proxies = proxy_features(
        attributions.data.reset_index(drop=True),
        {name: labels[name].reset_index(drop=True) for name in protected},
        shares,
        threshold=settings.proxy_association,
        min_share=settings.proxy_min_share,
        seed=settings.seed,
        unit=unit_rows,
    )
    unit_name = config.data.zone if unit is not None else None
    findings += [
        _proxy_finding(
            name, [p for p in proxies if p.attribute == name], settings, evidence, unit_name
        )
        for name in protected
    ]

    examples = _reason_examples(attributions, settings)
    findings.append(
        finding(
            "explain.reason_codes",
            "pass",
            "explain.reason_codes.available",
            {"rows": len(attributions.rows), "examples": len(examples), "top_k": _REASONS_PER_ROW},
            severity="info",
            evidence=evidence,
        )
    )

    files, figures = _figures(attributions, importance, drivers, settings, context.lang)
    section = {
        "model": {
            "source": config.model.uri,
            "format": loaded.format,
            "trusted": loaded.trusted,
            "sha256": loaded.sha256,
        },
        "explainer": attributions.explainer,
        "output": attributions.output,
        "rows_explained": len(attributions.rows),
        "rows_requested": attributions.rows_requested,
        # the features table's rows (a sample of them comes back through the engine)
        "rows_available": next(
            (r.rows for r in context.inputs if r.role == "features" and r.rows is not None),
            len(features),
        ),
        "truncated_by_time_budget": attributions.truncated,
        "seed": settings.seed,
        "features": list(attributions.features),
        "base_value": _r(float(np.mean(attributions.base_values))),
        "global_importance": [_importance_dict(f) for f in importance],
        "group_drivers": {d.attribute: _drivers_dict(d, settings) for d in drivers},
        "proxies": [_proxy_dict(p) for p in proxies],
        "reason_codes": examples,
        "figures": figures,
    }
    if text:
        section["class_terms"] = class_terms(loaded.model, X)
    return AreaResult(
        findings=findings,
        metrics=_metric_rows(attributions, drivers, config.privacy.min_cell),
        sections={"explain": section},
        files=files,
    )


# --- findings ---------------------------------------------------------------------------------


def _importance_dict(f: FeatureImportance) -> dict[str, Any]:
    return {
        "feature": f.feature,
        "mean_abs": _r(f.mean_abs),
        "ci_low": _r(f.low),
        "ci_high": _r(f.high),
        "share": _r(f.share),
    }


def _importance_finding(
    attributions: Attributions,
    importance: list[FeatureImportance],
    settings: ExplainConfig,
    evidence: tuple[str, ...],
) -> Finding:
    top = importance[: settings.top_k]
    params: dict[str, Any] = {
        "top": ", ".join(f.feature for f in top),
        "rows": len(attributions.rows),
        "requested": attributions.rows_requested,
        "explainer": attributions.explainer,
        "output": attributions.output,
        "budget": settings.time_budget,
        "confidence": settings.confidence,
        "features": [_importance_dict(f) for f in top],
    }
    if len(attributions.rows) < _MIN_ROWS:
        status: Status = "insufficient_data"
        message = "explain.global_importance.too_few_rows"
        params["minimum"] = _MIN_ROWS
    elif attributions.truncated:
        status, message = "warn", "explain.global_importance.truncated"
    else:
        status, message = "pass", "explain.global_importance.drivers"
    severity: Severity = "low" if status == "warn" else "info"
    return finding(
        "explain.global_importance", status, message, params, severity=severity, evidence=evidence
    )


def _agreement_finding(agreement: float, config: AuditConfig, evidence: tuple[str, ...]) -> Finding:
    ok = agreement >= _MIN_AGREEMENT
    status: Status = "pass" if ok else "fail"
    severity: Severity = "info" if ok else "high"
    message = "explain.model_matches" if ok else "explain.model_mismatch"
    if config.explain is not None and config.explain.predictions_from == "backtest":
        # the final refit explained on the backtest rows: agreement is reported, not judged
        status, severity, message = "not_applicable", "info", "explain.model_backtest"
    return finding(
        "explain.global_importance",
        status,
        message,
        {
            "agreement": _r(agreement),
            "agreement_percent": _percent(agreement),
            "y_pred": config.data.y_pred,
        },
        severity=severity,
        subject="model_matches_predictions",
        evidence=(*evidence, str(config.data.predictions)),
    )


def _gap_dict(gap: Any) -> dict[str, Any]:
    return {
        "feature": gap.feature,
        "high_group": gap.high_group,
        "low_group": gap.low_group,
        "gap": _r(gap.gap),
        "ci_low": _r(gap.low),
        "ci_high": _r(gap.high),
        "relative": _r(gap.relative),
    }


def _drivers_dict(drivers: GroupDrivers, settings: ExplainConfig) -> dict[str, Any]:
    return {
        "groups": [
            {"group": g, "n": int(n)} for g, n in zip(drivers.groups, drivers.sizes, strict=True)
        ],
        "small_groups": len(drivers.small_groups),
        "gaps": [_gap_dict(g) for g in drivers.gaps[: settings.top_k]],
    }


def _drivers_finding(
    drivers: GroupDrivers, settings: ExplainConfig, evidence: tuple[str, ...]
) -> Finding:
    params: dict[str, Any] = {
        "attribute": drivers.attribute,
        "groups": len(drivers.groups),
        "small_groups": len(drivers.small_groups),
        "threshold": settings.driver_gap,
        "threshold_percent": _percent(settings.driver_gap),
        "gaps": [_gap_dict(g) for g in drivers.gaps[: settings.top_k]],
    }
    if len(drivers.groups) < 2:
        return finding(
            "explain.group_drivers",
            "insufficient_data",
            "explain.group_drivers.too_few_groups",
            params,
            severity="info",
            subject=drivers.attribute,
            evidence=evidence,
        )
    differing = [g for g in drivers.gaps if g.relative > settings.driver_gap and g.low > 0]
    top = differing[0] if differing else drivers.gaps[0]
    params.update(
        feature=top.feature,
        high_group=top.high_group,
        low_group=top.low_group,
        gap=_r(top.gap),
        relative=_r(top.relative),
        relative_percent=_percent(top.relative),
        differing=", ".join(g.feature for g in differing[: settings.top_k]),
    )
    if differing:
        return finding(
            "explain.group_drivers",
            "warn",
            "explain.group_drivers.differ",
            params,
            severity="medium",
            subject=drivers.attribute,
            evidence=evidence,
        )
    return finding(
        "explain.group_drivers",
        "pass",
        "explain.group_drivers.similar",
        params,
        severity="info",
        subject=drivers.attribute,
        evidence=evidence,
    )


def _proxy_dict(p: ProxyAssociation) -> dict[str, Any]:
    return {
        "feature": p.feature,
        "attribute": p.attribute,
        "measure": p.measure,
        "association": _r(p.association),
        "share": _r(p.share),
        "status": p.status,
    }


def _unit_labels(
    config: AuditConfig, features: pd.DataFrame, predictions: pd.DataFrame | None
) -> pd.Series | None:
    """The unit of prediction of each explained row (``data.zone``), when a table has it."""
    name = config.data.zone
    if name is None:
        return None
    for table in (features, predictions):
        if table is not None and name in table.columns:
            return table[name].reset_index(drop=True)
    return None


def _proxy_finding(
    attribute: str,
    proxies: list[ProxyAssociation],
    settings: ExplainConfig,
    evidence: tuple[str, ...],
    unit: str | None = None,
) -> Finding:
    failing = [p for p in proxies if p.status == "fail"]
    latent = [p for p in proxies if p.status == "warn"]
    context = [p for p in proxies if p.status == "context"]
    strongest = sorted(proxies, key=lambda p: (-p.association, p.feature))[: settings.top_k]
    params: dict[str, Any] = {
        "attribute": attribute,
        "threshold": settings.proxy_association,
        "min_share": settings.proxy_min_share,
        "min_share_percent": _percent(settings.proxy_min_share),
        "proxies": ", ".join(p.feature for p in failing),
        "latent": ", ".join(p.feature for p in latent),
        "share": _r(sum(p.share for p in failing)),
        "share_percent": _percent(sum(p.share for p in failing)),
        "strongest": [_proxy_dict(p) for p in strongest],
        "unit": unit,
        "context": ", ".join(p.feature for p in context),
        "context_share_percent": _percent(sum(p.share for p in context)),
    }
    if failing:
        status: Status = "fail"
        severity: Severity = "high"
        message = "fairness.proxy_features.found"
    elif latent:
        status, severity, message = "warn", "low", "fairness.proxy_features.latent"
    elif context:
        status, severity, message = "pass", "info", "fairness.proxy_features.area_level"
    else:
        status, severity, message = "pass", "info", "fairness.proxy_features.none"
    return finding(
        "fairness.proxy_features",
        status,
        message,
        params,
        severity=severity,
        subject=attribute,
        evidence=evidence,
    )


def _reason_examples(attributions: Attributions, settings: ExplainConfig) -> list[dict[str, Any]]:
    """Reason codes of a seeded sample of explained rows (row positions, no input values)."""
    n = len(attributions.rows)
    count = min(settings.reason_rows, n)
    if count == 0:
        return []
    rng = np.random.default_rng(settings.seed + 1)
    picked = np.sort(rng.choice(n, size=count, replace=False))
    return [
        {
            "row": int(attributions.rows[i]),
            "reasons": [
                {**code.to_dict(), "contribution": _r(code.contribution)}
                for code in reason_codes(attributions, int(i), top_k=_REASONS_PER_ROW)
            ],
        }
        for i in picked
    ]


def _metric_rows(
    attributions: Attributions, drivers: list[GroupDrivers], min_cell: int
) -> list[MetricRow]:
    """Tidy rows: attribute x group x feature, mean attribution and mean |attribution|.

    ``difference`` is the group's mean minus the mean over all explained rows.
    """
    overall = {
        "mean_attribution": attributions.values.mean(axis=0),
        "mean_abs_attribution": np.abs(attributions.values).mean(axis=0),
    }
    rows = []
    for d in drivers:
        for g, group in enumerate(d.groups):
            for j, feature in enumerate(d.features):
                for metric, table in (
                    ("mean_attribution", d.mean),
                    ("mean_abs_attribution", d.mean_abs),
                ):
                    value = float(table[g, j])
                    rows.append(
                        metric_row(
                            "explain",
                            d.attribute,
                            group,
                            metric,
                            feature=feature,
                            value=_r(value),
                            n=int(d.sizes[g]),
                            status="not_applicable",
                            min_cell=min_cell,
                            difference=_r(value - float(overall[metric][j])),
                        )
                    )
    return rows


def _figures(
    attributions: Attributions,
    importance: list[FeatureImportance],
    drivers: list[GroupDrivers],
    settings: ExplainConfig,
    lang: str,
) -> tuple[dict[str, bytes], list[dict[str, Any]]]:
    files: dict[str, bytes] = {}
    figures: list[dict[str, Any]] = []
    top = [f.feature for f in importance[: settings.top_k]]
    files[figure_name("bar")] = bar_figure(importance, lang=lang, top_k=settings.top_k)
    figures.append({"file": figure_name("bar"), "caption": "explain.figure.bar", "params": {}})
    files[figure_name("beeswarm")] = beeswarm_figure(
        attributions, lang=lang, seed=settings.seed, top_k=settings.top_k
    )
    figures.append(
        {"file": figure_name("beeswarm"), "caption": "explain.figure.beeswarm", "params": {}}
    )
    for d in drivers:
        if len(d.groups) < 2:
            continue
        name = figure_name("groups", d.attribute)
        files[name] = group_figure(d, top, lang=lang)
        figures.append(
            {"file": name, "caption": "explain.figure.groups", "params": {"attribute": d.attribute}}
        )
    return files, figures
