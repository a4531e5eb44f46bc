"""Figures of the reports, drawn with matplotlib's non-interactive Agg backend.

Figures are built on :class:`matplotlib.figure.Figure` directly (no pyplot state), so reviews can
render in threads, and saved without a software tag or timestamp so identical inputs give
identical PNG bytes.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Callable, Mapping, Sequence
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


def ratio_chart(
    rows: Sequence[Mapping[str, Any]],
    *,
    band: tuple[float, float],
    title: str,
    xlabel: str,
    reference_label: str,
    number: Callable[[float], str],
) -> bytes | None:
    """Each group's ratio to the reference group with its interval; the tolerance band shaded.

    Parameters
    ----------
    rows : sequence of dict
        Tidy metric rows of one attribute and one metric (``group``, ``ratio``,
        ``ratio_ci_low``, ``ratio_ci_high``, ``status``, ``suppressed``, ``reference_group``).
        Suppressed rows and rows without a ratio are left out.
    band : (float, float)
        The tolerated range of the ratio.
    title, xlabel, reference_label : str
        Translated texts.
    number : callable
        Formats tick values for the reader's locale.

    Returns
    -------
    bytes or None
        The PNG, or None when no group has a ratio to draw.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    shown = [r for r in rows if not r.get("suppressed") and r.get("ratio") is not None]
    shown = [r for r in shown if r["ratio"] > 0]
    if not shown:
        return None
    shown = sorted(shown, key=_distance, reverse=True)[:MAX_GROUPS]
    shown.sort(key=lambda r: (r["ratio"], r["group"]))
    height = 1.2 + 0.32 * len(shown)
    # laid out by hand below: a layout engine draws every figure twice
    figure = Figure(figsize=(7.0, height))
    axes = figure.add_subplot()
    low, high = band
    axes.axvspan(low, high, color="#009E73", alpha=0.12, lw=0)
    axes.axvline(1.0, color="#444444", lw=0.8)
    values = [r["ratio"] for r in shown]
    lows = [r["ratio_ci_low"] if r.get("ratio_ci_low") else r["ratio"] for r in shown]
    highs = [r["ratio_ci_high"] if r.get("ratio_ci_high") else r["ratio"] for r in shown]
    # one collection per kind of mark (not one artist per group): drawing stays fast at 25 groups
    colours = [STATUS_COLOURS.get(r["status"], "#333333") for r in shown]
    rows_y = list(range(len(shown)))
    axes.hlines(rows_y, lows, highs, colors=colours, lw=2, capstyle="butt")
    is_reference = [r["group"] == r.get("reference_group") for r in shown]
    axes.scatter(
        values,
        rows_y,
        s=36,
        c=["white" if ref else c for ref, c in zip(is_reference, colours, strict=True)],
        edgecolors=colours,
        linewidths=1.0,
        zorder=3,
    )
    from auditkit.report._escape import escape_figure_text

    labels = [
        escape_figure_text(f"{r['group']} ({reference_label})")
        if r["group"] == r.get("reference_group")
        else escape_figure_text(r["group"])
        for r in shown
    ]
    axes.set_yticks(range(len(shown)), labels=labels, fontsize=8)
    axes.set_ylim(-0.7, len(shown) - 0.3)
    axes.set_xscale("log")
    lo = min([*lows, low]) / 1.15
    hi = max([*highs, high]) * 1.15
    axes.set_xlim(lo, hi)
    ticks = sorted({low, 1.0, high, *_nice_ticks(lo, hi)})
    axes.xaxis.set_major_locator(FixedLocator(ticks))
    axes.xaxis.set_minor_locator(NullLocator())
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: number(value)))
    axes.tick_params(axis="x", labelsize=8)
    axes.set_xlabel(textwrap.fill(xlabel, 70), fontsize=8)
    axes.set_title(escape_figure_text(title), fontsize=10, loc="left")
    axes.grid(axis="x", color="#dddddd", lw=0.5)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    _fit_margins(figure, axes)
    return png_bytes(figure)


def _fit_margins(figure: Any, axes: Any, pad: float = 6.0) -> None:
    """Margins that fit the tick labels, axis label and title, measured once (no layout pass)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(figure).get_renderer()  # type: ignore[no-untyped-call]
    width, height = figure.bbox.width, figure.bbox.height
    left = max((t.get_window_extent(renderer).width for t in axes.get_yticklabels()), default=0)
    below = axes.xaxis.label.get_window_extent(renderer).height
    below += max((t.get_window_extent(renderer).height for t in axes.get_xticklabels()), default=0)
    above = axes.title.get_window_extent(renderer).height
    figure.subplots_adjust(
        left=min(0.6, (left + 3 * pad) / width),
        right=1 - pad / width,
        bottom=min(0.45, (below + 3 * pad) / height),
        top=1 - (above + 4 * pad) / height,
    )


def _nice_ticks(lo: float, hi: float) -> list[float]:
    candidates = [0.05, 0.1, 0.2, 0.25, 0.5, 2.0, 4.0, 5.0, 10.0, 20.0]
    return [c for c in candidates if lo < c < hi]
