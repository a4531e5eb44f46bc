"""The data area at scale: personal-data scan, leakage and freshness where the data lives.

    python benchmarks/bench_scale_data.py                 # 10^6 and 10^7 rows
    python benchmarks/bench_scale_data.py --sizes 6       # 10^6 only

The table is generated into a temporary folder as 10 Parquet parts: outcome and prediction
(0/1), two equity attributes, a request number (distinct per row), an e-mail and a phone column
(distinct per row: the worst case of the scan's distinct-value sample), a prediction time and a
feature time (5 % of features after their prediction). Each case runs in its own process, so its
peak memory (``ru_maxrss``) is its own:

- ``profile``: :func:`auditkit.engine._profile.profile_columns` and ``time_aggregates`` alone;
- ``review``: ``auditkit review`` end to end on the glob: data (scan, leakage, freshness) and
  fairness (two metrics, bootstrap 200), figures and reports included;
- ``pandas``: the same table read whole into pandas (what the data area did before), for scale.

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

PARTS = 10
AUDIT = """\
pilot: {{name: Escala, task: classification, language: es, country: MX}}
data:
  predictions: {glob}
  y_true: y
  y_pred: p
  groups: [stratum, channel]
  prediction_time: made
  feature_time: built
  train_window: [2023-01-01, 2023-12-31]
fairness: {{metrics: [selection_rate, false_negative_rate], bootstrap: 200}}
"""


def generate(folder: Path, n: int, seed: int = 0) -> Path:
    """``n`` rows in 10 Parquet parts (written part by part: little memory)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    strata = np.array(["very low", "low", "medium", "high", "very high"])
    channels = np.array(["whatsapp", "phone", "web"])
    folder.mkdir(parents=True, exist_ok=True)
    per_part = n // PARTS
    start = 0
    for part in range(PARTS):
        size = per_part if part < PARTS - 1 else n - per_part * (PARTS - 1)
        ids = pa.array(np.arange(start, start + size, dtype=np.int64))
        start += size
        text = pc.cast(ids, pa.string())
        y = rng.integers(0, 2, size, dtype=np.int8)
        day = np.datetime64("2024-01-01") + rng.integers(0, 180, size).astype("timedelta64[D]")
        late = rng.random(size) < 0.05
        built = day + np.where(late, 2, -1).astype("timedelta64[D]")
        columns = {
            "folio": pc.binary_join_element_wise("SR-", pc.utf8_lpad(text, 9, "0"), ""),
            "correo": pc.binary_join_element_wise("vecino", text, "@correo.mx", ""),
            "telefono": pc.binary_join_element_wise(
                "+52 33 ", pc.utf8_lpad(pc.cast(pc.add(ids, 1_000_000), pa.string()), 8, "0"), ""
            ),
            "made": pa.array(day.astype("datetime64[D]")),
            "built": pa.array(built.astype("datetime64[D]")),
            "y": y,
            "p": np.where(rng.random(size) < 0.8, y, 1 - y).astype(np.int8),
            "stratum": pa.DictionaryArray.from_arrays(
                rng.integers(0, 5, size, dtype=np.int8), strata
            ),
            "channel": pa.DictionaryArray.from_arrays(
                rng.integers(0, 3, size, dtype=np.int8), channels
            ),
        }
        pq.write_table(
            pa.table(columns), folder / f"part-{part:02d}.parquet", row_group_size=1 << 20
        )
    return folder


def _profile(folder: Path) -> dict[str, float]:
    from auditkit.engine import Source, open_table
    from auditkit.engine._profile import profile_columns, time_aggregates
    from auditkit.engine._source import close, expand_files

    files = expand_files(folder / "*.parquet")
    source = Source(kind="files", label="parts", base_dir=folder, files=files)
    start = time.perf_counter()
    table = open_table(source)
    try:
        profiles = profile_columns(table, source)
        times = time_aggregates(table, source, prediction_time="made", feature_time="built")
    finally:
        close(table)
    return {
        "seconds": time.perf_counter() - start,
        "sampled_values": sum(len(p.values) for p in profiles),
        "late_features": times.later or 0,
    }


def _review(folder: Path) -> dict[str, float]:
    from typer.testing import CliRunner

    from auditkit.cli import app

    config = folder.parent / "audit.yaml"
    config.write_text(AUDIT.format(glob=(folder / "*.parquet").as_posix()), encoding="utf-8")
    start = time.perf_counter()
    result = CliRunner().invoke(
        app, ["review", "-c", str(config), "-o", str(folder.parent / "out"), "--quiet"]
    )
    seconds = time.perf_counter() - start
    if result.exit_code not in (0, 1):
        raise SystemExit(result.output)
    found = json.loads((folder.parent / "out" / "findings.json").read_text(encoding="utf-8"))
    hits = found["data"]["personal_data"]["hits"]
    return {"seconds": seconds, "hits": len(hits)}


def _pandas(folder: Path) -> dict[str, float]:
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_parquet(folder)
    return {"seconds": time.perf_counter() - start, "rows": len(frame)}


CASES = {"profile": _profile, "review": _review, "pandas": _pandas}


def _child(case: str, folder: str) -> None:
    result = CASES[case](Path(folder))
    result["peak_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[6, 7], help="powers of ten")
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=list(CASES))
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    print(f"load: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    for power in args.sizes:
        with tempfile.TemporaryDirectory(prefix="auditkit-bench-data-") as tmp:
            folder = generate(Path(tmp) / "parts", 10**power)
            for case in args.cases:
                done = subprocess.run(
                    [sys.executable, __file__, "--child", case, str(folder)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                result = json.loads(done.stdout.strip().splitlines()[-1])
                shown = ", ".join(
                    f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                    for k, v in result.items()
                )
                print(f"10^{power} rows  {case:8s} {shown}", flush=True)


if __name__ == "__main__":
    main()
