"""Two dozen synthetic pilots of different cities, languages and types, with known indicators.

Each :class:`Pilot` is written as a review bundle (the synthetic review of ``tests/report``,
given the pilot's identity, its equity gap, under-reporting, skill, coverage and decision) and
logged to one MLflow store. The expected indicators are the literal numbers below, never read
back from auditkit's own output.
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from dataclasses import dataclass
from typing import Any

from auditkit._config import AuditConfig
from auditkit._findings import Finding
from auditkit.review import Review
from tests.report.samples import sample_review

# The most marginalised group's label in each language (never part of a metric key).
HIGH = {"es": "muy alto", "pt": "muito alto", "en": "very high"}


@dataclass(frozen=True)
class Pilot:
    """One pilot's identity and the indicators its review carries."""

    city: str
    country: str
    lang: str
    kind: str  # service-demand-forecast or request-triage
    decision: str  # go, go-with-conditions, no-go, escalate
    gap: tuple[float, float, float] | None  # equity gap ratio, ci_low, ci_high
    skill: float
    tier_status: str = "final"
    reporting: tuple[float, float, float] | None = None  # under-reporting ratio and interval
    coverage: float | None = None  # observed coverage of 80 % intervals
    extra_conditions: int = 0

    @property
    def slug(self) -> str:
        """The pilot's slug (one experiment per pilot)."""
        word = "demanda" if self.kind == "service-demand-forecast" else "triagem"
        plain = unicodedata.normalize("NFKD", self.city).encode("ascii", "ignore").decode()
        return f"{word}-{plain.lower().replace(' ', '-')}"


F, T = "service-demand-forecast", "request-triage"
PILOTS: tuple[Pilot, ...] = (
    Pilot("Guadalajara", "MX", "es", F, "go-with-conditions", (0.71, 0.66, 0.76), 0.21,
          reporting=(0.52, 0.41, 0.66), coverage=0.72),
    Pilot("Zapopan", "MX", "es", F, "no-go", (0.62, 0.55, 0.70), 0.05,
          reporting=(0.48, 0.37, 0.61), coverage=0.64),
    Pilot("Monterrey", "MX", "es", F, "go", (0.97, 0.91, 1.04), 0.33,
          reporting=(0.94, 0.81, 1.09), coverage=0.79),
    Pilot("Puebla", "MX", "es", T, "go", (1.04, 0.95, 1.13), 0.18),
    Pilot("Mérida", "MX", "es", T, "go-with-conditions", (1.31, 1.12, 1.52), 0.12,
          tier_status="provisional", extra_conditions=2),
    Pilot("Medellín", "CO", "es", F, "go", (1.02, 0.96, 1.08), 0.27,
          reporting=(0.88, 0.72, 1.05), coverage=0.81),
    Pilot("Bogotá", "CO", "es", F, "escalate", (0.83, 0.77, 0.90), 0.09,
          reporting=(0.61, 0.50, 0.74), coverage=0.70, tier_status="provisional"),
    Pilot("Cali", "CO", "es", T, "no-go", (1.62, 1.40, 1.88), -0.04),
    Pilot("Montevideo", "UY", "es", F, "go", (0.99, 0.93, 1.05), 0.30,
          reporting=(1.01, 0.90, 1.13), coverage=0.80),
    Pilot("Santiago", "CL", "es", F, "go-with-conditions", (0.88, 0.82, 0.95), 0.15,
          reporting=(0.79, 0.66, 0.94), coverage=0.76, extra_conditions=1),
    Pilot("Valparaíso", "CL", "es", T, "go", (0.95, 0.86, 1.05), 0.22),
    Pilot("Lima", "PE", "es", F, "no-go", (0.58, 0.50, 0.67), -0.10,
          reporting=(0.45, 0.33, 0.60), coverage=0.58),
    Pilot("Rosario", "AR", "es", T, "escalate", None, 0.02, tier_status="provisional"),
    Pilot("Recife", "BR", "pt", F, "escalate", (0.76, 0.69, 0.84), 0.11,
          reporting=(0.57, 0.45, 0.72), coverage=0.69),
    Pilot("São Paulo", "BR", "pt", F, "go-with-conditions", (0.91, 0.87, 0.96), 0.25,
          reporting=(0.83, 0.75, 0.92), coverage=0.78, extra_conditions=3),
    Pilot("Salvador", "BR", "pt", F, "no-go", (0.66, 0.59, 0.74), 0.04,
          reporting=(0.50, 0.39, 0.64), coverage=0.62),
    Pilot("Fortaleza", "BR", "pt", T, "go", (1.08, 0.98, 1.19), 0.17),
    Pilot("Curitiba", "BR", "pt", T, "go-with-conditions", (1.22, 1.08, 1.38), 0.08,
          extra_conditions=1),
    Pilot("Porto Alegre", "BR", "pt", F, "go", (1.01, 0.94, 1.09), 0.29,
          reporting=(0.97, 0.85, 1.11), coverage=0.82),
    Pilot("Belo Horizonte", "BR", "pt", T, "escalate", (0.79, 0.70, 0.89), 0.06),
    Pilot("Boston", "US", "en", F, "go", (1.03, 0.98, 1.08), 0.35,
          reporting=(0.92, 0.84, 1.01), coverage=0.80),
    Pilot("Austin", "US", "en", T, "go-with-conditions", (1.18, 1.05, 1.33), 0.14),
    Pilot("San Antonio", "US", "en", F, "no-go", (0.69, 0.62, 0.77), -0.02,
          reporting=(0.55, 0.44, 0.69), coverage=0.66, tier_status="provisional"),
    Pilot("Toronto", "CA", "en", T, "go", (0.98, 0.90, 1.07), 0.24),
)  # fmt: skip

