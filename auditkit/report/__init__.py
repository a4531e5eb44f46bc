"""Reports: the same view model rendered for people (Markdown, HTML)."""

from auditkit.report._context import report_context, report_figures
from auditkit.report._html import render_html
from auditkit.report._markdown import render_markdown

__all__ = ["render_html", "render_markdown", "report_context", "report_figures"]
