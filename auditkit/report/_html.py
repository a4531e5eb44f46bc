"""``report.html``: the review as one self-contained page an auditor can e-mail and print.

The page carries everything inline: its CSS, its figures (PNG as ``data:`` URIs) and no script.
A Content-Security-Policy forbids any fetch, so a page that tried to load something external
would show it as an error in the browser's console (the headless-Chromium test looks for that).
Numbers, percentages and dates are formatted for the reader's locale with babel
(:mod:`auditkit.report._format`), every text comes from the ``report`` catalogue in es/pt/en, and
small cells stay suppressed exactly as in ``findings.json``.
"""

from __future__ import annotations

import base64
import functools
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from auditkit._findings import worst_status
from auditkit._version import __version__
from auditkit.i18n import catalog, translate
from auditkit.report._figures import STATUS_COLOURS, ratio_chart
from auditkit.report._format import Formatter, report_locale
from auditkit.review._manifest import LIBRARIES, review_time

if TYPE_CHECKING:
    from auditkit._findings import Finding
    from auditkit.review._run import Review

__all__ = ["DECISIONS", "SECTIONS", "html_context", "render_html"]

# Decisions of the risk area, normalised (upper case, underscores).
DECISIONS: tuple[str, ...] = ("GO", "GO_WITH_CONDITIONS", "NO_GO", "ESCALATE")
# Sections of the page, in order; each is an <section id="...">.
SECTIONS: tuple[str, ...] = (
    "decision",
    "tier",
    "conditions",
    "fairness",
    "drivers",
    "data",
    "checklist",
    "versions",
)
_DATA_CHECK_PREFIXES = ("data.", "privacy.")


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _data_uri(content: bytes, name: str) -> str:
    mime = "image/svg+xml" if name.endswith(".svg") else "image/png"
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


class _Text:
    """Translation and formatting bound to one report's language and locale."""

    def __init__(self, lang: str, fmt: Formatter) -> None:
        self.lang = lang
        self.fmt = fmt

    def __call__(self, key: str, **params: Any) -> str:
        return translate(key, self.lang, **params)

    def known(self, key: str) -> bool:
        return key in catalog("en") or key in catalog(self.lang)

    def param(self, value: Any) -> Any:
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, float):
            return self.fmt.number(value) if math.isfinite(value) else "–"
        if isinstance(value, int):
            return self.fmt.integer(value)
        return value

    def metric(self, name: str) -> str:
        key = f"metric.{name}"
        return self(key) if self.known(key) else name.replace("_", " ")

    def message(self, key: str, params: Mapping[str, Any]) -> str:
        shown = {name: self.param(value) for name, value in params.items()}
        if isinstance(params.get("metric"), str):
            shown.setdefault("metric_name", self.metric(params["metric"]))
        for name, value in params.items():
            if isinstance(value, float) and ("share" in name or name.endswith("rate")):
                shown.setdefault(f"{name}_pct", self.fmt.percent(value))
        return self(key, **shown) if self.known(key) else key

    def free(self, value: Any) -> str:
        """Text given by another area: a message key, a {lang: text} mapping or plain text."""
        if value is None:
            return ""
        if isinstance(value, Mapping):
            if "message" in value:
                return self.message(str(value["message"]), value.get("params") or {})
            if self.lang in value or "en" in value:
                return str(value.get(self.lang) or value.get("en"))
            for key in ("text", "title", "reason", "condition", "trigger", "id"):
                if key in value:
                    return self.free(value[key])
            return ", ".join(f"{k}: {v}" for k, v in value.items())
        text = str(value)
        return self(text) if self.known(text) else text


def _finding_row(finding: Finding, text: _Text) -> dict[str, Any]:
    return {
        "id": finding.id,
        "item": finding.item,
        "check": finding.check,
        "area": finding.area,
        "status": finding.status,
        "status_label": text(f"status.{finding.status}"),
        "severity_label": text(f"severity.{finding.severity}"),
        "message": text.message(finding.message, finding.params),
        "evidence": list(finding.evidence),
    }


