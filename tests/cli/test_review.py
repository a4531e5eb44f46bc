"""``auditkit review`` end to end: outputs, exit codes, determinism and every bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from auditkit.cli import app

runner = CliRunner()

AUDIT = """\
pilot: {name: SLA flags, task: classification, country: MX}
data:
  predictions: predictions.csv
  y_true: y
  y_pred: p
  groups: [zone, channel]
fairness:
  metrics: [selection_rate, false_positive_rate, false_negative_rate]
  min_group_size: 30
  bootstrap: 200
  seed: 0
"""


def _predictions(n: int = 600) -> str:
    lines = ["y,p,zone,channel"]
    for i in range(n):
        zone = ["north", "south", "east"][i % 3]
        channel = ["web", "phone"][i % 2]
        y = int(i % 5 < 2)
        p = y if i % 7 else 1 - y
        lines.append(f"{y},{p},{zone},{channel}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "audit.yaml").write_text(AUDIT, encoding="utf-8")
    (tmp_path / "predictions.csv").write_text(_predictions(), encoding="utf-8")
    return tmp_path


def _review(project: Path, *args: str):
    return runner.invoke(
        app,
        ["review", "--config", str(project / "audit.yaml"), "--out", str(project / "out"), *args],
    )


def test_review_writes_outputs_and_passes(project: Path, repo_root: Path):
    """A fair table passes: exit 0, findings.json valid against the schema, report.md written."""
    result = _review(project)
    assert result.exit_code == 0, result.output
    document = json.loads((project / "out" / "findings.json").read_text(encoding="utf-8"))
    schema = json.loads((repo_root / "auditkit/schemas/findings.schema.json").read_text())
    jsonschema.validate(document, schema)
    fairness = [f for f in document["findings"] if f["area"] == "fairness"]
    assert fairness and {f["status"] for f in fairness} == {"pass"}
    assert {r["attribute"] for r in document["metrics"]} == {
        "(all)",
        "zone",
        "channel",
        "zone & channel",
    }
    report = (project / "out" / "report.md").read_text(encoding="utf-8")
    assert "Fairness by group" in report and "By zone" in report


def test_findings_are_byte_identical(project: Path, tmp_path: Path):
    """Same inputs, same findings.json, byte for byte."""
    assert _review(project).exit_code == 0
    first = (project / "out" / "findings.json").read_bytes()
    shutil.rmtree(project / "out")
    assert _review(project).exit_code == 0
    assert (project / "out" / "findings.json").read_bytes() == first


def test_gate_fails_with_exit_1(project: Path):
    """A disparity outside the band fails the gate (exit 1); --fail-on never lets it through."""
    lines = _predictions().splitlines()
    skewed = [lines[0]] + [
        line.replace(",0,north", ",1,north") if line.endswith("web") else line for line in lines[1:]
    ]
    (project / "predictions.csv").write_text("\n".join(skewed) + "\n", encoding="utf-8")
    result = _review(project)
    assert result.exit_code == 1, result.output
    assert "BLOCKS: exit code 1" in result.output
    assert _review(project, "--fail-on", "never").exit_code == 0
    spanish = _review(project, "--lang", "es")
    assert spanish.exit_code == 1
    assert "Control de CI (--fail-on fail): BLOQUEA" in spanish.output
    assert "BLOCKS" not in spanish.output


def test_json_summary_and_languages(project: Path):
    result = _review(project, "--format", "json", "--lang", "pt")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert summary["gate"] == {"fail_on": "fail", "failed": False}
    report = (project / "out" / "report.md").read_text(encoding="utf-8")
    assert "Equidade por grupo" in report
    assert _review(project, "--lang", "es").exit_code == 0
    assert "Equidad por grupo" in (project / "out" / "report.md").read_text(encoding="utf-8")


BAD_INPUTS = [
    # (what to break, (file, new content or None to delete), message fragment)
    ("missing predictions", ("predictions.csv", None), "the predictions file does not exist"),
    ("empty file", ("predictions.csv", ""), "the predictions file is empty"),
    ("header only", ("predictions.csv", "y,p,zone,channel\n"), "has a header but no rows"),
    (
        "unreadable csv",
        ("predictions.csv", 'y,p,zone,channel\n1,"0,north\n'),
        "could not be read as CSV",
    ),
    (
        "missing column",
        ("predictions.csv", "y,pred,zone,channel\n1,0,a,b\n"),
        "has no column 'p'. Columns found: y, pred",
    ),
    (
        "non-binary y_pred",
        ("predictions.csv", "y,p,zone,channel\n1,2,a,w\n0,0,b,w\n"),
        "must be 0/1",
    ),
    (
        "NaN in y_true",
        ("predictions.csv", "y,p,zone,channel\n1,1,a,w\n,0,b,w\n"),
        "column 'y' has 1 missing values",
    ),
    (
        "one group only",
        ("predictions.csv", "y,p,zone,channel\n1,1,a,w\n0,0,a,p\n"),
        "column 'zone' has a single group",
    ),
    (
        "config key typo",
        ("audit.yaml", AUDIT.replace("fairness:", "fairnes:")),
        "unknown key 'fairnes'",
    ),
    ("nested key typo", ("audit.yaml", AUDIT.replace("seed: 0", "sed: 0")), "Did you mean 'seed'"),
    (
        "bad reference",
        ("audit.yaml", AUDIT + "  reference: {zone: west}\n"),
        "group 'west' for 'zone'",
    ),
    (
        "band not increasing",
        ("audit.yaml", AUDIT + "  band: [1.25, 0.8]\n"),
        "band must be two positive numbers",
    ),
    (
        "band negative",
        ("audit.yaml", AUDIT + "  band: [-1, 2]\n"),
        "band must be two positive numbers",
    ),
    ("band one number", ("audit.yaml", AUDIT + "  band: [0.8]\n"), "fairness.band"),
    ("malformed yaml", ("audit.yaml", "pilot: {name: x\n"), "is not valid YAML at line"),
    ("missing config", ("audit.yaml", None), "file not found"),
    ("bad task", ("audit.yaml", AUDIT.replace("classification", "clasification")), "'pilot.task'"),
    (
        "unknown metric",
        ("audit.yaml", AUDIT.replace("selection_rate,", "selection,")),
        "unknown metric 'selection'",
    ),
    (
        "reference not a group column",
        ("audit.yaml", AUDIT + "  reference: {sex: F}\n"),
        "not in data.groups",
    ),
    (
        "unknown format",
        ("audit.yaml", AUDIT.replace("predictions.csv", "predictions.xlsx")),
        "does not exist",
    ),
]


@pytest.mark.parametrize(("case", "change", "match"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_exit_2(project: Path, case: str, change, match: str):
    """Every bad input: exit 2, a message naming the problem, no traceback, nothing written."""
    name, content = change
    target = project / name
    if content is None:
        target.unlink()
    else:
        target.write_text(content, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()}
    result = _review(project)
    assert result.exit_code == 2, result.output
    assert match in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (project / "out").exists()
    after = {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()}
    assert after == before


def test_unknown_table_format(project: Path):
    (project / "predictions.xlsx").write_bytes(b"PK\x03\x04")
    (project / "audit.yaml").write_text(AUDIT.replace("predictions.csv", "predictions.xlsx"))
    result = _review(project)
    assert result.exit_code == 2
    assert "must be .csv, .csv.gz or .parquet" in result.stderr


def test_parquet_input_gives_same_findings(project: Path):
    import pandas as pd

    assert _review(project).exit_code == 0
    from_csv = json.loads((project / "out" / "findings.json").read_text())
    pd.read_csv(project / "predictions.csv").to_parquet(project / "predictions.parquet")
    (project / "audit.yaml").write_text(AUDIT.replace("predictions.csv", "predictions.parquet"))
    assert _review(project).exit_code == 0
    from_parquet = json.loads((project / "out" / "findings.json").read_text())
    assert from_parquet["metrics"] == from_csv["metrics"]


def test_bad_fail_on(project: Path):
    result = _review(project, "--fail-on", "sometimes")
    assert result.exit_code == 2
    assert "--fail-on must be one of" in result.stderr


def test_semicolon_csv_with_bom(project: Path):
    """A spreadsheet export (UTF-8 BOM, ';' separator) reads like a plain CSV."""
    assert _review(project).exit_code == 0
    plain = json.loads((project / "out" / "findings.json").read_text())["metrics"]
    text = (project / "predictions.csv").read_text().replace(",", ";")
    (project / "predictions.csv").write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert _review(project).exit_code == 0
    assert json.loads((project / "out" / "findings.json").read_text())["metrics"] == plain
