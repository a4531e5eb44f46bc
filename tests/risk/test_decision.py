"""Tiers, item states and the deployment decision."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from auditkit._config import load_config
from auditkit._errors import ConfigError, PlaybookError
from auditkit._findings import Finding
from auditkit.review._gate import gate_failed
from auditkit.risk._playbook import load_playbook
from auditkit.risk._questionnaire import assess, parse_answers
from auditkit.risk._review import run_risk
from auditkit.risk._tier import compute_tier

ALL_NO = {
    "prohibited_uses": ["none"],
    "high_risk_uses": ["none"],
    "profiling": "no",
    "auto_action": "no",
    "significant_effect": "no",
    "vendor_black_box": "no",
    "territorial_allocation": "no",
    "resident_chatbot": "no",
}
# A light AIA: raw 3 + 4 = 7 of 167 -> level I.
LIGHT_AIA = {"projectDetailsPhase": "item1", "riskProfile1": "item1-3", "impact30": "item1-4"}


@pytest.mark.parametrize(
    ("municipal", "aia", "tier", "level"),
    [
        (ALL_NO, LIGHT_AIA, 1, 1),
        ({**ALL_NO, "profiling": "yes"}, LIGHT_AIA, 2, 1),
        ({**ALL_NO, "auto_action": True}, LIGHT_AIA, 2, 1),
        ({**ALL_NO, "vendor_black_box": "yes"}, LIGHT_AIA, 2, 1),
        ({**ALL_NO, "territorial_allocation": "reports"}, LIGHT_AIA, 2, 1),
        ({**ALL_NO, "territorial_allocation": "need"}, LIGHT_AIA, 1, 1),
        ({**ALL_NO, "significant_effect": "yes"}, LIGHT_AIA, 3, 1),
        ({**ALL_NO, "high_risk_uses": ["emergency_dispatch"]}, LIGHT_AIA, 3, 1),
        ({**ALL_NO, "high_risk_uses": ["workers", "biometric_identification"]}, LIGHT_AIA, 4, 1),
        ({**ALL_NO, "resident_chatbot": "yes"}, LIGHT_AIA, 1, 1),
    ],
)
def test_tier_is_max_of_level_and_floors(municipal, aia, tier, level) -> None:
    """tier = max(AIA level, floors of the triggers), hand-computed."""
    result = compute_tier(assess(parse_answers({"aia": aia, "municipal": municipal})))
    assert (result.tier, result.questionnaire_level) == (tier, level)


def test_high_aia_level_is_not_lowered_by_floors() -> None:
    """A level-III questionnaire stays III under a floor of II."""
    from auditkit.risk._aia import load_bank

    # the impact and data pages at their maximum: a total within (83.5, 125.25] -> level III
    heavy = {}
    for q in load_bank().scored:
        if q.page in ("impact", "aboutData") and q.type != "checkbox":
            heavy[q.name] = max(q.values, key=lambda v: int(v.rsplit("-", 1)[1]))
    answers = parse_answers({"aia": heavy, "municipal": {**ALL_NO, "profiling": "yes"}})
    assessment = assess(answers)
    assert 83.5 < assessment.score.total_score <= 125.25
    result = compute_tier(assessment)
    assert result.questionnaire_level == 3
    assert result.tier == 3
    assert result.raised_by == ()


# ----------------------------------------------------------------------------- full pipeline


def _project(tmp_path: Path, risk: dict | None, *, municipal=ALL_NO, aia=LIGHT_AIA) -> Path:
    (tmp_path / "answers.yaml").write_text(
        yaml.safe_dump({"aia": aia, "municipal": municipal}), encoding="utf-8"
    )
    config = {
        "pilot": {"name": "Piloto", "task": "classification", "language": "es"},
        "data": {"predictions": "p.csv", "y_true": "y", "y_pred": "yhat", "groups": ["g"]},
    }
    if risk is not None:
        config["risk"] = {"answers": "answers.yaml", **risk}
    path = tmp_path / "audit.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def _all_done(tmp_path: Path, playbook) -> dict:
    """Evidence for every artefact item and an attestation for every human item."""
    (tmp_path / "docs").mkdir(exist_ok=True)
    evidence, attestations = {}, {}
    for item in playbook.items:
        if item.check == "artefact":
            (tmp_path / "docs" / f"{item.id}.md").write_text("hecho\n", encoding="utf-8")
            evidence[item.id] = f"docs/{item.id}.md"
        elif item.check == "human":
            attestations[item.id] = {
                "answer": "yes",
                "by": "Dirección de Datos",
                "date": "2026-11-01",
                "evidence": "https://example.org/acta.pdf",
            }
    return {"evidence": evidence, "attestations": attestations}


def _auto_findings(playbook, status: str = "pass", **overrides: str) -> list[Finding]:
    """One finding per auto item of the other areas, with ``status`` unless overridden."""
    found = []
    for item in playbook.items:
        if item.check == "auto" and not item.id.startswith("INT"):
            found.append(
                Finding(
                    id=f"{item.auto_check}.x",
                    check=item.auto_check,
                    item=item.id,
                    area="test",
                    status=overrides.get(item.id, status),
                    severity="info",
                    message="x",
                )
            )
    return found


@pytest.fixture
def playbook():
    return load_playbook()


def test_everything_done_is_go(tmp_path, playbook) -> None:
    """All items met at tier I: GO, no conditions, every rule but all_clear clear."""
    config = load_config(_project(tmp_path, _all_done(tmp_path, playbook)))
    decision, _, findings = run_risk(config, _auto_findings(playbook), answers=_answers(tmp_path))
    assert decision.decision == "go"
    assert decision.conditions == ()
    from auditkit.report import decision_document
    from auditkit.risk import DecisionStep

    document = decision_document(DecisionStep(decision, playbook, findings), "pt")
    schema = json.loads(
        (Path(__file__).parents[2] / "auditkit/schemas/decision.schema.json").read_text()
    )
    jsonschema.validate(document, schema)
    assert document["label"] == "APROVADO"
    assert (
        document["explanation"]
        == "Todos os itens aplicáveis neste nível estão atendidos ou não se aplicam."
    )
    assert [r.name for r in decision.rules if r.fired] == ["all_clear"]
    assert {f.status for f in findings} == {"pass"}


def _answers(tmp_path: Path):
    from auditkit.risk._questionnaire import load_answers

    return load_answers(tmp_path / "answers.yaml")


def test_non_blocking_gap_is_go_with_conditions(tmp_path, playbook) -> None:
    """A missing non-blocking document becomes a condition with its owner and due date."""
    risk = _all_done(tmp_path, playbook)
    del risk["evidence"]["PUR-05"]  # out-of-scope uses: never blocks
    risk["conditions"] = {"PUR-05": {"owner": "Coordinación de Datos", "due": "2026-12-15"}}
    config = load_config(_project(tmp_path, risk))
    decision, _, _ = run_risk(config, _auto_findings(playbook), answers=_answers(tmp_path))
    assert decision.decision == "go-with-conditions"
    assert [c.to_dict() for c in decision.conditions] == [
        {
            "item": "PUR-05",
            "status": "needs_evidence",
            "blocking": False,
            "owner": "Coordinación de Datos",
            "due": "2026-12-15",
        }
    ]


def test_fairness_failure_blocks_from_tier_ii(tmp_path, playbook) -> None:
    """FAI-02 failing is a condition at tier I but NO-GO once a trigger raises the tier to II."""
    risk = _all_done(tmp_path, playbook)
    findings = _auto_findings(playbook, **{"FAI-02": "fail"})
    config = load_config(_project(tmp_path, risk))
    decision, _, _ = run_risk(config, findings, answers=_answers(tmp_path))
    assert decision.decision == "go-with-conditions"
    municipal = {**ALL_NO, "territorial_allocation": "reports"}
    _project(tmp_path, risk, municipal=municipal)
    decision, _, _ = run_risk(config, findings, answers=_answers(tmp_path))
    assert decision.tier.tier == 2
    assert decision.decision == "no-go"
    assert decision.deciding_rule.name == "blocking_failure"
    assert decision.deciding_rule.items == ("FAI-02",)


def test_chatbot_makes_the_channel_notice_blocking(tmp_path, playbook) -> None:
    """Without the notice (EXP-04), a resident-facing chatbot is NO-GO even at tier I."""
    risk = _all_done(tmp_path, playbook)
    del risk["evidence"]["EXP-04"]
    config = load_config(_project(tmp_path, risk, municipal={**ALL_NO, "resident_chatbot": "yes"}))
    decision, _, _ = run_risk(config, _auto_findings(playbook), answers=_answers(tmp_path))
    assert decision.tier.tier == 1
    assert decision.decision == "no-go"
    assert decision.deciding_rule.name == "blocking_without_evidence"
    assert decision.deciding_rule.items == ("EXP-04",)


def test_prohibited_use_stops_everything(tmp_path, playbook) -> None:
    """A prohibited use is NO-GO whatever else is true."""
    risk = _all_done(tmp_path, playbook)
    municipal = {**ALL_NO, "prohibited_uses": ["social_scoring"]}
    config = load_config(_project(tmp_path, risk, municipal=municipal))
    decision, _, findings = run_risk(config, _auto_findings(playbook), answers=_answers(tmp_path))
    assert decision.decision == "no-go"
    assert decision.deciding_rule.name == "prohibited_use"
    assert any(
        f.item == "INT-01" and f.status == "fail" and f.severity == "critical" for f in findings
    )


def test_unanswered_classification_escalates(tmp_path, playbook) -> None:
    """One unanswered municipal question is ESCALATE, before any NO-GO rule but prohibition."""
    risk = _all_done(tmp_path, playbook)
    municipal = {k: v for k, v in ALL_NO.items() if k != "vendor_black_box"}
    config = load_config(_project(tmp_path, risk, municipal=municipal))
    findings = _auto_findings(playbook, **{"VAL-03": "fail"})
    decision, _, _ = run_risk(config, findings, answers=_answers(tmp_path))
    assert decision.decision == "escalate"
    assert decision.deciding_rule.params["questions"] == "vendor_black_box"


def test_tier_iv_escalates(tmp_path, playbook) -> None:
    """Everything met at tier IV still goes to the highest authority."""
    risk = _all_done(tmp_path, playbook)
    municipal = {**ALL_NO, "high_risk_uses": ["biometric_identification"]}
    config = load_config(_project(tmp_path, risk, municipal=municipal))
    decision, _, _ = run_risk(config, _auto_findings(playbook), answers=_answers(tmp_path))
    assert (decision.tier.tier, decision.decision) == (4, "escalate")


def test_missing_evidence_file_is_needs_evidence_not_a_crash(tmp_path, playbook) -> None:
    """A missing file named as evidence makes its item needs_evidence, with the file named."""
    risk = _all_done(tmp_path, playbook)
    risk["evidence"]["GOV-01"] = "docs/no-existe.pdf"  # blocks from tier I
    config = load_config(_project(tmp_path, risk))
    decision, _, findings = run_risk(config, _auto_findings(playbook), answers=_answers(tmp_path))
    (finding,) = [f for f in findings if f.item == "GOV-01"]
    assert (finding.status, finding.message) == ("needs_evidence", "risk.reason.evidence_missing")
    assert finding.params["refs"] == "docs/no-existe.pdf"
    assert decision.decision == "no-go"


@pytest.mark.parametrize(
    ("attestation", "status"),
    [
        ({"answer": "no", "by": "Jurídico"}, "fail"),
        ({"answer": False, "by": "Jurídico"}, "fail"),
        ({"answer": "yes", "by": "Jurídico"}, "needs_evidence"),
        ({"answer": "yes", "by": "Jurídico", "evidence": "docs/oficio.pdf"}, "needs_evidence"),
        (
            {"answer": "not_applicable", "by": "Jurídico", "note": "sin datos personales"},
            "not_applicable",
        ),
        ({"answer": "yes", "by": "Jurídico", "evidence": "https://x.org/oficio"}, "pass"),
    ],
)
def test_attestations(tmp_path, playbook, attestation, status) -> None:
    """A human item needs an attestation and evidence; 'no' fails; n/a takes it out."""
    config = load_config(_project(tmp_path, {"attestations": {"LEG-01": attestation}}))
    _, _, findings = run_risk(config, [], answers=_answers(tmp_path))
    (finding,) = [f for f in findings if f.item == "LEG-01"]
    assert finding.status == status


@pytest.mark.parametrize(
    ("risk", "error", "match"),
    [
        (
            {"evidence": {"GOV-1": "x.md"}},
            ConfigError,
            r"risk.evidence: unknown playbook item 'GOV-1'.*'GOV-01'",
        ),
        (
            {"attestations": {"ZZZ-99": {"answer": "yes", "by": "a"}}},
            ConfigError,
            r"unknown playbook item 'ZZZ-99'",
        ),
        ({"conditions": {"PUR-5": {"owner": "a", "due": "2026-01-01"}}}, ConfigError, r"'PUR-05'"),
        (
            {"attestations": {"LEG-01": {"answer": "not_applicable", "by": "a"}}},
            ConfigError,
            r"needs a 'note'",
        ),
        ({"attestations": {"LEG-01": {"answer": "maybe", "by": "a"}}}, ConfigError, r"answer"),
        (
            {"conditions": {"PUR-05": {"owner": "a"}}},
            ConfigError,
            r"'risk.conditions.PUR-05.due' is required",
        ),
        ({"evidencia": {}}, ConfigError, r"unknown key 'risk.evidencia'.*Did you mean 'evidence'"),
        ({"playbook": "nope.yaml"}, PlaybookError, r"file not found"),
    ],
)
def test_bad_risk_config(tmp_path, risk, error, match) -> None:
    """Bad risk sections are clear errors (exit 2 at the CLI), never a half decision."""
    with pytest.raises(error, match=match):
        config = load_config(_project(tmp_path, risk))
        run_risk(config, [], answers=_answers(tmp_path))


def test_missing_questionnaire_names_the_command_that_writes_it(tmp_path) -> None:
    """risk.answers pointing at no file: the error gives `questionnaire init` in the pilot's language."""
    from auditkit._area import ReviewContext
    from auditkit.risk._review import decision_step

    path = _project(tmp_path, {})
    (tmp_path / "answers.yaml").unlink()
    config = load_config(path)
    with pytest.raises(PlaybookError, match="file not found") as info:
        decision_step(config, ReviewContext(config=config))
    assert "auditkit questionnaire init --lang es --out answers.yaml" in str(info.value)


