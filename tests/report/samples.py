"""A synthetic review with every section filled, built by hand (no area code involved)."""

from __future__ import annotations

import dataclasses
from typing import Any

from auditkit._config import AuditConfig
from auditkit._findings import Finding
from auditkit.fairness._core import METRIC_ROW_KEYS
from auditkit.review import InputRecord, Review
from auditkit.risk import DecisionStep
from auditkit.risk._review import run_risk


def _row(
    attribute: str,
    group: str,
    metric: str,
    value: float | None,
    n: int,
    ref: str,
    ratio: float | None,
    ci: tuple[float, float] | None,
    status: str,
) -> dict[str, Any]:
    suppressed = n < 10
    row = dict.fromkeys(METRIC_ROW_KEYS)
    row.update(
        area="fairness",
        attribute=attribute,
        group=group,
        metric=metric,
        reference_group=ref,
        status=status,
        suppressed=suppressed,
    )
    if not suppressed:
        row.update(
            value=value,
            n=n,
            ratio=ratio,
            ci_low=value * 0.9 if value else None,
            ci_high=value * 1.1 if value else None,
            ratio_ci_low=ci[0] if ci else None,
            ratio_ci_high=ci[1] if ci else None,
        )
    return row


# Group "Tlaquepaque" has 7 rows: below min_cell, must never show its numbers.
SUPPRESSED_GROUP = "Tlaquepaque"
SUPPRESSED_VALUE = 0.123456

METRICS = [
    _row("zone", "Centro", "under_prediction_rate", 0.20, 900, "Centro", 1.0, (1.0, 1.0), "pass"),
    _row(
        "zone", "Oblatos", "under_prediction_rate", 0.31, 400, "Centro", 1.55, (1.32, 1.81), "fail"
    ),
    _row(
        "zone",
        "Providencia",
        "under_prediction_rate",
        0.21,
        350,
        "Centro",
        1.05,
        (0.9, 1.22),
        "pass",
    ),
    _row(
        "zone", "Huentitán", "under_prediction_rate", 0.26, 120, "Centro", 1.3, (1.1, 1.6), "warn"
    ),
    _row(
        "zone",
        SUPPRESSED_GROUP,
        "under_prediction_rate",
        SUPPRESSED_VALUE,
        7,
        "Centro",
        0.61,
        (0.3, 1.1),
        "insufficient_data",
    ),
    _row(
        "channel",
        "whatsapp",
        "under_prediction_rate",
        0.22,
        800,
        "whatsapp",
        1.0,
        (1.0, 1.0),
        "pass",
    ),
    _row(
        "channel",
        "phone",
        "under_prediction_rate",
        0.19,
        600,
        "whatsapp",
        0.86,
        (0.8, 0.95),
        "pass",
    ),
]

FINDINGS = [
    Finding(
        id="fairness.disparity.zone.under_prediction_rate",
        check="fairness.disparity",
        item="FAI-02",
        area="fairness",
        status="fail",
        severity="high",
        message="fairness.disparity.fail",
        params={
            "attribute": "zone",
            "metric": "under_prediction_rate",
            "groups_fail": 1,
            "worst_group": "Oblatos",
            "worst_ratio": 1.55,
            "band_low": 0.8,
            "band_high": 1.25,
            "reference_group": "Centro",
            "worst_ratio_ci_low": 1.32,
            "worst_ratio_ci_high": 1.81,
        },
        evidence=("findings.json#metrics", "attribute=zone"),
    ),
    Finding(
        id="privacy.small_cells.zone",
        check="privacy.small_cells",
        item="LEG-05",
        area="data",
        status="pass",
        severity="info",
        message="privacy.small_cells.pass",
        params={"min_cell": 10},
        evidence=("report.html",),
    ),
    Finding(
        id="explain.global_importance",
        check="explain.global_importance",
        item="EXP-01",
        area="explain",
        status="warn",
        severity="medium",
        message="explain.global_importance.warn",
        params={"top_feature": "lag_1"},
        evidence=("figures/shap_bar.png",),
    ),
]


def sample_decision(config: AuditConfig, code: str) -> DecisionStep:
    """A real decision step over ``FINDINGS`` (bundled playbook), its outcome set to ``code``."""
    decision, playbook, findings = run_risk(config, list(FINDINGS))
    return DecisionStep(
        decision=dataclasses.replace(decision, decision=code),  # type: ignore[arg-type]
        playbook=playbook,
        findings=findings,
    )


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
)


def sample_review(
    lang: str = "es",
    *,
    decision: bool = True,
    country: str | None = "MX",
    city: str = "Guadalajara",
    pilot: str = "Demanda de servicios",
    decision_code: str = "go-with-conditions",
    worst_ratio: float = 1.55,
) -> Review:
    """A forecasting review of a Guadalajara pilot with every section present.

    ``worst_ratio`` replaces Oblatos' ratio (1.55 by default), the worst judged disparity.
    """
    config = AuditConfig.model_validate(
        {
            "pilot": {
                "name": pilot,
                "task": "forecast",
                "city": city,
                "country": country,
                "language": lang,
            },
            "data": {
                "predictions": "predictions.csv",
                "y_true": "y",
                "y_pred": "yhat",
                "groups": ["zone", "channel"],
            },
            "risk": {
                "conditions": {
                    "FAI-02": {"owner": "Dirección de Servicios Públicos", "due": "2026-06-30"}
                }
            },
        }
    )
    sections: dict[str, Any] = {
        "fairness": {
            "task": "forecast",
            "metrics": ["under_prediction_rate"],
            "band": [0.8, 1.25],
            "min_group_size": 30,
            "min_cell": 10,
            "bootstrap": 200,
            "confidence": 0.95,
            "rows": 12345,
            "attributes": [
                {
                    "attribute": "zone",
                    "attributes": ["zone"],
                    "reference_group": "Centro",
                    "reference_note": None,
                    "groups": [],
                },
                {
                    "attribute": "channel",
                    "attributes": ["channel"],
                    "reference_group": "whatsapp",
                    "reference_note": None,
                    "groups": [],
                },
            ],
        },
    }
    if decision:
        sections["decision"] = {
            "decision": decision_code,
            "tier": 3,
            "tier_roman": "III",
            "conditions": [{"item": "FAI-02"}],
        }
    metrics = [dict(row) for row in METRICS]
    files = {"figures/shap_bar.png": PNG_1PX}
    step = sample_decision(config, decision_code) if decision else None
    metrics[1]["ratio"] = worst_ratio
    return Review(
        config=config,
        findings=list(FINDINGS),
        metrics=metrics,
        sections=sections,
        files=files,
        inputs=[
            InputRecord(role="predictions", path="predictions.csv", sha256="ab" * 32, rows=12345)
        ],
        lang=lang,
        decision=step,
    )
