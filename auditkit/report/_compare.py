"""The advisors' comparison as files and as a terminal summary.

:func:`write_comparison` writes, through the publishing gate, into one folder:

* ``compare.csv``: one row per pilot (its latest review), or per review with ``--all``, with
  every indicator of ``docs/compare.md``;
* ``history.csv``: every review of every pilot, oldest first, to follow each pilot over time;
* ``compare.html``: one self-contained, printable page (no script, no remote resource): a sorted
  dot plot per indicator with its interval (one row per pilot, the pilot named on every row,
  decisions as a legend above the plot, height growing with the number of pilots), the table
  with the numbers of the CSV, and a small line per pilot across its reviews;
* ``compare.png``: the equity-gap chart, for slides.

Texts drawn in figures go through :func:`auditkit.report._escape.escape_figure_text`; the page
through :func:`auditkit.report._escape.html_environment` (autoescape on).
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditkit._owned import write_owned_files
from auditkit.report._escape import escape_csv_cell, escape_figure_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from rich.table import Table

    from auditkit.report._compare_rows import ReviewRow

__all__ = [
    "CHARTS",
    "DECISION_COLOURS",
    "IndicatorChart",
    "indicator_figure",
    "pilot_label",
    "summary_table",
    "write_comparison",
]

# Okabe-Ito colours by decision (colour-blind safe), grey when no decision was made.
DECISION_COLOURS: dict[str, str] = {
    "GO": "#009E73",
    "GO_WITH_CONDITIONS": "#E69F00",
    "NO_GO": "#D55E00",
    "ESCALATE": "#56B4E9",
    "none": "#999999",
}

# Ticks of ratio axes (log scale): 0.5 and 2 are as far from parity.
_RATIO_TICKS = (0.1, 0.2, 0.25, 0.33, 0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 5.0, 10.0)


@dataclass(frozen=True)
class IndicatorChart:
    """One indicator drawn as a sorted dot plot: its field, interval fields and reference."""

    field: str
    low: str | None
    high: str | None
    ratio: bool
    reference: float


CHARTS: tuple[IndicatorChart, ...] = (
    IndicatorChart("equity_gap", "equity_gap_ci_low", "equity_gap_ci_high", True, 1.0),
    IndicatorChart(
        "under_reporting_ratio", "under_reporting_ci_low", "under_reporting_ci_high", True, 1.0
    ),
    IndicatorChart("skill", None, None, False, 0.0),
    IndicatorChart("coverage_gap", None, None, False, 0.0),
)


def _decision_key(code: str) -> str:
    return f"risk.decision.{code.lower().replace('_', '-')}"


def _decision_label(code: str, lang: str) -> str:
    from auditkit.i18n import translate

    return (
        translate(_decision_key(code), lang) if code in DECISION_COLOURS and code != "none" else "—"
    )


def pilot_label(row: ReviewRow, *, dated: bool = False) -> str:
    """How a pilot is named on every row: ``City · pilot`` (and the review's day with --all).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> pilot_label(SimpleNamespace(city="Recife", pilot="demanda-recife", date="2026-03-01 12:00"))
    'Recife · demanda-recife'
    """
    label = f"{row.city} · {row.pilot}"
    return f"{label} · {row.date[:10]}" if dated else label


def _value(row: ReviewRow, name: str | None) -> float | None:
    if name is None:
        return None
    value = getattr(row, name)
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def indicator_figure(
    rows: Sequence[ReviewRow],
    chart: IndicatorChart,
    *,
    title: str,
    legend_title: str,
    decision_labels: dict[str, str],
    number: Callable[[float], str],
    dated: bool = False,
) -> Figure | None:
    """A sorted dot plot of one indicator: one row per pilot, its interval, decision colours.

    The pilots are sorted by the indicator (the largest on top); each row names its pilot; the
    decisions form a legend above the plot, never a mark inside it. The height grows with the
    number of pilots so that labels never overlap. ``None`` when no pilot measured it.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    shown = [r for r in rows if _value(r, chart.field) is not None]
    if not shown:
        return None
    ordered = sorted(
        shown, key=lambda r: (_value(r, chart.field) or 0.0, pilot_label(r, dated=dated))
    )
    count = len(ordered)
    figure = Figure(figsize=(7.5, 1.5 + 0.2 * count), layout="constrained")
    axes = figure.add_subplot()
    xs: list[float] = [chart.reference]
    for y, row in enumerate(ordered):
        colour = DECISION_COLOURS.get(row.decision, DECISION_COLOURS["none"])
        value = _value(row, chart.field) or 0.0
        low, high = _value(row, chart.low), _value(row, chart.high)
        if low is not None and high is not None:
            axes.hlines(y, low, high, color=colour, lw=1.6, zorder=2)
            xs += [low, high]
        axes.plot([value], [y], marker="o", ms=5, ls="", color=colour, zorder=3)
        xs.append(value)
    axes.axvline(chart.reference, color="#444444", lw=0.8, zorder=1)
    axes.set_yticks(
        range(count),
        labels=[escape_figure_text(pilot_label(r, dated=dated)) for r in ordered],
        fontsize=7,
    )
    axes.set_ylim(-0.7, count - 0.3)
    if chart.ratio:
        positive = [x for x in xs if x > 0]
        lowest, highest = min(positive) / 1.1, max(positive) * 1.1
        axes.set_xscale("log")
        axes.set_xlim(lowest, highest)
        ticks = [t for t in _RATIO_TICKS if lowest <= t <= highest]
        axes.xaxis.set_major_locator(FixedLocator(ticks))
        axes.xaxis.set_minor_locator(NullLocator())
    else:
        span = (max(xs) - min(xs)) or 1.0
        axes.set_xlim(min(xs) - 0.08 * span, max(xs) + 0.08 * span)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: number(value)))
    axes.tick_params(axis="x", labelsize=7)
    axes.grid(axis="x", color="#dddddd", lw=0.5)
    axes.grid(axis="y", color="#f0f0f0", lw=0.5)
    axes.set_axisbelow(True)
    figure.suptitle(
        "\n".join(escape_figure_text(line) for line in textwrap.wrap(title, 90)),
        x=0.01,
        ha="left",
        fontsize=8,
    )
    order = list(DECISION_COLOURS)
    present = sorted(
        {r.decision for r in ordered}, key=lambda d: order.index(d) if d in order else 99
    )
    figure.legend(
        handles=[
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                color=DECISION_COLOURS.get(d, DECISION_COLOURS["none"]),
                label=escape_figure_text(decision_labels.get(d, d)),
            )
            for d in present
        ],
        title=escape_figure_text(legend_title),
        title_fontsize=7,
        fontsize=7,
        loc="outside lower left",
        ncols=len(present),
        frameon=False,
    )
    return figure


