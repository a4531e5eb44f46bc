"""Build the register entry (``register.json``) from a review bundle and the pilot's documents.

Every field is either a fact read from the bundle (``findings.json``, ``decision.json``,
``manifest.json``), from the pilot's model card or datasheet, or from a checklist item's
attestation or evidence; or it is ``null`` and listed under ``missing`` with the playbook item
that would supply it. Nothing is invented: a sentence written here (the description, the
fairness summary) only puts facts of the bundle into words. ``provenance`` names the source of
every filled field.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from auditkit.register._bundle import Bundle
from auditkit.register._crosswalk import Standard, export_view
from auditkit.register._facts import (
    fairness_block,
    finding,
    input_role,
    item_fact,
    item_states,
    municipal_answer,
)
from auditkit.register._missing import count_filled, missing_fields
from auditkit.register._pilot import PilotDocs

__all__ = ["REGISTER_SCHEMA", "RegisterEntry", "build_entry"]

REGISTER_SCHEMA = "auditkit.register/1"
# the random namespace of auditkit register ids: the same pilot gets the same id every time
_NAMESPACE = uuid.UUID("6f1c2a52-5b7e-4c1e-9d0a-3c8f7f2b9e41")
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


@dataclass(frozen=True)
class RegisterEntry:
    """The register entry and what the notice needs beside it."""

    document: dict[str, Any]
    lang: str
    country: str | None

    @property
    def filled(self) -> int:
        """How many fields hold a fact."""
        return int(self.document["filled"])


def _describe(
    lang: str, task: str | None, organization: str | None, city: str | None, detail: str | None
) -> tuple[str | None, str | None]:
    """A short and a longer description, put together from the bundle's facts."""
    from auditkit.i18n import translate

    if task is None:
        return None, None
    who = organization or city
    short = translate(f"register.describe.{task}", lang, who=who or "—")
    long = short
    if detail:
        long = f"{short} {detail[0].upper()}{detail[1:].rstrip('.')}."
    return short[:150], long


