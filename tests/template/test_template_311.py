"""A 311 open-data export plugs into a baked pilot by configuration only, as its README says.

The export has the 41 columns of New York City's "311 Service Requests" open dataset, with its
formats and quirks (12-hour timestamps, blank and "N/A" ZIP codes, empty closed dates, upper-case
channels); the values are synthetic. The zones table has its own column names and stratum labels.
The mapping is the README's own example, read from the baked README; nothing else is edited but
what the README's steps say. Then validate, train, backtest and review, each as a user runs it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from tests.template.conftest import REPO, bake

pytestmark = pytest.mark.slow

COLUMNS_311 = [
    "Unique Key", "Created Date", "Closed Date", "Agency", "Agency Name", "Complaint Type",
    "Descriptor", "Location Type", "Incident Zip", "Incident Address", "Street Name",
    "Cross Street 1", "Cross Street 2", "Intersection Street 1", "Intersection Street 2",
    "Address Type", "City", "Landmark", "Facility Type", "Status", "Due Date",
    "Resolution Description", "Resolution Action Updated Date", "Community Board", "BBL",
    "Borough", "X Coordinate (State Plane)", "Y Coordinate (State Plane)",
    "Open Data Channel Type", "Park Facility Name", "Park Borough", "Vehicle Type",
    "Taxi Company Borough", "Taxi Pick Up Location", "Bridge Highway Name",
    "Bridge Highway Direction", "Road Ramp", "Bridge Highway Segment", "Latitude", "Longitude",
    "Location",
]  # fmt: skip
TYPES = [
    "Noise - Residential", "Illegal Parking", "HEAT/HOT WATER", "Street Light Condition",
    "Dirty Condition", "Graffiti", "Missed Collection", "Rodent", "Sewer", "Damaged Tree",
]  # fmt: skip
STRATA = ["Q4 (highest)", "Q3", "Q2", "Q1 (lowest)"]  # most to least vulnerable


def _export_311(folder: Path, rows: int = 40_000, seed: int = 3) -> None:
    rng = np.random.default_rng(seed)
    zips = [f"{z:05d}" for z in range(10451, 10467)]
    zones = pd.DataFrame(
        {
            "ZIP": zips,
            "POP_2020": rng.integers(20_000, 90_000, len(zips)),
            "SVI_QUARTILE": [STRATA[i % 4] for i in range(len(zips))],
        }
    )
    zones.to_csv(folder / "zones.csv", index=False)
    start = pd.Timestamp("2022-01-03")
    seconds = np.sort(rng.integers(0, 3 * 364 * 86_400, rows))
    created = start + pd.to_timedelta(seconds, unit="s")
    # the most vulnerable zones report less: the audit must find it
    weights = np.array([0.45 if STRATA[i % 4] == "Q4 (highest)" else 1.0 for i in range(len(zips))])
    zone = np.array(zips, dtype=object)[rng.choice(len(zips), rows, p=weights / weights.sum())]
    zone[rng.random(rows) < 0.01] = ""
    zone[rng.random(rows) < 0.003] = "N/A"
    closed = (created + pd.to_timedelta(rng.exponential(3 * 86_400, rows), unit="s")).strftime(
        "%m/%d/%Y %I:%M:%S %p"
    )
    closed = np.where(rng.random(rows) < 0.05, "", closed)
    lat, lon = 40.8 + rng.random(rows) * 0.1, -73.9 + rng.random(rows) * 0.1
    frame = pd.DataFrame({name: "" for name in COLUMNS_311}, index=range(rows))
    frame["Unique Key"] = 60_000_000 + np.arange(rows)
    frame["Created Date"] = created.strftime("%m/%d/%Y %I:%M:%S %p")
    frame["Closed Date"] = closed
    frame["Agency"] = rng.choice(["NYPD", "HPD", "DSNY", "DOT"], rows)
    frame["Complaint Type"] = rng.choice(TYPES, rows)
    frame["Incident Zip"] = zone
    frame["Incident Address"] = "1 MAIN STREET"
    frame["City"] = "BRONX"
    frame["Status"] = "Closed"
    frame["Borough"] = "BRONX"
    frame["Open Data Channel Type"] = rng.choice(
        ["PHONE", "ONLINE", "MOBILE", "UNKNOWN"], rows, p=[0.5, 0.25, 0.2, 0.05]
    )
    frame["Latitude"], frame["Longitude"] = lat.round(9), lon.round(9)
    frame["Location"] = [f"({a:.9f}, {b:.9f})" for a, b in zip(lat, lon, strict=True)]
    frame.to_csv(folder / "311_Service_Requests.csv", index=False)


def _run(args: list[str], project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, check=False)


def test_a_311_export_validates_trains_and_is_reviewed(tmp_path: Path) -> None:
    project = bake(tmp_path, city="New York", country="US", language="en")
    _export_311(tmp_path)
    raw = project / "data" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    (tmp_path / "311_Service_Requests.csv").rename(raw / "311_service_requests.csv")
    (tmp_path / "zones.csv").rename(project / "data" / "zones.csv")

    # README step 2: the example mapping, verbatim, into config/pilot.yaml
    readme = (project / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use your own data", 1)[1]
    example = yaml.safe_load(
        "\n".join(
            line[3:] for line in re.search(r"```yaml\n(.+?)```", section, re.S)[1].splitlines()
        )
    )
    settings_path = project / "config" / "pilot.yaml"
    settings = yaml.safe_load(settings_path.read_text(encoding="utf-8"))
    settings["data"].update(example["data"])
    settings_path.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    # README step 4: the zones' own stratum labels in audit.yaml
    audit = project / "audit.yaml"
    text = audit.read_text(encoding="utf-8")
    text = text.replace("strata: [very_high, high, medium, low]", f"strata: {json.dumps(STRATA)}")
    text = text.replace("deprivation_stratum: low", "deprivation_stratum: Q1 (lowest)")
    audit.write_text(text, encoding="utf-8")

    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    env.pop("PYTHONPATH", None)
    env["PYTHONPATH"] = os.pathsep.join([str(project / "src"), str(REPO)])
    env["MLFLOW_TRACKING_URI"] = f"sqlite:///{tmp_path / 'mlflow.db'}"
    package = "new_york_service_demand"

    validate = _run([sys.executable, "-m", package, "validate"], project, env)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "16 zones" in validate.stdout

    train = _run([sys.executable, "-m", package, "train"], project, env)
    assert train.returncode == 0, train.stdout[-3000:] + train.stderr[-3000:]
    metrics = json.loads((project / "outputs" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["backtest_mae"] > 0 and "baseline_mae" in metrics
    predictions = pd.read_csv(project / "outputs" / "predictions.csv")
    assert set(predictions["deprivation_stratum"]) == set(STRATA)

    review = _run(
        [sys.executable, "-m", "auditkit", "review", "--fail-on", "never", "--quiet"], project, env
    )
    assert review.returncode == 0, review.stderr[-3000:]
    findings = json.loads((project / "audit" / "findings.json").read_text(encoding="utf-8"))
    statuses = {f["id"]: f["status"] for f in findings["findings"]}
    # the planted under-reporting of the most vulnerable zones is found
    assert any(f["item"] == "DAT-03" and f["status"] == "fail" for f in findings["findings"])
    assert statuses["explain.global_importance"] == "pass"
    assert (project / "audit" / "report.html").is_file()