def _svg(figure: Figure) -> str:
    """The figure as inline SVG (text drawn as paths, no date: same rows, same bytes)."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(figure)
    buffer = io.BytesIO()
    with rc_context({"svg.hashsalt": "auditkit", "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue().decode("utf-8")
    return text[text.index("<svg") :]


def _cell(value: Any) -> str:
    """A value exactly as ``compare.csv`` writes it."""
    if value is None:
        return ""
    return str(escape_csv_cell(value))


def _interval(low: float | None, high: float | None, number: Callable[[float | None], str]) -> str:
    if low is None or high is None:
        return "—"
    return f"{number(low)} – {number(high)}"


def _table(
    rows: Sequence[ReviewRow], lang: str, number: Callable[[float | None], str]
) -> tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]:
    """Columns and cells of the HTML table; every number carries its CSV text in data-*."""
    from auditkit.i18n import translate

    def col(name: str, num: bool = False) -> dict[str, Any]:
        return {"label": translate(f"compare.col.{name}", lang), "num": num}

    columns = [
        col("date"),
        col("days", True),
        col("city"),
        col("country"),
        col("pilot"),
        col("pilot_type"),
        col("lang"),
        col("decision"),
        col("tier"),
        col("tier_status"),
        col("skill", True),
        col("coverage_gap", True),
        col("equity_gap", True),
        col("equity_gap_ci", True),
        col("equity_gap_group"),
        col("under_reporting_ratio", True),
        col("blocking_open", True),
        col("conditions_open", True),
        col("run"),
    ]
    body = []
    for row in rows:
        data = asdict(row)

        def num(name: str, text: str | None = None, data: dict[str, Any] = data) -> dict[str, Any]:
            value = data[name]
            return {
                "text": text if text is not None else number(value),
                "num": True,
                "data": {name: _cell(value)},
            }

        def txt(text: str, **extra: Any) -> dict[str, Any]:
            return {"text": text, "num": False, "data": {}, **extra}

        status = row.tier_status
        body.append(
            [
                txt(row.date[:10]),
                num(
                    "days_since_review",
                    "—" if row.days_since_review is None else str(row.days_since_review),
                ),
                txt(row.city),
                txt(row.country),
                txt(row.pilot),
                txt(_pilot_type(row.pilot_type, lang)),
                txt(row.lang or "—"),
                txt(
                    _decision_label(row.decision, lang),
                    colour=DECISION_COLOURS.get(row.decision, DECISION_COLOURS["none"]),
                ),
                txt(row.tier if row.tier != "none" else "—"),
                txt(
                    translate(f"compare.tier_status.{status}", lang)
                    if status in ("final", "provisional")
                    else "—"
                ),
                num("skill"),
                num("coverage_gap"),
                num("equity_gap"),
                {
                    "text": _interval(row.equity_gap_ci_low, row.equity_gap_ci_high, number),
                    "num": True,
                    "data": {
                        "equity_gap_ci_low": _cell(row.equity_gap_ci_low),
                        "equity_gap_ci_high": _cell(row.equity_gap_ci_high),
                    },
                },
                txt(row.equity_gap_group or "—"),
                num("under_reporting_ratio"),
                num("blocking_open", "—" if row.blocking_open is None else str(row.blocking_open)),
                num(
                    "conditions_open",
                    "—" if row.conditions_open is None else str(row.conditions_open),
                ),
                txt(row.run_id, code=True),
            ]
        )
    return columns, body


def _pilot_type(value: str, lang: str) -> str:
    """A pilot type (``service-demand-forecast``) or, for hand-written audits, a task, in words."""
    from auditkit.i18n import translate

    if not value:
        return "—"
    for key in (f"pilot_type.{value}", f"task.{value}"):
        text = translate(key, lang)
        if text != key:
            return text
    return value


_SPARK_W, _SPARK_H, _SPARK_PAD = 96.0, 20.0, 3.0


def _spark(
    values: Sequence[float | None], number: Callable[[float | None], str]
) -> dict[str, Any] | None:
    """A small line of one indicator across a pilot's reviews (SVG coordinates, last value)."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if not points:
        return None
    lowest, highest = min(v for _i, v in points), max(v for _i, v in points)
    span = (highest - lowest) or 1.0
    steps = max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = _SPARK_PAD + (_SPARK_W - 2 * _SPARK_PAD) * i / steps
        y = (
            _SPARK_H
            - _SPARK_PAD
            - (_SPARK_H - 2 * _SPARK_PAD) * ((v - lowest) / span if highest > lowest else 0.5)
        )
        return round(x, 1), round(y, 1)

    coords = [xy(i, v) for i, v in points]
    return {
        "points": " ".join(f"{x},{y}" for x, y in coords),
        "last": coords[-1],
        "text": number(points[-1][1]),
        "first": number(points[0][1]),
        "width": _SPARK_W,
        "height": _SPARK_H,
    }


