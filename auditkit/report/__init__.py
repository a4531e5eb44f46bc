"""Reports: the review rendered for people (Markdown, HTML) and written as one bundle.

This is the outputs stage: it reads a :class:`~auditkit.review.Review` (findings, metrics and
the typed decision step) and never runs an area.
"""

from auditkit.report._bundle import write_review
from auditkit.report._compare import summary_table, write_comparison
from auditkit.report._context import finding_rows, report_context, report_figures, summary_view
from auditkit.report._decision import decision_document, decision_view
from auditkit.report._format import format_number, locale_for
from auditkit.report._html import render_html
from auditkit.report._markdown import render_markdown

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