def _normalise_decision(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    code = value.strip().upper().replace("-", "_").replace(" ", "_")
    return code if code in DECISIONS else None


def _decision(review: Review, text: _Text) -> dict[str, Any]:
    section = review.sections.get("decision")
    section = section if isinstance(section, Mapping) else {}
    code = _normalise_decision(section.get("decision"))
    reasons = section.get("reasons") or section.get("why") or []
    if isinstance(reasons, str | Mapping):
        reasons = [reasons]
    tier = section.get("tier")
    triggers = section.get("triggers") or section.get("tier_triggers") or []
    conditions = []
    for condition in section.get("conditions") or []:
        entry = condition if isinstance(condition, Mapping) else {"text": condition}
        conditions.append(
            {
                "item": entry.get("item") or entry.get("id") or "",
                "text": text.free(entry),
                "owner": str(entry.get("owner") or "–"),
                "due": text.fmt.date(entry.get("due")),
            }
        )
    score = section.get("score", section.get("impact_score"))
    return {
        "present": code is not None,
        "code": code,
        "label": text(f"report.decision.{code}") if code else None,
        "explain": text(f"report.decision.explain.{code}") if code else None,
        "none": text("report.decision.none", status=text(f"status.{review.status}")),
        "reasons": [text.free(r) for r in reasons],
        "tier": None if tier is None else str(tier),
        "score": None if score is None else text.param(score),
        "triggers": [text.free(t) for t in (triggers if isinstance(triggers, list) else [])],
        "conditions": conditions,
    }


def _fairness(review: Review, text: _Text) -> dict[str, Any] | None:
    section = review.sections.get("fairness")
    rows = [r for r in review.metrics if r.get("area") == "fairness"]
    if not isinstance(section, Mapping) and not rows:
        return None
    section = section if isinstance(section, Mapping) else {}
    fmt = text.fmt
    band = tuple(section.get("band") or (0.8, 1.25))
    min_cell = int(section.get("min_cell") or review.config.privacy.min_cell)
    bootstrap = int(section.get("bootstrap") or 0)
    params = {
        "low": fmt.ratio(band[0]),
        "high": fmt.ratio(band[1]),
        "confidence": fmt.percent(section.get("confidence", 0.95), 0),
        "bootstrap": fmt.integer(bootstrap),
        "rows": fmt.integer(section.get("rows")),
    }
    intro = text("report.fairness.intro" if bootstrap else "report.fairness.no_bootstrap", **params)
    by_attribute: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(dict)
    for row in rows:
        by_attribute[row["attribute"]].setdefault(row["metric"], []).append(row)
    attributes = []
    for attribute, metrics in by_attribute.items():
        reference = next(
            (r["reference_group"] for m in metrics.values() for r in m if r.get("reference_group")),
            None,
        )
        tables = []
        for metric, metric_rows in metrics.items():
            name = text.metric(metric)
            table = [_fairness_row(r, text, min_cell) for r in metric_rows]
            chart = ratio_chart(
                metric_rows,
                band=(float(band[0]), float(band[1])),
                title=text("report.fairness.chart_title", metric=name, reference=reference or "–"),
                xlabel=text("report.fairness.chart_xlabel"),
                reference_label=text("report.fairness.chart_reference"),
                number=fmt.ratio,
            )
            tables.append(
                {
                    "metric": metric,
                    "name": name,
                    "rows": table,
                    "chart": _data_uri(chart, "chart.png") if chart else None,
                    "alt": text("report.fairness.chart_alt", metric=name, attribute=attribute),
                }
            )
        attributes.append(
            {
                "name": attribute,
                "title": text("report.fairness.attribute", attribute=attribute),
                "reference": text("report.fairness.reference", group=reference)
                if reference
                else text("report.fairness.no_reference"),
                "tables": tables,
            }
        )
    findings = [_finding_row(f, text) for f in _sorted(review.findings) if f.area == "fairness"]
    return {
        "intro": intro,
        "suppressed": text("report.fairness.suppressed", min_cell=fmt.integer(min_cell)),
        "attributes": attributes,
        "findings": findings,
    }


def _fairness_row(row: Mapping[str, Any], text: _Text, min_cell: int) -> dict[str, Any]:
    fmt = text.fmt
    suppressed = bool(row.get("suppressed"))
    hidden = text("report.suppressed", min_cell=fmt.integer(min_cell))
    return {
        "group": row["group"],
        "reference": row["group"] == row.get("reference_group"),
        "n": hidden if suppressed else fmt.integer(row.get("n")),
        "value": hidden if suppressed else fmt.number(row.get("value"), 3),
        "interval": "" if suppressed else fmt.interval(row.get("ci_low"), row.get("ci_high"), 3),
        "ratio": "" if suppressed else fmt.ratio(row.get("ratio")),
        "ratio_interval": ""
        if suppressed
        else fmt.interval(row.get("ratio_ci_low"), row.get("ratio_ci_high")),
        "status": row.get("status", "not_applicable"),
        "status_label": text(f"status.{row.get('status', 'not_applicable')}"),
        "suppressed": suppressed,
    }


def _sorted(findings: Sequence[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.item, f.id))


def _checklist(review: Review, text: _Text) -> dict[str, Any]:
    section = review.sections.get("checklist")
    if section is None and isinstance(review.sections.get("decision"), Mapping):
        section = review.sections["decision"].get("checklist")
    if isinstance(section, Mapping):
        section = section.get("items")
    if isinstance(section, list) and section:
        items = []
        for entry in section:
            entry = entry if isinstance(entry, Mapping) else {"id": str(entry)}
            status = str(entry.get("status") or "needs_evidence")
            evidence = entry.get("evidence") or []
            items.append(
                {
                    "item": str(entry.get("id") or entry.get("item") or ""),
                    "title": text.free(entry.get("title") or entry.get("question") or ""),
                    "status": status,
                    "status_label": text(f"status.{status}")
                    if text.known(f"status.{status}")
                    else status,
                    "evidence": [text.free(e) for e in evidence]
                    if isinstance(evidence, list)
                    else [text.free(evidence)],
                }
            )
        return {"source": "playbook", "items": items, "note": ""}
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
                "status_label": text(f"status.{status}"),
                "evidence": sorted({e for f in findings for e in f.evidence}),
            }
        )
    return {
        "source": "findings",
        "items": items,
        "note": text("report.checklist.from_findings") if items else "",
    }


