"""Time the pilot's ingestion of a large 311-shaped export: `validate` with full row accounting.

    python benchmarks/bench_pilot_ingest.py [--rows 341000] [--councils 99] [--repeat 3]

The export has MyLA311's 34 columns and its formats; council names carry the "NC" suffix, 2 %
have no council, 5 % name councils missing from the zones table, and the last twelve weeks hold
5 % of the usual volume (a truncated export). ``validate`` reads, reconciles, accounts for every
row, detects the truncation and checks the history; the time is what a city team waits.
Also times zones from coordinates (point-in-polygon over a grid of council polygons). Run by
hand; say whether the machine was shared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

REPO = Path(__file__).resolve().parents[1]
HEADER = REPO / "tests" / "data" / "exports" / "los_angeles_myla311_2022_header.csv"


def _export(project: Path, rows: int, councils: int, seed: int = 0) -> int:
    rng = np.random.default_rng(seed)
    names = [f"Council {i:02d}" for i in range(councils)]
    start = pd.Timestamp("2022-01-03")
    created = start + pd.to_timedelta(np.sort(rng.integers(0, 164 * 7 * 86_400, rows)), unit="s")
    keep = (created < start + pd.Timedelta(weeks=152)) | (rng.random(rows) < 0.05)
    created, n = created[keep], int(keep.sum())
    where = rng.integers(0, councils, n)
    label = np.array([f"{c.upper()} NC" for c in names], dtype=object)[where]
    label[rng.random(n) < 0.02] = ""
    label[rng.random(n) < 0.05] = "SOMEWHERE ELSE NC"
    frame = pd.DataFrame({c: "" for c in pd.read_csv(HEADER).columns}, index=range(n))
    frame["SRNumber"] = [f"1-{2_100_000_000 + i}" for i in range(n)]
    frame["CreatedDate"] = created.strftime("%m/%d/%Y %I:%M:%S %p")
    frame["RequestType"] = rng.choice(
        ["Bulky Items", "Graffiti Removal", "Illegal Dumping Pickup"], n
    )
    frame["RequestSource"] = rng.choice(["Call", "Mobile App", "Self Service"], n)
    frame["NCName"] = label
    # council i is the square [i, i+1] x [0, 1] (degrees, synthetic)
    frame["Longitude"] = (where + rng.random(n)).round(6)
    frame["Latitude"] = rng.random(n).round(6)
    (project / "data" / "raw").mkdir(parents=True, exist_ok=True)
    frame.to_csv(project / "data" / "raw" / "myla311.csv", index=False)
    zones = pd.DataFrame(
        {
            "zone": names,
            "population": rng.integers(20_000, 90_000, councils),
            "deprivation_stratum": "low",
        }
    )
    zones.to_csv(project / "data" / "zones.csv", index=False)
    polygons = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[i, 0], [i + 1, 0], [i + 1, 1], [i, 1], [i, 0]]],
                },
            }
            for i, name in enumerate(names)
        ],
    }
    (project / "data" / "councils.geojson").write_text(json.dumps(polygons), encoding="utf-8")
    return n


def _configure(project: Path, *, polygons: bool) -> None:
    path = project / "config" / "pilot.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings["data"].update(
        {
            "source": "file",
            "requests": "data/raw/myla311.csv",
            "columns": {
                "request_id": "SRNumber",
                "created_at": "CreatedDate",
                "category": "RequestType",
                "zone": "NCName",
                "channel": "RequestSource",
                "closed_at": None,
                "latitude": "Latitude" if polygons else None,
                "longitude": "Longitude" if polygons else None,
            },
            "created_at_format": "%m/%d/%Y %I:%M:%S %p",
            "invalid_rows": "drop",
            "unknown_zones": "drop",
            "zone_polygons": "data/councils.geojson" if polygons else None,
            "zone_polygon_key": "name",
        }
    )
    path.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")


def main() -> None:
    """Bake once, write the export once, time `validate` ``--repeat`` times per zone source."""
    from cookiecutter.main import cookiecutter

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=341_000)
    parser.add_argument("--councils", type=int, default=99)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HOME"] = tmp
        answers = {"city": "Los Angeles", "country": "US", "language": "en"}
        project = Path(
            cookiecutter(str(REPO), no_input=True, extra_context=answers, output_dir=tmp)
        )
        written = _export(project, args.rows, args.councils)
        env = dict(os.environ, PYTHONPATH=str(project / "src"))
        command = [sys.executable, "-m", "los_angeles_service_demand", "validate"]
        for polygons in (False, True):
            _configure(project, polygons=polygons)
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                done = subprocess.run(
                    command, cwd=project, env=env, capture_output=True, text=True, check=True
                )
                times.append(time.perf_counter() - started)
            source = "coordinates (STRtree)" if polygons else "labels"
            print(
                f"validate, zones from {source}, {written} rows in the file: "
                f"median {statistics.median(times):.1f} s "
                f"(range {min(times):.1f}-{max(times):.1f}, n={args.repeat})"
            )
        print(done.stdout)


if __name__ == "__main__":
    main()
