"""The report's view model: everything a report shows, translated and formatted, as plain data.

Markdown and HTML render the same view model, so they always say the same thing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from auditkit._findings import worst_status
from auditkit._version import __version__
from auditkit.i18n import catalog, translate
from auditkit.report._format import STATUS_ICONS, display_params, format_number, locale_for

if TYPE_CHECKING:
    from auditkit._area import MetricRow
    from auditkit._findings import Finding
    from auditkit.review import Review

__all__ = [
    "SECTIONS",
    "fairness_figure_name",
    "finding_rows",
    "finding_text",
    "message_key",
    "report_context",
    "report_figures",
    "summary_view",
]

_AREA_ORDER = ("risk", "data", "performance", "fairness", "explain")
# Sections of both reports, in order: a <section id="..."> of report.html and an anchor and a
# level-2 heading of report.md, with the same title (html.section.<id>).
SECTIONS: tuple[str, ...] = (
    "decision",
    "tier",
    "conditions",
    "fairness",
    "performance",
    "drivers",
    "data",
    "checklist",
    "versions",
)


def message_key(key: str, task: str | None) -> str:
    """The variant of message ``key`` written for the pilot's task, when there is one.

    Messages speak of the data in general ("records"); a ``<key>.<task>`` variant (e.g.
    ``privacy.small_cells.pass.forecast``) speaks of what that kind of pilot handles (service
    requests and weeks for the demand forecast), so a classifier's audit never reads "requests"
    or "last year's same week".

    >>> message_key("privacy.small_cells.pass", "forecast")
    'privacy.small_cells.pass.forecast'
    >>> message_key("privacy.small_cells.pass", "classification")
    'privacy.small_cells.pass'
    """
    if task is None:
        return key
    variant = f"{key}.{task}"
    return variant if variant in catalog("en") else key


def finding_text(finding: Any, lang: str, locale: str, task: str | None = None) -> str:
    """The finding's message in ``lang``, in the words of the pilot's ``task``."""
    params = display_params(finding.params, lang, locale)
    return translate(message_key(finding.message, task), lang, **params)


# The order a summary lists findings in: what fails, what warns, then everything else.
SUMMARY_ORDER: tuple[str, ...] = (
    "fail",
    "warn",
    "needs_evidence",
    "insufficient_data",
    "not_applicable",
    "pass",
)


def _section_titles(review: Review) -> dict[str, str]:
    """Playbook section code -> its title in the review's language (the configured playbook)."""
    from auditkit._errors import AuditkitError
    from auditkit.risk._playbook import load_playbook

    risk = review.config.risk
    path = review.config.resolve(risk.playbook) if risk and risk.playbook else None
    try:
        playbook = load_playbook(path)
    except AuditkitError:
        playbook = load_playbook(None)
    return {s.code: s.title.get(review.lang) for s in playbook.sections}


def summary_view(review: Review, findings: list[dict[str, Any]]) -> dict[str, Any]:
    """What a summary shows first: failures, then warnings, then missing evidence by section.

    ``findings`` are the view model's finding rows. Failures and warnings are listed one by one;
    the findings that still need evidence are counted per playbook section (their rows stay in
    the checklist); everything else (insufficient data, not applicable, passes) comes last.
    """
    titles = _section_titles(review)
    by_status: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in findings:
        by_status[row["status"]].append(row)
    sections: dict[str, list[str]] = defaultdict(list)
    for row in by_status.get("needs_evidence", []):
        code = row["item"].split("-", 1)[0]
        if row["item"] not in sections[code]:
            sections[code].append(row["item"])
    order = list(titles)
    missing = [
        {
            "section": code,
            "title": titles.get(code, code),
            "count": len(items),
            "item_list": ", ".join(sorted(items)),
        }
        for code, items in sorted(
            sections.items(),
            key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0]),
        )
    ]
    return {
        "fail": by_status.get("fail", []),
        "warn": by_status.get("warn", []),
        "missing": missing,
        "missing_items": sum(m["count"] for m in missing),
        "missing_findings": len(by_status.get("needs_evidence", [])),
        "rest": [row for status in SUMMARY_ORDER[3:] for row in by_status.get(status, [])],
    }


def _hidden_size(complementary: bool, min_cell: int, lang: str) -> str:
    """What a hidden group's size reads: ``< k`` for a small cell, a marked word otherwise
    (a complementary cell is not small, so ``< k`` would be false)."""
    if complementary:
        return translate("report.suppressed_complementary", lang)
    return f"< {min_cell}"


