"""The column profiles and time aggregates through ``connection: spark`` equal DuckDB's."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.engine import Source
from tests.engine._compare import files_source
from tests.engine.conftest import SPARK_MARKS
from tests.engine.test_profile import _predictions, engine_scan, times_of

pytest.importorskip("pyspark", reason="PySpark is an optional extra: pip install -e '.[spark]'")
pytestmark = SPARK_MARKS


def test_scan_and_times_through_spark_equal_duckdb(spark, tmp_path: Path):
    """Hits (complete and sampled columns) and leakage aggregates: the same as DuckDB's."""
    _predictions(3000).to_parquet(tmp_path / "p.parquet")
    duck = files_source(tmp_path / "p.parquet")
    through_spark = Source(
        kind="files",
        label="p.parquet",
        base_dir=tmp_path,
        files=(tmp_path / "p.parquet",),
        connection="spark",
    )
    for limit in (20_000, 400):
        expected = engine_scan(duck, country="MX", limit=limit)
        found = engine_scan(through_spark, country="MX", limit=limit)
        assert [(h["column"], h["kind"], h["estimated"]) for h in found] == [
            (h["column"], h["kind"], h["estimated"]) for h in expected
        ]
        if limit == 20_000:  # every value: the same counts
            assert found == expected
    columns = {"prediction_time": "made", "feature_time": "built"}
    assert times_of(through_spark, **columns) == times_of(duck, **columns)
