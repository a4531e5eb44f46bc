"""Playbook link: the register entry and the notice settle EXP-04/05/06 in the next review."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.risk._evidence import check_evidence

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()

RISK = """
  evidence:
    EXP-04: transparency/notice.html
    EXP-05: transparency/register.json
    EXP-06: [transparency/notice.html, transparency/notice.md]
  attestations:
    EVA-03: {answer: "yes", by: Coordinación de Datos, date: 2026-11-20, note: "Próxima revisión: 2027-05-31", evidence: docs/plan.md}
    HUM-03: {answer: "yes", by: Dirección de Servicios, date: 2026-11-20, note: "Ventanilla de Atención Ciudadana o el formulario de quejas del portal", evidence: docs/quejas.md}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The risk example (answered questionnaire) with evidence pointing at the register."""
    source = REPO / "examples" / "audits" / "demand-forecast"
    for name in ("predictions.csv", "cuestionario.yaml"):
        shutil.copy(source / name, tmp_path / name)
    config = (source / "audit-riesgo.yaml").read_text(encoding="utf-8")
    (tmp_path / "audit.yaml").write_text(config.rstrip("\n") + RISK, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "plan.md").write_text("Revisión semestral.\n", encoding="utf-8")
    (tmp_path / "docs" / "quejas.md").write_text("Canal de quejas.\n", encoding="utf-8")
    return tmp_path


def _review(project: Path) -> dict:
    result = runner.invoke(
        app,
        [
            "review",
            "-c",
            str(project / "audit.yaml"),
            "-o",
            str(project / "audit"),
            "--fail-on",
            "never",
        ],
    )
    assert result.exit_code == 0, result.output
    return json.loads((project / "audit" / "decision.json").read_text(encoding="utf-8"))


def _items(decision: dict) -> dict:
    return {i["id"]: i for i in decision["items"]}


@pytest.mark.slow
def test_register_and_notice_settle_exp_04_05_06_and_the_report_says_so(project: Path):
    """Review, register, review again: EXP-04/05/06 pass with the register's reason."""
    first = _items(_review(project))
    for item in ("EXP-04", "EXP-05", "EXP-06"):
        assert first[item]["status"] == "needs_evidence"
    result = runner.invoke(
        app, ["register", str(project / "audit"), "-o", str(project / "transparency")]
    )
    assert result.exit_code == 0, result.output
    entry = json.loads((project / "transparency" / "register.json").read_text("utf-8"))
    assert entry["review"]["next_review"] == "2027-05-31"  # from EVA-03's attestation note
    assert entry["recourse"]["procedure"].startswith("Ventanilla")  # from HUM-03's
    assert entry["decision_process"]["automation"] == "no"  # from the questionnaire
    notice = (project / "transparency" / "notice.md").read_text(encoding="utf-8")
    assert "No actúa solo. Una persona confirma cada acción." in notice
    assert "Para reclamar o pedir una revisión: Ventanilla de Atención Ciudadana" in notice

    second = _items(_review(project))
    for item, kind in (("EXP-04", "notice"), ("EXP-05", "register"), ("EXP-06", "notice")):
        assert second[item]["status"] == "pass", item
        assert {e["kind"] for e in second[item]["evidence"]} == {kind}
        assert "auditkit register" in second[item]["reason"]
    report = (project / "audit" / "report.html").read_text(encoding="utf-8")
    assert "Lo cumplen la entrada del registro público y el aviso" in report


def test_an_entry_without_a_next_review_date_is_incomplete(tmp_path: Path):
    """EXP-05 asks for the next review date: an entry without it does not settle the item."""
    entry = {"schema": "auditkit.register/1", "review": {"next_review": None}}
    (tmp_path / "register.json").write_text(json.dumps(entry), encoding="utf-8")
    record = check_evidence("register.json", tmp_path)
    assert (record.kind, record.found, record.problem) == ("register", False, "incomplete")
    entry["review"]["next_review"] = "2027-05-31"
    (tmp_path / "register.json").write_text(json.dumps(entry), encoding="utf-8")
    assert check_evidence("register.json", tmp_path).kind == "register"
    (tmp_path / "notice.html").write_text("<p>aviso</p>", encoding="utf-8")
    assert check_evidence("notice.html", tmp_path).kind == "notice"


def test_other_files_keep_their_plain_meaning(tmp_path: Path):
    """A JSON that is not an auditkit entry, or a notice without an entry beside it, is a file."""
    (tmp_path / "register.json").write_text('{"schema": "other"}', encoding="utf-8")
    (tmp_path / "notice.html").write_text("<p>aviso</p>", encoding="utf-8")
    assert check_evidence("register.json", tmp_path).kind == "file"
    assert check_evidence("notice.html", tmp_path).kind == "file"
    assert check_evidence("register.json", tmp_path).found