def build_entry(
    bundle: Bundle,
    docs: PilotDocs,
    *,
    lang: str,
    standard: Standard,
    generated: str,
) -> RegisterEntry:
    """Put the register entry together.

    Parameters
    ----------
    bundle : Bundle
        The review bundle (:func:`auditkit.register.read_bundle`).
    docs : PilotDocs
        The pilot's model card and datasheet; empty when no pilot folder is known.
    lang : Language
        Language of the texts written here (texts copied from the pilot stay in its language).
    standard : {"atrs", "nl", "aia"}
        The standard whose field names are added under ``export``.
    generated : str
        ISO date the entry is written.
    """
    from auditkit.i18n import translate

    pilot = bundle.pilot
    items = item_states(bundle)
    findings = bundle.findings
    decision = bundle.decision
    provenance: dict[str, str] = {}

    def doc(name: str, path: str) -> str | None:
        value = docs.get(name)
        if value is not None:
            provenance[path] = docs.sources.get(name, "docs")
        return value

    def item(item_id: str, path: str) -> str | None:
        value = item_fact(items.get(item_id))
        if value is not None:
            provenance[path] = f"decision.json#items/{item_id}"
        return value

    def from_bundle(path: str, source: str, value: Any) -> Any:
        if value is not None and value != [] and value != {}:
            provenance[path] = source
            return value
        return None

    name = from_bundle("overview.name", "findings.json#pilot", pilot.get("name"))
    city = from_bundle("overview.city", "findings.json#pilot", pilot.get("city"))
    country = pilot.get("country")
    task = pilot.get("task")
    organization = doc("data_creator", "accountability.organization") or doc(
        "owner", "accountability.organization"
    )
    same_language = pilot.get("language") == lang
    short, long = _describe(
        lang, task, organization, city, docs.get("model_type") if same_language else None
    )
    if short is not None:
        provenance["overview.description_short"] = "findings.json#pilot"
        provenance["overview.description"] = "findings.json#pilot" + (
            f" + {docs.sources['model_type']}"
            if same_language and "model_type" in docs.sources
            else ""
        )

    manifest = bundle.manifest
    reviewed = str(manifest.get("created", ""))[:10] or None
    data_section = findings.get("data") or {}
    quality = data_section.get("quality") or {}
    personal = data_section.get("personal_data") or {}
    raw = input_role(bundle, "raw records")
    zones = input_role(bundle, "zones")
    inputs = [
        {
            "role": i.get("role"),
            "path": i.get("path"),
            "rows": i.get("rows"),
            "sha256": i.get("sha256"),
        }
        for i in manifest.get("inputs") or []
        if isinstance(i, dict)
    ]
    leg04 = finding(bundle, "privacy.personal_data")
    personal_data = None
    if leg04 is not None or personal:
        personal_data = {
            "scanned": bool(personal.get("scanned", leg04 is not None)),
            "status": leg04.get("status") if leg04 else None,
            "columns_found": (leg04.get("params") or {}).get("columns") if leg04 else None,
            "files": len(personal.get("files") or []),
            "declared_description": doc("personal_data", "data.personal_data"),
        }
        provenance["data.personal_data"] = "findings.json#data.personal_data"
    representativeness = None
    dat03 = finding(bundle, "data.representativeness")
    if dat03 is not None:
        params = dat03.get("params") or {}
        representativeness = {
            "status": dat03.get("status"),
            "lowest_group": params.get("stratum"),
            "ratio": params.get("ratio"),
            "ci_low": params.get("ci_low"),
            "ci_high": params.get("ci_high"),
            "min_ratio": params.get("min_ratio"),
            "per": params.get("per"),
        }
        provenance["data.representativeness"] = "findings.json#findings/data.representativeness"

    explain = findings.get("explain") or {}
    model_info = explain.get("model") or {}
    importance = explain.get("global_importance") or []
    val01 = finding(bundle, "performance.baseline_skill")
    performance = None
    if val01 is not None:
        params = val01.get("params") or {}
        performance = {
            "metric": "mean_absolute_error" if task != "classification" else "error_rate",
            "model_error": params.get("model_error"),
            "baseline_error": params.get("baseline_error"),
            "skill": params.get("skill"),
            "min_skill": params.get("min_skill"),
            "status": val01.get("status"),
        }
        provenance["model.performance"] = "findings.json#findings/performance.baseline_skill"
    val02 = finding(bundle, "performance.interval_coverage")
    interval = None
    if val02 is not None:
        params = val02.get("params") or {}
        interval = {
            "coverage": params.get("coverage"),
            "level": params.get("level"),
            "status": val02.get("status"),
        }
        provenance["model.interval"] = "findings.json#findings/performance.interval_coverage"

    fairness = fairness_block(bundle, lang)
    for key in ("attributes", "results", "counts", "summary"):
        if fairness.get(key) is not None:
            provenance[f"fairness.{key}"] = "findings.json#findings (fairness)"

    tier = decision.get("tier") or {}
    questionnaire = decision.get("questionnaire") or {}
    aia = questionnaire.get("aia") or {}
    aia_block = None
    if questionnaire.get("aia_answered"):
        aia_block = {
            "version": aia.get("aia_version"),
            "raw_score": aia.get("raw_score"),
            "max_raw_score": aia.get("max_raw_score"),
            "mitigation_score": aia.get("mitigation_score"),
            "total_score": aia.get("total_score"),
            "level": aia.get("level"),
        }
        provenance["risk.aia"] = "decision.json#questionnaire.aia"
    conditions = [
        {
            "item": c.get("item"),
            "title": c.get("title"),
            "status": c.get("status"),
            "blocking": c.get("blocking"),
            "owner": c.get("owner"),
            "due": c.get("due"),
        }
        for c in decision.get("conditions") or []
        if isinstance(c, dict)
    ]
    impact = [
        {"item": key, "evidence": value}
        for key in ("LEG-02", "LEG-07")
        if (value := item_fact(items.get(key)))
    ]
    if impact:
        provenance["risk.impact_assessments"] = "decision.json#items"
    answered = {
        path: from_bundle(
            path, "decision.json#questionnaire.municipal." + q, municipal_answer(bundle, q)
        )
        for path, q in (
            ("decision_process.automation", "auto_action"),
            ("decision_process.significant_effect", "significant_effect"),
            ("decision_process.profiling", "profiling"),
            ("decision_process.territorial_allocation", "territorial_allocation"),
            ("decision_process.resident_chatbot", "resident_chatbot"),
        )
    }
    next_review = None
    eva03 = items.get("EVA-03")
    fact = item_fact(eva03)
    if fact and (match := _ISO_DATE.search(fact)):
        next_review = match.group(1)
        provenance["review.next_review"] = "decision.json#items/EVA-03"

    contact = doc("contact", "accountability.contact")
    entry: dict[str, Any] = {
        "schema": REGISTER_SCHEMA,
        "language": lang,
        "text_language": pilot.get("language") if docs.fields else None,
        "standard": standard,
        "record": {
            "id": str(uuid.uuid5(_NAMESPACE, f"{country}|{city}|{name}")),
            "standard_version": REGISTER_SCHEMA,
            "language": lang,
            "phase": "pre_deployment_review",
            "generated": generated,
        },
        "overview": {
            "name": name,
            "description_short": short,
            "description": long,
            "city": city,
            "country": from_bundle("overview.country", "findings.json#pilot", country),
            "more_information_url": None,
        },
        "accountability": {
            "organization": organization,
            "owner": doc("owner", "accountability.owner"),
            "contact": contact,
            "maintainer": doc("maintainer", "accountability.maintainer"),
            "approver": item("GOV-05", "accountability.approver"),
            "supplier": item("TPP-01", "accountability.supplier"),
        },
        "purpose": {
            "intended_use": doc("intended_use", "purpose.intended_use"),
            "out_of_scope": doc("out_of_scope", "purpose.out_of_scope"),
            "problem": item("PUR-01", "purpose.problem"),
            "benefits": item("PUR-03", "purpose.benefits"),
            "alternatives": item("PUR-02", "purpose.alternatives"),
            "legal_basis": item("LEG-01", "purpose.legal_basis"),
        },
        "decision_process": {
            "task": from_bundle("decision_process.task", "findings.json#pilot", task),
            "decisions_supported": doc("intended_use", "decision_process.decisions_supported"),
            **{path.split(".", 1)[1]: value for path, value in answered.items()},
            "human_oversight": item("HUM-01", "decision_process.human_oversight"),
            "training": item("GOV-03", "decision_process.training"),
            "fallback": item("OPS-03", "decision_process.fallback"),
        },
        "data": {
            "description": doc("data_rows", "data.description"),
            "source": doc("data_source", "data.source"),
            "purpose": doc("data_purpose", "data.purpose"),
            "creator": doc("data_creator", "data.creator"),
            "records": from_bundle(
                "data.records", "manifest.json#inputs", raw.get("rows") if raw else None
            ),
            "period_start": from_bundle(
                "data.period_start", "findings.json#data.quality", quality.get("first_day")
            ),
            "period_end": from_bundle(
                "data.period_end", "findings.json#data.quality", quality.get("last_day")
            ),
            "areas": from_bundle(
                "data.areas", "manifest.json#inputs", zones.get("rows") if zones else None
            ),
            "inputs": from_bundle("data.inputs", "manifest.json#inputs", inputs),
            "known_biases": doc("known_biases", "data.known_biases"),
            "preprocessing": doc("preprocessing", "data.preprocessing"),
            "representativeness": representativeness,
            "personal_data": personal_data,
            "dpia": item("LEG-02", "data.dpia"),
        },
        "model": {
            "type": doc("model_type", "model.type"),
            "algorithm": doc("algorithm", "model.algorithm"),
            "baseline": doc("baseline", "model.baseline"),
            "lineage": doc("lineage", "model.lineage"),
            "format": from_bundle(
                "model.format", "findings.json#explain.model", model_info.get("format")
            ),
            "sha256": from_bundle(
                "model.sha256", "findings.json#explain.model", model_info.get("sha256")
            ),
            "features": from_bundle(
                "model.features", "findings.json#explain", explain.get("features")
            ),
            "main_drivers": from_bundle(
                "model.main_drivers",
                "findings.json#explain.global_importance",
                [
                    {"feature": i.get("feature"), "share": i.get("share")}
                    for i in importance[:5]
                    if isinstance(i, dict)
                ],
            ),
            "performance": performance,
            "interval": interval,
        },
        "fairness": {
            "attributes": fairness.get("attributes"),
            "metrics": fairness.get("metrics"),
            "band": fairness.get("band"),
            "min_group_size": fairness.get("min_group_size"),
            "summary": fairness.get("summary"),
            "results": fairness.get("results"),
            "counts": fairness.get("counts"),
        },
        "risk": {
            "tier": from_bundle("risk.tier", "decision.json#tier", tier.get("tier")),
            "tier_roman": tier.get("tier_roman"),
            "aia": aia_block,
            "triggers": from_bundle(
                "risk.triggers",
                "decision.json#questionnaire.triggers",
                questionnaire.get("triggers"),
            ),
            "decision": from_bundle(
                "risk.decision", "decision.json#decision", decision.get("decision")
            ),
            "decision_label": translate(f"risk.decision.{decision.get('decision')}", lang),
            "decision_explanation": from_bundle(
                "risk.decision_explanation",
                "decision.json#explanation",
                decision.get("explanation") if decision.get("language") == lang else None,
            ),
            "conditions": from_bundle("risk.conditions", "decision.json#conditions", conditions),
            "playbook": decision.get("playbook"),
            "impact_assessments": impact or None,
        },
        "recourse": {
            "procedure": item("HUM-03", "recourse.procedure"),
            "contact": contact,
        },
        "review": {
            "date": from_bundle("review.date", "manifest.json#created", reviewed),
            "auditkit_version": from_bundle(
                "review.auditkit_version",
                "manifest.json#auditkit_version",
                manifest.get("auditkit_version"),
            ),
            "manifest_sha256": from_bundle(
                "review.manifest_sha256", "manifest.json", bundle.digests.get("manifest.json")
            ),
            "findings_sha256": bundle.digests.get("findings.json"),
            "decision_sha256": bundle.digests.get("decision.json"),
            "verified": True,
            "next_review": next_review,
            "monitoring": item("OPS-02", "review.monitoring"),
            "change_management": item("OPS-05", "review.change_management"),
        },
    }
    if contact is not None:
        provenance["recourse.contact"] = provenance["accountability.contact"]
    if entry["risk"]["decision_explanation"] is None and decision.get("explanation"):
        # the review's explanation is in its own language: keep it, say which
        entry["risk"]["decision_explanation"] = decision.get("explanation")
        provenance["risk.decision_explanation"] = (
            f"decision.json#explanation ({decision.get('language')})"
        )
    titles = {str(k): str(v.get("title")) for k, v in items.items()}
    entry["missing"] = missing_fields(entry, titles)
    entry["provenance"] = dict(sorted(provenance.items()))
    entry["filled"] = count_filled(entry)
    entry["export"] = export_view(entry, standard)
    return RegisterEntry(document=entry, lang=lang, country=country)
