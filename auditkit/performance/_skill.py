"""Skill over a baseline and interval coverage, overall and by group."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditkit.performance._statistics import CellSums

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SkillResult",
    "baseline_skill",
    "coverage_from_cells",
    "interval_coverage",
    "skill_from_cells",
]


@dataclass(frozen=True)
class SkillResult:
    """Skill of the model over the baseline for one slice of the rows."""

    attribute: str
    group: str
    n: int
    model_error: float
    baseline_error: float

    @property
    def skill(self) -> float:
        if self.baseline_error == 0:
            return 0.0 if self.model_error == 0 else -math.inf
        return 1 - self.model_error / self.baseline_error


def _ratio(numerator: int, denominator: int) -> float:
    """A ratio of exact sums, rounded once (``nan`` for no weight)."""
    return numerator / denominator if denominator else math.nan


def skill_from_cells(cells: CellSums) -> list[SkillResult]:
    """Skill overall (attribute ``"(all)"``) and in every group of every attribute.

    Groups are the cells' labels per attribute (missing values are the group ``(missing)``),
    in sorted order; every number is a ratio of the cells' exact sums.
    """
    from auditkit._area import MISSING_LABEL

    def result(attribute: str, group: str, members: list[int]) -> SkillResult:
        weight = sum(cells.weight[c] for c in members)
        return SkillResult(
            attribute=attribute,
            group=group,
            n=sum(cells.n[c] for c in members),
            model_error=_ratio(sum(cells.model_loss[c] for c in members), weight),
            baseline_error=_ratio(sum(cells.baseline_loss[c] for c in members), weight),
        )

    everything = list(range(len(cells.n)))
    results = [result("(all)", "(all)", everything)]
    for a, attribute in enumerate(cells.attributes):
        members: dict[str, list[int]] = {}
        for c in everything:
            label = cells.labels[a][c]
            members.setdefault(MISSING_LABEL if label is None else label, []).append(c)
        results += [result(attribute, group, members[group]) for group in sorted(members)]
    return results


def coverage_from_cells(cells: CellSums) -> dict[str, Any]:
    """Share (weighted) of rows whose actual value lies within the interval, and the rows."""
    return {"coverage": _ratio(sum(cells.covered), sum(cells.weight)), "n": sum(cells.n)}


def _frame_statistics(
    frame: pd.DataFrame, groups: list[str], *, y_true: str, y_pred: str, **options: Any
) -> CellSums:
    """The cells' sums of a frame, by the same queries as a table where it lives."""
    from auditkit.engine._source import Source
    from auditkit.engine._statistics import frame_table
    from auditkit.performance._statistics import performance_statistics

    optional = ("baseline", "y_pred_lower", "y_pred_upper", "y_score", "sample_weight")
    names = [y_true, y_pred, *(options[k] for k in optional if options.get(k))]
    table = frame_table(frame, [*names, *groups], text_columns=groups)
    source = Source(kind="files", label="the predictions", base_dir=Path("."))
    statistics = performance_statistics(
        table, source, groups=groups, y_true=y_true, y_pred=y_pred, **options
    )
    assert statistics.cells is not None
    return statistics.cells


def baseline_skill(
    frame: pd.DataFrame,
    *,
    y_true: str,
    y_pred: str,
    baseline: str,
    task: str,
    groups: list[str],
    sample_weight: str | None = None,
) -> list[SkillResult]:
    """Skill overall (attribute ``"(all)"``) and in every group of every attribute.

    The error is the mean absolute error for regression and forecasts and the error rate
    (1 − accuracy) for classifiers, weighted when ``sample_weight`` is given.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"y": [10, 20, 30, 40], "p": [11, 19, 33, 40],
    ...                       "b": [14, 16, 26, 48], "zone": ["a", "a", "b", "b"]})
    >>> [round(r.skill, 3) for r in baseline_skill(frame, y_true="y", y_pred="p", baseline="b",
    ...                                            task="forecast", groups=["zone"])]
    [0.75, 0.75, 0.75]
    """

    cells = _frame_statistics(
        frame,
        list(groups),
        task=task,
        y_true=y_true,
        y_pred=y_pred,
        baseline=baseline,
        sample_weight=sample_weight,
    )
    return skill_from_cells(cells)


def interval_coverage(
    frame: pd.DataFrame,
    *,
    y_true: str,
    lower: str,
    upper: str,
    sample_weight: str | None = None,
) -> dict[str, Any]:
    """Share of rows whose actual value lies within ``[lower, upper]`` (inclusive)."""
    cells = _frame_statistics(
        frame,
        [],
        task="regression",
        y_true=y_true,
        y_pred=lower,
        y_pred_lower=lower,
        y_pred_upper=upper,
        sample_weight=sample_weight,
    )
    return coverage_from_cells(cells)
