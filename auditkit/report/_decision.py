"""The decision rendered: ``decision.json`` and the view model of the reports, in one language.

Both are built from the typed :class:`~auditkit.risk.DecisionStep` stored on the review.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditkit.i18n import translate
from auditkit.report._format import STATUS_ICONS
from auditkit.risk import DECISION_SCHEMA, load_municipal_questions, roman

if TYPE_CHECKING:
    from auditkit._area import InputRecord
    from auditkit.risk import DecisionStep

__all__ = ["decision_document", "decision_view"]


def decision_document(
    step: DecisionStep, lang: str, *, inputs: list[InputRecord] | None = None
) -> dict[str, Any]:
    """The content of ``decision.json``: every rule, every item, every condition, in ``lang``.

    ``inputs``, when given, are the files the review read (as in ``findings.json``).
    """
    decision, playbook = step.decision, step.playbook
    titles = {i.id: i.title.get(lang) for i in playbook.items}
    rules = []
    for order, rule in enumerate(decision.rules, start=1):
        params = _readable({**rule.params, "items": ", ".join(rule.items)}, lang)
        rules.append(
            {
                "order": order,
                "rule": rule.name,
                "outcome": rule.outcome,
                "fired": rule.fired,
                "decisive": rule is decision.deciding_rule,
                "items": list(rule.items),
                "explanation": _rule_text(rule.name, params, lang, fired=rule.fired),
            }
        )
    deciding = decision.deciding_rule
    document: dict[str, Any] = {
        "schema": DECISION_SCHEMA,
        "language": lang,
        "decision": decision.decision,
        "label": translate(f"risk.decision.{decision.decision}", lang),
        "explanation": _rule_text(
            deciding.name,
            _readable({**deciding.params, "items": ", ".join(deciding.items)}, lang),
            lang,
        ),
        "tier": {
            **decision.tier.to_dict(),
            "label": translate("risk.tier", lang, tier=roman(decision.tier.tier)),
        },
        "tier_status": decision.tier_status,
        "tier_outlook": _outlook_document(step, lang),
        "questionnaire": decision.assessment.to_dict(),
        "rules": rules,
        "conditions": [{**c.to_dict(), "title": titles[c.item]} for c in decision.conditions],
        "items": [s.to_dict(lang) for s in decision.states],
        "playbook": {"id": playbook.id, "version": playbook.version},
    }
    if inputs is not None:
        # decision.json names the same inputs as findings.json and the manifest (verify checks)
        document["inputs"] = [record.to_dict() for record in inputs]
    return document


def decision_view(step: DecisionStep | None, lang: str) -> dict[str, Any] | None:
    """Tier, triggers, the rules that fired, conditions and the checklist, in ``lang``.

    ``None`` when the review has no decision step.
    """
    if step is None:
        return None
    document = decision_document(step, lang)

    def status(code: str) -> str:
        return f"{STATUS_ICONS.get(code, '')} {translate(f'status.{code}', lang)}"

    unassigned = translate("risk.report.unassigned", lang)
    texts = _answer_texts(lang) if document["questionnaire"]["triggers"] else {}

    def answer_text(question: str, answer: str) -> str:
        # answers to questions auditkit does not ship (or no longer has) stay as id=value
        return texts.get((question, answer), f"{question}={answer}")

    return {
        "label": document["label"],
        "explanation": document["explanation"],
        "tier": " · ".join(
            filter(None, [document["tier"]["label"], document.get("tier_outlook", {}).get("text")])
        ),
        "questionnaire_level": roman(document["tier"]["questionnaire_level"]),
        "raised_by": "; ".join(
            answer_text(*pair.split("=", 1)) for pair in document["tier"]["raised_by"]
        ),
        "triggers": "; ".join(
            answer_text(t["question"], t["answer"]) for t in document["questionnaire"]["triggers"]
        ),
        "aia": {
            **document["questionnaire"]["aia"],
            "level": roman(document["questionnaire"]["aia"]["level"]),
        },
        "rules": [r["explanation"] for r in document["rules"] if r["fired"]],
        "conditions": [
            {
                "item": c["item"],
                "title": c["title"],
                "status": status(c["status"]),
                "blocking": c["blocking"],
                "owner": c["owner"] or unassigned,
                "due": c["due"] or translate("risk.report.no_date", lang),
            }
            for c in document["conditions"]
        ],
        "checklist": [
            {
                "id": i["id"],
                "title": i["title"],
                "check": translate(f"risk.check.{i['check']}", lang),
                "status": status(i["status"]),
                "blocking": i["blocking"],
                "evidence": ", ".join(e["ref"] for e in i["evidence"]) or "—",
                "reason": i["reason"],
            }
            for i in document["items"]
            if i["applies"]
        ],
    }


def _answer_texts(lang: str) -> dict[tuple[str, str], str]:
    """(question id, answer value) -> the question's title and the answer's text in ``lang``."""
    return {
        (q.id, c.value): f"{q.title.get(lang)}: {c.text.get(lang)}"
        for q in load_municipal_questions().questions
        for c in q.choices
    }


def _rule_text(rule_name: str, params: dict[str, Any], lang: str, *, fired: bool = True) -> str:
    prefix = "risk.rule." if fired else "risk.rule_clear."
    return translate(prefix + rule_name, lang, **params)


def _readable(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Unanswered question ids shown by their titles in ``lang``."""
    if not params.get("questions"):
        return params
    titles = {q.id: q.title.get(lang) for q in load_municipal_questions().questions}
    titles["AIA"] = translate("risk.label.aia_questionnaire", lang)
    names = [titles.get(q, q) for q in str(params["questions"]).split(", ")]
    return {**params, "questions": ", ".join(names)}


def _outlook_document(step: DecisionStep, lang: str) -> dict[str, Any]:
    """``tier_outlook`` of decision.json: the status, in words, and the questions left open."""
    decision = step.decision
    outlook = decision.outlook
    if outlook is None:
        return {"status": decision.tier_status, "text": "", "questions": []}
    questions = [q.to_dict() for q in outlook.questions]
    aia = [q for q in outlook.questions if q.source == "aia"]
    municipal = _readable(
        {"questions": ", ".join(q.id for q in outlook.questions if q.source == "municipal")}, lang
    )["questions"]
    key = "risk.tier_status.final" if outlook.status == "final" else "risk.tier_status.provisional"
    if outlook.status == "provisional" and not outlook.questions:
        key = "risk.tier_status.provisional_unchanged"
    text = translate(
        key,
        lang,
        max_tier=roman(outlook.max_tier),
        aia_questions=len(aia),
        aia_points=_points(sum(q.max_points or 0 for q in aia)),
        municipal=municipal or "—",
    )
    return {**outlook.to_dict(), "text": text, "questions": questions}


def _points(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 1)
