"""Figures of the reports: the fairness ratio charts as SVG, written directly (no plotting library).

A ratio chart is a handful of lines, circles and labels, so it is laid out here and rendered by
one Jinja template (``templates/ratio_chart.svg.j2``) instead of being drawn and encoded by
matplotlib: a review with dozens of charts spends milliseconds on them, not seconds, and the
page inlines vector graphics that stay sharp when printed and are smaller than base64 PNGs.

The SVG is accessible (``role="img"`` with a ``<title>`` and a ``<desc>`` in the report's
language that lists every group's ratio, interval and status), deterministic (same rows, same
bytes: coordinates are rounded, nothing depends on the clock or the fonts installed) and safe to
inline: every text passes :func:`auditkit.report._escape.escape_svg_text` (one line, no control
characters, XML-escaped) and the template escapes anything else. Text widths cannot be measured
without a font, so the layout reserves room from an upper estimate of the width of each label.

:func:`png_bytes` stays for the figures that are still drawn with matplotlib (``compare.png``).
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["MAX_GROUPS", "STATUS_COLOURS", "png_bytes", "ratio_chart"]

# Colour-blind-safe (Okabe-Ito) colours per status, shared by tables and charts.
STATUS_COLOURS: dict[str, str] = {
    "pass": "#009E73",
    "warn": "#E69F00",
    "fail": "#D55E00",
    "insufficient_data": "#999999",
    "needs_evidence": "#56B4E9",
    "not_applicable": "#BBBBBB",
}

# Charts show at most this many groups (the furthest from parity); tables show them all.
MAX_GROUPS = 25

# Layout of a ratio chart, in SVG user units (pixels at 100 %).
_FONT = 11  # group labels, tick labels, axis label
_TITLE_FONT = 13
_CHAR = 0.62  # upper estimate of a character's width, in em, for sans-serif text
_WIDTH = 640  # the chart's width unless long labels need more
_MIN_PLOT = 400  # the narrowest plotting area
_ROW = 22  # height of one group's row
_PAD = 8


def png_bytes(figure: Any) -> bytes:
    """Render a matplotlib Figure to PNG bytes without metadata that changes between runs."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    return buffer.getvalue()


def _distance(row: Mapping[str, Any]) -> float:
    ratio = row["ratio"]
    return abs(math.log(ratio)) if ratio and ratio > 0 else math.inf


def _bound(row: Mapping[str, Any], key: str) -> float:
    """The interval's end, or the ratio itself when there is none (nothing to draw on log axes)."""
    value = row.get(key)
    if value is None or not math.isfinite(value) or value <= 0:
        return float(row["ratio"])
    return float(value)


def _text_width(text: str, size: float) -> float:
    return len(text) * size * _CHAR


