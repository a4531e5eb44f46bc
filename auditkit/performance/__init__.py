"""Performance: is the model better than a transparent baseline, and are its intervals honest?

*Skill* over a baseline is ``1 − MAE(model) / MAE(baseline)`` for regression and forecasts (a
seasonal-naive forecast is the usual baseline: the same week last year, or last week), and
``1 − error rate(model) / error rate(baseline)`` for classifiers. A pilot that does not beat a
baseline a crew supervisor could compute by hand should not be deployed.
"""

from auditkit.performance._review import review_performance
from auditkit.performance._skill import SkillResult, baseline_skill, interval_coverage

__all__ = [
    "SkillResult",
    "baseline_skill",
    "interval_coverage",
    "review_performance",
]
