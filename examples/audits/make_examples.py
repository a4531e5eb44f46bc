"""Regenerate the example predictions tables (deterministic; a test keeps them in sync).

    python examples/audits/make_examples.py

* ``sla-classifier``: a classifier that flags service requests likely to miss their deadline,
  used to prioritise crews. Residents of the most marginalised strata who report by phone are
  flagged less often when they do breach (a planted false-negative disparity), and a few rows
  lack a stratum.
* ``demand-forecast``: weekly forecasts of requests per zone and category with 80 % intervals.
  High-marginalisation zones are under-forecast (the model learnt from their under-reporting).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
STRATA = ["muy bajo", "bajo", "medio", "alto", "muy alto"]  # marginalisation
CHANNELS = ["whatsapp", "telefono", "web", "app"]
CATEGORIES = ["alumbrado", "basura", "grafiti", "baches"]


def sla_classifier(seed: int = 7, n: int = 12_000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    stratum = rng.choice(STRATA, size=n, p=[0.25, 0.3, 0.2, 0.15, 0.1])
    channel = rng.choice(CHANNELS, size=n, p=[0.45, 0.25, 0.2, 0.1])
    category = rng.choice(CATEGORIES, size=n)
    base = {"muy bajo": 0.25, "bajo": 0.28, "medio": 0.3, "alto": 0.36, "muy alto": 0.42}
    breach = rng.random(n) < np.vectorize(base.get)(stratum)
    # a decent classifier ...
    score = np.where(breach, rng.beta(5, 2, n), rng.beta(2, 5, n))
    # ... that misses breaches of high-marginalisation phone reports
    hidden = breach & np.isin(stratum, ["alto", "muy alto"]) & (channel == "telefono")
    score = np.where(hidden, score * 0.55, score)
    flagged = (score >= 0.5).astype(int)
    frame = pd.DataFrame(
        {
            "request_id": [f"R{i:06d}" for i in range(n)],
            "categoria": category,
            "canal": channel,
            "estrato_marginacion": stratum,
            "incumple_plazo": breach.astype(int),
            "marcado_prioridad": flagged,
        }
    )
    frame.loc[rng.random(n) < 0.02, "estrato_marginacion"] = None
    return frame


def demand_forecast(seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    zones = [f"Z{z:02d}" for z in range(1, 41)]
    zone_stratum = {z: STRATA[i % 5] for i, z in enumerate(zones)}
    population = {z: int(rng.integers(8_000, 40_000)) for z in zones}
    weeks = pd.date_range("2025-01-06", periods=26, freq="W-MON")
    rows = []
    for zone in zones:
        stratum = zone_stratum[zone]
        bias = {"muy bajo": 1.0, "bajo": 1.0, "medio": 0.97, "alto": 0.8, "muy alto": 0.7}[stratum]
        for category in CATEGORIES:
            level = (
                population[zone]
                / 1000
                * {"alumbrado": 0.6, "basura": 1.1, "grafiti": 0.3, "baches": 0.5}[category]
            )
            for week in weeks:
                season = 1 + 0.2 * np.sin(2 * np.pi * week.dayofyear / 365)
                actual = int(rng.poisson(level * season))
                # seasonal naive: what the same week of last year saw
                last_year = int(rng.poisson(level * season * 0.95))
                forecast = level * season * bias * rng.normal(1, 0.08)
                width = 1.28 * np.sqrt(max(forecast, 1))
                rows.append(
                    {
                        "semana": week.date().isoformat(),
                        "zona": zone,
                        "categoria": category,
                        "estrato_marginacion": stratum,
                        "solicitudes": actual,
                        "pronostico": round(forecast, 3),
                        "pronostico_inf": round(max(forecast - width, 0), 3),
                        "pronostico_sup": round(forecast + width, 3),
                        "base_estacional": last_year,
                    }
                )
    return pd.DataFrame(rows)


def main() -> None:
    sla_classifier().to_csv(HERE / "sla-classifier" / "predictions.csv", index=False)
    demand_forecast().to_csv(HERE / "demand-forecast" / "predictions.csv", index=False)


if __name__ == "__main__":
    main()
