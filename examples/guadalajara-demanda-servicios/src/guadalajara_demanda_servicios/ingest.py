"""Cada fila contada: cuántas se leyeron, cuántas se conservaron y por qué se descartó cada una.

Las razones, en el orden en que se aplican (cada fila cuenta una sola vez, con la primera):
fila inválida, categoría sin mapeo, zona desconocida, zona sin población, ubicación fuera de
toda zona, fuera de la ventana (``data.start``/``data.end``) y periodo incompleto (una semana
parcial al principio o al final, o un final de la exportación con un volumen muy por debajo del
habitual). ``validate`` y ``train`` lo imprimen y lo escriben en ``outputs/ingest.json``, con
las etiquetas más frecuentes de zona y categoría (nunca valores de otras columnas).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REASONS = (
    "invalid_row",
    "unmapped_category",
    "unknown_zone",
    "zone_without_population",
    "no_zone_for_location",
    "outside_window",
    "incomplete_period",
)
TOP_LABELS = 10
# the collapse check: weeks compared with the median of this many weeks before them
TRAILING_WEEKS = 26
MIN_TRAILING_WEEKS = 8
# below this median weekly volume a collapse cannot be told from noise
MIN_TRAILING_LEVEL = 20.0
# one low week at the end can be a holiday; a truncated export stays low for weeks
MIN_COLLAPSE_WEEKS = 2

TEXT = {
    "rows": "Filas leídas: {read}; conservadas: {kept}; descartadas: {dropped}.",
    "reason": "  {reason}: {rows}",
    "examples": " (más frecuentes: {labels})",
    "partial_week": "  semana parcial {start} – {end}: {rows} filas fuera del entrenamiento y del backtest.",
    "collapse": "  AVISO: de {start} a {end} ({weeks} semanas) el volumen es {share:.0%} del habitual ({level:.0f} contra {trailing:.0f} por semana): parece una exportación cortada, no una baja de la demanda. {rows} filas fuera del entrenamiento y del backtest.",
    "kept_periods": "  (data.incomplete_periods: keep — se conservan)",
    "invalid_row": "fila inválida",
    "unmapped_category": "categoría sin mapeo",
    "unknown_zone": "zona desconocida",
    "zone_without_population": "zona sin población",
    "no_zone_for_location": "ubicación fuera de toda zona",
    "outside_window": "fuera de la ventana",
    "incomplete_period": "periodo incompleto",
}


@dataclass
class Ledger:
    """Rows read, and rows dropped per reason with their most frequent labels."""

    read: int = 0
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REASONS, 0))
    labels: dict[str, Counter[str]] = field(default_factory=lambda: {r: Counter() for r in REASONS})
    periods: list[dict[str, Any]] = field(default_factory=list)
    zone_matches: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def drop(self, reason: str, count: int, labels: pd.Series | None = None) -> None:
        """Count ``count`` rows dropped for ``reason``; ``labels`` are their zone/category labels or sub-reasons."""
        self.rows[reason] += int(count)
        if labels is not None and len(labels):
            counts = labels.astype("string").fillna("(empty)").value_counts()
            self.labels[reason].update({str(k): int(v) for k, v in counts.items()})

    @property
    def dropped(self) -> int:
        """Rows dropped for any reason."""
        return sum(self.rows.values())

    @property
    def kept(self) -> int:
        """Rows kept for training."""
        return self.read - self.dropped

    def as_dict(self) -> dict[str, Any]:
        """The accounting as written to ``outputs/ingest.json`` (sorted, stable)."""
        dropped = {}
        for reason in REASONS:
            top = sorted(self.labels[reason].items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_LABELS]
            dropped[reason] = {
                "rows": self.rows[reason],
                "labels": [{"label": label, "rows": rows} for label, rows in top],
                "distinct_labels": len(self.labels[reason]),
            }
        return {
            "rows": {"read": self.read, "kept": self.kept, "dropped": self.dropped},
            "dropped": dropped,
            "incomplete_periods": self.periods,
            "zone_matches": dict(sorted(self.zone_matches.items())),
            **self.extra,
        }

    def lines(self) -> list[str]:
        """The accounting as printed by ``validate`` and ``train``."""
        out = [TEXT["rows"].format(read=self.read, kept=self.kept, dropped=self.dropped)]
        for reason in REASONS:
            if not self.rows[reason]:
                continue
            line = TEXT["reason"].format(reason=TEXT[reason], rows=self.rows[reason])
            top = sorted(self.labels[reason].items(), key=lambda kv: (-kv[1], kv[0]))[:5]
            if top and reason != "incomplete_period":
                line += TEXT["examples"].format(labels=", ".join(f"'{k}' {v}" for k, v in top))
            out.append(line)
        for period in self.periods:
            out.append(TEXT[period["kind"]].format(**period))
            if not period["cut"]:
                out.append(TEXT["kept_periods"])
        return out

    def write(self, path: Path) -> Path:
        """Write ``ingest.json`` whole (a temporary file renamed into place: never half-written)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(
            json.dumps(self.as_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        os.replace(temporary, path)
        return path


def week_start(times: pd.Series) -> pd.Series:
    """The Monday of each timestamp's week."""
    return times.dt.normalize() - pd.to_timedelta(times.dt.weekday, unit="D")


def _day(value: pd.Timestamp) -> str:
    return value.strftime("%Y-%m-%d")


def cut_periods(
    requests: pd.DataFrame,
    ledger: Ledger,
    *,
    start: str | None,
    end: str | None,
    collapse_ratio: float,
    cut: bool,
) -> tuple[pd.DataFrame, pd.Timestamp, pd.Timestamp]:
    """Drop rows outside the window, partial weeks at either end and a collapsed tail.

    Returns the kept requests and the first and last complete week (their Mondays). The export
    is taken to cover the days from ``start`` (or its first record) to ``end`` (or its last
    record): a week is complete when all its seven days are covered. The tail has collapsed when
    every one of its weeks (at least ``MIN_COLLAPSE_WEEKS``) holds less than ``collapse_ratio``
    times the median of the ``TRAILING_WEEKS`` weeks before it.
    """
    created = requests["created_at"]
    keep = pd.Series(True, index=requests.index)
    if start:
        keep &= created >= pd.Timestamp(start)
    if end:
        keep &= created < pd.Timestamp(end) + pd.Timedelta(days=1)
    outside = ~keep
    if outside.any():
        ledger.drop("outside_window", int(outside.sum()))
        requests, created = requests[keep], created[keep]
    if requests.empty:
        from guadalajara_demanda_servicios.contract import ContractError

        raise ContractError(f"no requests left between data.start ({start}) and data.end ({end}).")
    first_day = pd.Timestamp(start) if start else created.min().normalize()
    last_day = pd.Timestamp(end) if end else created.max().normalize()
    first_week = first_day - pd.Timedelta(days=first_day.weekday())
    if first_day.weekday() != 0:
        first_week += pd.Timedelta(days=7)
    last_week = last_day - pd.Timedelta(days=last_day.weekday())
    if last_day.weekday() != 6:
        last_week -= pd.Timedelta(days=7)
    weeks = week_start(created)
    for kind_mask, period_start, period_end in (
        (weeks < first_week, weeks.min(), first_week - pd.Timedelta(days=1)),
        (weeks > last_week, last_week + pd.Timedelta(days=7), created.max().normalize()),
    ):
        if kind_mask.any():
            ledger.periods.append(
                {
                    "kind": "partial_week",
                    "start": _day(period_start),
                    "end": _day(period_end),
                    "rows": int(kind_mask.sum()),
                    "cut": True,
                }
            )
    partial = (weeks < first_week) | (weeks > last_week)
    if partial.any():
        ledger.drop("incomplete_period", int(partial.sum()), pd.Series(["partial_week"] * int(partial.sum())))
        requests, weeks = requests[~partial], weeks[~partial]
    if last_week < first_week:
        from guadalajara_demanda_servicios.contract import ContractError

        raise ContractError("the requests cover less than one complete week (Monday to Sunday).")
    grid = pd.date_range(first_week, last_week, freq="7D")
    totals = weeks.value_counts().reindex(grid, fill_value=0).to_numpy(float)
    collapse = collapsed_tail(totals, ratio=collapse_ratio)
    ledger.extra["collapse_check"] = {
        "ratio": collapse_ratio,
        "trailing_weeks": TRAILING_WEEKS,
        "min_trailing_level": MIN_TRAILING_LEVEL,
    }
    if collapse is not None:
        begin, level, trailing = collapse
        cut_from = grid[begin]
        tail = weeks >= cut_from
        ledger.periods.append(
            {
                "kind": "collapse",
                "start": _day(cut_from),
                "end": _day(grid[-1] + pd.Timedelta(days=6)),
                "weeks": int(len(grid) - begin),
                "rows": int(tail.sum()),
                "level": round(level, 2),
                "trailing": round(trailing, 2),
                "share": round(level / trailing, 4),
                "cut": cut,
            }
        )
        if cut:
            ledger.drop("incomplete_period", int(tail.sum()), pd.Series(["collapse"] * int(tail.sum())))
            requests = requests[~tail]
            last_week = cut_from - pd.Timedelta(days=7)
    return requests.reset_index(drop=True), first_week, last_week


def collapsed_tail(totals: np.ndarray, *, ratio: float) -> tuple[int, float, float] | None:
    """The first week of a collapsed tail, its mean level and the trailing median before it; None if none.

    >>> import numpy as np
    >>> collapsed_tail(np.array([100.0] * 30 + [5.0] * 12), ratio=0.2)
    (30, 5.0, 100.0)
    >>> collapsed_tail(np.array([100.0] * 30 + [90.0] * 12), ratio=0.2) is None
    True
    >>> collapsed_tail(np.array([100.0] * 30 + [5.0]), ratio=0.2) is None  # one week: a holiday?
    True
    """
    if ratio <= 0:
        return None
    suffix_max = np.maximum.accumulate(totals[::-1])[::-1]
    for begin in range(MIN_TRAILING_WEEKS, len(totals) - MIN_COLLAPSE_WEEKS + 1):
        trailing = float(np.median(totals[max(0, begin - TRAILING_WEEKS) : begin]))
        if trailing >= MIN_TRAILING_LEVEL and suffix_max[begin] < ratio * trailing:
            return begin, float(totals[begin:].mean()), trailing
    return None
