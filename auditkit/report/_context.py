"""The report's view model: everything a report shows, translated and formatted, as plain data.

Markdown and HTML render the same view model, so they always say the same thing.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from auditkit._version import __version__
from auditkit.i18n import translate
from auditkit.report._format import display_params, format_number, locale_for

if TYPE_CHECKING:
    from auditkit.review import Review

__all__ = ["STATUS_ICONS", "finding_text", "report_context"]

STATUS_ICONS = {
    "pass": "✅",
    "fail": "❌",
    "warn": "⚠️",
    "insufficient_data": "…",
    "needs_evidence": "📎",
    "not_applicable": "–",
}
_AREA_ORDER = ("risk", "data", "performance", "fairness", "explain")


def finding_text(finding: Any, lang: str, locale: str) -> str:
    """The finding's message in ``lang``."""
    return translate(finding.message, lang, **display_params(finding.params, lang, locale))


def _fairness_tables(review: Review, lang: str, locale: str) -> list[dict[str, Any]]:
    section = review.sections.get("fairness")
    if not section:
        return []
    min_cell = section["min_cell"]
    rows_by: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in review.metrics:
        if row.get("area") == "fairness":
            rows_by[(row["attribute"], row["metric"])].append(row)
    tables = []
    for view in section["attributes"]:
        metrics = []
        for metric in section["metrics"]:
            lines = []
            for row in rows_by[(view["attribute"], metric)]:
                suppressed = row["suppressed"]
                low, high = row["ci_low"], row["ci_high"]
                interval = (
                    f"{format_number(low, locale)} – {format_number(high, locale)}"
                    if low is not None and high is not None
                    else "—"
                )
                lines.append(
                    {
                        "group": row["group"],
                        "is_reference": row["group"] == row["reference_group"],
                        "n": f"< {min_cell}"
                        if suppressed
                        else format_number(row["n"], locale, digits=0),
                        "value": format_number(row["value"], locale),
                        "interval": interval,
                        "ratio": format_number(row["ratio"], locale),
                        "status": row["status"],
                        "status_icon": STATUS_ICONS[row["status"]],
                        "status_label": translate(f"status.{row['status']}", lang),
                    }
                )
            if not lines:  # a metric of other views (one-vs-rest metrics of a multiclass review)
                continue
            metrics.append(
                {
                    "metric": metric,
                    "name": translate(f"metric.{metric}", lang).capitalize(),
                    "lines": lines,
                }
            )
        tables.append(
            {
                "attribute": view["attribute"],
                "intersection": len(view["attributes"]) > 1,
                "reference_group": view["reference_group"],
                "metrics": metrics,
            }
        )
    return tables


def report_context(review: Review) -> dict[str, Any]:
    """Build the view model of ``review`` in its language."""
    lang = review.lang
    config = review.config
    locale = locale_for(lang, config.pilot.country)
    findings = sorted(
        review.findings,
        key=lambda f: (
            _AREA_ORDER.index(f.area) if f.area in _AREA_ORDER else len(_AREA_ORDER),
            f.id,
        ),
    )
    counts: dict[str, int] = defaultdict(int)
    for finding in findings:
        counts[finding.status] += 1
    fairness = review.sections.get("fairness", {})
    from auditkit.risk._report import decision_view

    return {
        "lang": lang,
        "locale": locale,
        "t": lambda key, **params: translate(key, lang, **params),
        "version": __version__,
        "pilot": config.pilot.model_dump(mode="json"),
        "status": review.status,
        "status_icon": STATUS_ICONS[review.status],
        "status_label": translate(f"status.{review.status}", lang),
        "counts": {
            status: counts.get(status, 0)
            for status in ("fail", "warn", "needs_evidence", "insufficient_data", "pass")
        },
        "findings": [
            {
                "id": f.id,
                "item": f.item,
                "area": f.area,
                "status": f.status,
                "status_icon": STATUS_ICONS[f.status],
                "status_label": translate(f"status.{f.status}", lang),
                "severity_label": translate(f"severity.{f.severity}", lang),
                "text": finding_text(f, lang, locale),
            }
            for f in findings
        ],
        "fairness": {
            "tables": _fairness_tables(review, lang, locale),
            "band_low": format_number(fairness.get("band", [None, None])[0], locale),
            "band_high": format_number(fairness.get("band", [None, None])[1], locale),
            "min_group_size": fairness.get("min_group_size"),
            "min_cell": fairness.get("min_cell"),
            "bootstrap": fairness.get("bootstrap"),
            "confidence_pct": format_number(
                100 * fairness.get("confidence", 0.95), locale, digits=1
            ),
            "rows": format_number(fairness.get("rows"), locale, digits=0),
        },
        "inputs": [record.to_dict() for record in review.inputs],
        "sections": review.sections,
        "decision": decision_view(review),
    }
