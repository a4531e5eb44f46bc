"""The registry of automatic checks.

Every finding names the check that produced it. Playbook items whose ``check`` is ``auto`` bind to
one of these names, and a test proves each binding exists. A check's default playbook item is the
one its findings carry.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CHECKS", "CheckInfo"]


@dataclass(frozen=True)
class CheckInfo:
    """What a registered check is about."""

    area: str
    item: str
    summary: str


# Checks implemented in other areas register here too; ids are fixed so playbooks can bind to them.
CHECKS: dict[str, CheckInfo] = {
    "fairness.group_coverage": CheckInfo(
        area="fairness",
        item="FAI-01",
        summary="Every group of every equity attribute is large enough to be measured; "
        "missing demographic values are reported as their own group.",
    ),
    "fairness.disparity": CheckInfo(
        area="fairness",
        item="FAI-02",
        summary="Each group's metric is within the tolerance band of the reference group.",
    ),
    "fairness.intersectional": CheckInfo(
        area="fairness",
        item="FAI-03",
        summary="Disparities between intersections of the equity attributes are within the band.",
    ),
    "fairness.segments": CheckInfo(
        area="fairness",
        item="FAI-02",
        summary="Segments the model serves on purpose (data.segments, e.g. the service category) "
        "get performance by segment, reported and never judged as fairness.",
    ),
    "fairness.proxy_features": CheckInfo(
        area="fairness",
        item="FAI-04",
        summary="No input feature stands in for an equity attribute while carrying much of the "
        "model's attribution.",
    ),
    "performance.baseline_skill": CheckInfo(
        area="performance",
        item="VAL-01",
        summary="The model beats a transparent baseline (e.g. seasonal naive) overall and in "
        "every group.",
    ),
    "performance.calibration": CheckInfo(
        area="performance",
        item="VAL-02",
        summary="A classifier's scores are calibrated: the expected calibration error is within "
        "what perfectly calibrated scores would show on the same cases (data.y_score).",
    ),
    "performance.interval_coverage": CheckInfo(
        area="performance",
        item="VAL-02",
        summary="Prediction intervals cover the observed values at their nominal rate.",
    ),
    "data.leakage": CheckInfo(
        area="data",
        item="VAL-03",
        summary="Training and evaluation windows do not overlap and no feature uses records "
        "later than the prediction time.",
    ),
    "data.representativeness": CheckInfo(
        area="data",
        item="DAT-03",
        summary="Reporting rates per resident do not fall markedly in the most marginalised zones.",
    ),
    "data.quality": CheckInfo(
        area="data",
        item="DAT-04",
        summary="Missing values, duplicates, invalid categories and gaps are within thresholds.",
    ),
    "data.freshness": CheckInfo(
        area="data",
        item="DAT-05",
        summary="The latest record is recent enough for the intended use.",
    ),
    "privacy.personal_data": CheckInfo(
        area="data",
        item="LEG-04",
        summary="No personal data (identifiers, contacts, names, addresses, precise "
        "coordinates) in the reviewed tables and artefacts, or it is declared and justified.",
    ),
    "privacy.small_cells": CheckInfo(
        area="data",
        item="LEG-05",
        summary="Counts and rates over fewer than k people are suppressed in every public output.",
    ),
    "explain.global_importance": CheckInfo(
        area="explain",
        item="EXP-01",
        summary="The main drivers of the model are known, with uncertainty.",
    ),
    "explain.group_drivers": CheckInfo(
        area="explain",
        item="EXP-02",
        summary="Drivers are compared between groups of each equity attribute.",
    ),
    "explain.reason_codes": CheckInfo(
        area="explain",
        item="EXP-03",
        summary="Any single prediction can be explained by its top reasons.",
    ),
    "risk.prohibited_use": CheckInfo(
        area="risk",
        item="INT-01",
        summary="No answer of the impact questionnaire names a prohibited use.",
    ),
    "risk.classification": CheckInfo(
        area="risk",
        item="INT-02",
        summary="Every classification question (high-risk triggers) is answered; the tier floors "
        "they imply are applied.",
    ),
    "risk.impact_assessment": CheckInfo(
        area="risk",
        item="INT-03",
        summary="The impact questionnaire (Canada's AIA v1.0.1) is answered and scored.",
    ),
    # The two below serve every artefact and human item: their findings carry the item they are
    # about, so their registered item is the wildcard "*" (no playbook item can bind to them).
    "risk.evidence": CheckInfo(
        area="risk",
        item="*",
        summary="An artefact item's evidence file or link exists and is not empty.",
    ),
    "risk.attestation": CheckInfo(
        area="risk",
        item="*",
        summary="A human item is attested by a named person, with evidence.",
    ),
}