# ----------------------------------------------------------------------------- the gate


class _Review:
    def __init__(self, decision: str | None) -> None:
        self.findings: list[Finding] = []
        self.sections = {"decision": {"decision": decision}} if decision else {}


@pytest.mark.parametrize(
    ("decision", "fail_on", "failed"),
    [
        ("go", "go-with-conditions", False),
        ("go-with-conditions", "go-with-conditions", True),
        ("escalate", "go-with-conditions", True),
        ("no-go", "go-with-conditions", True),
        ("go", "escalate", False),
        ("go-with-conditions", "escalate", False),
        ("escalate", "escalate", True),
        ("no-go", "escalate", True),
        ("go-with-conditions", "no-go", False),
        ("escalate", "no-go", False),
        ("no-go", "no-go", True),
        (None, "no-go", True),
        ("no-go", "never", False),
    ],
)
def test_decision_gates(decision, fail_on, failed) -> None:
    """--fail-on DECISION fails on that decision or a worse one."""
    assert gate_failed(_Review(decision), fail_on) is failed  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- review outputs


def test_review_writes_an_explainable_decision(tmp_path, repo_root) -> None:
    """run_review on the example forecast writes decision.json; twice gives identical bytes."""
    from auditkit.report import write_review
    from auditkit.review import run_review

    example = repo_root / "examples" / "audits" / "demand-forecast"
    project = tmp_path / "p"
    shutil.copytree(example, project)
    (project / "docs").mkdir()
    (project / "docs" / "ficha.md").write_text("# Ficha\n", encoding="utf-8")
    raw = yaml.safe_load((project / "audit.yaml").read_text(encoding="utf-8"))
    raw["risk"] = {
        "answers": "answers.yaml",
        "evidence": {"VAL-04": "docs/ficha.md", "OPS-03": "docs/falta.md"},
        "conditions": {"PUR-01": {"owner": "Dirección de Innovación", "due": "2027-01-31"}},
    }
    (project / "audit.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    (project / "answers.yaml").write_text(
        yaml.safe_dump(
            {"aia": LIGHT_AIA, "municipal": {**ALL_NO, "territorial_allocation": "reports"}}
        ),
        encoding="utf-8",
    )
    config = load_config(project / "audit.yaml")
    outputs = []
    for run in ("a", "b"):
        review = run_review(config, lang="es")
        write_review(review, tmp_path / run)
        outputs.append((tmp_path / run / "decision.json").read_bytes())
        assert (tmp_path / run / "findings.json").read_bytes()
    assert outputs[0] == outputs[1]
    document = json.loads(outputs[0])
    schema = json.loads((repo_root / "auditkit/schemas/decision.schema.json").read_text())
    jsonschema.validate(document, schema)
    assert document["tier"]["tier"] == 2
    assert document["tier"]["raised_by"] == ["territorial_allocation=reports"]
    # the example's fairness failures (FAI-02) block at tier II
    decisive = [r for r in document["rules"] if r["decisive"]]
    assert [r["rule"] for r in decisive] == ["blocking_failure"]
    assert "FAI-02" in decisive[0]["items"]
    assert document["decision"] == "no-go" and document["label"] == "NO APROBADO"
    items = {i["id"]: i for i in document["items"]}
    assert items["VAL-04"]["status"] == "pass" and items["VAL-04"]["evidence"][0]["sha256"]
    assert items["OPS-03"]["status"] == "needs_evidence"
    assert items["OPS-03"]["reason"] == "No se encontró el archivo de evidencia: docs/falta.md."
    assert items["LEG-07"]["applies"] is False  # from tier III only
    findings = json.loads((tmp_path / "a" / "findings.json").read_text(encoding="utf-8"))
    assert findings["decision"]["decision"] == "no-go"
    assert {"role": "questionnaire", "path": "answers.yaml"}.items() <= next(
        i for i in findings["inputs"] if i["role"] == "questionnaire"
    ).items()
    report = (tmp_path / "a" / "report.md").read_text(encoding="utf-8")
    assert "## Decisión y motivos" in report
    assert "**NO APROBADO** · Nivel de riesgo II" in report
    assert (
        "Detonantes declarados en el cuestionario: Reparto territorial del servicio: Sí, con base "
        "en los reportes o solicitudes de la población." in report
    )
    assert "territorial_allocation=reports" not in report
    assert "| FAI-02 · Disparidad entre grupos ⛔ | automática | ❌ falla | — |" in report
    assert "| VAL-04 · Ficha del modelo ⛔ | documento | ✅ cumple | docs/ficha.md |" in report
    text = outputs[0].decode("utf-8")
    assert str(tmp_path) not in text
    assert str(tmp_path) not in (tmp_path / "a" / "findings.json").read_text(encoding="utf-8")