# Guadalajara's earlier review (same pilot, same experiment), before the model was corrected.
EARLIER = dataclasses.replace(
    PILOTS[0], decision="no-go", gap=(0.55, 0.49, 0.62), skill=0.14, coverage=0.61,
    reporting=(0.52, 0.41, 0.66), tier_status="provisional",
)  # fmt: skip


# The reasons, in each language, as the risk area writes them into decision.json.
REASONS = {
    "es": "1 punto(s) que bloquean el despliegue en este nivel no se cumplen: FAI-02.",
    "pt": "1 item(ns) que bloqueiam a implantação neste nível não são cumpridos: FAI-02.",
    "en": "1 item(s) that block deployment at this tier fail: FAI-02.",
}
TITLES = {
    "FAI-02": {
        "es": "Disparidad entre grupos",
        "pt": "Disparidade entre grupos",
        "en": "Disparity between groups",
    },
    "GOV-01": {
        "es": "Responsables designados",
        "pt": "Responsáveis designados",
        "en": "Accountable owners named",
    },
}


def decision_document(lang: str, code: str) -> dict[str, Any]:
    """A decision.json shaped as auditkit.risk writes it (schema auditkit.decision/1)."""
    from auditkit.i18n import translate

    def item(item_id: str, status: str, evidence: list[str]) -> dict[str, Any]:
        return {
            "id": item_id,
            "section": item_id[:3],
            "check": "auto",
            "title": TITLES[item_id][lang],
            "min_tier": 1,
            "blocking_from_tier": 2,
            "applies": True,
            "blocking": status == "fail",
            "status": status,
            "reason": "",
            "evidence": [{"ref": e} for e in evidence],
            "findings": [],
        }

    return {
        "schema": "auditkit.decision/1",
        "language": lang,
        "decision": code,
        "label": translate(f"risk.decision.{code}", lang),
        "explanation": REASONS[lang],
        "tier": {
            "tier": 3,
            "tier_roman": "III",
            "questionnaire_level": 2,
            "floors": [],
            "raised_by": ["auto_action=yes"],
            "label": translate("risk.tier", lang, tier="III"),
        },
        "questionnaire": {
            "triggers": [{"question": "auto_action", "answer": "yes"}],
            "aia": {
                "raw_score": 41,
                "max_raw_score": 167,
                "mitigation_score": 20,
                "total_score": 41,
                "level": 2,
            },
        },
        "rules": [
            {
                "order": 1,
                "rule": "blocking_failure",
                "outcome": "no-go",
                "fired": True,
                "decisive": True,
                "items": ["FAI-02"],
                "explanation": REASONS[lang],
            }
        ],
        "conditions": [
            {
                "item": "FAI-02",
                "status": "fail",
                "blocking": False,
                "owner": "Dirección de Servicios Públicos",
                "due": "2026-06-30",
                "title": TITLES["FAI-02"][lang],
            }
        ],
        "items": [
            item("FAI-02", "fail", ["findings.json#metrics"]),
            item("GOV-01", "pass", ["docs/owner.pdf"]),
        ],
        "playbook": {"id": "municipal", "version": "1"},
    }


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


