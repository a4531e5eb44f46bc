"""Cuánta historia necesita el entrenamiento, en un solo lugar: ``validate`` lo comprueba y ``train`` lo llama antes del backtest.

La regla misma es :func:`backtest.required_weeks`: el backtest con origen móvil deja
``backtest.calibration_folds + backtest.folds`` cortes de ``model.horizon_weeks`` semanas al
final, y el primer corte necesita ``backtest.min_train_weeks`` semanas de entrenamiento
(``backtest.min_train_weeks_short`` en modo de historia corta) más un horizonte de rezago.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from guadalajara_demanda_servicios.contract import ContractError

if TYPE_CHECKING:
    from guadalajara_demanda_servicios.settings import Settings

MESSAGES = {
    "need": "Historia: {weeks} semanas completas; el entrenamiento necesita {need} = {train_key} ({min_train}) + model.horizon_weeks ({horizon}) × (backtest.calibration_folds ({calibration}) + backtest.folds ({folds}) + 1).",
    "full": "Con {full} semanas o más (model.history: auto) se usa la historia completa, con variables del año anterior y la ingenua estacional; con menos, el modo de historia corta.",
    "lower": "Para necesitar menos: baje {settings}, o use más historia.",
}

# the settings that lower the requirement, in the order a team would usually try them
LOWERED_BY = ("backtest.folds", "backtest.calibration_folds", "model.horizon_weeks")


class HistoryError(ContractError):
    """The data holds fewer complete weeks than training and its backtest need."""


@dataclass(frozen=True)
class HistoryNeed:
    """The complete weeks training needs with the current settings, and how that number is made."""

    weeks: int
    mode: str
    full_weeks: int
    min_train_weeks: int
    horizon_weeks: int
    calibration_folds: int
    folds: int

    @property
    def train_key(self) -> str:
        """The setting that holds the first fold's training weeks in this mode."""
        return "backtest.min_train_weeks" if self.mode == "full" else "backtest.min_train_weeks_short"

    @property
    def lowered_by(self) -> tuple[str, ...]:
        """The settings that lower the requirement."""
        return (self.train_key, *LOWERED_BY)

    def describe(self, available: int) -> str:
        """The weeks available and needed, when full history applies, and the settings that lower it."""
        need = MESSAGES["need"].format(
            weeks=available,
            need=self.weeks,
            train_key=self.train_key,
            min_train=self.min_train_weeks,
            horizon=self.horizon_weeks,
            calibration=self.calibration_folds,
            folds=self.folds,
        )
        lines = [need]
        if self.mode == "auto":
            lines.append(MESSAGES["full"].format(full=self.full_weeks))
        lines.append(MESSAGES["lower"].format(settings=", ".join(self.lowered_by)))
        return "\n".join(lines)

    def as_dict(self, available: int) -> dict[str, object]:
        """The requirement as written to ``outputs/ingest.json``."""
        return {
            "weeks_available": available,
            "weeks_required": self.weeks,
            "weeks_full_history": self.full_weeks,
            "history": self.mode,
            "min_train_weeks": self.min_train_weeks,
            "horizon_weeks": self.horizon_weeks,
            "calibration_folds": self.calibration_folds,
            "folds": self.folds,
            "lowered_by": list(self.lowered_by),
            "enough": available >= self.weeks,
        }


def weeks_required(settings: Settings) -> HistoryNeed:
    """The complete weeks that ``train`` needs, as :func:`backtest.required_weeks` counts them.

    With ``model.history: auto`` that is the short-history requirement (the least ``train``
    accepts); ``full_weeks`` says from how many weeks the full history is used.
    """
    from guadalajara_demanda_servicios.backtest import required_weeks

    model, backtest = settings.model, settings.backtest
    mode = model.history
    return HistoryNeed(
        weeks=required_weeks(settings),
        mode=mode,
        full_weeks=required_weeks(settings, history="full"),
        min_train_weeks=backtest.min_train_weeks if mode == "full" else backtest.min_train_weeks_short,
        horizon_weeks=model.horizon_weeks,
        calibration_folds=backtest.calibration_folds,
        folds=backtest.folds,
    )


def check_history(available: int, settings: Settings) -> HistoryNeed:
    """Return the requirement, or raise :class:`HistoryError` saying what is needed and what lowers it."""
    need = weeks_required(settings)
    if available < need.weeks:
        raise HistoryError(need.describe(available))
    return need
