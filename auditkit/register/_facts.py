"""Facts of a review bundle, read the way the register entry needs them.

Small readers over ``findings.json``, ``decision.json`` and ``manifest.json``: a finding by id, a
checklist item's settled fact (its attestation note, else its evidence), an input by role, an
answer of the municipal questionnaire, and the fairness results with a summary in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditkit.register._bundle import Bundle

__all__ = [
    "fairness_block",
    "finding",
    "input_role",
    "item_fact",
    "item_states",
    "municipal_answer",
    "suppressed_groups",
]


def item_states(bundle: Bundle) -> dict[str, dict[str, Any]]:
    """The checklist items of ``decision.json`` by id."""
    items = bundle.decision.get("items")
    if not isinstance(items, list):
        return {}
    return {str(i.get("id")): i for i in items if isinstance(i, dict)}


def item_fact(item: Mapping[str, Any] | None) -> str | None:
    """What a settled checklist item says: its attestation note, else its evidence."""
    if not item or item.get("status") != "pass":
        return None
    attestation = item.get("attestation") or {}
    note = attestation.get("note") if isinstance(attestation, dict) else None
    if isinstance(note, str) and note.strip():
        return note.strip()
    refs = [e.get("ref") for e in item.get("evidence") or [] if isinstance(e, dict)]
    found = [str(r) for r in refs if r]
    return "; ".join(found) or None


def finding(bundle: Bundle, finding_id: str) -> dict[str, Any] | None:
    """The finding with ``finding_id``, or None."""
    return next((f for f in bundle.finding_list() if f.get("id") == finding_id), None)


def input_role(bundle: Bundle, role: str) -> dict[str, Any] | None:
    """The manifest's record of the input with ``role`` (``"raw records"``, ...), or None."""
    inputs = bundle.manifest.get("inputs")
    if not isinstance(inputs, list):
        return None
    return next((i for i in inputs if isinstance(i, dict) and i.get("role") == role), None)


def municipal_answer(bundle: Bundle, question: str) -> str | None:
    """The answer to a municipal classification question, or None when unanswered."""
    questionnaire = bundle.decision.get("questionnaire") or {}
    municipal = questionnaire.get("municipal") if isinstance(questionnaire, dict) else None
    if not isinstance(municipal, dict) or question not in municipal:
        return None
    value = municipal[question]
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or None
    return None if value is None else str(value)


def suppressed_groups(bundle: Bundle) -> set[tuple[Any, Any]]:
    """(attribute, group) pairs whose metric rows the review suppressed as small cells."""
    rows = bundle.findings.get("metrics")
    if not isinstance(rows, list):
        return set()
    return {
        (row.get("attribute"), row.get("group"))
        for row in rows
        if isinstance(row, dict) and row.get("suppressed")
    }


def fairness_block(bundle: Bundle, lang: str) -> dict[str, Any]:
    """Groups, every disparity result, their counts and a summary in ``lang``."""
    from auditkit.i18n import translate

    section = bundle.findings.get("fairness") or {}
    attributes = [
        {
            "attribute": a.get("attribute"),
            "reference_group": a.get("reference_group"),
            "groups": len(a.get("groups") or []),
        }
        for a in section.get("attributes") or []
        if isinstance(a, dict)
    ]
    small = suppressed_groups(bundle)
    results: list[dict[str, Any]] = []
    counts = {"pass": 0, "warn": 0, "fail": 0, "insufficient_data": 0}
    for finding in bundle.finding_list():
        if finding.get("check") not in ("fairness.disparity", "fairness.intersectional"):
            continue
        params = finding.get("params") or {}
        status = str(finding.get("status"))
        counts[status] = counts.get(status, 0) + 1
        attribute = params.get("attribute")
        hidden = (attribute, params.get("worst_group")) in small or (
            attribute,
            params.get("reference_group"),
        ) in small
        results.append(
            {
                "attribute": attribute,
                "metric": params.get("metric"),
                "status": status,
                "reference_group": params.get("reference_group"),
                # a small cell's group and value are withheld, as in the review's reports
                "worst_group": None if hidden else params.get("worst_group"),
                "worst_ratio": None if hidden else params.get("worst_ratio"),
                "worst_ratio_ci_low": None if hidden else params.get("worst_ratio_ci_low"),
                "worst_ratio_ci_high": None if hidden else params.get("worst_ratio_ci_high"),
                "suppressed": hidden,
            }
        )
    if not results:
        return {"attributes": attributes or None, "results": None, "counts": None, "summary": None}
    band = section.get("band") or [0.8, 1.25]
    shown = [r for r in results if not r["suppressed"]]
    worst = [r for r in shown if r["status"] == "fail"] or [
        r for r in shown if r["status"] == "warn"
    ]
    summary = translate(
        "register.fairness.summary",
        lang,
        total=len(results),
        passed=counts["pass"],
        warned=counts["warn"],
        failed=counts["fail"],
        low=band[0],
        high=band[1],
    )
    if worst:
        top = max(worst, key=lambda r: abs((r["worst_ratio"] or 1.0) - 1.0))
        summary += " " + translate(
            "register.fairness.worst",
            lang,
            group=top["worst_group"],
            attribute=top["attribute"],
            metric=translate(f"metric.{top['metric']}", lang),
            ratio=round(float(top["worst_ratio"] or 0.0), 2),
            reference=top["reference_group"],
        )
    return {
        "attributes": attributes or None,
        "metrics": section.get("metrics"),
        "band": band,
        "min_group_size": section.get("min_group_size"),
        "results": results,
        "counts": counts,
        "summary": summary,
    }
