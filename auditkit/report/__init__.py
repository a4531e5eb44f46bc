"""Reports: the review rendered for people (Markdown, HTML) and written as one bundle.

This is the outputs stage: it reads a :class:`~auditkit.review.Review` (findings, metrics and
the typed decision step) and never runs an area.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditkit.report._bundle import write_review
from auditkit.report._context import finding_rows, report_context, report_figures, summary_view
from auditkit.report._decision import decision_document, decision_view
from auditkit.report._format import format_number, locale_for
from auditkit.report._html import render_html
from auditkit.report._markdown import render_markdown

if TYPE_CHECKING:
    from auditkit.report._compare import summary_table, write_comparison

__all__ = [
    "decision_document",
    "decision_view",
    "finding_rows",
    "format_number",
    "locale_for",
    "render_html",
    "render_markdown",
    "report_context",
    "report_figures",
    "summary_table",
    "summary_view",
    "write_comparison",
    "write_review",
]


def __getattr__(name: str) -> Any:
    """The comparison of pilots (:mod:`auditkit.report._compare`), imported on first use."""
    if name in ("summary_table", "write_comparison"):
        from auditkit.report import _compare

        return getattr(_compare, name)
    raise AttributeError(f"module 'auditkit.report' has no attribute {name!r}")
