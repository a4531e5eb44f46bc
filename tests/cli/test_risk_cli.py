"""``auditkit playbook`` and ``auditkit questionnaire`` through the CLI, bad inputs included."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from auditkit.cli import app

runner = CliRunner()


def test_playbook_list_and_show() -> None:
    """list prints every item; show prints one in the chosen language."""
    result = runner.invoke(app, ["playbook", "list", "--lang", "pt"])
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 78
    assert lines[0].startswith("INT-01  automática")
    result = runner.invoke(app, ["playbook", "show", "EXP-04", "--lang", "es"])
    assert result.exit_code == 0
    assert "WhatsApp" in result.stdout and "Aviso en todos los canales" in result.stdout
    result = runner.invoke(app, ["playbook", "show", "EXP-04", "--format", "json"])
    assert json.loads(result.stdout)["blocking_from_tier"] == 2


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
def test_playbook_render_markdown_is_a_checklist(lang: str, tmp_path: Path) -> None:
    """render --format md writes one unticked box per item, in the language asked for."""
    out = tmp_path / "CHECKLIST.md"
    result = runner.invoke(app, ["playbook", "render", "--lang", lang, "--out", str(out)])
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("- [ ] **") == 78
    expected = {"es": "Equidad", "pt": "Equidade", "en": "Fairness and equity"}[lang]
    assert f"## FAI · {expected}" in text
    if lang != "en":
        import re

        english = re.findall(r"\b(the|and|with|of|scope|Appendix|Annex|Tier)\b", text)
        assert english == [], english


def test_playbook_render_json() -> None:
    """render --format json has the sections and items in the language asked for."""
    result = runner.invoke(app, ["playbook", "render", "--lang", "es", "--format", "json"])
    document = json.loads(result.stdout)
    assert document["language"] == "es"
    assert sum(len(s["items"]) for s in document["sections"]) == 78


def test_playbook_validate_ok(repo_root: Path) -> None:
    """validate accepts the bundled playbook."""
    result = runner.invoke(
        app, ["playbook", "validate", str(repo_root / "playbooks/city-pilot.yaml")]
    )
    assert result.exit_code == 0
    assert "78 items" in result.stdout


def _bad_playbook(tmp_path: Path, repo_root: Path, change) -> Path:
    raw = yaml.safe_load((repo_root / "playbooks/city-pilot.yaml").read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "custom.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def _drop_pt(raw: dict) -> None:
    del raw["items"][3]["question"]["pt"]


def _bind_wrong(raw: dict) -> None:
    raw["items"][3].update(check="auto", auto_check="fairness.disparity")


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (_drop_pt, "item 'INT-04', field 'question.pt': is required but missing"),
        (_bind_wrong, "reports on item 'FAI-02', not 'INT-04'"),
    ],
)
def test_playbook_validate_rejects(tmp_path, repo_root, change, match) -> None:
    """An invalid custom playbook: exit 2, the file, item and field named on stderr."""
    path = _bad_playbook(tmp_path, repo_root, change)
    result = runner.invoke(app, ["playbook", "validate", str(path)])
    assert result.exit_code == 2
    assert match in result.stderr
    assert str(path.resolve()) in result.stderr


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["playbook", "show", "FAI-2"], "unknown playbook item 'FAI-2'. Did you mean 'FAI-02'?"),
        (["playbook", "list", "--playbook", "nope.yaml"], "nope.yaml: file not found"),
        (["playbook", "validate", "nope.yaml"], "nope.yaml: file not found"),
    ],
)
def test_playbook_bad_inputs(args, match) -> None:
    """Unknown item ids and missing playbooks: exit 2 with the reason."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert match in result.stderr