def _fairness_tables(review: Review, lang: str, locale: str) -> list[dict[str, Any]]:
    section = review.sections.get("fairness")
    if not section:
        return []
    min_cell = section["min_cell"]
    complementary = {
        (view["attribute"], group["group"])
        for view in section["attributes"]
        for group in view["groups"]
        if group.get("suppression") == "complementary"
    }
    rows_by: dict[tuple[str, str], list[MetricRow]] = defaultdict(list)
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
                        "n": _hidden_size(
                            (row["attribute"], row["group"]) in complementary, min_cell, lang
                        )
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
                    "figure": fairness_figure_name(view["attribute"], metric),
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


def fairness_figure_name(attribute: str, metric: str) -> str:
    """File name of one fairness chart inside the output folder.

    >>> fairness_figure_name("zone & channel", "selection_rate")
    'figures/fairness_zone--channel_selection_rate.svg'
    """
    joined = f"{attribute.replace(' & ', '--')}_{metric}"
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", joined).strip("_") or "chart"
    return f"figures/fairness_{slug}.svg"


def report_figures(review: Review) -> dict[str, bytes]:
    """The charts the reports add to the areas' figures: each fairness metric's group ratios.

    Written beside the reports (``figures/fairness_<attribute>_<metric>.svg``) so that
    ``report.md`` can link exactly the figures ``report.html`` inlines.
    """
    from auditkit.report._figures import ratio_chart

    section = review.sections.get("fairness") or {}
    if not section:
        return {}
    lang = review.lang
    locale = locale_for(lang, review.config.pilot.country)
    low, high = (float(b) for b in (section.get("band") or (0.8, 1.25)))
    rows_by: dict[tuple[str, str], list[MetricRow]] = defaultdict(list)
    for row in review.metrics:
        if row.get("area") == "fairness":
            rows_by[(row["attribute"], row["metric"])].append(row)
    xlabel = translate("html.fairness.chart_xlabel", lang)
    reference_label = translate("html.fairness.chart_reference", lang)
    statuses = {status: translate(f"status.{status}", lang) for status in STATUS_ICONS}

    def number(value: float) -> str:
        return format_number(value, locale)

    band_text = translate("html.fairness.chart_band", lang, low=number(low), high=number(high))
    figures: dict[str, bytes] = {}
    for view in section["attributes"]:
        for metric in section["metrics"]:
            rows = rows_by[(view["attribute"], metric)]
            name = translate(f"metric.{metric}", lang).capitalize()
            file = fairness_figure_name(view["attribute"], metric)
            alt = translate(
                "html.fairness.chart_alt", lang, metric=name, attribute=view["attribute"]
            )
            chart = ratio_chart(
                rows,
                band=(low, high),
                title=translate(
                    "html.fairness.chart_title",
                    lang,
                    metric=name,
                    reference=view["reference_group"] or "—",
                ),
                xlabel=xlabel,
                reference_label=reference_label,
                number=number,
                ident=file.removeprefix("figures/").removesuffix(".svg"),
                description=f"{alt} {band_text}",
                status_labels=statuses,
            )
            if chart is not None:
                figures[file] = chart
    return figures


def _describe(value: str | Mapping[Any, str], lang: str) -> str:
    if isinstance(value, str):
        return value
    return str(value.get(lang) or value.get("en") or next(iter(value.values()), ""))


def _explain_view(review: Review, lang: str, locale: str) -> dict[str, Any]:
    """Figures of the explanation with translated captions, reason-code examples, descriptions."""
    section = review.sections.get("explain") or {}
    settings = review.config.explain
    given = settings.feature_descriptions if settings is not None else {}
    descriptions = {feature: _describe(text, lang) for feature, text in given.items()}

    def named(feature: str) -> str:
        # the description first, as a notice to a resident would say it; the name for the record
        return f"{descriptions[feature]} ({feature})" if feature in descriptions else feature

    figures = [
        {
            "file": figure["file"],
            "caption": translate(figure["caption"], lang, **figure.get("params", {})),
        }
        for figure in section.get("figures", [])
        if figure["file"] in review.files
    ]
    examples = []
    for number, example in enumerate(section.get("reason_codes", []), start=1):
        sentences = [
            translate(
                f"explain.reason.{code['direction']}",
                lang,
                feature=named(code["feature"]),
                value=format_number(abs(code["contribution"]), locale),
            )
            for code in example["reasons"]
        ]
        examples.append({"number": number, "reasons": sentences})
    # most influential first, as the explanation ranks them; features it did not rank last
    ranked = [f["feature"] for f in section.get("global_importance", [])]
    used = set(section.get("features", []))
    return {
        "present": bool(section),
        "figures": figures,
        "output": translate(f"explain.output.{section['output']}", lang)
        if section.get("output")
        else "",
        "examples": examples,
        "descriptions": [
            {"feature": feature, "text": descriptions[feature]}
            for feature in sorted(
                descriptions,
                key=lambda f: (ranked.index(f) if f in ranked else len(ranked), f),
            )
            if not used or feature in used
        ],
    }