def _findings(pilot: Pilot) -> list[Finding]:
    findings = [
        Finding(
            id="performance.baseline_skill",
            check="performance.baseline_skill",
            item="VAL-01",
            area="performance",
            status="pass" if pilot.skill > 0 else "fail",
            severity="info" if pilot.skill > 0 else "high",
            message="performance.baseline_skill." + ("pass" if pilot.skill > 0 else "fail"),
            params={
                "skill": pilot.skill,
                "min_skill": 0.0,
                "model_error": 1.0 - pilot.skill,
                "baseline_error": 1.0,
                "groups_below": 0,
                "worst_attribute": None,
                "worst_group": None,
                "worst_skill": None,
            },
            evidence=("findings.json#metrics",),
        )
    ]
    if pilot.coverage is not None:
        findings.append(
            Finding(
                id="performance.interval_coverage",
                check="performance.interval_coverage",
                item="VAL-02",
                area="performance",
                status="pass",
                severity="info",
                message="performance.interval_coverage.pass",
                params={"coverage": pilot.coverage, "level": 0.8, "tolerance": 0.05},
                evidence=("findings.json#metrics",),
            )
        )
    if pilot.reporting is not None:
        ratio, low, high = pilot.reporting
        findings.append(
            Finding(
                id="data.representativeness",
                check="data.representativeness",
                item="DAT-03",
                area="data",
                status="fail" if high < 0.8 else "pass",
                severity="high" if high < 0.8 else "info",
                message="data.representativeness." + ("fail" if high < 0.8 else "pass"),
                params={
                    "stratum": HIGH[pilot.lang],
                    "rate": 40.0 * ratio,
                    "other_rate": 40.0,
                    "per": 1000,
                    "ratio": ratio,
                    "ci_low": low,
                    "ci_high": high,
                    "confidence": 0.95,
                    "min_ratio": 0.8,
                    "method": "bootstrap over zones",
                    "min_cell": 10,
                },
                evidence=("findings.json#metrics", "findings.json#data"),
            )
        )
    return findings


def _decision(pilot: Pilot) -> dict[str, Any]:
    document = decision_document(pilot.lang, pilot.decision)
    document["tier_status"] = pilot.tier_status
    fai = document["items"][0]  # FAI-02: blocking failure, open condition or closed
    if pilot.decision == "go":
        fai.update(status="pass", blocking=False)
        document["conditions"] = []
    elif pilot.decision == "go-with-conditions":
        fai.update(status="warn", blocking=False)
        document["conditions"][0].update(status="warn", blocking=False)
    else:
        document["conditions"][0]["blocking"] = True
    for number in range(pilot.extra_conditions):
        document["conditions"].append(
            {
                "item": f"DOC-0{number + 1}",
                "status": "warn",
                "blocking": False,
                "owner": None,
                "due": None,
                "title": "Documentation",
            }
        )
    return document


def expected_open(pilot: Pilot) -> tuple[int, int]:
    """Blocking items open and conditions open, by the construction of :func:`_decision`."""
    blocking = 1 if pilot.decision in ("no-go", "escalate") else 0
    conditions = pilot.extra_conditions + (1 if pilot.decision == "go-with-conditions" else 0)
    return blocking, conditions


def pilot_review(pilot: Pilot) -> Review:
    """The synthetic review of tests/report, as this pilot's review."""
    base = sample_review(pilot.lang, city=pilot.city, country=pilot.country)
    config = AuditConfig.model_validate(
        {
            **base.config.model_dump(mode="json", exclude_none=True),
            "pilot": {
                "name": pilot.slug.replace("-", " ").title(),
                "slug": pilot.slug,
                "type": pilot.kind,
                "task": "forecast" if pilot.kind == "service-demand-forecast" else "classification",
                "city": pilot.city,
                "country": pilot.country,
                "language": pilot.lang,
            },
        }
    )
    sections = json.loads(json.dumps(base.sections))
    if pilot.gap is None:
        sections["fairness"]["equity_gap"] = None
    else:
        ratio, low, high = pilot.gap
        sections["fairness"]["equity_gap"] = {
            "attribute": "estrato",
            "metric": "prediction_to_actual_ratio",
            "group": HIGH[pilot.lang],
            "reference_group": "bajo",
            "ratio": ratio,
            "ci_low": low,
            "ci_high": high,
            "status": "pass" if low <= 1.0 <= high else "fail",
        }
    files = dict(base.files)
    decision = {**_decision(pilot), "inputs": [record.to_dict() for record in base.inputs]}
    files["decision.json"] = (json.dumps(decision, ensure_ascii=False, indent=2) + "\n").encode()
    # decision.json is written as built here (its open items and conditions set by hand), so the
    # review carries no typed decision step of its own
    return dataclasses.replace(
        base,
        decision=None,
        config=config,
        findings=[*base.findings, *_findings(pilot)],
        sections=sections,
        files=files,
    )
