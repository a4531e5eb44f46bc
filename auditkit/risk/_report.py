"""The decision as the reports show it: a view model built from ``decision.json``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from auditkit.i18n import translate
from auditkit.risk._playbook import roman

if TYPE_CHECKING:
    from auditkit.review import Review

__all__ = ["decision_view"]

_ICONS = {
    "pass": "✅",
    "fail": "❌",
    "warn": "⚠️",
    "insufficient_data": "…",
    "needs_evidence": "📎",
    "not_applicable": "–",
}


def decision_view(review: Review) -> dict[str, Any] | None:
    """Tier, triggers, the rules that fired, conditions and the checklist, in the review's language.

    ``None`` when the review has no decision (the risk area did not run).
    """
    raw = review.files.get("decision.json")
    if raw is None:
        return None
    document = json.loads(raw)
    lang = review.lang

    def status(code: str) -> str:
        return f"{_ICONS.get(code, '')} {translate(f'status.{code}', lang)}"

    unassigned = translate("risk.report.unassigned", lang)
    return {
        "label": document["label"],
        "explanation": document["explanation"],
        "tier": document["tier"]["label"],
        "questionnaire_level": roman(document["tier"]["questionnaire_level"]),
        "raised_by": "; ".join(
            _trigger_text(*_split_pair(pair), lang) for pair in document["tier"]["raised_by"]
        ),
        "triggers": "; ".join(
            _trigger_text(t["question"], t["answer"], lang)
            for t in document["questionnaire"]["triggers"]
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


def _split_pair(pair: str) -> tuple[str, str]:
    question, _, answer = pair.partition("=")
    return question, answer


def _trigger_text(question: str, answer: str, lang: str) -> str:
    """``territorial_allocation=reports`` as the reader saw it: the question's title and answer.

    Answers to questions auditkit does not ship (or no longer has) stay as ``id=value``.
    """
    from auditkit.risk._questionnaire import load_municipal_questions

    known = {q.id: q for q in load_municipal_questions().questions}
    found = known.get(question)
    choices = {c.value: c for c in found.choices} if found else {}
    if found is None or answer not in choices:
        return f"{question}={answer}"
    return f"{found.title.get(lang)}: {choices[answer].text.get(lang)}"
