"""The deployment decision: a pure function of the tier and every checklist item's status.

Rules are evaluated in this order; the first that fires decides, and every rule is reported
(fired or not) so that ``decision.json`` explains the decision line by line:

1. ``prohibited_use`` -> **NO-GO**: an answer names a prohibited use. Nothing can override it.
2. ``classification_incomplete`` -> **ESCALATE**: the AIA is unanswered or a municipal
   classification question is unanswered, so the tier cannot be trusted.
3. ``blocking_failure`` -> **NO-GO**: an item that blocks at this tier fails.
4. ``blocking_without_evidence`` -> **NO-GO**: an item that blocks at this tier has no evidence
   yet (deployment waits for it).
5. ``tier_iv`` -> **ESCALATE**: tier IV needs the city's highest authority.
6. ``open_items`` -> **GO WITH CONDITIONS**: some applicable items are open without stopping
   deployment (non-blocking failures or missing evidence; warnings and insufficient data, blocking
   or not); each is a condition with its owner and due date from ``risk.conditions``.
7. ``all_clear`` -> **GO**.

An item *blocks* at a tier when ``tier >= blocking_from_tier`` or when a trigger (e.g. a
resident-facing chatbot makes the channel notice EXP-04 blocking) says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from auditkit.risk._evidence import ItemState
from auditkit.risk._questionnaire import Assessment
from auditkit.risk._tier import TierOutlook, TierResult

if TYPE_CHECKING:
    from auditkit._config import ConditionOwner

__all__ = ["DECISIONS", "Condition", "Decision", "DecisionCode", "Rule", "decide"]

DecisionCode = Literal["go", "go-with-conditions", "escalate", "no-go"]
# From best to worst; ``--fail-on X`` fails on X and everything after it.
DECISIONS: tuple[DecisionCode, ...] = ("go", "go-with-conditions", "escalate", "no-go")


@dataclass(frozen=True)
class Rule:
    """One rule of the decision and whether it fired."""

    name: str
    outcome: DecisionCode
    fired: bool
    items: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Condition:
    """An open item the deployment depends on."""

    item: str
    status: str
    blocking: bool
    owner: str | None
    due: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "status": self.status,
            "blocking": self.blocking,
            "owner": self.owner,
            "due": self.due,
        }


@dataclass(frozen=True)
class Decision:
    """The decision, the rules behind it, the tier and every item's state."""

    decision: DecisionCode
    tier: TierResult
    assessment: Assessment
    rules: tuple[Rule, ...]
    states: tuple[ItemState, ...]
    conditions: tuple[Condition, ...]
    outlook: TierOutlook | None = None

    @property
    def tier_status(self) -> str:
        """``provisional`` while unanswered questions could still raise the tier, else ``final``."""
        if self.outlook is not None:
            return self.outlook.status
        return "final" if self.assessment.complete else "provisional"

    @property
    def deciding_rule(self) -> Rule:
        return next(r for r in self.rules if r.fired)


def decide(
    tier: TierResult,
    assessment: Assessment,
    states: Sequence[ItemState],
    owners: Mapping[str, ConditionOwner] | None = None,
    outlook: TierOutlook | None = None,
) -> Decision:
    """Apply the rules of this module's docstring, in order.

    Parameters
    ----------
    tier : TierResult
        The tier and how it was reached.
    assessment : Assessment
        The questionnaire: prohibited uses and unanswered classification questions.
    states : sequence of ItemState
        Every checklist item at this tier (from findings, evidence and attestations).
    owners : mapping, optional
        Item id to owner and due date, for the conditions.
    outlook : TierOutlook, optional
        Whether the tier is final and which unanswered questions could raise it.
    """
    owners = owners or {}
    applicable = [s for s in states if s.applies]
    blocking_fail = tuple(s.item.id for s in applicable if s.blocking and s.status == "fail")
    blocking_missing = tuple(
        s.item.id for s in applicable if s.blocking and s.status == "needs_evidence"
    )
    stopped = set(blocking_fail) | set(blocking_missing)
    open_items = tuple(s.item.id for s in applicable if s.open and s.item.id not in stopped)
    unanswered = list(assessment.unanswered)
    if not assessment.aia_answered:
        unanswered.insert(0, "AIA")
    candidates = [
        Rule(
            "prohibited_use",
            "no-go",
            bool(assessment.prohibited),
            ("INT-01",) if assessment.prohibited else (),
            {"uses": ", ".join(t.value for t in assessment.prohibited)},
        ),
        Rule(
            "classification_incomplete",
            "escalate",
            not assessment.complete,
            ("INT-02", "INT-03") if not assessment.complete else (),
            {"questions": ", ".join(unanswered)},
        ),
        Rule("blocking_failure", "no-go", bool(blocking_fail), blocking_fail),
        Rule("blocking_without_evidence", "no-go", bool(blocking_missing), blocking_missing),
        Rule("tier_iv", "escalate", tier.tier == 4),
        Rule("open_items", "go-with-conditions", bool(open_items), open_items),
    ]
    candidates.append(Rule("all_clear", "go", not any(r.fired for r in candidates)))
    rules = tuple(
        Rule(r.name, r.outcome, r.fired, r.items, {**r.params, "count": len(r.items)})
        for r in candidates
    )
    decision = next(r.outcome for r in rules if r.fired)
    conditions = tuple(
        Condition(
            item=s.item.id,
            status=s.status,
            blocking=s.blocking,
            owner=owners[s.item.id].owner if s.item.id in owners else None,
            due=owners[s.item.id].due.isoformat() if s.item.id in owners else None,
        )
        for s in applicable
        if s.open
    )
    return Decision(
        decision=decision,
        tier=tier,
        assessment=assessment,
        rules=rules,
        states=tuple(states),
        conditions=conditions,
        outlook=outlook,
    )
