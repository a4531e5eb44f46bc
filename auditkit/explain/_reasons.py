"""Reason codes: the top reasons behind one prediction.

A reason code names an input and how much, and in which direction, it moved this prediction away
from the model's average output. It is what a notice to a resident or a caseworker's screen can
quote ("the number of requests last month raised this forecast"). Reason codes carry feature
names and contributions only, never the row's input values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

    from auditkit.explain._attributions import Attributions

__all__ = ["ReasonCode", "explain_row", "reason_codes", "reason_sentences"]


@dataclass(frozen=True)
class ReasonCode:
    """One reason: a feature, its contribution and its direction."""

    feature: str
    contribution: float
    direction: Literal["up", "down"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "contribution": self.contribution,
            "direction": self.direction,
        }


def reason_codes(
    attributions: Attributions, row: int, *, top_k: int = 3, min_abs: float = 0.0
) -> list[ReasonCode]:
    """The ``top_k`` features with the largest |attribution| for explained row ``row``.

    Parameters
    ----------
    attributions : Attributions
        From :func:`auditkit.explain.explain_model`.
    row : int
        Position among the explained rows (``attributions.rows[row]`` is its position in the
        input table).
    top_k : int
        Number of reasons.
    min_abs : float
        Contributions smaller than this in absolute value are not reasons.
    """
    values = attributions.values[row]
    order = sorted(range(len(values)), key=lambda j: (-abs(values[j]), attributions.features[j]))
    codes = []
    for j in order[:top_k]:
        value = float(values[j])
        if abs(value) <= min_abs or value == 0:
            continue
        codes.append(
            ReasonCode(
                feature=attributions.features[j],
                contribution=value,
                direction="up" if value > 0 else "down",
            )
        )
    return codes


def reason_sentences(codes: list[ReasonCode], lang: str = "en", *, digits: int = 3) -> list[str]:
    """Reason codes as sentences a notice can quote, in ``lang``.

    Examples
    --------
    >>> reason_sentences([ReasonCode("reports_last_week", 0.41234, "up")], "es")
    ['reports_last_week aumentó la predicción en 0.412']
    """
    from auditkit.i18n import translate

    return [
        translate(
            f"explain.reason.{code.direction}",
            lang,
            feature=code.feature,
            value=f"{abs(code.contribution):.{digits}g}",
        )
        for code in codes
    ]


def explain_row(
    model: Any, row: pd.DataFrame, *, background: pd.DataFrame, top_k: int = 3, seed: int = 0
) -> list[ReasonCode]:
    """Reason codes for any single row, explained against ``background`` rows.

    Parameters
    ----------
    model : estimator
        As for :func:`auditkit.explain.explain_model`.
    row : DataFrame
        One row with the model's input columns.
    background : DataFrame
        Rows the model-agnostic and linear explainers compare against (a sample is taken).
    """
    from auditkit.explain._attributions import explain_model

    if len(row) != 1:
        raise ValueError(f"explain_row needs exactly one row; got {len(row)}")
    attributions = explain_model(
        model, row, background=min(len(background), 200), seed=seed, background_data=background
    )
    return reason_codes(attributions, 0, top_k=top_k)
