"""The advisors' view over two dozen pilots: indicators, charts, history, MLflow, terminal."""

from __future__ import annotations

import csv
import io
import itertools
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from auditkit import write_review
from auditkit.cli import app
from auditkit.tracking import log_bundle
from auditkit.tracking._compare import Comparison, compare_pilots
from tests.tracking.pilots import EARLIER, HIGH, PILOTS, Pilot, expected_open, pilot_review

runner = CliRunner()
DOCS = Path(__file__).resolve().parents[2] / "docs" / "compare.md"
TODAY = date(2026, 3, 31)
FIRST = datetime(2026, 1, 15, 9, tzinfo=UTC)
SECOND = datetime(2026, 3, 1, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def store(migrated_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """24 pilots of 9 countries in es/pt/en, both pilot types; Guadalajara reviewed twice."""
    base = tmp_path_factory.mktemp("advisors")
    shutil.copyfile(migrated_sqlite, base / "mlflow.db")
    uri = f"sqlite:///{base / 'mlflow.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(base)
        reviews = [(EARLIER, FIRST)] + [
            (pilot, SECOND.replace(minute=i)) for i, pilot in enumerate(PILOTS)
        ]
        for i, (pilot, when) in enumerate(reviews):
            patch.setenv("SOURCE_DATE_EPOCH", str(int(when.timestamp())))
            folder = base / f"review-{i:02d}"
            write_review(pilot_review(pilot), folder)
            log_bundle(folder, tracking_uri=uri)
        yield uri


@pytest.fixture(scope="module")
def compared(store: str, tmp_path_factory: pytest.TempPathFactory) -> Comparison:
    """The comparison written by the library call behind ``auditkit compare`` (English)."""
    return compare_pilots(store, tmp_path_factory.mktemp("cmp") / "out", lang="en", today=TODAY)


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _out(compared: Comparison) -> Path:
    return Path(compared.outputs[0]).parent


def _float(cell: str) -> float | None:
    return None if cell == "" else float(cell)


def test_one_row_per_pilot_with_its_indicators(compared: Comparison) -> None:
    """compare.csv: one row per pilot (its latest review), the indicators as logged."""
    rows = _csv(_out(compared) / "compare.csv")
    for column in (
        "equity_gap",
        "equity_gap_ci_low",
        "equity_gap_ci_high",
        "equity_gap_group",
        "under_reporting_ratio",
        "tier_status",
        "blocking_open",
        "conditions_open",
        "days_since_review",
    ):
        assert column in rows[0], column
    assert "worst_disparity" not in rows[0]
    assert len(rows) == len(PILOTS) == 24
    by_city = {r["city"]: r for r in rows}
    assert sorted(by_city) == sorted(p.city for p in PILOTS)
    for pilot in PILOTS:
        row = by_city[pilot.city]
        assert row["pilot"] == pilot.slug and row["pilot_type"] == pilot.kind
        assert row["lang"] == pilot.lang
        assert row["decision"] == pilot.decision.upper().replace("-", "_")
        assert row["tier"] == "III" and row["tier_status"] == pilot.tier_status
        if pilot.gap is None:
            assert row["equity_gap"] == row["equity_gap_ci_low"] == row["equity_gap_group"] == ""
        else:
            cells = ("equity_gap", "equity_gap_ci_low", "equity_gap_ci_high")
            assert tuple(_float(row[c]) for c in cells) == pilot.gap
            assert row["equity_gap_group"] == HIGH[pilot.lang]
        if pilot.reporting is None:
            assert row["under_reporting_ratio"] == ""
        else:
            assert _float(row["under_reporting_ratio"]) == pilot.reporting[0]
            assert _float(row["under_reporting_ci_high"]) == pilot.reporting[2]
        if pilot.coverage is None:
            assert row["coverage_gap"] == ""
        else:
            assert _float(row["coverage_gap"]) == pytest.approx(pilot.coverage - 0.8)
        assert _float(row["skill"]) == pilot.skill
        blocking, conditions = expected_open(pilot)
        assert (int(row["blocking_open"]), int(row["conditions_open"])) == (blocking, conditions)
        assert int(row["days_since_review"]) == 30  # reviewed 2026-03-01, read 2026-03-31
    # Guadalajara's row is its second review, not the earlier NO-GO
    assert by_city["Guadalajara"]["decision"] == "GO_WITH_CONDITIONS"
    assert by_city["Guadalajara"]["date"].startswith("2026-03-01")


def test_every_review_with_all(store: str, tmp_path: Path) -> None:
    """--all: one row per review, so Guadalajara appears twice, newest first."""
    result = compare_pilots(store, tmp_path, latest_only=False, today=TODAY)
    assert len(result.rows) == 25
    gdl = [r for r in result.rows if r.city == "Guadalajara"]
    assert [r.equity_gap for r in gdl] == [0.71, 0.55]
    assert [r.days_since_review for r in gdl] == [30, 75]


def test_a_pilot_reviewed_twice_shows_its_trend(compared: Comparison) -> None:
    """history.csv: Guadalajara's two reviews in order; one line per pilot in the HTML."""
    history = _csv(_out(compared) / "history.csv")
    assert len(history) == 25
    gdl = [r for r in history if r["city"] == "Guadalajara"]
    assert [(r["review"], r["decision"], r["equity_gap"], r["tier_status"]) for r in gdl] == [
        ("1", "NO_GO", "0.55", "provisional"),
        ("2", "GO_WITH_CONDITIONS", "0.71", "final"),
    ]
    assert [r["skill"] for r in gdl] == ["0.14", "0.21"]
    html = (_out(compared) / "compare.html").read_text(encoding="utf-8")
    section = html[html.index('<table id="history">') :]
    lines = re.findall(r"<tr><td>([^<]*)</td><td class=\"num\">(\d+)</td>", section)
    assert len(lines) == 24
    assert ("Guadalajara · demanda-guadalajara", "2") in lines
    gdl_row = section[section.index("Guadalajara · demanda-guadalajara") :].split("</tr>")[0]
    # four small lines (equity gap, under-reporting, skill, coverage), two points each
    points = re.findall(r'<polyline points="([^"]*)"', gdl_row)
    assert len(points) == 4 and all(len(p.split()) == 2 for p in points)
    # the equity gap rose from 0.55 to 0.71: the line goes up (SVG y grows downwards)
    (x1, y1), (x2, y2) = (tuple(map(float, p.split(","))) for p in points[0].split())
    assert x2 > x1 and y2 < y1


class _Cells(HTMLParser):
    """The data-* attributes of every cell of the pilots table, by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self.texts: list[list[str]] = []
        self._in = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._in = dict(attrs).get("id") == "pilots"
        if self._in and tag == "tr":
            self.rows.append({})
            self.texts.append([])
        if self._in and tag == "td":
            for key, value in attrs:
                if key.startswith("data-"):
                    self.rows[-1][key[5:]] = value or ""
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None and self._in:
            self.texts[-1].append("".join(self._cell))
            self._cell = None
        if tag == "table":
            self._in = False


def test_html_has_the_numbers_of_the_csv(compared: Comparison) -> None:
    """Every number of the HTML table is the CSV's, and the page is self-contained."""
    out = _out(compared)
    csv_rows = {r["run_id"]: r for r in _csv(out / "compare.csv")}
    html = (out / "compare.html").read_text(encoding="utf-8")
    parser = _Cells()
    parser.feed(html)
    rows = [(r, t) for r, t in zip(parser.rows, parser.texts, strict=True) if r]
    assert len(rows) == 24
    checked = 0
    for data, texts in rows:
        run_id = texts[-1]
        expected = csv_rows[run_id]
        for key, value in data.items():
            assert value == expected[key], (key, run_id)
            checked += 1
        # shown rounded to two decimals, the same number
        if expected["equity_gap"]:
            assert f"{float(expected['equity_gap']):.2f}".rstrip("0").rstrip(".") in texts
    # days, skill, coverage gap, equity gap and its interval, under-reporting, open items
    assert checked == 24 * 9
    # self-contained and printable: no script, nothing fetched, figures inline
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "<link" not in html and "@import" not in html
    assert html.count("<svg") >= 4 + 24  # four charts, one trend line per pilot at least
    assert "@media print" in html and "default-src 'none'" in html


def _labels_do_not_overlap(figure: Any) -> list[str]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    axes = figure.axes[0]
    labels = [t for t in axes.get_yticklabels() if t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in labels]
    for (a, ta), (b, tb) in itertools.combinations(zip(boxes, labels, strict=True), 2):
        assert not a.overlaps(b), (ta.get_text(), tb.get_text())
    # the decision legend is outside the plotting area, not a mark inside it
    legend = figure.legends[0].get_window_extent(renderer)
    assert not legend.overlaps(axes.get_window_extent(renderer))
    # no text runs into another (title, legend, pilot names, tick values) or off the page
    low, high = axes.get_xlim()
    ticks = [
        t for t in axes.get_xticklabels() if t.get_text() and low <= t.get_position()[0] <= high
    ]
    others = [figure._suptitle.get_window_extent(renderer), legend]
    others += [t.get_window_extent(renderer) for t in ticks]
    page = figure.bbox
    for a, b in itertools.combinations(boxes + others, 2):
        assert not a.overlaps(b)
    for box in boxes + others:
        assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 and box.y1 <= page.y1
    return [t.get_text() for t in labels]


@pytest.mark.parametrize("count", [24, 50])
def test_charts_read_without_overlaps(compared: Comparison, count: int) -> None:
    """A chart per indicator: every pilot named on its row, no label overlaps, at 24 and 50."""
    from auditkit.report._compare import CHARTS, indicator_figure, pilot_label

    rows = list(compared.rows)
    while len(rows) < count:  # more pilots: the same reviews in other (numbered) cities
        rows += [replace(r, city=f"{r.city} {len(rows) + i}") for i, r in enumerate(rows)]
    rows = rows[:count]
    heights = []
    for chart in CHARTS:
        figure = indicator_figure(
            rows,
            chart,
            title=chart.field,
            legend_title="Decision",
            decision_labels={},
            number=lambda value: f"{value:.2f}",
        )
        assert figure is not None
        measured = [r for r in rows if getattr(r, chart.field) is not None]
        names = _labels_do_not_overlap(figure)
        assert sorted(names) == sorted(pilot_label(r) for r in measured)
        values = [getattr(r, chart.field) for r in measured]
        assert len(names) == len(values)
        heights.append(figure.get_figheight() / len(measured))
    assert min(heights) > 0.2  # height grows with the number of pilots


def test_indicators_are_run_metrics_in_every_language(store: str) -> None:
    """The same audit.* metric names for es, pt and en pilots; tags; table; experiment tags."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=store)
    runs = client.search_runs(
        [e.experiment_id for e in client.search_experiments()],
        filter_string="tags.`auditkit.kind` = 'review'",
        max_results=1000,
    )
    assert len(runs) == 25
    by_pilot: dict[str, Pilot] = {p.slug: p for p in PILOTS}
    keys_by_lang: dict[tuple[str, str], set[str]] = {}
    for run in runs:
        tags, metrics = run.data.tags, run.data.metrics
        pilot = by_pilot[tags["auditkit.pilot"]]
        if tags["auditkit.latest"] == "false":
            pilot = EARLIER
        assert "audit.worst_disparity" not in metrics
        if pilot.gap is not None:
            assert (
                metrics["audit.equity_gap"],
                metrics["audit.equity_gap_ci_low"],
                metrics["audit.equity_gap_ci_high"],
            ) == pilot.gap
            assert tags["auditkit.equity_gap_group"] == HIGH[pilot.lang]
        assert metrics["audit.skill"] == pilot.skill
        assert tags["auditkit.tier_status"] == pilot.tier_status
        assert (metrics["audit.blocking_open"], metrics["audit.conditions_open"]) == expected_open(
            pilot
        )
        if pilot.reporting is not None:
            assert metrics["audit.under_reporting_ratio"] == pilot.reporting[0]
        keys = {k for k in metrics if not k.startswith("audit.worst_ratio.")}
        keys_by_lang.setdefault((pilot.kind, tags["auditkit.lang"]), set()).update(keys)
        experiment = client.get_experiment(run.info.experiment_id)
        assert experiment.tags["auditkit.city"] == pilot.city
        assert experiment.tags["auditkit.country"] == pilot.country
        assert experiment.tags["auditkit.pilot_type"] == pilot.kind
    for kind in ("service-demand-forecast", "request-triage"):
        names = [keys for (k, _lang), keys in keys_by_lang.items() if k == kind]
        assert len(names) >= 2 and all(n == names[0] for n in names), kind
    # the per-group metric rows, as a table the MLflow UI displays
    latest = next(r for r in runs if r.data.tags["auditkit.city"] == "Recife")
    table = client.load_table(
        latest.info.experiment_id, "audit_metrics.json", run_ids=[latest.info.run_id]
    )
    assert "audit_metrics.json" in {a.path for a in client.list_artifacts(latest.info.run_id)}
    oblatos = table[(table["group"] == "Oblatos") & (table["metric"] == "under_prediction_rate")]
    assert oblatos["ratio"].tolist() == [1.55] and oblatos["n"].tolist() == [400]
    # the suppressed group keeps its label and no number, as in findings.json
    hidden = table[table["group"] == "Tlaquepaque"]
    assert hidden["value"].isna().all() and hidden["suppressed"].tolist() == [True]


def _documented_filter(question: str) -> str:
    """The filter string docs/compare.md gives for a question of its search table."""
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"| {question} |"):
            return line.split("|")[2].strip().strip("`").strip()
    raise AssertionError(f"docs/compare.md has no search for {question!r}")


def test_documented_search_lists_every_latest_review(store: str, compared: Comparison) -> None:
    """The search of docs/compare.md finds each pilot's latest review, as compare does."""
    import mlflow

    query = _documented_filter("every pilot's latest review")
    mlflow.set_tracking_uri(store)
    try:
        frame = mlflow.search_runs(search_all_experiments=True, filter_string=query)
    finally:
        mlflow.set_tracking_uri(None)
    assert sorted(frame["run_id"]) == sorted(r.run_id for r in compared.rows)
    assert len(frame) == 24
    assert "metrics.audit.equity_gap" in frame.columns


def test_terminal_summary_fits_100_columns(compared: Comparison) -> None:
    """A few key columns, nothing cut: every pilot and equity gap readable at width 100."""
    from rich.console import Console

    from auditkit.report._compare import summary_table

    for lang in ("es", "pt", "en"):
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(summary_table(compared.rows, lang=lang))
        text = console.export_text()
        lines = text.splitlines()
        assert max(len(line) for line in lines) <= 100
        assert "…" not in text
        flat = " ".join(text.split())
        for row in compared.rows:
            assert row.city in flat, row.city
        # 24 pilots, one line each (plus title, header, rules and caption)
        assert len(lines) < 24 * 2 + 10
    assert "0.71 [0.66–0.76]" in text


def test_cli_prints_the_summary_and_writes_every_file(store: str, tmp_path: Path) -> None:
    """`auditkit compare` at 100 columns: the summary, and the four files."""
    out = tmp_path / "cmp"
    result = runner.invoke(
        app, ["compare", "--tracking-uri", store, "--out", str(out)], env={"COLUMNS": "100"}
    )
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
    assert "Guadalajara" in result.stdout and "São Paulo" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "auditkit-outputs.json",  # what compare wrote: it replaces only these files
        "compare.csv",
        "compare.html",
        "compare.png",
        "history.csv",
    ]


def test_labels_cannot_change_the_page_the_figure_or_the_terminal(
    compared: Comparison, tmp_path: Path
) -> None:
    """A hostile city or pilot name stays text: escaped in HTML, plain in figures and rich."""
    from rich.console import Console

    from auditkit.report._compare import summary_table, write_comparison

    row = replace(compared.rows[0], city="<script>alert(1)</script>", pilot="$x$-[bold]red[/bold]")
    write_comparison(
        [row], [row], tmp_path, uri="sqlite:///x.db", query="q", lang="es", latest=True
    )
    html = (tmp_path / "compare.html").read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(summary_table([row], lang="es"))
    assert "$x$-[bold]red[/bold]" in " ".join(console.export_text().split())


def test_reviews_logged_by_earlier_versions_still_compare(sqlite_uri: str, tmp_path: Path) -> None:
    """A review run without the indicators (older auditkit): a row with empty cells, no error."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=sqlite_uri)
    experiment = client.create_experiment("old-pilot")
    run = client.create_run(
        experiment,
        start_time=int(datetime(2026, 2, 1, tzinfo=UTC).timestamp() * 1000),
        tags={
            "auditkit.kind": "review",
            "auditkit.pilot": "old-pilot",
            "auditkit.city": "Quito",
            "auditkit.decision": "GO",
        },
    )
    client.log_metric(run.info.run_id, "audit.worst_disparity", 2.0)
    result = compare_pilots(sqlite_uri, tmp_path / "out", today=TODAY)
    [row] = result.rows
    assert (row.city, row.decision, row.equity_gap, row.tier_status) == (
        "Quito",
        "GO",
        None,
        "none",
    )
    assert row.days_since_review == 58  # from the run's start, 2026-02-01
    assert _csv(tmp_path / "out" / "compare.csv")[0]["equity_gap"] == ""


def test_cli_all_reviews_in_portuguese(store: str, tmp_path: Path) -> None:
    """--all --lang pt --format json: every review as JSON, a Portuguese page, dated rows."""
    import json

    out = tmp_path / "todas"
    args = ["compare", "--tracking-uri", store, "-o", str(out), "--all", "--lang", "pt"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["rows"]) == 25
    assert "tags.`auditkit.kind` = 'review'" in data["filter"]
    html = (out / "compare.html").read_text(encoding="utf-8")
    assert '<html lang="pt">' in html and "Lacuna de equidade" in html
    assert "Todas as revisões são exibidas" in html
    assert len(_csv(out / "compare.csv")) == 25 and len(_csv(out / "history.csv")) == 25