_TRENDS = ("equity_gap", "under_reporting_ratio", "skill", "coverage_gap")


def _history(
    histories: Sequence[Sequence[ReviewRow]], lang: str, number: Callable[[float | None], str]
) -> list[dict[str, Any]]:
    shown = []
    for reviews in histories:
        last = reviews[-1]
        shown.append(
            {
                "label": pilot_label(last),
                "reviews": len(reviews),
                "decisions": [
                    {
                        "colour": DECISION_COLOURS.get(r.decision, DECISION_COLOURS["none"]),
                        "label": f"{r.date[:10]}: {_decision_label(r.decision, lang)}",
                    }
                    for r in reviews
                ],
                "trends": [_spark([_value(r, name) for r in reviews], number) for name in _TRENDS],
            }
        )
    return shown


def write_comparison(
    rows: Sequence[ReviewRow],
    every_review: Sequence[ReviewRow],
    out: Path,
    *,
    uri: str,
    query: str,
    lang: str,
    latest: bool,
) -> list[Path]:
    """Write compare.csv, history.csv, compare.html and compare.png into ``out``.

    Parameters
    ----------
    rows : sequence of ReviewRow
        The rows to compare (the latest review of each pilot, or every review).
    every_review : sequence of ReviewRow
        Every review of the same pilots, for ``history.csv`` and the trend lines.
    uri, query : str
        Shown on the page: the tracking server and the MLflow filter string used.
    latest : bool
        Whether ``rows`` holds only the latest review of each pilot.

    Raises
    ------
    PersonalDataError
        A pilot's labels carry personal data: nothing is written.
    """
    from auditkit.i18n import translate
    from auditkit.privacy import check_publishable
    from auditkit.report._compare_rows import history_csv, pilot_histories, rows_csv
    from auditkit.report._escape import html_environment
    from auditkit.report._figures import png_bytes
    from auditkit.report._format import format_number, locale_for

    locale = locale_for(lang)

    def number(value: float | None) -> str:
        return format_number(value, locale, digits=2)

    decision_labels = {code: _decision_label(code, lang) for code in DECISION_COLOURS}
    figures = []
    png = None
    for chart in CHARTS:
        missing = sum(1 for r in rows if _value(r, chart.field) is None)
        title = translate(f"compare.chart.{chart.field}", lang)
        if missing:
            title += f" ({translate('compare.not_measured', lang, count=missing)})"
        figure = indicator_figure(
            rows,
            chart,
            title=title,
            legend_title=translate("compare.legend", lang),
            decision_labels=decision_labels,
            number=number,
            dated=not latest,
        )
        if figure is None:
            continue
        figures.append({"title": title, "svg": _svg(figure), "field": chart.field})
        if chart.field == "equity_gap":
            png = png_bytes(figure)
    columns, body = _table(rows, lang, number)
    keys = {r.key for r in rows}
    histories = pilot_histories([r for r in every_review if r.key in keys])
    html = (
        html_environment()
        .get_template("compare.html.j2")
        .render(
            lang=lang,
            t=lambda key, **params: translate(key, lang, **params),
            count=len(rows),
            columns=columns,
            rows=body,
            figures=figures,
            history=_history(histories, lang, number),
            trend_labels=[translate(f"compare.col.{name}", lang) for name in _TRENDS],
            uri=uri,
            filters=query,
            latest=latest,
        )
    )
    outputs = {
        "compare.csv": rows_csv(rows).encode("utf-8"),
        "history.csv": history_csv([r for r in every_review if r.key in keys]).encode("utf-8"),
        "compare.html": html.encode("utf-8"),
    }
    if png is not None:
        outputs["compare.png"] = png
    # the publishing gate: nothing is written when a pilot's labels carry personal data
    check_publishable(outputs)
    # only compare's own files are written; one of that name is replaced only if compare wrote it
    return write_owned_files(outputs, out, option="--out", retired=["compare.png"])