def _wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` in lines that fit ``width`` (estimated), never cut inside a word."""
    chars = max(20, int(width / (size * _CHAR)))
    return textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False) or [""]


def _fmt(value: float) -> str:
    """A coordinate: one decimal, no ``-0.0`` (deterministic text)."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _nice_ticks(lo: float, hi: float) -> list[float]:
    candidates = [0.05, 0.1, 0.2, 0.25, 0.5, 2.0, 4.0, 5.0, 10.0, 20.0]
    return [c for c in candidates if lo < c < hi]


@dataclass(frozen=True)
class _Axis:
    """A logarithmic x axis from ``lo`` to ``hi`` drawn between ``left`` and ``right``."""

    lo: float
    hi: float
    left: float
    right: float

    def __call__(self, value: float) -> float:
        span = math.log(self.hi) - math.log(self.lo)
        return self.left + (math.log(value) - math.log(self.lo)) / span * (self.right - self.left)


def _ticks(
    axis: _Axis, band: tuple[float, float], number: Callable[[float], str]
) -> list[dict[str, Any]]:
    """Tick marks: 1 and the band's ends first, then round values where their labels fit."""
    from auditkit.report._escape import escape_svg_text

    low, high = band
    preferred = [1.0, low, high, *_nice_ticks(axis.lo, axis.hi)]
    kept: list[tuple[float, float, str]] = []  # (x, half width, label)
    for value in preferred:
        if not axis.lo <= value <= axis.hi or any(value == v for v, _, _ in kept):
            continue
        label = number(value)
        x, half = axis(value), _text_width(label, _FONT) / 2
        if all(abs(x - axis(v)) >= half + h + 4 for v, h, _ in kept):
            kept.append((value, half, label))
    return [{"x": _fmt(axis(v)), "label": escape_svg_text(label)} for v, _, label in sorted(kept)]


def ratio_chart(
    rows: Sequence[Mapping[str, Any]],
    *,
    band: tuple[float, float],
    title: str,
    xlabel: str,
    reference_label: str,
    number: Callable[[float], str],
    ident: str = "chart",
    description: str = "",
    status_labels: Mapping[str, str] | None = None,
) -> bytes | None:
    """Each group's ratio to the reference group with its interval; the tolerance band shaded.

    Parameters
    ----------
    rows : sequence of dict
        Tidy metric rows of one attribute and one metric (``group``, ``ratio``,
        ``ratio_ci_low``, ``ratio_ci_high``, ``status``, ``suppressed``, ``reference_group``).
        Suppressed rows and rows without a positive ratio are left out; at most
        :data:`MAX_GROUPS` groups are drawn, the furthest from parity.
    band : (float, float)
        The tolerated range of the ratio.
    title, xlabel, reference_label : str
        Translated texts.
    number : callable
        Formats numbers (ticks, the description's ratios) for the reader's locale.
    ident : str
        Prefix of the ids of the chart's ``<title>`` and ``<desc>``: unique within a page that
        inlines several charts.
    description : str
        Translated text that opens the ``<desc>``; each drawn group's ratio, interval and
        status (``status_labels``, translated) follow it.
    status_labels : mapping, optional
        Status code -> its translated name, for the description.

    Returns
    -------
    bytes or None
        The SVG document (UTF-8), or None when no group has a ratio to draw.

    Examples
    --------
    >>> svg = ratio_chart(
    ...     [{"group": "A", "ratio": 1.0, "status": "pass", "reference_group": "A"},
    ...      {"group": "B", "ratio": 0.7, "ratio_ci_low": 0.6, "ratio_ci_high": 0.8,
    ...       "status": "fail", "reference_group": "A"}],
    ...     band=(0.8, 1.25), title="Rate", xlabel="Ratio", reference_label="ref",
    ...     number=lambda v: f"{v:g}", ident="rate")
    >>> svg.startswith(b'<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    True
    """
    from auditkit.report._escape import escape_svg_text, html_environment

    shown = [r for r in rows if not r.get("suppressed") and r.get("ratio") is not None]
    shown = [r for r in shown if r["ratio"] > 0 and math.isfinite(r["ratio"])]
    if not shown:
        return None
    shown = sorted(shown, key=_distance, reverse=True)[:MAX_GROUPS]
    shown.sort(key=lambda r: (r["ratio"], r["group"]))
    shown.reverse()  # the largest ratio on top, as a y axis counting up would draw it
    labels = [
        f"{r['group']} ({reference_label})"
        if r["group"] == r.get("reference_group")
        else r["group"]
        for r in shown
    ]
    # the room the labels need: at least the usual width, wider rather than cut
    label_room = max(_text_width(text, _FONT) for text in labels) + 2 * _PAD
    width = max(_WIDTH, math.ceil(label_room + _MIN_PLOT + 3 * _PAD))
    title_lines = _wrap(title, width - 2 * _PAD, _TITLE_FONT)
    xlabel_lines = _wrap(xlabel, width - label_room - 2 * _PAD, _FONT)
    top = _PAD + len(title_lines) * (_TITLE_FONT + 4) + _PAD
    plot_height = len(shown) * _ROW + _ROW / 2
    bottom = top + plot_height
    height = math.ceil(bottom + 6 + _FONT + 6 + len(xlabel_lines) * (_FONT + 3) + _PAD)

    low, high = band
    lows = [_bound(r, "ratio_ci_low") for r in shown]
    highs = [_bound(r, "ratio_ci_high") for r in shown]
    axis = _Axis(
        lo=min([*lows, low]) / 1.15,
        hi=max([*highs, high]) * 1.15,
        left=label_room,
        right=width - 3 * _PAD,
    )
    marks = []
    for index, (row, label) in enumerate(zip(shown, labels, strict=True)):
        colour = STATUS_COLOURS.get(row["status"], "#333333")
        marks.append(
            {
                "y": _fmt(top + _ROW * (index + 0.75)),
                "label": escape_svg_text(label),
                "low": _fmt(axis(lows[index])),
                "high": _fmt(axis(highs[index])),
                "x": _fmt(axis(float(row["ratio"]))),
                "colour": colour,
                "fill": "#ffffff" if row["group"] == row.get("reference_group") else colour,
            }
        )
    statuses = status_labels or {}
    described = [description] if description else []
    for row, label, lo, hi in zip(shown, labels, lows, highs, strict=True):
        interval = f" [{number(lo)} – {number(hi)}]" if (lo, hi) != (row["ratio"],) * 2 else ""
        status = statuses.get(row["status"], row["status"])
        described.append(f"{label}: {number(float(row['ratio']))}{interval}, {status}.")
    context = {
        "id": escape_svg_text(ident),
        "width": width,
        "height": height,
        "font": _FONT,
        "title_font": _TITLE_FONT,
        "title": escape_svg_text(title),
        "desc": escape_svg_text(" ".join(described)),
        "title_lines": [
            {"y": _fmt(_PAD + (i + 1) * (_TITLE_FONT + 4) - 4), "text": escape_svg_text(line)}
            for i, line in enumerate(title_lines)
        ],
        "pad": _fmt(_PAD),
        "top": _fmt(top),
        "bottom": _fmt(bottom),
        "band_height": _fmt(plot_height),
        "tick_end": _fmt(bottom + 4),
        "left": _fmt(axis.left),
        "right": _fmt(axis.right),
        "label_x": _fmt(axis.left - _PAD),
        "band_x": _fmt(axis(low)),
        "band_width": _fmt(axis(high) - axis(low)),
        "one": _fmt(axis(1.0)),
        "ticks": _ticks(axis, band, number),
        "tick_y": _fmt(bottom + 6 + _FONT),
        "xlabel_x": _fmt((axis.left + axis.right) / 2),
        "xlabel_lines": [
            {"y": _fmt(bottom + 12 + _FONT + (i + 1) * (_FONT + 3)), "text": escape_svg_text(line)}
            for i, line in enumerate(xlabel_lines)
        ],
        "marks": marks,
    }
    svg = html_environment().get_template("ratio_chart.svg.j2").render(**context)
    return svg.encode("utf-8")
