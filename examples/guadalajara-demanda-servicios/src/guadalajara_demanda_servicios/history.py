"""Cuánta historia necesita el entrenamiento, en un solo lugar: ``validate`` lo comprueba y ``train`` lo llama antes del backtest.

El backtest con origen móvil deja ``backtest.folds`` cortes de ``model.horizon_weeks`` semanas
al final, y el primer corte necesita ``backtest.min_train_weeks`` semanas de entrenamiento más
un horizonte de rezago (la variable más reciente tiene ``h`` semanas de antigüedad).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from guadalajara_demanda_servicios.contract import ContractError

if TYPE_CHECKING:
    from guadalajara_demanda_servicios.settings import Settings

MESSAGES = {
    "need": "Historia: {weeks} semanas completas; el entrenamiento necesita {need} = backtest.min_train_weeks ({min_train}) + model.horizon_weeks ({horizon}) × (backtest.folds ({folds}) + 1).",
    "lower": "Para necesitar menos: baje backtest.min_train_weeks, backtest.folds o model.horizon_weeks, o use más historia.",
}

# the settings that lower the requirement, in the order a team would usually try them
LOWERED_BY = ("backtest.min_train_weeks", "backtest.folds", "model.horizon_weeks")


class HistoryError(ContractError):
    """The data holds fewer complete weeks than training and its backtest need."""


@dataclass(frozen=True)
class HistoryNeed:
    """The complete weeks training needs with the current settings, and how that number is made."""

    weeks: int
    min_train_weeks: int
    horizon_weeks: int
    folds: int
    lowered_by: tuple[str, ...] = LOWERED_BY

    def describe(self, available: int) -> str:
        """One line stating the weeks available and needed, and one naming the settings that lower it."""
        need = MESSAGES["need"].format(
            weeks=available,
            need=self.weeks,
            min_train=self.min_train_weeks,
            horizon=self.horizon_weeks,
            folds=self.folds,
        )
        return need + "\n" + MESSAGES["lower"]

    def as_dict(self, available: int) -> dict[str, object]:
        """The requirement as written to ``outputs/ingest.json``."""
        return {
            "weeks_available": available,
            "weeks_required": self.weeks,
            "min_train_weeks": self.min_train_weeks,
            "horizon_weeks": self.horizon_weeks,
            "folds": self.folds,
            "lowered_by": list(self.lowered_by),
            "enough": available >= self.weeks,
        }


def weeks_required(settings: Settings) -> HistoryNeed:
    """The complete weeks that ``train`` needs: training weeks plus one horizon per fold and one of lag."""
    model, backtest = settings.model, settings.backtest
    return HistoryNeed(
        weeks=backtest.min_train_weeks + model.horizon_weeks * (backtest.folds + 1),
        min_train_weeks=backtest.min_train_weeks,
        horizon_weeks=model.horizon_weeks,
        folds=backtest.folds,
    )


def check_history(available: int, settings: Settings) -> HistoryNeed:
    """Return the requirement, or raise :class:`HistoryError` saying what is needed and what lowers it."""
    need = weeks_required(settings)
    if available < need.weeks:
        raise HistoryError(need.describe(available))
    return need
