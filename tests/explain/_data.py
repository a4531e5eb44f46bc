"""Small pilot-like tables and models shared by the explain tests (trained in the tests)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def city_table(n: int = 600, seed: int = 0) -> pd.DataFrame:
    """Weekly requests per zone: 'zone_code' encodes the income group, 'temperature' is noise.

    Columns: reports_last_week, zone_code (1..6; 1-3 are low income), temperature, channel
    (text), income (the equity attribute), requests (the target).
    """
    rng = np.random.default_rng(seed)
    zone = rng.integers(1, 7, size=n)
    income = np.where(zone <= 3, "low", "high")
    reports = rng.poisson(4, size=n)
    temperature = rng.normal(22, 4, size=n)
    channel = rng.choice(["app", "phone", "web", "whatsapp"], size=n)
    rate = np.exp(0.3 + 0.15 * reports + 0.6 * (zone > 3) + 0.02 * (temperature - 22))
    return pd.DataFrame(
        {
            "reports_last_week": reports.astype(float),
            "zone_code": zone.astype(float),
            "temperature": temperature,
            "channel": channel,
            "income": income,
            "requests": rng.poisson(rate).astype(float),
        }
    )


NUMERIC = ["reports_last_week", "zone_code", "temperature"]
