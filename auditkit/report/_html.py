"""``report.html``: the review as one self-contained page an auditor can e-mail and print.

The page is built on the same view model as ``report.md`` (:func:`report_context`) and adds what
only a page can carry: the decision panel, charts and the full evidence. Everything is inline:
the CSS, the figures (the fairness charts as inline SVG, other figures as ``data:`` URIs) and no
script at all. A Content-Security-Policy
forbids every fetch, so anything external would show as an error in the browser's console (the
headless-Chromium test looks for that). Numbers and dates are formatted for the reader's locale
with babel, every text comes from the catalogues in es/pt/en, and small cells stay suppressed
exactly as in ``findings.json``.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from auditkit._version import __version__
from auditkit.i18n import catalog, translate
from auditkit.report._context import SECTIONS, report_context
from auditkit.report._decision import decision_document
from auditkit.report._figures import MAX_GROUPS, STATUS_COLOURS
from auditkit.report._format import display_params, format_number
from auditkit.review import review_time
from auditkit.risk import DECISIONS as RISK_DECISIONS

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

    from auditkit._area import MetricRow
    from auditkit.review import Review

__all__ = ["DECISIONS", "SECTIONS", "html_context", "render_html"]

# Decisions of the risk step, normalised (upper case, underscores: CSS classes, MLflow tags).
DECISIONS: tuple[str, ...] = tuple(d.upper().replace("-", "_") for d in RISK_DECISIONS)
_DATA_CHECK_PREFIXES = ("data.", "privacy.")
MISSING = "—"
# "blocks deployment": the emoji of report.md has no glyph in common print fonts; ⊘ does.
_BLOCKS_EMOJI, _BLOCKS_MARK = "⛔", "⊘"


def _environment() -> jinja2.Environment:
    """HTML: autoescape on (:func:`auditkit.report._escape.html_environment`)."""
    from auditkit.report._escape import html_environment

    return html_environment()


def _data_uri(content: bytes, name: str, *, embed: bool = True) -> str:
    """The figure inline (``data:`` URI), or its path beside the page when not embedded."""
    if not embed:
        return name
    mime = "image/svg+xml" if name.endswith(".svg") else "image/png"
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def _inline_svg(content: bytes) -> Markup:
    """A chart of :func:`auditkit.report._figures.ratio_chart`, to inline in the page as is.

    Marked safe because the chart's builder escaped every text in it
    (:func:`auditkit.report._escape.escape_svg_text`) and the template autoescapes the rest.
    """
    from markupsafe import Markup

    return Markup(content.decode("utf-8").strip())


def format_date(value: date | datetime | str | None, locale: str) -> str:
    """A date in the locale's long form (``1 de marzo de 2026``); ISO strings accepted.

    >>> format_date("2026-06-30", "pt_BR"), format_date("soon", "en_US")
    ('30 de junho de 2026', 'soon')
    """
    from babel.dates import format_date as babel_date

    if value is None or value == "":
        return MISSING
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        value = value.date()
    return str(babel_date(value, format="long", locale=locale))


class _Text:
    """Translation bound to one report's language and locale."""

    def __init__(self, lang: str, locale: str) -> None:
        self.lang = lang
        self.locale = locale

    def __call__(self, key: str, **params: Any) -> str:
        return translate(key, self.lang, **params)

    def known(self, key: str) -> bool:
        return key in catalog("en") or key in catalog(self.lang)

    def number(self, value: Any, digits: int = 3) -> str:
        return format_number(value, self.locale, digits=digits)

    def free(self, value: Any) -> str:
        """Text given by another area: a message key, a {lang: text} mapping or plain text."""
        if value is None:
            return ""
        if isinstance(value, Mapping):
            if "message" in value:
                params = display_params(value.get("params") or {}, self.lang, self.locale)
                return self(str(value["message"]), **params)
            if self.lang in value or "en" in value:
                return str(value.get(self.lang) or value.get("en"))
            for key in ("text", "title", "reason", "condition", "trigger", "label", "id"):
                if key in value:
                    return self.free(value[key])
            return ", ".join(f"{k}: {v}" for k, v in value.items())
        if isinstance(value, float | int) and not isinstance(value, bool):
            return self.number(value)
        text = str(value)
        return self(text) if self.known(text) else text


def _normalise_decision(value: Any) -> str | None:
    """``go-with-conditions`` (decision.json) -> ``GO_WITH_CONDITIONS`` (CSS class, MLflow tag)."""
    if not isinstance(value, str) or not value.strip():
        return None
    code = value.strip().upper().replace("-", "_").replace(" ", "_")
    return code if code in DECISIONS else None


def _decision(review: Review, base: dict[str, Any], text: _Text) -> dict[str, Any]:
    """The decision view model of ``report.md`` plus status codes and dates for the page."""
    view = base.get("decision")
    none = text("html.decision.none", status=text(f"status.{review.status}"))
    if not view or review.decision is None:
        return {"present": False, "none": none}
    document = decision_document(review.decision, review.lang)
    conditions = {c["item"]: c for c in document.get("conditions", [])}
    items = {i["id"]: i for i in document.get("items", [])}

    def badge(code: str) -> dict[str, str]:
        return {"status": code, "status_label": text(f"status.{code}")}

    def due(item: str, shown: str) -> str:
        value = conditions.get(item, {}).get("due")
        return format_date(value, text.locale) if value else shown

    tier = document.get("tier") or {}
    return {
        "present": True,
        "none": none,
        "code": _normalise_decision(document.get("decision")),
        "label": view["label"],
        "explanation": view["explanation"],
        "rules": view["rules"],
        "tier": view["tier"],
        "tier_roman": tier.get("tier_roman", ""),
        "raised_by": view["raised_by"],
        "triggers": view.get("triggers", ""),
        "questionnaire_level": view["questionnaire_level"],
        "aia": view["aia"],
        "conditions": [
            {**c, **badge(conditions[c["item"]]["status"]), "due": due(c["item"], c["due"])}
            for c in view["conditions"]
        ],
        "checklist": [{**i, **badge(items[i["id"]]["status"])} for i in view["checklist"]],
        "legend": text("risk.report.legend").replace(_BLOCKS_EMOJI, _BLOCKS_MARK),
    }


