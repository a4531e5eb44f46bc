"""The risk tier: the higher of the questionnaire's impact level and the triggers' floors.

Tiers run I-IV (stored as 1-4). The AIA impact level (25/50/75 % of the raw maximum) is the
starting point; municipal answers can only raise it: profiling of persons, automated action
without human confirmation, a vendor black box or territorial allocation based on residents'
reports set a floor of II; Annex-III-like uses and automated decisions with significant effects on
persons set III; biometric identification sets IV. The prohibited-use screen is not a tier: it
stops everything (see :mod:`auditkit.risk._decision`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditkit.risk._playbook import roman
from auditkit.risk._questionnaire import Assessment, Trigger

__all__ = ["TierResult", "compute_tier"]


@dataclass(frozen=True)
class TierResult:
    """The tier and how it was reached."""

    tier: int
    questionnaire_level: int
    floors: tuple[Trigger, ...]

    @property
    def raised_by(self) -> tuple[Trigger, ...]:
        """The triggers whose floor is the tier (when it is above the questionnaire level)."""
        if self.tier == self.questionnaire_level:
            return ()
        return tuple(t for t in self.floors if t.floor == self.tier)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "tier_roman": roman(self.tier),
            "questionnaire_level": self.questionnaire_level,
            "floors": [t.to_dict() for t in self.floors],
            "raised_by": [f"{t.question}={t.value}" for t in self.raised_by],
        }


def compute_tier(assessment: Assessment) -> TierResult:
    """``max(questionnaire level, every trigger's floor)``.

    >>> from auditkit.risk._questionnaire import assess, parse_answers
    >>> compute_tier(assess(parse_answers({"municipal": {"profiling": "yes"}}))).tier
    2
    """
    floors = tuple(t for t in assessment.triggers if t.floor is not None)
    level = assessment.score.level
    return TierResult(
        tier=max([level, *(t.floor for t in floors if t.floor is not None)]),
        questionnaire_level=level,
        floors=floors,
    )
