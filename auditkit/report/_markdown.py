"""``report.md``: the review for people, in Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditkit.report._context import report_context

if TYPE_CHECKING:
    import jinja2

    from auditkit.review import Review

__all__ = ["render_markdown"]


def _environment() -> jinja2.Environment:
    """Markdown: every value escaped by :func:`auditkit.report._escape.escape_markdown`."""
    from auditkit.report._escape import markdown_environment

    return markdown_environment()


def render_markdown(review: Review) -> str:
    """Render ``review`` as Markdown in the review's language."""
    return _environment().get_template("report.md.j2").render(**report_context(review))
