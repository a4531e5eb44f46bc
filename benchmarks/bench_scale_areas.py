"""The performance area and the explanation sample at scale, through the engine layer.

    python benchmarks/bench_scale_areas.py                   # 10^6 rows
    python benchmarks/bench_scale_areas.py --sizes 6 7       # 10^6 and 10^7
    python benchmarks/bench_scale_areas.py --sizes 8         # 10^8 (~3 GB of parquet, minutes)

The table is generated into a temporary folder as 10 Parquet parts: a weekly count, a forecast,
a seasonal-naive baseline and an 80 % interval, a 0/1 outcome with a probability, a case id and
three equity attributes crossed (5 x 3 x 10 = 150 cells). Every case runs in its own process, so
its peak memory (``ru_maxrss``) is its own:

- ``floor``: one DuckDB ``GROUP BY`` of the three attributes with the sums the area needs, as
  doubles (nothing else): the single pass every method must make;
- ``forecast``: the performance area (``review_performance``) on the glob: skill over the
  baseline overall and in every group, interval coverage; exact decimal sums where the data lives;
- ``classifier``: the same on the 0/1 outcome with the probability: skill and calibration (Brier
  score, ECE and its null from the fine-bin sums);
- ``explain sample``: ``explain.max_rows`` = 5,000 rows of four columns sampled in the engine by
  a hash of the row number (what the explain area reads instead of the table);
- ``pandas``: (10^6 and 10^7 only) the glob read into one pandas frame, which is what the area
  read before, for the memory it took.

The machine's load (``uptime``) is printed with the figures: it is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

GROUPS = ["stratum", "channel", "district"]
PARTS = 10


def generate(folder: Path, n: int, seed: int = 0) -> Path:
    """``n`` rows in 10 Parquet parts under ``folder`` (written part by part: little memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    levels = {
        "stratum": np.array(["very low", "low", "medium", "high", "very high"]),
        "channel": np.array(["whatsapp", "phone", "web"]),
        "district": np.array([f"D{i:02d}" for i in range(10)]),
    }
    folder.mkdir(parents=True, exist_ok=True)
    per_part = n // PARTS
    start = 0
    for part in range(PARTS):
        size = per_part if part < PARTS - 1 else n - per_part * (PARTS - 1)
        count = rng.poisson(8, size).astype(np.float64)
        forecast = count * rng.uniform(0.8, 1.2, size)
        score = rng.beta(2, 4, size)
        columns = {
            "case_id": np.arange(start, start + size, dtype=np.int64),
            "count": count,
            "forecast": forecast,
            "naive": count + rng.normal(0, 2, size),
            "low": forecast - 2,
            "high": forecast + 2,
            "y": (rng.random(size) < score).astype(np.int8),
            "p": (score > 0.4).astype(np.int8),
            "guess": rng.integers(0, 2, size, dtype=np.int8),
            "prob": score,
        }
        start += size
        for name, values in levels.items():
            codes = rng.integers(0, len(values), size, dtype=np.int8)
            columns[name] = pa.DictionaryArray.from_arrays(codes, values)
        pq.write_table(
            pa.table(columns), folder / f"part-{part:02d}.parquet", row_group_size=1 << 20
        )
    return folder


def _floor(folder: Path) -> dict[str, float]:
    import duckdb

    con = duckdb.connect()
    start = time.perf_counter()
    rows = con.sql(
        "SELECT stratum, channel, district, count(*), sum(abs(forecast - count)), "
        "sum(abs(naive - count)), sum(CASE WHEN low <= count AND count <= high THEN 1 ELSE 0 END) "
        f"FROM read_parquet('{folder}/*.parquet') GROUP BY ALL"
    ).fetchall()
    return {"seconds": time.perf_counter() - start, "cells": len(rows)}


def _area(folder: Path, task: str) -> dict[str, float]:
    from auditkit._area import ReviewContext
    from auditkit._config import AuditConfig
    from auditkit.performance import review_performance

    if task == "forecast":
        columns = {
            "y_true": "count",
            "y_pred": "forecast",
            "baseline": "naive",
            "y_pred_lower": "low",
            "y_pred_upper": "high",
            "interval_level": 0.8,
        }
    else:
        columns = {"y_true": "y", "y_pred": "p", "baseline": "guess", "y_score": "prob"}
    raw = {
        "pilot": {"name": "Scale", "task": task},
        "data": {"predictions": "*.parquet", "groups": GROUPS, **columns},
    }
    config = AuditConfig.model_validate(raw).model_copy(update={"source": folder / "audit.yaml"})
    start = time.perf_counter()
    result = review_performance(config, ReviewContext(config))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "findings": len(result.findings), "rows": len(result.metrics)}


def _sample(folder: Path) -> dict[str, float]:
    from auditkit.engine import Source
    from auditkit.engine._sample import sample_rows
    from auditkit.engine._source import expand_files

    source = Source(
        kind="files",
        label="parts",
        base_dir=folder,
        files=expand_files(folder / "*.parquet"),
    )
    start = time.perf_counter()
    sample = sample_rows(
        source, columns=["count", "forecast", "naive", "stratum"], max_rows=5000, seed=0
    )
    return {"seconds": time.perf_counter() - start, "rows": len(sample.frame)}


def _pandas(folder: Path) -> dict[str, float]:
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_parquet(folder)
    return {"seconds": time.perf_counter() - start, "rows": len(frame)}


CASES = {
    "floor": _floor,
    "forecast": lambda f: _area(f, "forecast"),
    "classifier": lambda f: _area(f, "classification"),
    "explain sample": _sample,
    "pandas": _pandas,
}


def _child(case: str, folder: str) -> None:
    result = CASES[case](Path(folder))
    result["peak_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[6], help="powers of ten")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    if args.generate:
        generate(Path(args.generate[1]), int(args.generate[0]))
        return
    print(f"load: {os.getloadavg()}  cores: {os.cpu_count()}")
    print(f"{'rows':>12} {'case':<16} {'seconds':>9} {'peak GB':>8}")
    for power in args.sizes:
        with tempfile.TemporaryDirectory(prefix="auditkit-bench-areas-") as tmp:
            folder = Path(tmp) / "parts"
            # generated in a process of its own: a child inherits its parent's peak memory
            # (Linux keeps ``ru_maxrss`` across exec), so the parent must stay small
            subprocess.run(
                [sys.executable, __file__, "--generate", str(10**power), str(folder)], check=True
            )
            for case in CASES:
                if case == "pandas" and power > 7:
                    continue
                out = subprocess.run(
                    [sys.executable, __file__, "--child", case, str(folder)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                result = json.loads(out.stdout.strip().splitlines()[-1])
                print(
                    f"{10**power:>12,} {case:<16} {result['seconds']:>9.2f} "
                    f"{result['peak_gb']:>8.2f}",
                    flush=True,
                )
    print(f"load: {os.getloadavg()}")


if __name__ == "__main__":
    main()
