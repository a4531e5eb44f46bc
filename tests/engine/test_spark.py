"""The same file through ``connection: spark`` (a local session) gives identical numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit._io import read_table
from auditkit.engine import Source
from tests.engine._compare import assert_same, engine_metrics, frame_metrics
from tests.engine.conftest import SPARK_MARKS
from tests.engine.test_duckdb import GROUPS, _table

pytest.importorskip("pyspark", reason="PySpark is an optional extra: pip install -e '.[spark]'")
pytestmark = SPARK_MARKS


def test_parquet_through_spark_same_as_file(spark, tmp_path: Path):
    _table(4000, seed=21).to_parquet(tmp_path / "p.parquet")
    source = Source(
        kind="files",
        label="p.parquet",
        base_dir=tmp_path,
        files=(tmp_path / "p.parquet",),
        connection="spark",
    )
    frame = read_table(tmp_path / "p.parquet", text_columns=GROUPS)
    options = dict(
        y_true="y",
        y_pred="p",
        groups=GROUPS,
        task="classification",
        sample_weight="w",
        bootstrap=200,
        seed=3,
    )
    assert_same(frame_metrics(frame, **options), engine_metrics(source, **options))


def test_spark_sql_query_same_as_filtered_file(spark, tmp_path: Path):
    frame = _table(3000, seed=22)
    frame.to_parquet(tmp_path / "p.parquet")
    spark.read.parquet(str(tmp_path / "p.parquet")).createOrReplaceTempView("predictions")
    source = Source(
        kind="query",
        label="query",
        base_dir=tmp_path,
        connection="spark",
        query="SELECT * FROM predictions WHERE lang <> 'qu'",
    )
    expected = read_table(tmp_path / "p.parquet", text_columns=GROUPS)
    expected = expected[expected["lang"] != "qu"].reset_index(drop=True)
    expected["lang"] = expected["lang"].cat.remove_unused_categories()
    options = dict(
        y_true="count",
        y_pred="forecast",
        groups=GROUPS,
        task="forecast",
        bootstrap=100,
        y_pred_lower="low",
        y_pred_upper="high",
    )
    assert_same(frame_metrics(expected, **options), engine_metrics(source, **options))


def test_review_through_spark_same_findings_as_the_file(spark, tmp_path: Path):
    """`auditkit review` with `connection: spark` writes the embedded engine's findings.json
    metrics bit for bit (weighted sums are exact in both), and the pandas path's within 1e-12."""
    import json
    import math

    from typer.testing import CliRunner

    from auditkit.cli import app

    _table(5000, seed=23).to_parquet(tmp_path / "p.parquet")
    audit = (
        "pilot: {{name: Alertas, task: classification, language: pt}}\n"
        "data:\n{source}  y_true: y\n  y_pred: p\n"
        "  sample_weight: w\n  groups: [zone, lang]\n"
        "fairness: {{metrics: [selection_rate, false_negative_rate], bootstrap: 200}}\n"
        "privacy: {{scan: false}}\n"
    )
    runs = {}
    for name, source in (
        ("spark", "  predictions: p.parquet\n  connection: spark\n"),
        ("duckdb", "  query: SELECT * FROM 'p.parquet'\n"),
        ("file", "  predictions: p.parquet\n"),
    ):
        (tmp_path / f"{name}.yaml").write_text(audit.format(source=source), "utf-8")
        out = tmp_path / f"out-{name}"
        result = CliRunner().invoke(
            app, ["review", "-c", str(tmp_path / f"{name}.yaml"), "-o", str(out)]
        )
        assert result.exit_code in (0, 1), result.output
        runs[name] = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert runs["spark"]["metrics"] and runs["spark"]["metrics"] == runs["duckdb"]["metrics"]
    assert runs["spark"]["findings"] == runs["duckdb"]["findings"]
    for row, expected in zip(runs["spark"]["metrics"], runs["file"]["metrics"], strict=True):
        for key, value in row.items():
            if isinstance(value, float):
                assert math.isclose(value, expected[key], rel_tol=1e-12, abs_tol=1e-12), key
            else:
                assert value == expected[key], key
    assert runs["spark"]["summary"] == runs["file"]["summary"]