def test_review_without_risk_section_escalates(repo_root, tmp_path) -> None:
    """No risk section: ESCALATE because the questionnaire is unanswered; three intake findings."""
    from auditkit.review import run_review

    config = load_config(repo_root / "examples" / "audits" / "sla-classifier" / "audit.yaml")
    review = run_review(config, lang="pt")
    assert review.sections["decision"]["decision"] == "escalate"
    risk = [f for f in review.findings if f.area == "risk"]
    assert sorted(f.item for f in risk) == ["INT-01", "INT-02", "INT-03"]
    from auditkit.report import decision_document

    document = decision_document(review.decision, review.lang)
    schema = json.loads((repo_root / "auditkit/schemas/decision.schema.json").read_text())
    jsonschema.validate(document, schema)
    assert document["label"] == "ESCALAR"
    assert document["explanation"].startswith(
        "Faltam respostas de classificação (o questionário AIA, Usos proibidos, Usos de alto risco,"
    )


def test_example_with_risk_section(repo_root, tmp_path) -> None:
    """The reference pilot's example: AIA level II, and its zone disparity (FAI-02) is NO-GO."""
    from auditkit.review import run_review
    from auditkit.risk._questionnaire import load_answers

    folder = repo_root / "examples" / "audits" / "demand-forecast"
    answers = load_answers(folder / "cuestionario.yaml")
    assert assess(answers).complete
    review = run_review(load_config(folder / "audit-riesgo.yaml"), lang="es")
    decision = review.sections["decision"]
    assert (decision["decision"], decision["rule"], decision["tier"]) == (
        "no-go",
        "blocking_failure",
        2,
    )
    assert decision["aia"]["level"] == 2
    owners = {c["item"]: c["owner"] for c in decision["conditions"]}
    assert owners["OPS-02"] == "Dirección de Servicios Públicos"


