"""One escaping rule per output format: Markdown, HTML and CSV for spreadsheets.

Every writer of a format goes through its function here, so a value (a group label, a pilot's
name, an owner, a finding's text) can never change the structure of the document it lands in:

* :func:`escape_markdown` for ``report.md``: a value stays inside its line and its table cell
  (line breaks become spaces, ``|`` and ``\\`` are escaped), and cannot open a raw HTML tag
  (``<script>``, ``<img onerror=...>``) or a link (``[x](javascript:...)``, ``<javascript:...>``).
  It is the ``finalize`` of the Markdown environment: every ``{{ ... }}`` passes through it.
* :func:`html_environment` for ``report.html`` and ``compare.html``: Jinja with autoescape on
  for every template (``&``, ``<``, ``>``, quotes become entities); the pages also forbid every
  script and fetch through their Content-Security-Policy.
* :func:`escape_figure_text` for text drawn in figures (matplotlib): one line, no control
  characters, ``$`` escaped so that a label never turns into mathtext.
* :func:`escape_svg_text` for text written in SVG figures (the reports' ratio charts, also
  inlined in ``report.html``): the same one-line rule, no character XML forbids, and
  XML-escaped (``&``, ``<``, ``>``, quotes), so a label cannot open an element or an attribute.
* :func:`escape_csv_cell` for ``compare.csv`` and any CSV auditkit writes: a text cell that a
  spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return) is prefixed with ``'`` (OWASP, "CSV Injection"); numbers stay numbers.
"""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

__all__ = [
    "escape_csv_cell",
    "escape_figure_text",
    "escape_markdown",
    "escape_svg_text",
    "html_environment",
    "markdown_environment",
]

_TEMPLATES = Path(__file__).resolve().parent / "templates"
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")


def escape_markdown(value: Any) -> str:
    """A value as inline Markdown text that cannot change the document's structure.

    >>> escape_markdown("B\\n# Heading")
    'B # Heading'
    >>> escape_markdown("<script>alert(1)</script> | x")
    '&lt;script>alert(1)&lt;/script> \\\\| x'
    >>> escape_markdown("[click](javascript:alert(1))")
    '[click]\\\\(javascript:alert(1))'
    >>> escape_markdown("< 10")
    '< 10'
    """
    if value is None:
        return ""
    text = str(value)
    text = _LINE_BREAKS.sub(" ", text)
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    text = _TAG_START.sub("&lt;", text)
    return text.replace("](", "]\\(")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def escape_figure_text(value: Any) -> str:
    """A value as figure text: control characters become spaces, ``$`` cannot start mathtext.

    >>> print(escape_figure_text("B\\r\\n$x$"))
    B \\$x\\$
    """
    text = _CONTROL.sub(" ", "" if value is None else str(value))
    return text.replace("$", "\\$")


# Characters XML 1.0 does not allow in a document (an SVG with one would not open at all).
_NOT_XML = re.compile(r"[\ud800-\udfff\ufffe\uffff]+")


def escape_svg_text(value: Any) -> Markup:
    """A value as SVG text: one line, no control characters, XML-escaped (safe to inline).

    The result is :class:`markupsafe.Markup`, so the Jinja templates of the figures do not
    escape it twice.

    >>> print(escape_svg_text('B\\r\\n<script>&"$x$"'))
    B &lt;script&gt;&amp;&#34;$x$&#34;
    """
    from markupsafe import escape

    text = _CONTROL.sub(" ", "" if value is None else str(value))
    return escape(_NOT_XML.sub(" ", text))


def escape_csv_cell(value: Any) -> Any:
    """A cell for a CSV file opened in a spreadsheet: formulas neutralised, numbers kept.

    >>> [escape_csv_cell(v) for v in ["=1+1", "+52 33 1234 5678", "-0.5", -0.5, "@SUM(A1)", "ok"]]
    ["'=1+1", "'+52 33 1234 5678", '-0.5', -0.5, "'@SUM(A1)", 'ok']
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else ""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def _environment(kind: str, autoescape: bool, finalize: Any) -> jinja2.Environment:
    """The templates' environment, with their compiled code kept between runs
    (:func:`auditkit.report._template_cache.template_cache`: same output, less compiling)."""
    import jinja2

    from auditkit.report._template_cache import template_cache

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=autoescape,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.bytecode_cache = template_cache(environment, kind)
    return environment


@functools.cache
def html_environment() -> jinja2.Environment:
    """The Jinja environment of every HTML page: autoescape on, whatever the template's name."""
    return _environment("html", True, None)


@functools.cache
def markdown_environment() -> jinja2.Environment:
    """The Jinja environment of every Markdown document: each value through
    :func:`escape_markdown`."""
    return _environment("markdown", False, escape_markdown)