def test_questionnaire_init_round_trips(tmp_path: Path) -> None:
    """init writes a template that score accepts; refuses to overwrite without --force."""
    out = tmp_path / "respuestas.yaml"
    assert (
        runner.invoke(app, ["questionnaire", "init", "--lang", "pt", "--out", str(out)]).exit_code
        == 0
    )
    text = out.read_text(encoding="utf-8")
    assert "Perguntas municipais de classificação" in text
    result = runner.invoke(app, ["questionnaire", "score", str(out), "--format", "json"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert (document["raw_score"], document["level"]) == (0, 1)
    assert len(document["unanswered"]) == 8
    again = runner.invoke(app, ["questionnaire", "init", "--out", str(out)])
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_questionnaire_score_json_fields(tmp_path: Path) -> None:
    """score --format json has the official figures, the sections and the tier."""
    answers = {
        "aia": {"impact30": "item1-4", "aboutDataSource5": "item1-4", "riskProfile2": "item1-3"},
        "municipal": {"profiling": "yes", "high_risk_uses": ["none"], "prohibited_uses": ["none"]},
    }
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    result = runner.invoke(app, ["questionnaire", "score", str(path), "--format", "json"])
    document = json.loads(result.stdout)
    assert {k: document[k] for k in ("raw_score", "mitigation_score", "total_score", "level")} == {
        "raw_score": 11,
        "mitigation_score": 0,
        "total_score": 11,
        "level": 1,
    }
    assert {s["section"]: s["score"] for s in document["sections"]}["impact"] == 4
    assert document["tier"]["tier"] == 2
    requirements = document["dadm_requirements"]
    assert requirements["level"] == 2
    assert [r["requirement"] for r in requirements["items"]][:3] == [
        "Notice",
        "Explanation",
        "Peer review",
    ]
    text = runner.invoke(app, ["questionnaire", "score", str(path), "--lang", "es"]).stdout
    assert "Puntaje final: 11" in text and "Nivel de riesgo II" in text


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("aia:\n  impact30: [item1-4\n", "not valid YAML at line"),
        ("aia:\n  impact30: item9-9\n", "'impact30': 'item9-9' is not one of the choices"),
        ("aia:\n  impact99: item1-4\n", "'impact99' is not a question"),
        ("municipal:\n  profiling: tal vez\n", "'municipal.profiling': 'tal vez' is not one"),
        ("municipal:\n  perfilado: yes\n", "'municipal.perfilado' is not a municipal question"),
        ('{"data": {"impact30": "item1-9"}}', "'impact30': 'item1-9' is not one of the choices"),
        ("", "expected a mapping"),
    ],
)
def test_questionnaire_score_bad_answers(tmp_path: Path, content: str, match: str) -> None:
    """Bad answers: exit 2, a clear message on stderr, no traceback."""
    path = tmp_path / "answers.yaml"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["questionnaire", "score", str(path)])
    assert result.exit_code == 2
    assert match in result.stderr
    assert "Traceback" not in result.stderr


def test_questionnaire_score_missing_file(tmp_path: Path) -> None:
    """A missing answers file is exit 2."""
    result = runner.invoke(app, ["questionnaire", "score", str(tmp_path / "nope.json")])
    assert result.exit_code == 2 and "file not found" in result.stderr


def test_official_tool_file_scores_like_the_tool(tmp_path: Path) -> None:
    """A saved file of the official tool is scored unchanged (spot check; the oracle is in tests/risk)."""
    data = {
        "impact30": "item1-4",
        "decisionSector1": ["item1-1", "item4-1"],
        "fairnessDesign21": [],
    }
    path = tmp_path / "SurveyResults.json"
    path.write_text(json.dumps({"currentPage": 3, "data": data}), encoding="utf-8")
    result = runner.invoke(app, ["questionnaire", "score", str(path), "--format", "json"])
    assert json.loads(result.stdout)["raw_score"] == 6


