"""The decision step of ``auditkit review``: questionnaire, tier, checklist and decision.

It runs last, so it sees every finding of the earlier areas (``context.findings``): their
``auto`` items feed the checklist. Without a ``risk:`` section in ``audit.yaml`` the area still
runs: the questionnaire is unanswered, so the decision is ESCALATE, every artefact and human item
is ``needs_evidence`` in ``decision.json`` (the checklist shows what is missing) and only the three
intake findings (INT-01..03) go into findings.json. With a ``risk:`` section every applicable
artefact and human item also gets its own finding.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditkit._area import InputRecord, finding
from auditkit._errors import ConfigError, PlaybookError
from auditkit._findings import Finding, Severity
from auditkit._io import file_sha256
from auditkit.risk._decision import Decision, decide
from auditkit.risk._evidence import ItemState, item_states
from auditkit.risk._playbook import Playbook, load_playbook, roman, unknown_item_message
from auditkit.risk._questionnaire import (
    Answers,
    Assessment,
    assess,
    load_answers,
    load_municipal_questions,
)
from auditkit.risk._tier import TierOutlook, TierResult, compute_tier, tier_outlook

if TYPE_CHECKING:
    from auditkit._area import ReviewContext
    from auditkit._config import AuditConfig, RiskConfig

__all__ = ["DECISION_SCHEMA", "DecisionStep", "decision_step", "decision_summary", "run_risk"]

DECISION_SCHEMA = "auditkit.decision/1"


def _check_item_ids(risk: RiskConfig | None, playbook: Playbook, source: Path | None) -> None:
    if risk is None:
        return
    known = [i.id for i in playbook.items]
    for key in ("evidence", "attestations", "conditions"):
        for item_id in getattr(risk, key):
            if item_id not in known:
                raise ConfigError(
                    f"risk.{key}: {unknown_item_message(item_id, known)}", file=source
                )


def _display(path: Path, base: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return path.name


def _finding(
    check: str, item: str, status: str, severity: Severity, message: str, **params: Any
) -> Finding:
    """A finding about one playbook item, named explicitly (the evidence and attestation checks
    serve every item: the item is the finding's subject)."""
    return finding(
        check,
        status,
        message,
        params,
        severity=severity,
        subject=item if check in ("risk.evidence", "risk.attestation") else None,
        item=item,
        area="risk",
    )


def questionnaire_findings(assessment: Assessment, tier: TierResult) -> list[Finding]:
    """Findings of the three intake items computed from the questionnaire (INT-01..03)."""
    findings = []
    if assessment.prohibited:
        uses = ", ".join(t.value for t in assessment.prohibited)
        findings.append(
            _finding(
                "risk.prohibited_use",
                "INT-01",
                "fail",
                "critical",
                "risk.finding.prohibited_use.fail",
                uses=uses,
            )
        )
    elif "prohibited_uses" in assessment.municipal:
        findings.append(
            _finding(
                "risk.prohibited_use", "INT-01", "pass", "info", "risk.finding.prohibited_use.pass"
            )
        )
    else:
        findings.append(
            _finding(
                "risk.prohibited_use",
                "INT-01",
                "needs_evidence",
                "critical",
                "risk.finding.prohibited_use.unanswered",
            )
        )
    if assessment.unanswered:
        findings.append(
            _finding(
                "risk.classification",
                "INT-02",
                "needs_evidence",
                "high",
                "risk.finding.classification.unanswered",
                questions=", ".join(assessment.unanswered),
            )
        )
    else:
        findings.append(
            _finding(
                "risk.classification",
                "INT-02",
                "pass",
                "info",
                "risk.finding.classification.pass",
                floor=roman(assessment.floor),
            )
        )
    score = assessment.score.to_dict()
    if assessment.aia_answered:
        findings.append(
            _finding(
                "risk.impact_assessment",
                "INT-03",
                "pass",
                "info",
                "risk.finding.impact_assessment.pass",
                **{
                    k: score[k]
                    for k in (
                        "raw_score",
                        "max_raw_score",
                        "mitigation_score",
                        "total_score",
                        "level",
                    )
                },
            )
        )
    else:
        findings.append(
            _finding(
                "risk.impact_assessment",
                "INT-03",
                "needs_evidence",
                "high",
                "risk.finding.impact_assessment.missing",
            )
        )
    return findings


def item_findings(states: list[ItemState]) -> list[Finding]:
    """One finding per applicable artefact or human item."""
    findings = []
    for state in states:
        if not state.applies or state.item.check == "auto":
            continue
        check = "risk.evidence" if state.item.check == "artefact" else "risk.attestation"
        severity: Severity
        if state.status in ("pass", "not_applicable"):
            severity = "info"
        elif state.blocking:
            severity = "high"
        else:
            severity = "medium" if state.status == "fail" else "low"
        missing = [e.ref for e in state.evidence if not e.found]
        item_finding = _finding(
            check,
            state.item.id,
            state.status,
            severity,
            f"risk.reason.{state.reason}",
            refs=", ".join(missing),
        )
        findings.append(
            dataclasses.replace(item_finding, evidence=tuple(e.ref for e in state.evidence))
        )
    return findings


def decision_summary(decision: Decision) -> dict[str, Any]:
    """The ``decision`` section of ``findings.json``."""
    counts: dict[str, int] = {}
    for state in decision.states:
        if state.applies:
            counts[state.status] = counts.get(state.status, 0) + 1
    score = decision.assessment.score
    return {
        "decision": decision.decision,
        "rule": decision.deciding_rule.name,
        "tier": decision.tier.tier,
        "tier_roman": roman(decision.tier.tier),
        "tier_status": decision.tier_status,
        "questionnaire_level": decision.tier.questionnaire_level,
        "raised_by": [f"{t.question}={t.value}" for t in decision.tier.raised_by],
        "triggers": [f"{t.question}={t.value}" for t in decision.assessment.triggers],
        "aia": {
            "raw_score": score.to_dict()["raw_score"],
            "mitigation_score": score.to_dict()["mitigation_score"],
            "total_score": score.to_dict()["total_score"],
            "level": score.level,
        },
        "items": dict(sorted(counts.items())),
        "conditions": [c.to_dict() for c in decision.conditions],
    }


def _outlook(tier: TierResult, assessment: Assessment, answers: Answers | None) -> TierOutlook:
    """Which unanswered questions could still raise the tier.

    Every scored AIA risk question without an answer counts, except, once the AIA has answers,
    the questions the tool shows only after some answers (``visibleIf``): a completed survey
    drops their answers when they are hidden.
    """
    from auditkit.risk._aia import load_bank

    given = answers.aia if answers is not None else {}
    # a blank in the answers file (None, "", []) is no answer
    answered = {name for name, value in given.items() if value not in (None, "", [])}
    pending = [
        (q.name, q.max_weight)
        for q in load_bank().scored
        if q.score_type == "risk"
        and q.name not in answered
        and not (assessment.aia_answered and q.visible_if)
    ]
    return tier_outlook(tier, assessment, load_municipal_questions(), pending)


def run_risk(
    config: AuditConfig, findings: list[Finding], *, answers: Answers | None = None
) -> tuple[Decision, Playbook, list[Finding]]:
    """Questionnaire -> tier -> item states -> decision, over the findings so far."""
    risk = config.risk
    playbook = load_playbook(config.resolve(risk.playbook) if risk and risk.playbook else None)
    _check_item_ids(risk, playbook, config.source)
    assessment = assess(answers)
    tier = compute_tier(assessment)
    own = questionnaire_findings(assessment, tier)
    extra_blocking = {item for t in assessment.triggers for item in t.blocking_items}
    states = item_states(
        playbook,
        tier=tier.tier,
        findings=[*findings, *own],
        risk=risk,
        base_dir=config.base_dir,
        extra_blocking=extra_blocking,
    )
    outlook = _outlook(tier, assessment, answers)
    decision = decide(tier, assessment, states, risk.conditions if risk else {}, outlook)
    # Without a risk section nothing was attempted yet: decision.json lists every open item and the
    # decision is ESCALATE; one finding per item would only repeat that.
    return decision, playbook, own + (item_findings(states) if risk is not None else [])


@dataclass(frozen=True)
class DecisionStep:
    """The decision step of a review, stored on the review as it is (no JSON in between).

    Attributes
    ----------
    decision
        Tier, item states, rules and conditions (:class:`~auditkit.risk.Decision`).
    playbook
        The playbook the items come from (its titles name the items in the reports).
    findings
        The intake findings (INT-01..03) and, with a ``risk:`` section, one per item.
    """

    decision: Decision
    playbook: Playbook
    findings: list[Finding]

    @property
    def summary(self) -> dict[str, Any]:
        """The ``decision`` section of ``findings.json``."""
        return decision_summary(self.decision)


def decision_step(config: AuditConfig, context: ReviewContext) -> DecisionStep:
    """Decide over every finding of the areas; the questionnaire and playbook are recorded."""
    answers = None
    if config.risk is not None and config.risk.answers is not None:
        path = config.resolve(config.risk.answers)
        if not path.exists():
            lang, name = config.pilot.language, config.risk.answers.as_posix()
            raise PlaybookError(
                "file not found (risk.answers in audit.yaml).",
                file=path,
                hint=f"Write the questionnaire with 'auditkit questionnaire init --lang {lang} "
                f"--out {name}' next to audit.yaml, answer it, and review again.",
            )
        answers = load_answers(path)
        for path in answers.files:
            context.inputs.append(
                InputRecord(
                    role="questionnaire",
                    path=_display(path, config.base_dir),
                    sha256=file_sha256(path),
                )
            )
    if config.risk is not None and config.risk.playbook is not None:
        custom = config.resolve(config.risk.playbook)
        if custom.is_file():
            context.inputs.append(
                InputRecord(
                    role="playbook",
                    path=_display(custom, config.base_dir),
                    sha256=file_sha256(custom),
                )
            )
    decision, playbook, findings = run_risk(config, context.findings, answers=answers)
    return DecisionStep(decision=decision, playbook=playbook, findings=findings)
