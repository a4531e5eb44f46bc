"""The decision as the reports show it: a view model built from ``decision.json``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from auditkit.i18n import translate
from auditkit.report._context import STATUS_ICONS
from auditkit.risk._playbook import roman

if TYPE_CHECKING:
    from auditkit.review import Review

__all__ = ["decision_view"]


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
    from auditkit.risk._questionnaire import load_municipal_questions

    return {
        (q.id, c.value): f"{q.title.get(lang)}: {c.text.get(lang)}"
        for q in load_municipal_questions().questions
        for c in q.choices
    }