def test_custom_playbook(tmp_path, playbook) -> None:
    """risk.playbook swaps the checklist; evidence ids are checked against it."""
    raw = yaml.safe_load(
        (Path(__file__).parents[2] / "playbooks/city-pilot.yaml").read_text(encoding="utf-8")
    )
    raw["id"] = "mi-ciudad"
    raw["items"] = [i for i in raw["items"] if i["section"] in ("INT", "FAI")]
    raw["sections"] = [s for s in raw["sections"] if s["code"] in ("INT", "FAI")]
    (tmp_path / "propio.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    config = load_config(_project(tmp_path, {"playbook": "propio.yaml"}))
    decision, book, _ = run_risk(config, _auto_findings(playbook), answers=_answers(tmp_path))
    assert book.id == "mi-ciudad"
    assert {s.item.section for s in decision.states} == {"INT", "FAI"}
    config = load_config(
        _project(tmp_path, {"playbook": "propio.yaml", "evidence": {"OPS-03": "x"}})
    )
    with pytest.raises(ConfigError, match="unknown playbook item 'OPS-03'"):
        run_risk(config, [], answers=_answers(tmp_path))


@pytest.mark.parametrize(
    ("findings_status", "attestation", "status"),
    [
        (None, None, "needs_evidence"),
        (None, {"answer": "yes", "by": "Datos", "evidence": "https://x.org/fugas.html"}, "pass"),
        (None, {"answer": "yes", "by": "Datos"}, "needs_evidence"),
        ("fail", {"answer": "yes", "by": "Datos", "evidence": "https://x.org/fugas.html"}, "fail"),
        ("pass", {"answer": "no", "by": "Datos"}, "fail"),
    ],
)
def test_auto_item_checked_by_hand(
    tmp_path, playbook, findings_status, attestation, status
) -> None:
    """An auto item no check assessed can be attested with evidence; real findings still rule."""
    risk = {"attestations": {"VAL-03": attestation}} if attestation else {}
    config = load_config(_project(tmp_path, risk))
    findings = []
    if findings_status:
        findings = [f for f in _auto_findings(playbook, findings_status) if f.item == "VAL-03"]
    decision, _, _ = run_risk(config, findings, answers=_answers(tmp_path))
    (state,) = [s for s in decision.states if s.item.id == "VAL-03"]
    assert state.status == status


def test_absolute_evidence_paths_are_shown_relative(tmp_path, playbook) -> None:
    """An absolute evidence path never reaches the outputs as such."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "ficha.md").write_text("ficha\n", encoding="utf-8")
    risk = {"evidence": {"VAL-04": str(tmp_path / "docs" / "ficha.md")}}
    config = load_config(_project(tmp_path, risk))
    _, _, findings = run_risk(config, [], answers=_answers(tmp_path))
    (finding,) = [f for f in findings if f.item == "VAL-04"]
    assert (finding.status, finding.evidence) == ("pass", ("docs/ficha.md",))


def test_an_unanswered_questionnaire_gives_a_provisional_tier(repo_root) -> None:
    """No answers: tier I but provisional, and the questions that could raise it are listed."""
    from auditkit.review import run_review

    config = load_config(repo_root / "examples" / "audits" / "sla-classifier" / "audit.yaml")
    review = run_review(config, lang="es")
    from auditkit.report import decision_document

    document = decision_document(review.decision, review.lang)
    schema = json.loads((repo_root / "auditkit/schemas/decision.schema.json").read_text())
    jsonschema.validate(document, schema)
    assert document["tier"]["tier"] == 1
    assert document["tier_status"] == "provisional"
    assert review.sections["decision"]["tier_status"] == "provisional"
    outlook = document["tier_outlook"]
    assert outlook["max_tier"] == 4
    municipal = {q["id"]: q for q in outlook["questions"] if q["source"] == "municipal"}
    # profiling (floor II), significant effect (III) and high-risk uses (IV) could raise it;
    # the chatbot question sets no floor and is not listed
    assert municipal["profiling"]["max_floor"] == 2
    assert municipal["significant_effect"]["max_floor"] == 3
    assert municipal["high_risk_uses"]["max_floor"] == 4
    assert municipal["prohibited_uses"]["prohibited"] is True
    assert "resident_chatbot" not in municipal
    aia = [q for q in outlook["questions"] if q["source"] == "aia"]
    assert aia and sum(q["max_points"] for q in aia) == outlook["max_raw_score"]
    assert outlook["text"].startswith("Nivel provisional")


def test_a_complete_questionnaire_gives_a_final_tier(tmp_path) -> None:
    """Every classification answered and the AIA too light to move: final."""
    assessment = assess(parse_answers({"aia": LIGHT_AIA, "municipal": ALL_NO}))
    from auditkit.risk._questionnaire import load_municipal_questions
    from auditkit.risk._tier import tier_outlook

    tier = compute_tier(assessment)
    outlook = tier_outlook(tier, assessment, load_municipal_questions(), [("q1", 3.0)])
    assert (outlook.status, outlook.max_tier, outlook.questions) == ("final", 1, ())
    # with enough unanswered AIA points to pass 25 % of the maximum, the tier is provisional
    heavy = [("q1", 50.0)]
    outlook = tier_outlook(tier, assessment, load_municipal_questions(), heavy)
    assert (outlook.status, outlook.max_tier) == ("provisional", 2)
    assert [q.id for q in outlook.questions] == ["q1"]


def test_blank_aia_answers_are_unanswered() -> None:
    """A blank template (every AIA key present, no value) leaves every AIA point open."""
    from auditkit.risk._aia import load_bank
    from auditkit.risk._review import _outlook

    blank = {q.name: None for q in load_bank().scored}
    answers = parse_answers({"aia": blank, "municipal": ALL_NO})
    assessment = assess(answers)
    outlook = _outlook(compute_tier(assessment), assessment, answers)
    assert outlook.status == "provisional" and outlook.max_tier == 4
    assert outlook.max_raw_score == assessment.score.max_raw_score