def _role(role: str, lang: str) -> str:
    key = "report.role." + re.sub(r"[^a-z0-9]+", "_", role.lower()).strip("_")
    text = translate(key, lang)
    return role if text == key else text


def finding_rows(
    findings: Sequence[Finding], lang: str, locale: str, task: str | None = None
) -> list[dict[str, Any]]:
    """Findings as the reports list them: status, item, translated text, evidence."""
    return [
        {
            "id": f.id,
            "item": f.item,
            "area": f.area,
            "check": f.check,
            "status": f.status,
            "status_icon": STATUS_ICONS[f.status],
            "status_label": translate(f"status.{f.status}", lang),
            "severity_label": translate(f"severity.{f.severity}", lang),
            "text": finding_text(f, lang, locale, task),
            "evidence": list(f.evidence),
        }
        for f in findings
    ]


def report_context(review: Review, *, figures: Mapping[str, bytes] | None = None) -> dict[str, Any]:
    """Build the view model of ``review`` in its language.

    ``figures`` are the charts of :func:`report_figures` (computed when not given).
    """
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
    from auditkit.report._decision import decision_view

    rows = finding_rows(findings, lang, locale, config.pilot.task)
    if figures is None:
        figures = report_figures(review)
    explain = _explain_view(review, lang, locale)
    tables = _fairness_tables(review, lang, locale)
    for table in tables:
        for metric in table["metrics"]:
            if metric["figure"] not in figures:
                metric["figure"] = None
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
        "findings": rows,
        "summary": summary_view(review, rows),
        "area_findings": {
            "fairness": [r for r in rows if r["area"] == "fairness"],
            "explain": [r for r in rows if r["area"] == "explain"],
            "data": [r for r in rows if _is_data(r)],
            "performance": [r for r in rows if r["area"] == "performance"],
        },
        "fairness": {
            "tables": tables,
            "band_low": format_number(fairness.get("band", [None, None])[0], locale),
            "band_high": format_number(fairness.get("band", [None, None])[1], locale),
            "min_group_size": fairness.get("min_group_size"),
            "min_cell": fairness.get("min_cell"),
            "bootstrap": fairness.get("bootstrap"),
            "confidence_pct": format_number(
                100 * fairness.get("confidence", 0.95), locale, digits=1
            ),
            "rows": format_number(fairness.get("rows"), locale, digits=0),
            "complementary_note": translate("report.suppressed_note", lang)
            if any(
                group.get("suppression") == "complementary"
                for view in fairness.get("attributes", [])
                for group in view["groups"]
            )
            else "",
        },
        "explain": explain,
        "figures": dict(figures),
        "other_figures": _other_figures(review, explain),
        "toc": [{"id": s, "title": translate(f"html.section.{s}", lang)} for s in SECTIONS],
        "checklist": _checklist(review, lang),
        "libraries": _libraries(lang),
        "inputs": [
            {
                **record.to_dict(),
                "role": _role(record.role, lang),
                "rows_label": format_number(record.rows, locale, digits=0),
            }
            for record in review.inputs
        ],
        "sections": review.sections,
        "decision": decision_view(review.decision, lang),
    }


def _checklist(review: Review, lang: str) -> dict[str, Any]:
    """Without a decision, the playbook items the automatic checks assessed, from the findings."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in review.findings:
        grouped[finding.item].append(finding)
    items = []
    for item in sorted(grouped):
        findings = grouped[item]
        status = worst_status(f.status for f in findings)
        items.append(
            {
                "item": item,
                "title": ", ".join(sorted({f.check for f in findings})),
                "status": status,
                "status_icon": STATUS_ICONS[status],
                "status_label": translate(f"status.{status}", lang),
                "evidence": sorted({e for f in findings for e in f.evidence}),
            }
        )
    note = translate("html.checklist.from_findings", lang) if items else ""
    return {"items": items, "note": note}


def _libraries(lang: str) -> list[dict[str, str]]:
    from auditkit.review import library_versions

    libraries = [{"name": "auditkit", "version": __version__}]
    for name, version in library_versions().items():
        libraries.append(
            {"name": name, "version": version or translate("html.not_installed", lang)}
        )
    return libraries


def _other_figures(review: Review, explain: Mapping[str, Any]) -> list[dict[str, str]]:
    """Figures the areas wrote that no section shows."""
    shown = {figure["file"] for figure in explain["figures"]}
    return [
        {"file": name, "caption": name}
        for name in sorted(review.files)
        if name.endswith((".png", ".svg")) and name not in shown
    ]


def _is_data(row: Mapping[str, Any]) -> bool:
    return row["area"] == "data" or str(row["check"]).startswith(("data.", "privacy."))
