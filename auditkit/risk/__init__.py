"""Risk: playbooks, the impact questionnaire, the risk tier and the deployment decision.

A *playbook* is the checklist as data (one item per question, es/pt/en, cross-referenced to the
frameworks it comes from). The *impact questionnaire* is Canada's Algorithmic Impact Assessment
v1.0.1, scored exactly as the official tool scores it, plus questions a municipal pilot needs
(prohibited uses, high-risk triggers, territorial harm, auto-dispatch, chatbots). The *tier*
(I-IV) is the higher of the questionnaire's impact level and the floors its triggers imply; the
*decision* (GO, GO WITH CONDITIONS, NO-GO, ESCALATE) is a pure function of the tier and of every
checklist item's status.
"""

from auditkit.risk._aia import AiaScore, load_bank, requirements_for_level, score_answers
from auditkit.risk._decision import DECISIONS, Decision, decide
from auditkit.risk._playbook import Item, Playbook, Section, Text, load_playbook, roman
from auditkit.risk._questionnaire import (
    Answers,
    Assessment,
    assess,
    load_answers,
    load_municipal_questions,
)
from auditkit.risk._render import (
    answers_template,
    item_dict,
    playbook_dict,
    source_text,
)
from auditkit.risk._render import render_markdown as playbook_markdown
from auditkit.risk._review import DECISION_SCHEMA, DecisionStep, decision_step
from auditkit.risk._tier import TierResult, compute_tier

__all__ = [
    "DECISIONS",
    "DECISION_SCHEMA",
    "AiaScore",
    "Answers",
    "Assessment",
    "Decision",
    "DecisionStep",
    "Item",
    "Playbook",
    "Section",
    "Text",
    "TierResult",
    "answers_template",
    "assess",
    "compute_tier",
    "decide",
    "decision_step",
    "item_dict",
    "load_answers",
    "load_bank",
    "load_municipal_questions",
    "load_playbook",
    "playbook_dict",
    "playbook_markdown",
    "requirements_for_level",
    "roman",
    "score_answers",
    "source_text",
]