def summary_table(rows: Iterable[ReviewRow], *, lang: str, dated: bool = False) -> Table:
    """The terminal summary: a few key columns that fit 100 columns; the rest is in the files.

    Pilot, decision, tier, equity gap with its interval, skill, open blocking items and
    conditions, and days since the review.
    """
    from rich.markup import escape
    from rich.table import Table

    from auditkit.i18n import translate
    from auditkit.report._format import format_number, locale_for

    locale = locale_for(lang)

    def number(value: float | None) -> str:
        return format_number(value, locale, digits=2)

    table = Table(
        title=translate("compare.title", lang),
        title_justify="left",
        caption=translate("compare.summary_caption", lang),
        caption_justify="left",
        pad_edge=False,
    )
    table.add_column(translate("compare.col.pilot", lang), ratio=1, overflow="fold", min_width=16)
    table.add_column(translate("compare.col.decision", lang), overflow="fold", max_width=16)
    table.add_column(translate("compare.col.tier", lang), no_wrap=True)
    table.add_column(translate("compare.col.equity_gap", lang), justify="right", no_wrap=True)
    table.add_column(translate("compare.col.skill", lang), justify="right", no_wrap=True)
    table.add_column(translate("compare.col.open", lang), justify="right", no_wrap=True)
    table.add_column(translate("compare.col.days", lang), justify="right", no_wrap=True)
    for row in rows:
        gap = number(row.equity_gap)
        if row.equity_gap_ci_low is not None and row.equity_gap_ci_high is not None:
            gap += f" [{number(row.equity_gap_ci_low)}–{number(row.equity_gap_ci_high)}]"
        tier = row.tier if row.tier != "none" else "—"
        if row.tier_status == "provisional":
            tier += "?"
        opened = "—"
        if row.blocking_open is not None or row.conditions_open is not None:
            opened = f"{row.blocking_open or 0}/{row.conditions_open or 0}"
        colour = DECISION_COLOURS.get(row.decision, DECISION_COLOURS["none"])
        table.add_row(
            escape(pilot_label(row, dated=dated)),
            f"[{colour}]{_decision_label(row.decision, lang)}[/]",
            tier,
            gap,
            number(row.skill),
            opened,
            "—" if row.days_since_review is None else str(row.days_since_review),
        )
    return table
