"""The fairness ratio charts, written as SVG: well-formed, accessible, faithful and safe.

The geometry is checked against the log scale read back from the chart's own tick marks (the
tick labelled 1 and the one labelled 1.25 fix the scale), so a circle, an interval or the band
drawn at the wrong place is caught without re-running the layout code.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from auditkit.report import report_figures
from auditkit.report._figures import MAX_GROUPS, STATUS_COLOURS, ratio_chart
from auditkit.report._format import format_number
from tests.report.samples import sample_review

SVG = "{http://www.w3.org/2000/svg}"


def _row(
    group: str,
    ratio: float | None,
    low: float | None = None,
    high: float | None = None,
    status: str = "pass",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "group": group,
        "ratio": ratio,
        "ratio_ci_low": low,
        "ratio_ci_high": high,
        "status": status,
        "suppressed": False,
        "reference_group": "Centro",
        **extra,
    }


ROWS = [
    _row("Centro", 1.0),
    _row("Norte", 0.5, 0.4, 0.62, "fail"),
    _row("Sur", 1.1, 0.95, 1.3, "pass"),
    _row("Oeste", 1.6, 1.2, 2.1, "warn"),
    _row("Este", 0.9, 0.7, 1.2, "insufficient_data"),
]


def _chart(rows: list[dict[str, Any]] = ROWS, **options: Any) -> bytes:
    settings: dict[str, Any] = {
        "band": (0.8, 1.25),
        "title": "Tasa: razón respecto de «Centro»",
        "xlabel": "Razón (escala logarítmica)",
        "reference_label": "referencia",
        "number": lambda value: format_number(value, "es_MX"),
        "ident": "tasa",
        "description": "Gráfico de tasa por zona.",
        "status_labels": {"pass": "cumple", "fail": "falla", "warn": "alerta"},
    }
    settings.update(options)
    chart = ratio_chart(rows, **settings)
    assert chart is not None
    return chart


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def _scale(root: ET.Element) -> Any:
    """x of a ratio, from the positions of the ticks labelled 1 and 1.25 (log scale)."""
    ticks = {
        t.text: float(t.get("x", "nan"))
        for t in root.iter(f"{SVG}text")
        if t.get("y") == max(u.get("y", "") for u in root.iter(f"{SVG}text") if u.text == "1")
    }
    one, upper = ticks["1"], ticks["1.25"]
    return lambda ratio: one + math.log(ratio) / math.log(1.25) * (upper - one)


def test_chart_is_an_accessible_svg_document():
    """One <svg> with role="img", labelled by its <title> and described by its <desc>."""
    root = ET.fromstring(_chart())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.get("id") == "tasa-title" and desc.get("id") == "tasa-desc"
    assert title.text == "Tasa: razón respecto de «Centro»"
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"


def test_description_lists_every_group_with_its_interval_and_status():
    """A screen reader hears what the chart shows: ratio, interval and status of each group."""
    desc = ET.fromstring(_chart()).find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert desc.text.startswith("Gráfico de tasa por zona. ")
    for said in (
        "Oeste: 1.6 [1.2 – 2.1], alerta.",
        "Norte: 0.5 [0.4 – 0.62], falla.",
        "Centro (referencia): 1, cumple.",
        "Este: 0.9 [0.7 – 1.2], insufficient_data.",  # a status without a given label
    ):
        assert said in desc.text


def test_circles_intervals_and_band_sit_on_the_log_scale():
    """Each group's circle at its ratio, its line from interval low to high, the band shaded."""
    root = ET.fromstring(_chart())
    x = _scale(root)
    circles = list(root.iter(f"{SVG}circle"))
    assert len(circles) == len(ROWS)
    labels = [
        t for t in _texts(root) if t in {"Norte", "Sur", "Oeste", "Este", "Centro (referencia)"}
    ]
    # the largest ratio on top, as the PNG charts showed it
    assert labels == ["Oeste", "Sur", "Centro (referencia)", "Este", "Norte"]
    by_y = sorted(circles, key=lambda c: float(c.get("cy", "0")))
    expected = sorted(ROWS, key=lambda r: -r["ratio"])
    for circle, row in zip(by_y, expected, strict=True):
        assert float(circle.get("cx", "nan")) == pytest.approx(x(row["ratio"]), abs=0.5)
        assert circle.get("stroke") == STATUS_COLOURS[row["status"]]
        reference = row["group"] == "Centro"
        assert (circle.get("fill") == "#ffffff") is reference
    lines = {
        line.get("y1"): line
        for line in root.iter(f"{SVG}line")
        if line.get("stroke") in STATUS_COLOURS.values() and line.get("y1") == line.get("y2")
    }
    for circle, row in zip(by_y, expected, strict=True):
        if row["ratio_ci_low"] is None:
            continue
        line = lines[circle.get("cy")]
        assert float(line.get("x1", "nan")) == pytest.approx(x(row["ratio_ci_low"]), abs=0.5)
        assert float(line.get("x2", "nan")) == pytest.approx(x(row["ratio_ci_high"]), abs=0.5)
    band = next(r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#009E73")
    left = float(band.get("x", "nan"))
    assert left == pytest.approx(x(0.8), abs=0.5)
    assert left + float(band.get("width", "nan")) == pytest.approx(x(1.25), abs=0.5)


def test_tick_labels_follow_the_locale():
    """Portuguese ticks use the decimal comma, as the tables do."""
    texts = _texts(ET.fromstring(_chart(number=lambda v: format_number(v, "pt_BR"))))
    assert "0,8" in texts and "1,25" in texts and "0.8" not in texts


def test_same_rows_same_bytes_whatever_their_order():
    """Deterministic: the chart does not depend on the order of the rows or on the run."""
    assert _chart() == _chart(list(reversed(ROWS)))


def test_suppressed_and_missing_ratios_are_not_drawn():
    """Hidden groups never reach a chart; a chart with nothing to draw is not written."""
    rows = [*ROWS, _row("Oculto", 1.4, suppressed=True), _row("Sin razón", None), _row("Cero", 0.0)]
    text = _chart(rows).decode("utf-8")
    for hidden in ("Oculto", "Sin razón", "Cero"):
        assert hidden not in text
    assert (
        ratio_chart(
            rows[5:], band=(0.8, 1.25), title="t", xlabel="x", reference_label="r", number=str
        )
        is None
    )


def test_at_most_max_groups_the_furthest_from_parity():
    """With 40 groups the chart draws the 25 furthest from a ratio of 1."""
    rows = [_row(f"g{i:02d}", math.exp((i - 20) / 40)) for i in range(40)]
    root = ET.fromstring(_chart(rows))
    assert len(list(root.iter(f"{SVG}circle"))) == MAX_GROUPS
    drawn = {t for t in _texts(root) if t.startswith("g")}
    furthest = sorted(rows, key=lambda r: -abs(math.log(r["ratio"])))[:MAX_GROUPS]
    assert drawn == {r["group"] for r in furthest}


def test_long_labels_widen_the_chart_instead_of_being_cut():
    """A long intersection label is drawn whole and stays inside the picture."""
    long = "muy alto & WhatsApp & Distrito Centro Histórico"
    root = ET.fromstring(_chart([*ROWS, _row(long, 1.05)]))
    assert long in _texts(root)
    assert int(root.get("width", "0")) > 640


@pytest.mark.parametrize(
    "label",
    [
        "<script>alert(1)</script>",
        "</text><script>x</script><text>",
        "]]><!-- x -->",
        'x" onload="alert(1)',
        "a & b",
        "$x^2$",
        "B\r\n# título\x00\x07\u2028",
        "\ud800lone",
    ],
)
def test_hostile_group_labels_stay_text(label):
    """Figure text injection: a label is one line of text, never markup, and the SVG parses."""
    chart = _chart([*ROWS, _row(label, 1.05)], title=f"Tasa {label}", ident="t")
    root = ET.fromstring(chart)  # well-formed XML (no control character, nothing unbalanced)
    assert {e.tag for e in root.iter()} <= {
        f"{SVG}{tag}" for tag in ("svg", "title", "desc", "rect", "g", "line", "text", "circle")
    }
    attributes = {name for e in root.iter() for name in e.attrib}
    assert not {name for name in attributes if name.startswith("on")}, attributes
    # the label, control characters and line breaks turned into spaces, is one text as given
    cleaned = re.sub("[\x00-\x1f\u2028\ud800-\udfff]+", " ", label)
    assert cleaned in _texts(root)
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == f"Tasa {cleaned}"
    assert "\\$" not in chart.decode("utf-8")  # no mathtext escaping: a $ is a $ in SVG


def test_review_charts_are_svg_in_the_reviews_language():
    """report_figures: one SVG per attribute and metric, titled in the review's language."""
    figures = report_figures(sample_review("pt"))
    assert figures and all(name.endswith(".svg") for name in figures)
    title = ET.fromstring(figures["figures/fairness_zone_under_prediction_rate.svg"]).find(
        f"{SVG}title"
    )
    assert title is not None and title.text is not None
    assert "razão de cada grupo" in title.text


def test_drawing_charts_does_not_import_matplotlib():
    """The ratio charts are written without a plotting library (fast, no import cost)."""
    code = (
        "import sys\n"
        "from auditkit.report import report_figures\n"
        "from tests.report.samples import sample_review\n"
        "assert report_figures(sample_review('es'))\n"
        "print(sorted(m for m in ('matplotlib', 'PIL') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
