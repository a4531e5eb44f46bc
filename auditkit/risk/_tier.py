"""The risk tier: the higher of the questionnaire's impact level and the triggers' floors.

Tiers run I-IV (stored as 1-4). The AIA impact level (25/50/75 % of the raw maximum) is the
starting point; municipal answers can only raise it: profiling of persons, automated action
without human confirmation, a vendor black box or territorial allocation based on residents'
reports set a floor of II; Annex-III-like uses and automated decisions with significant effects on
persons set III; biometric identification sets IV. The prohibited-use screen is not a tier: it
stops everything (see :mod:`auditkit.risk._decision`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from auditkit.risk._playbook import roman
from auditkit.risk._questionnaire import Assessment, QuestionSet, Trigger

__all__ = ["OpenQuestion", "TierOutlook", "TierResult", "compute_tier", "tier_outlook"]

TierStatus = Literal["provisional", "final"]


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


@dataclass(frozen=True)
class OpenQuestion:
    """An unanswered question that could still raise the tier."""

    id: str
    source: Literal["aia", "municipal"]
    max_points: float | None = None  # AIA: the most raw points its answer can add
    max_floor: int | None = None  # municipal: the highest floor one of its answers sets
    prohibited: bool = False  # municipal: one of its answers is a prohibited use

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "max_points": _whole(self.max_points),
            "max_floor": self.max_floor,
            "prohibited": self.prohibited,
        }


@dataclass(frozen=True)
class TierOutlook:
    """Whether the tier is final, and how high the unanswered questions could take it."""

    status: TierStatus
    max_tier: int
    max_raw_score: float  # the AIA raw score if every unanswered question scored its maximum
    questions: tuple[OpenQuestion, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "max_tier": self.max_tier,
            "max_tier_roman": roman(self.max_tier),
            "max_raw_score": _whole(self.max_raw_score),
            "questions": [q.to_dict() for q in self.questions],
        }


def _whole(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 4)


def _level(raw: float, maximum: float) -> int:
    """The AIA level of a raw score (25/50/75 % of the maximum)."""
    for level, share in ((1, 0.25), (2, 0.5), (3, 0.75)):
        if raw <= share * maximum:
            return level
    return 4


def tier_outlook(
    tier: TierResult,
    assessment: Assessment,
    questions: QuestionSet,
    unanswered_aia: Sequence[tuple[str, float]] | Mapping[str, float],
) -> TierOutlook:
    """``final`` when every classification question is answered, else ``provisional``.

    Parameters
    ----------
    tier : TierResult
        The tier as computed from the answers given.
    assessment : Assessment
        The questionnaire's answers and what is unanswered.
    questions : QuestionSet
        The municipal classification questions (their choices' floors).
    unanswered_aia : sequence of (name, max points)
        The AIA risk questions without an answer and the most raw points each could add.

    Returns
    -------
    TierOutlook
        ``provisional`` also when the AIA has answers but its unanswered questions could still
        lift its level above the tier. The questions that could still raise the tier: a
        municipal question whose answers set a floor above the tier (or name a prohibited use),
        and the AIA risk questions when their points together could lift the AIA level above
        the tier. ``max_tier`` is the highest tier
        the answers could still give (the deduction for mitigation can only lower it).
    """
    pending = list(
        unanswered_aia.items() if isinstance(unanswered_aia, Mapping) else unanswered_aia
    )
    score = assessment.score
    max_raw = score.raw_score + sum(points for _, points in pending)
    aia_level = _level(max_raw, score.max_raw_score) if score.max_raw_score else 1
    open_questions: list[OpenQuestion] = []
    max_tier = tier.tier
    if aia_level > tier.tier:
        max_tier = aia_level
        open_questions += [
            OpenQuestion(id=name, source="aia", max_points=points)
            for name, points in pending
            if points > 0
        ]
    for question in questions.questions:
        if question.id not in assessment.unanswered:
            continue
        floors = [c.floor for c in question.choices if c.floor is not None]
        prohibited = any(c.prohibited for c in question.choices)
        highest = max(floors, default=None)
        if prohibited or (highest is not None and highest > tier.tier):
            open_questions.append(
                OpenQuestion(
                    id=question.id, source="municipal", max_floor=highest, prohibited=prohibited
                )
            )
            if highest is not None:
                max_tier = max(max_tier, highest)
    return TierOutlook(
        status="final" if assessment.complete and not open_questions else "provisional",
        max_tier=max_tier,
        max_raw_score=max_raw,
        questions=tuple(open_questions),
    )
