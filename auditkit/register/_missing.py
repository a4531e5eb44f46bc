"""How complete a register entry is: the fields that hold a fact, and who supplies the rest.

:data:`SUPPLIED_BY` maps every field the bundle may not know to the playbook item whose evidence
or attestation supplies it; :func:`missing_fields` lists the unknown ones with the item's title.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["SECTIONS", "SUPPLIED_BY", "count_filled", "missing_fields"]

# field -> playbook item that supplies it when the bundle does not know it
SUPPLIED_BY: dict[str, str] = {
    "overview.more_information_url": "EXP-05",
    "accountability.owner": "GOV-01",
    "accountability.contact": "GOV-01",
    "accountability.maintainer": "GOV-02",
    "accountability.approver": "GOV-05",
    "accountability.supplier": "TPP-01",
    "purpose.intended_use": "PUR-01",
    "purpose.out_of_scope": "PUR-05",
    "purpose.problem": "PUR-01",
    "purpose.benefits": "PUR-03",
    "purpose.alternatives": "PUR-02",
    "purpose.legal_basis": "LEG-01",
    "decision_process.automation": "INT-06",
    "decision_process.significant_effect": "INT-02",
    "decision_process.profiling": "INT-02",
    "decision_process.territorial_allocation": "INT-02",
    "decision_process.resident_chatbot": "INT-02",
    "decision_process.human_oversight": "HUM-01",
    "decision_process.training": "GOV-03",
    "decision_process.fallback": "OPS-03",
    "data.description": "DAT-01",
    "data.source": "DAT-01",
    "data.purpose": "DAT-01",
    "data.creator": "DAT-01",
    "data.records": "DAT-04",
    "data.period_start": "DAT-04",
    "data.period_end": "DAT-04",
    "data.areas": "DAT-03",
    "data.known_biases": "DAT-06",
    "data.preprocessing": "DAT-07",
    "data.representativeness": "DAT-03",
    "data.personal_data": "LEG-04",
    "data.dpia": "LEG-02",
    "model.type": "VAL-04",
    "model.algorithm": "VAL-04",
    "model.baseline": "VAL-04",
    "model.lineage": "VAL-06",
    "model.format": "EXP-01",
    "model.sha256": "EXP-01",
    "model.features": "EXP-01",
    "model.main_drivers": "EXP-01",
    "model.performance": "VAL-01",
    "model.interval": "VAL-02",
    "fairness.attributes": "FAI-05",
    "fairness.summary": "FAI-02",
    "fairness.results": "FAI-02",
    "fairness.counts": "FAI-02",
    "risk.aia": "INT-03",
    "risk.impact_assessments": "LEG-02",
    "recourse.procedure": "HUM-03",
    "recourse.contact": "GOV-01",
    "review.next_review": "EVA-03",
    "review.monitoring": "OPS-02",
    "review.change_management": "OPS-05",
}

SECTIONS = (
    "overview",
    "accountability",
    "purpose",
    "decision_process",
    "data",
    "model",
    "fairness",
    "risk",
    "recourse",
    "review",
)


def count_filled(entry: Mapping[str, Any]) -> int:
    """Fields of the entry's sections that hold a fact (a value that is not null or empty).

    >>> count_filled({"overview": {"name": "x", "url": None}, "risk": {"tier": 1}})
    2
    """
    return sum(
        1
        for section in SECTIONS
        for value in (entry.get(section) or {}).values()
        if value is not None and value != [] and value != {}
    )


def missing_fields(entry: Mapping[str, Any], titles: Mapping[str, str]) -> list[dict[str, Any]]:
    """Every field of :data:`SUPPLIED_BY` that is null, with its item and the item's title."""
    missing = []
    for path, item_id in SUPPLIED_BY.items():
        section, key = path.split(".", 1)
        if (entry.get(section) or {}).get(key) is None:
            missing.append({"field": path, "item": item_id, "title": titles.get(item_id)})
    return missing
