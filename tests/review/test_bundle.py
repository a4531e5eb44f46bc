"""A real review writes report.html and manifest.json; the bundle verifies until touched."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditkit.cli import app

runner = CliRunner()

AUDIT = """\
pilot: {name: Alertas de plazo, task: classification, city: Recife, country: BR, language: pt}
data:
  predictions: predictions.csv
  y_true: y
  y_pred: p
  groups: [zone]
fairness:
  metrics: [selection_rate]
  bootstrap: 50
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    lines = ["y,p,zone"]
    for i in range(300):
        y = int(i % 5 < 2)
        lines.append(f"{y},{y if i % 7 else 1 - y},{['norte', 'sul', 'leste'][i % 3]}")
    (tmp_path / "predictions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "audit.yaml").write_text(AUDIT, encoding="utf-8")
    return tmp_path


def _review(project: Path, epoch: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    out = project / "audit"
    result = runner.invoke(app, ["review", "-c", str(project / "audit.yaml"), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    return out


def test_review_bundle_has_html_and_manifest(project: Path, monkeypatch: pytest.MonkeyPatch):
    """Every written file is in the manifest with its SHA-256, and so is the input."""
    out = _review(project, "1767225600", monkeypatch)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert {"findings.json", "report.md", "report.html"} <= set(manifest["files"])
    assert sorted(manifest["files"]) == [f for f in files if f != "manifest.json"]
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == hashlib.sha256((out / name).read_bytes()).hexdigest()
    source = hashlib.sha256((project / "predictions.csv").read_bytes()).hexdigest()
    assert manifest["inputs"][0]["sha256"] == source
    assert manifest["created"] == "2026-01-01T00:00:00Z"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "1 de janeiro de 2026" in html and 'lang="pt"' in html
    assert runner.invoke(app, ["verify", str(out)]).exit_code == 0


def test_time_lives_in_the_manifest_not_in_findings(project: Path, monkeypatch: pytest.MonkeyPatch):
    """Two runs a day apart: findings.json byte-identical, the manifest's time differs."""
    out = _review(project, "1767225600", monkeypatch)
    first = (out / "findings.json").read_bytes(), (out / "manifest.json").read_bytes()
    out = _review(project, "1767312000", monkeypatch)
    second = (out / "findings.json").read_bytes(), (out / "manifest.json").read_bytes()
    assert first[0] == second[0]
    assert first[1] != second[1]
    assert runner.invoke(app, ["verify", str(out)]).exit_code == 0


def test_tampered_report_is_detected(project: Path, monkeypatch: pytest.MonkeyPatch):
    """Editing the decision out of report.html makes verify exit 1 and name the file."""
    out = _review(project, "1767225600", monkeypatch)
    report = out / "report.html"
    report.write_text(report.read_text(encoding="utf-8").replace("falha", "conforme"), "utf-8")
    result = runner.invoke(app, ["verify", str(out)])
    assert result.exit_code == 1
    assert "changed: report.html" in result.output


def test_a_new_review_replaces_the_old_bundle(project: Path, monkeypatch: pytest.MonkeyPatch):
    """Files of an earlier review that this one does not write are removed, so it verifies."""
    out = _review(project, "1767225600", monkeypatch)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (out / "figures").mkdir(exist_ok=True)
    (out / "figures/old.png").write_bytes(b"old")
    manifest["files"]["figures/old.png"] = {"sha256": hashlib.sha256(b"old").hexdigest()}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    out = _review(project, "1767225600", monkeypatch)
    assert not (out / "figures/old.png").exists()
    assert runner.invoke(app, ["verify", str(out)]).exit_code == 0