def _figures(review: Review, text: _Text) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Figures the areas wrote: model drivers (explain) and any others."""
    drivers: list[dict[str, str]] = []
    others: list[dict[str, str]] = []
    for name in sorted(review.files):
        if not name.endswith((".png", ".svg")):
            continue
        figure = {"name": name, "src": _data_uri(review.files[name], name)}
        lowered = name.lower()
        (drivers if "shap" in lowered or "explain" in lowered else others).append(figure)
    return drivers, others


def _versions(review: Review, text: _Text) -> dict[str, Any]:
    libraries = []
    for name in ("auditkit", *LIBRARIES):
        try:
            version = __version__ if name == "auditkit" else metadata.version(name)
        except metadata.PackageNotFoundError:
            version = text("report.not_installed")
        libraries.append({"name": name, "version": version})
    inputs = [
        {
            "role": record.role,
            "path": record.path,
            "sha256": record.sha256,
            "rows": text.fmt.integer(record.rows),
        }
        for record in review.inputs
    ]
    return {"inputs": inputs, "libraries": libraries, "note": text("report.versions.manifest")}


def html_context(review: Review, *, created: datetime | None = None) -> dict[str, Any]:
    """Everything ``report.html`` shows, translated and formatted for the reader."""
    pilot = review.config.pilot
    lang = review.lang
    fmt = Formatter(report_locale(lang, pilot.country))
    text = _Text(lang, fmt)
    when = created or review_time()
    counts: dict[str, int] = defaultdict(int)
    for finding in review.findings:
        counts[finding.status] += 1
    drivers, others = _figures(review, text)
    explain = review.sections.get("explain")
    return {
        "lang": lang,
        "locale": str(fmt.locale),
        "t": text,
        "title": text("report.title"),
        "pilot": {
            "name": pilot.name,
            "city": pilot.city or "–",
            "country": pilot.country or "–",
            "task": text(f"report.task.{pilot.task}"),
        },
        "date": fmt.date(when),
        "generated": text("report.generated", version=__version__, date=fmt.date(when)),
        "status": review.status,
        "counts": [
            {"status": s, "label": text(f"status.{s}"), "count": fmt.integer(counts[s])}
            for s in ("fail", "warn", "needs_evidence", "insufficient_data", "pass")
            if counts.get(s)
        ],
        "colours": STATUS_COLOURS,
        "sections": [{"id": s, "title": text(f"report.section.{s}")} for s in SECTIONS],
        "decision": _decision(review, text),
        "fairness": _fairness(review, text),
        "drivers": {
            "figures": drivers,
            "findings": [
                _finding_row(f, text) for f in _sorted(review.findings) if f.area == "explain"
            ],
            "present": bool(drivers)
            or explain is not None
            or any(f.area == "explain" for f in review.findings),
        },
        "data": [
            _finding_row(f, text)
            for f in _sorted(review.findings)
            if f.area == "data" or f.check.startswith(_DATA_CHECK_PREFIXES)
        ],
        "checklist": _checklist(review, text),
        "figures": others,
        "versions": _versions(review, text),
    }


def render_html(review: Review, *, created: datetime | None = None) -> str:
    """Render ``report.html`` for ``review`` in ``review.lang``.

    Parameters
    ----------
    review : Review
        A finished review.
    created : datetime, optional
        The time shown as the review's date; default :func:`review_time` (the clock, or
        ``SOURCE_DATE_EPOCH``).
    """
    context = html_context(review, created=created)
    return _environment().get_template("report.html.j2").render(**context)
