"""Conteos semanales, variables de calendario y rezagos: nada puede mirar más allá del origen del pronóstico."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from guadalajara_demanda_servicios.features import (
    add_future_weeks,
    build_features,
    feature_columns,
    weekly_counts,
)
from guadalajara_demanda_servicios.holidays import easter, holidays
from guadalajara_demanda_servicios.pipeline import load_data


def test_easter_known_dates():
    """Easter Sunday on dates from published calendars."""
    assert easter(2024) == dt.date(2024, 3, 31)
    assert easter(2025) == dt.date(2025, 4, 20)
    assert easter(2026) == dt.date(2026, 4, 5)


def test_country_holidays():
    """National days are in the table; unknown countries still get the common holidays."""
    assert dt.date(2024, 9, 16) in holidays("MX", range(2024, 2025))
    assert dt.date(2024, 2, 5) in holidays("MX", range(2024, 2025))  # first Monday of February
    assert dt.date(2024, 9, 7) in holidays("BR", range(2024, 2025))
    assert dt.date(2024, 12, 25) in holidays("ZZ", range(2024, 2025))


def test_weekly_counts_add_up(small_settings):
    """Every request of a complete week is counted once; empty cells are zeros."""
    requests, zones = load_data(small_settings)
    weekly = weekly_counts(requests, zones)
    first, last = weekly["week"].min(), weekly["week"].max() + pd.Timedelta(days=7)
    inside = requests[(requests["created_at"] >= first) & (requests["created_at"] < last)]
    assert weekly["y"].sum() == len(inside)
    assert len(weekly) == weekly["week"].nunique() * zones["zone"].nunique() * requests["category"].nunique()
    assert (weekly["week"].dt.weekday == 0).all()


def test_no_look_ahead(small_settings):
    """Changing counts after week t - h leaves the features of week t unchanged."""
    requests, zones = load_data(small_settings)
    weekly = weekly_counts(requests, zones)
    h = 4
    target = weekly["week"].sort_values().unique()[70]
    before = build_features(weekly, zones, horizon=h, country="MX")
    changed = weekly.copy()
    late = changed["week"] > target - pd.Timedelta(weeks=h)
    changed.loc[late, "y"] = changed.loc[late, "y"] * 10 + 100
    changed.loc[late, "whatsapp_share"] = 1.0
    after = build_features(changed, zones, horizon=h, country="MX")
    rows = before["week"] == target
    columns = [*feature_columns(), "y_baseline"]
    pd.testing.assert_frame_equal(before.loc[rows, columns], after.loc[rows, columns])


def test_future_weeks_have_features(small_settings):
    """The weeks to forecast get lag features from known weeks, and no count."""
    requests, zones = load_data(small_settings)
    weekly = weekly_counts(requests, zones)
    frame = build_features(add_future_weeks(weekly, 4), zones, horizon=4, country="MX")
    future = frame[frame["week"] > weekly["week"].max()]
    assert future["week"].nunique() == 4
    assert future["y"].isna().all()
    assert np.isfinite(future["lag_h"]).all()