def _fairness(
    review: Review, base: dict[str, Any], text: _Text, *, embed: bool = True
) -> list[dict[str, Any]]:
    """The view model's fairness tables, each metric with its chart and ratio intervals."""
    rows_by: dict[tuple[str, str], list[MetricRow]] = defaultdict(list)
    for row in review.metrics:
        if row.get("area") == "fairness":
            rows_by[(row["attribute"], row["metric"])].append(row)
    figures = base["figures"]
    tables = []
    for table in base["fairness"]["tables"]:
        metrics = []
        for metric in table["metrics"]:
            rows = rows_by[(table["attribute"], metric["metric"])]
            intervals = {
                r["group"]: (
                    f"{text.number(r['ratio_ci_low'])} – {text.number(r['ratio_ci_high'])}"
                    if r.get("ratio_ci_low") is not None and r.get("ratio_ci_high") is not None
                    else MISSING
                )
                for r in rows
            }
            drawable = [r for r in rows if not r.get("suppressed") and r.get("ratio")]
            figure = metric["figure"]
            inline = bool(figure) and embed and figure.endswith(".svg")
            metrics.append(
                {
                    **metric,
                    "lines": [
                        {**line, "ratio_interval": intervals.get(line["group"], MISSING)}
                        for line in metric["lines"]
                    ],
                    "chart": _data_uri(figures[figure], figure, embed=embed)
                    if figure and not inline
                    else None,
                    "svg": _inline_svg(figures[figure]) if inline else None,
                    "alt": text(
                        "html.fairness.chart_alt",
                        metric=metric["name"],
                        attribute=table["attribute"],
                    ),
                    "more": text("html.fairness.more_groups", shown=MAX_GROUPS, total=len(drawable))
                    if len(drawable) > MAX_GROUPS
                    else None,
                }
            )
        tables.append({**table, "metrics": metrics})
    return tables


def _figures(
    review: Review, base: dict[str, Any], *, embed: bool = True
) -> tuple[list[dict[str, str]], ...]:
    """Figures of the explanation (with their captions) and any other figure the areas wrote."""
    drivers = [
        {**figure, "src": _data_uri(review.files[figure["file"]], figure["file"], embed=embed)}
        for figure in base["explain"]["figures"]
    ]
    others = [
        {**figure, "src": _data_uri(review.files[figure["file"]], figure["file"], embed=embed)}
        for figure in base["other_figures"]
    ]
    return drivers, others


def html_context(
    review: Review,
    *,
    created: datetime | None = None,
    figures: Mapping[str, bytes] | None = None,
    embed_figures: bool = True,
    context: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The view model of ``report.md`` plus what the page adds (decision, charts, evidence).

    ``context`` is that view model when the caller already built it (it is not modified).
    """
    base = dict(context) if context is not None else report_context(review, figures=figures)
    text = _Text(base["lang"], base["locale"])
    when = created or review_time()
    drivers, others = _figures(review, base, embed=embed_figures)
    fairness = review.sections.get("fairness")
    confidence = (fairness or {}).get("confidence", 0.95)
    explain_present = "explain" in review.sections or any(
        f.area == "explain" for f in review.findings
    )
    return {
        **base,
        "t": text,
        "title": text("html.title"),
        "date": format_date(when, text.locale),
        "generated": text(
            "html.date_generated", version=__version__, date=format_date(when, text.locale)
        ),
        "count_badges": [
            {"status": s, "label": text(f"status.{s}"), "count": n}
            for s, n in base["counts"].items()
            if n
        ],
        "colours": STATUS_COLOURS,
        "decision": _decision(review, base, text),
        "has_fairness": bool(fairness),
        "fairness_tables": _fairness(review, base, text, embed=embed_figures),
        "img_src": "data:" if embed_figures else "'self' data:",
        "fairness_findings": base["area_findings"]["fairness"],
        "ratio_interval_label": text(
            "html.col.ratio_interval", confidence=text.number(100 * confidence, 1)
        ),
        "drivers": {
            "present": bool(drivers) or explain_present,
            "figures": drivers,
            "findings": base["area_findings"]["explain"],
        },
        "data_findings": base["area_findings"]["data"],
        "other_figures": others,
    }


def render_html(
    review: Review,
    *,
    created: datetime | None = None,
    figures: Mapping[str, bytes] | None = None,
    embed_figures: bool = True,
    context: Mapping[str, Any] | None = None,
) -> str:
    """Render ``report.html`` for ``review`` in ``review.lang``.

    Parameters
    ----------
    review : Review
        A finished review.
    created : datetime, optional
        The date shown for the review; default :func:`review_time` (the clock, or
        ``SOURCE_DATE_EPOCH``).
    figures : mapping, optional
        The charts of :func:`auditkit.report.report_figures` (computed when not given).
    embed_figures : bool, default True
        ``True``: every chart inline, one self-contained file. ``False``: the page shows the
        charts from ``figures/`` beside it (a lighter page; move the folder with it).
    context : mapping, optional
        The view model of :func:`auditkit.report.report_context`, when the caller already
        built it for ``report.md`` (built here when not given).
    """
    page = html_context(
        review, created=created, figures=figures, embed_figures=embed_figures, context=context
    )
    return _environment().get_template("report.html.j2").render(**page)
