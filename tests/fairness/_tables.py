"""Tiny random tables for the fairness tests (one place, fixed seeds)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def classification_table(seed: int, n: int = 3_000, *, weighted: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    race = rng.choice(
        ["African-American", "Caucasian", "Hispanic", "Other"], n, p=[0.4, 0.35, 0.15, 0.1]
    )
    sex = rng.choice(["Male", "Female"], n, p=[0.7, 0.3])
    base = 0.3 + 0.15 * (race == "African-American")
    y = (rng.random(n) < base).astype(int)
    flip = rng.random(n) < 0.25 + 0.1 * (sex == "Female")
    p = np.where(flip, 1 - y, y)
    frame = pd.DataFrame({"y": y, "p": p, "race": race, "sex": sex})
    if weighted:
        frame["w"] = rng.gamma(2.0, 1.0, n)
    frame.loc[rng.random(n) < 0.02, "race"] = None
    return frame


def regression_table(seed: int, n: int = 3_000, *, weighted: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    stratum = rng.choice(["1", "2", "3", "4", "5"], n)
    channel = rng.choice(["whatsapp", "phone", "web"], n)
    actual = rng.poisson(20 + 3 * stratum.astype(int), n).astype(float)
    bias = 1 - 0.05 * stratum.astype(int)
    pred = actual * bias + rng.normal(0, 3, n)
    width = rng.uniform(2, 8, n)
    frame = pd.DataFrame(
        {
            "y": actual,
            "p": pred,
            "lo": pred - width,
            "hi": pred + width,
            "stratum": stratum,
            "channel": channel,
        }
    )
    if weighted:
        frame["w"] = rng.uniform(0.1, 3.0, n)
    return frame