@pytest.mark.parametrize(
    "args", [["playbook", "--help"], ["questionnaire", "--help"], ["playbook", "render", "--help"]]
)
def test_new_commands_start_light(args, repo_root) -> None:
    """The new command groups import none of the heavy libraries for --help."""
    probe = (
        f"import sys\nfrom auditkit.cli import app\ntry:\n    app({args!r})\nexcept SystemExit:\n"
        "    pass\nheavy = ('mlflow', 'shap', 'fairlearn', 'sklearn', 'pandas', 'matplotlib')\n"
        "print('LOADED=' + ','.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=repo_root, check=True
    ).stdout
    assert "LOADED=\n" in out, out


def test_review_fail_on_decision(tmp_path: Path, repo_root: Path) -> None:
    """review --fail-on escalate exits 1 on the example (ESCALATE); --fail-on no-go exits 0."""
    project = tmp_path / "p"
    shutil.copytree(repo_root / "examples" / "audits" / "sla-classifier", project)
    base = ["review", "-c", str(project / "audit.yaml"), "-o", str(tmp_path / "out"), "-q"]
    assert runner.invoke(app, [*base, "--fail-on", "escalate"]).exit_code == 1
    assert runner.invoke(app, [*base, "--fail-on", "no-go"]).exit_code == 0
    assert (tmp_path / "out" / "decision.json").exists()


@pytest.mark.parametrize(
    ("risk", "code", "stderr"),
    [
        ({"evidence": {"OPS-03": "docs/no-existe.md"}}, 0, ""),
        (
            {"evidence": {"OPS-3": "docs/x.md"}},
            2,
            "unknown playbook item 'OPS-3'. Did you mean 'OPS-03'?",
        ),
        ({"answers": "no-existe.yaml"}, 2, "no-existe.yaml: file not found"),
        ({"playbook": "mal.yaml"}, 2, "mal.yaml: is not valid YAML at line"),
        (
            {"attestations": {"LEG-01": {"answer": "quizá", "by": "x"}}},
            2,
            "risk.attestations.LEG-01.answer",
        ),
    ],
)
def test_review_risk_bad_inputs(tmp_path: Path, repo_root: Path, risk, code, stderr) -> None:
    """A missing evidence file is a finding (exit 0 with --fail-on never); bad config is exit 2."""
    project = tmp_path / "p"
    shutil.copytree(repo_root / "examples" / "audits" / "sla-classifier", project)
    (project / "mal.yaml").write_text("items: [\n  - a\n b", encoding="utf-8")
    raw = yaml.safe_load((project / "audit.yaml").read_text(encoding="utf-8"))
    raw["risk"] = risk
    (project / "audit.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["review", "-c", str(project / "audit.yaml"), "-o", str(out), "-q", "--fail-on", "never"],
    )
    assert result.exit_code == code, result.stderr
    assert stderr in result.stderr
    if code == 0:
        findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
        (ops,) = [f for f in findings["findings"] if f["item"] == "OPS-03"]
        assert ops["status"] == "needs_evidence"
        assert ops["evidence"] == ["docs/no-existe.md"]
    else:
        assert not out.exists()


def test_questionnaire_score_lax(tmp_path: Path) -> None:
    """--lax scores an out-of-bank answer as the tool would and warns on stderr; strict exits 2."""
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"data": {"impact30": "item1-4", "impact3": "item7-4"}}), "utf-8")
    assert runner.invoke(app, ["questionnaire", "score", str(path)]).exit_code == 2
    result = runner.invoke(app, ["questionnaire", "score", str(path), "--lax", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["raw_score"] == 8
    assert "Warning: AIA question 'impact3': 'item7-4' is not one of the choices" in result.stderr


def test_sources_are_rendered_in_the_language() -> None:
    """Framework and section names in the checklist's sources are translated."""
    result = runner.invoke(app, ["playbook", "show", "GOV-04", "--lang", "es"])
    assert (
        "Fuentes: Directiva de Decisiones Automatizadas de Canadá (Apéndice C, revisión por pares)"
        " · NIST AI RMF (MEASURE 1.3) · GovEx (M13; M17)"
    ) in result.stdout
