"""The crosswalk from the register entry's fields to the published transparency standards.

One row per field of ``register.json``: its path, and the field that carries the same fact in

``atrs``
    the UK Algorithmic Transparency Recording Standard (v3): ``tier1.*`` for the public overview,
    ``tier2.<section>.*`` for the specialists' record;
``nl``
    the Dutch national algorithm register's metadata standard (v0.3.1 field names);
``aia``
    Canada's Algorithmic Impact Assessment as published on the Open Government Portal (question
    names of the AIA v1.0.1 question bank, or the results page's score names).

``None`` means the standard has no field for the fact. ``docs/register.md`` prints this table
(a test keeps the two equal); ``--standard`` adds the chosen standard's view to ``register.json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["CROSSWALK", "STANDARDS", "CrosswalkRow", "Standard", "export_view", "lookup"]

Standard = Literal["atrs", "nl", "aia"]
STANDARDS: dict[str, str] = {
    "atrs": "UK Algorithmic Transparency Recording Standard 3.0",
    "nl": "Algoritmeregister metadata standard 0.3.1 (NL)",
    "aia": "Algorithmic Impact Assessment 1.0.1 publication (CA)",
}


@dataclass(frozen=True)
class CrosswalkRow:
    """Where one field of the register entry sits in each standard."""

    field: str
    atrs: str | None
    nl: str | None
    aia: str | None

    def target(self, standard: Standard) -> str | None:
        """The field name in ``standard``."""
        value: str | None = getattr(self, standard)
        return value


_R = CrosswalkRow
CROSSWALK: tuple[CrosswalkRow, ...] = (
    _R("record.id", "metadata.identifier", "uuid", None),
    _R("record.language", "metadata.language", "lang", None),
    _R("record.phase", "tier2.technical.phase", "status", "projectDetailsPhase"),
    _R("overview.name", "tier1.name", "name", "projectDetailsTitle"),
    _R("overview.description_short", "tier1.description", "description_short", None),
    _R(
        "overview.description",
        "tier2.description.detailed_description",
        "description",
        "projectDetailsDescription",
    ),
    _R("overview.city", "metadata.region", "area", None),
    _R("overview.more_information_url", "tier1.website", "website", None),
    _R(
        "accountability.organization",
        "tier2.owner.organisation",
        "organization",
        "projectDetailsDepartment",
    ),
    _R(
        "accountability.owner",
        "tier2.owner.senior_responsible_owner",
        "department",
        "ADMresponsible",
    ),
    _R("accountability.contact", "tier1.contact_email", "contact_email", None),
    _R("accountability.maintainer", "tier2.owner.team", None, None),
    _R("accountability.approver", None, None, None),
    _R("accountability.supplier", "tier2.owner.external_supplier", None, "aboutSystem3"),
    _R("purpose.intended_use", "tier2.description.scope", "goal", "businessDrivers1"),
    _R("purpose.out_of_scope", "tier2.description.scope", None, None),
    _R("purpose.problem", "tier2.description.detailed_description", "goal", None),
    _R("purpose.benefits", "tier2.description.benefits", "impact", "businessDrivers6A"),
    _R(
        "purpose.alternatives",
        "tier2.description.alternatives_considered",
        "alternatives_considered",
        "businessDrivers9",
    ),
    _R("purpose.legal_basis", None, "lawful_basis", "projectAuthority1"),
    _R("decision_process.task", "tier2.technical.models.task", "type", None),
    _R(
        "decision_process.decisions_supported",
        "tier2.decision.process_integration",
        "decision_making_process",
        None,
    ),
    _R(
        "decision_process.automation",
        "tier2.decision.human_decisions_and_review",
        "human_intervention",
        "impact30",
    ),
    _R("decision_process.significant_effect", None, "impact", None),
    _R("decision_process.profiling", None, None, None),
    _R("decision_process.territorial_allocation", "tier2.decision.frequency_and_scale", None, None),
    _R("decision_process.resident_chatbot", None, None, None),
    _R(
        "decision_process.human_oversight",
        "tier2.decision.human_decisions_and_review",
        "human_intervention",
        None,
    ),
    _R("decision_process.training", "tier2.decision.required_training", None, None),
    _R("decision_process.fallback", None, "rollback", "aboutSystem9"),
    _R("data.description", "tier2.data.data_description", "source_data", None),
    _R("data.source", "tier2.data.source_data_name", "source_data", None),
    _R("data.purpose", "tier2.data.data_collection", None, None),
    _R("data.creator", "tier2.data.data_collection", None, None),
    _R("data.records", "tier2.data.data_quantities", None, None),
    _R("data.period_start", "tier2.data.data_quantities", None, None),
    _R("data.period_end", "tier2.data.data_quantities", None, None),
    _R("data.areas", "tier2.data.data_quantities", None, None),
    _R("data.inputs", "tier2.technical.models.datasets", "training_data", None),
    _R(
        "data.known_biases",
        "tier2.data.data_completeness_and_representativeness",
        "data_bias",
        None,
    ),
    _R("data.preprocessing", "tier2.data.data_cleaning", None, None),
    _R(
        "data.representativeness",
        "tier2.data.data_completeness_and_representativeness",
        "data_bias",
        None,
    ),
    _R("data.personal_data", "tier2.data.sensitive_attributes", None, "aboutDataSource1"),
    _R("data.dpia", "tier2.risks.impact_assessment", "DPIA_description", "privacyDesign1"),
    _R("model.type", "tier2.technical.models.task", "algorithm_type", None),
    _R("model.algorithm", "tier2.technical.models.architecture", "methods_and_models", None),
    _R("model.baseline", "tier2.technical.models.performance", "performance", None),
    _R("model.lineage", "tier2.technical.models.version", None, None),
    _R("model.format", "tier2.technical.system_architecture", None, None),
    _R("model.sha256", "tier2.technical.models.version", None, None),
    _R("model.features", "tier2.technical.models.input", None, None),
    _R("model.main_drivers", "tier2.decision.provided_information", None, None),
    _R("model.performance", "tier2.technical.models.performance", "performance", None),
    _R("model.interval", "tier2.technical.models.output", "performance", None),
    _R("fairness.attributes", "tier2.data.sensitive_attributes", None, "impact18"),
    _R("fairness.summary", "tier2.risks.risks", None, "impact18"),
    _R("fairness.results", "tier2.risks.risks", None, "impact18"),
    _R("fairness.counts", "tier2.risks.risks", None, "impact18"),
    _R("risk.tier", "tier2.risks.impact_assessment", "risk_category", "Impact level"),
    _R("risk.aia", "tier2.risks.impact_assessment", "AIA_description", "Current score"),
    _R("risk.triggers", "tier2.risks.risks", "risks", None),
    _R("risk.decision", None, "status", None),
    _R("risk.decision_explanation", None, "proportionality", None),
    _R("risk.conditions", "tier2.risks.risks.mitigation", "risks", None),
    _R("risk.impact_assessments", "tier2.risks.impact_assessment", "AIA_url", None),
    _R(
        "recourse.procedure",
        "tier2.decision.appeals_and_review",
        "objection_procedure",
        "fairnessDesign13A",
    ),
    _R("recourse.contact", "tier1.contact_email", "contact_email", None),
    _R("review.date", "metadata.date_published", "last_change_date", None),
    _R("review.next_review", "tier2.technical.maintenance", "revision_date", None),
    _R("review.monitoring", "tier2.technical.maintenance", "monitoring", None),
    _R("review.change_management", "tier2.technical.maintenance", "revision_note", None),
    _R("review.manifest_sha256", None, None, None),
    _R("review.auditkit_version", None, "standard_version", None),
)


def lookup(entry: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` of the entry, or None."""
    value: Any = entry
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def export_view(entry: Mapping[str, Any], standard: Standard) -> dict[str, Any]:
    """The entry's known facts under ``standard``'s field names.

    Several of our fields can feed one field of the standard: their values are listed under it
    in crosswalk order, each with the field it comes from.
    """
    fields: dict[str, list[dict[str, Any]]] = {}
    for row in CROSSWALK:
        target = row.target(standard)
        value = lookup(entry, row.field)
        if target is None or value is None or value == [] or value == {}:
            continue
        fields.setdefault(target, []).append({"from": row.field, "value": value})
    return {"standard": standard, "title": STANDARDS[standard], "fields": fields}
