"""Performance and row keys through ``connection: spark`` (a local session): the file's numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.engine.conftest import SPARK_MARKS
from tests.engine.test_performance_engine import _area, _assert_close, _config, _table

pytest.importorskip("pyspark", reason="PySpark is an optional extra: pip install -e '.[spark]'")
pytestmark = SPARK_MARKS


@pytest.mark.parametrize("task", ["forecast", "classification"])
def test_performance_through_spark_same_as_file(spark, tmp_path: Path, task: str):
    frame = _table(3000, seed=8)
    frame.to_csv(tmp_path / "p.csv", index=False)
    frame.to_parquet(tmp_path / "p.parquet")
    plain = _area(_config(tmp_path, task, {"predictions": "p.csv"}, True))
    through = _area(
        _config(tmp_path, task, {"predictions": "p.parquet", "connection": "spark"}, True)
    )
    _assert_close(plain, through)


def test_row_key_hash_through_spark(spark):
    from auditkit.engine._blocks import key_hash, key_hash_expression

    keys = pd.DataFrame(
        {
            "i": np.array([0, 7, 2**32 + 5, -3, 2**40], dtype=np.int64),
            "t": ["SR-1", "", "ñandú", "a'b", "x" * 50],
        }
    )
    import ibis

    con = ibis.pyspark.connect(spark)
    spark.createDataFrame(keys).createOrReplaceTempView("row_keys")
    table = con.table("row_keys")
    result = table.select(
        "i", hi=key_hash_expression(table.i), ht=key_hash_expression(table.t)
    ).to_pandas()
    result = result.set_index("i").loc[keys["i"]]
    assert result["hi"].astype(int).tolist() == key_hash(keys["i"].to_numpy()).tolist()
    assert result["ht"].astype(int).tolist() == key_hash(keys["t"].to_numpy(dtype=object)).tolist()
