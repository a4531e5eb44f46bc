"""Injection through values: one escaping rule per output format (Markdown, HTML, CSV)."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.report._compare_rows import ReviewRow, rows_csv
from auditkit.report._escape import escape_csv_cell, escape_markdown

runner = CliRunner()

INJECTIONS = [
    "B\n# Owned heading",
    "B\r\n===",
    "B\u2028## Owned",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "a | b | c",
    "back\\|slash",
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """One review whose group labels are every injection above: its output folder."""
    tmp_path = tmp_path_factory.mktemp("inject")
    labels = ["Centro", *INJECTIONS]
    frame = pd.DataFrame(
        {
            "zona": [labels[i % len(labels)] for i in range(40 * len(labels))],
            "y": [i % 7 for i in range(40 * len(labels))],
            "p": [(i % 7) + 0.5 for i in range(40 * len(labels))],
        }
    )
    frame.to_csv(tmp_path / "predictions.csv", index=False)
    config = {
        "pilot": {"name": "Prueba <b>x</b>\n# título", "task": "regression", "country": "MX"},
        "data": {
            "predictions": "predictions.csv",
            "y_true": "y",
            "y_pred": "p",
            "groups": ["zona"],
        },
        "fairness": {"bootstrap": 0, "min_group_size": 5},
    }
    (tmp_path / "audit.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["review", "-c", str(tmp_path / "audit.yaml"), "-o", str(out), "--fail-on", "never"]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def reports(bundle):
    """report.md and report.html of that review."""
    return (bundle / "report.md").read_text("utf-8"), (bundle / "report.html").read_text("utf-8")


def test_svg_charts_keep_every_label_as_text(bundle):
    """The fairness charts (SVG files, inlined in the page) hold each label as text, no markup."""
    import xml.etree.ElementTree as ET

    charts = sorted((bundle / "figures").glob("fairness_*.svg"))
    assert charts
    svg = "{http://www.w3.org/2000/svg}"
    texts: set[str | None] = set()
    for chart in charts:
        root = ET.fromstring(chart.read_bytes())  # well-formed: nothing broke out of a text
        tags = {element.tag.removeprefix(svg) for element in root.iter()}
        assert tags <= {"svg", "title", "desc", "rect", "g", "line", "text", "circle"}, tags
        assert not [a for e in root.iter() for a in e.attrib if a.startswith("on")]
        texts |= {element.text for element in root.iter(f"{svg}text")}
    assert "<img src=x onerror=alert(1)>" in texts  # drawn as the label it is
    assert "<script>alert(1)</script> (reference)" in texts  # the reference group
    assert "B # Owned heading" in texts  # one line


def test_markdown_values_open_no_block(reports):
    """No injected value starts a heading, a setext underline or a new table row."""
    markdown, _ = reports
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert not any(re.match(r"#+ (Owned|título)", line) for line in headings), headings
    assert not re.search(r"^=+\s*$", markdown, flags=re.M)
    for line in markdown.splitlines():
        if line.startswith("| ") and ("a \\| b" in line):
            assert len(re.findall(r"(?<!\\)\|", line)) == 7  # the row keeps its 6 cells


@pytest.mark.parametrize("raw", ["<script", "<img", "](javascript", "<javascript", "<b>"])
def test_markdown_has_no_raw_html_or_link(reports, raw):
    """Tags and link syntax from values are neutralised in report.md."""
    markdown, _ = reports
    assert raw not in markdown


@pytest.mark.parametrize("raw", ["<script", "<img src=x", "<b>x", "onerror=alert(1)>"])
def test_html_escapes_every_value(reports, raw):
    """report.html escapes every value (autoescape everywhere)."""
    _, page = reports
    assert raw not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("B\n# x", "B # x"),
        ("<script>", "&lt;script>"),
        ("</td>", "&lt;/td>"),
        ("<!-- c -->", "&lt;!-- c -->"),
        ("[a](javascript:x)", "[a]\\(javascript:x)"),
        ("a|b", "a\\|b"),
        ("< 10", "< 10"),
        ("0,81 – 0,92", "0,81 – 0,92"),
    ],
)
def test_escape_markdown(value, expected):
    """The Markdown rule, value by value."""
    assert escape_markdown(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+52 33 1234 5678", "'+52 33 1234 5678"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("＝1+1", "'＝1+1"),
        ("-0.25", "-0.25"),
        ("+3", "+3"),
        ("1e-5", "1e-5"),
        (-0.25, -0.25),
        (12, 12),
        ("Guadalajara", "Guadalajara"),
        (None, None),
    ],
)
def test_escape_csv_cell(value, expected):
    """OWASP: formula starters prefixed with a quote; numbers stay numbers."""
    assert escape_csv_cell(value) == expected


def test_compare_csv_neutralises_formulas():
    """compare.csv, read back, holds no cell a spreadsheet would evaluate."""
    row = ReviewRow(
        date="2026-01-01",
        city='=HYPERLINK("http://evil","x")',
        country="@MX",
        pilot="+cmd",
        pilot_type="-forecast",
        lang="es",
        decision="GO",
        tier="II",
        tier_status="final",
        skill=-0.12,
        coverage_gap=-0.05,
        equity_gap=1.3,
        equity_gap_ci_low=1.1,
        equity_gap_ci_high=1.5,
        equity_gap_group="=cmd|' /C calc'!A0",
        equity_gap_attribute="@zone",
        equity_gap_metric="prediction_to_actual_ratio",
        under_reporting_ratio=None,
        under_reporting_ci_low=None,
        under_reporting_ci_high=None,
        blocking_open=0,
        conditions_open=None,
        days_since_review=3,
        fail=0,
        warn=1,
        status="pass",
        reviewed_at="2026-01-01T00:00:00Z",
        experiment="\t=1",
        run_id="abc",
        reviewed_run_id="def",
    )
    cells = next(iter(csv.DictReader(io.StringIO(rows_csv([row])))))
    for key, cell in cells.items():
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), (key, cell)
        if cell.startswith("-"):
            float(cell)  # only numbers may start with a minus
    assert cells["skill"] == "-0.12"
