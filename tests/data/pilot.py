"""A tiny pilot written to disk: predictions, raw requests and zones, with known answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import yaml

# zone -> (stratum, residents, requests); "muy alto" is the most marginalised stratum.
ZONES: dict[str, tuple[str, int, int]] = {
    "Z1": ("muy alto", 10_000, 20),
    "Z2": ("muy alto", 10_000, 20),
    "Z3": ("medio", 10_000, 60),
    "Z4": ("medio", 10_000, 60),
    "Z5": ("bajo", 10_000, 100),
    "Z6": ("bajo", 10_000, 100),
}
STRATA = ["muy alto", "alto", "medio", "bajo"]


def write_pilot(
    folder: Path,
    *,
    zones: dict[str, tuple[str, int, int]] | None = None,
    data: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
    raw_extra: dict[str, list[Any]] | None = None,
    first_day: str = "2024-01-01",
) -> Path:
    """Write predictions.csv, requests.csv, zones.csv and audit.yaml; return audit.yaml."""
    zones = zones if zones is not None else ZONES
    rows = []
    day = pd.Timestamp(first_day)
    for zone, (_, _, requests) in zones.items():
        for i in range(requests):
            rows.append(
                {
                    "folio": f"{zone}-{i:04d}",
                    "creado": (day + pd.Timedelta(days=i % 30)).strftime("%Y-%m-%d %H:%M"),
                    "colonia": zone,
                    "categoria": ["alumbrado", "bache", "basura"][i % 3],
                    "canal": ["whatsapp", "web", "telefono", "app"][i % 4],
                }
            )
    raw = pd.DataFrame(rows)
    for column, values in (raw_extra or {}).items():
        raw[column] = (values * (len(raw) // len(values) + 1))[: len(raw)]
    raw.to_csv(folder / "requests.csv", index=False)
    pd.DataFrame(
        [{"colonia": z, "poblacion": p, "estrato": s} for z, (s, p, _) in zones.items()]
    ).to_csv(folder / "zones.csv", index=False)
    predictions = pd.DataFrame(
        {
            "semana": [f"2024-02-{d:02d}" for d in range(1, 29)] * 3,
            "estrato": (["muy alto", "medio", "bajo"] * 28),
            "solicitudes": [5, 9, 12] * 28,
            "pronostico": [4.5, 9.5, 11.0] * 28,
        }
    )
    predictions.to_csv(folder / "predictions.csv", index=False)
    config: dict[str, Any] = {
        "pilot": {"name": "Demanda", "task": "forecast", "country": "MX", "language": "es"},
        "data": {
            "predictions": "predictions.csv",
            "y_true": "solicitudes",
            "y_pred": "pronostico",
            "groups": ["estrato"],
            "raw": "requests.csv",
            "zones": "zones.csv",
            "time": "creado",
            "zone": "colonia",
            "category": "categoria",
            "channel": "canal",
            "record_id": "folio",
            "population": "poblacion",
            "stratum": "estrato",
            "strata": STRATA[:1] + [s for s in STRATA[1:] if s in {v[0] for v in zones.values()}],
            **(data or {}),
        },
        "fairness": {"bootstrap": 0},
        "representativeness": {"bootstrap": 200},
        **(extra or {}),
    }
    path = folder / "audit.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
