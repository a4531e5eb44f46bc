"""``report.md``: the review for people, in Markdown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from auditkit.report._context import report_context

if TYPE_CHECKING:
    import jinja2

    from auditkit.review import Review

__all__ = ["render_markdown"]


def _environment() -> jinja2.Environment:
    """Markdown: every value escaped by :func:`auditkit.report._escape.escape_markdown`."""
    from auditkit.report._escape import markdown_environment

    return markdown_environment()


def render_markdown(
    review: Review,
    *,
    figures: Mapping[str, bytes] | None = None,
    context: Mapping[str, Any] | None = None,
) -> str:
    """Render ``review`` as Markdown in the review's language.

    The sections and their titles are those of ``report.html``; every figure the page embeds is
    linked by its file name in the output folder (``figures/...``), where the review writes it.
    ``figures`` are the charts of :func:`auditkit.report.report_figures` (computed when not
    given); ``context``, the view model of :func:`auditkit.report.report_context` when the
    caller already built it (``report.html`` is rendered from the same one).
    """
    if context is None:
        context = report_context(review, figures=figures)
    return _environment().get_template("report.md.j2").render(**context)
