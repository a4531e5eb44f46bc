{% if cookiecutter.language == "es" -%}
"""Conteos semanales, variables de calendario y rezagos: nada puede mirar más allá del origen del pronóstico."""
{%- elif cookiecutter.language == "pt" -%}
"""Contagens semanais, variáveis de calendário e defasagens: nada pode olhar além da origem da previsão."""
{%- else -%}
"""Weekly counts, calendar and lag features: nothing may look past the forecast origin."""
{%- endif %}

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from {{ cookiecutter.__package }}.contract import ContractError
from {{ cookiecutter.__package }}.features import (
    KEYS,
    add_future_weeks,
    build_features,
    feature_columns,
    weekly_counts,
)
from {{ cookiecutter.__package }}.holidays import holidays
from {{ cookiecutter.__package }}.pipeline import load_data

from conftest import SMALL, write_settings


def test_national_holidays():
    """National days from published calendars, including the movable ones."""
    assert dt.date(2024, 9, 16) in holidays("MX", range(2024, 2025))
    assert dt.date(2024, 2, 5) in holidays("MX", range(2024, 2025))  # first Monday of February
    assert dt.date(2024, 9, 7) in holidays("BR", range(2024, 2025))
    assert dt.date(2024, 3, 29) in holidays("BR", range(2024, 2025))  # Good Friday
    assert dt.date(2024, 11, 28) in holidays("US", range(2024, 2025))  # fourth Thursday of November


def test_subdivision_and_local_holidays():
    """A subdivision adds its own days (Pernambuco, 6 March; New York, Lincoln's Birthday) to the national ones."""
    national = set(holidays("BR", range(2024, 2025)))
    pernambuco = set(holidays("BR", range(2024, 2025), subdivision="PE"))
    assert national < pernambuco and dt.date(2024, 3, 6) in pernambuco - national
    assert dt.date(2024, 2, 12) in set(holidays("US", range(2024, 2025), subdivision="NY"))
    local = holidays("MX", range(2024, 2026), extra=(dt.date(2024, 10, 12), dt.date(2030, 1, 2)))
    assert dt.date(2024, 10, 12) in local and dt.date(2030, 1, 2) not in local


@pytest.mark.parametrize(
    ("country", "subdivision", "match"),
    [
        ("ZZ", None, r"holidays.country 'ZZ' is not a country"),
        ("BR", "XX", r"holidays.subdivision 'XX' is not a subdivision of BR \(valid codes: \['AC'"),
        ("MX", "JAL", r"the library has no subdivisions of MX\). Use null"),
    ],
)
def test_unknown_holiday_codes_are_explained(country, subdivision, match):
    """A country or subdivision the library does not know stops with the setting to change."""
    with pytest.raises(ContractError, match=match):
        holidays(country, range(2024, 2025), subdivision=subdivision)


def test_holiday_settings(tmp_path):
    """config/pilot.yaml chooses country, subdivision and local days; bad values are explained."""
    settings = write_settings(
        tmp_path, **SMALL, holidays={"country": "BR", "subdivision": "PE", "extra": ["2024-10-12"]}
    )
    assert (settings.holidays.country, settings.holidays.subdivision) == ("BR", "PE")
    assert settings.holidays.extra == (dt.date(2024, 10, 12),)
    with pytest.raises(ContractError, match=r"holidays.extra must list dates as YYYY-MM-DD; found '12/10/2024'"):
        write_settings(tmp_path, **SMALL, holidays={"extra": ["12/10/2024"]})
    with pytest.raises(ContractError, match=r"holidays.country must be a code in quotes"):
        write_settings(tmp_path, **SMALL, holidays={"country": False})  # what YAML makes of NO


def test_holiday_weeks_are_marked(small_settings):
    """A week holding a subdivision's holiday is marked only when that subdivision is chosen."""
    requests, zones = load_data(small_settings)
    weekly = weekly_counts(requests, zones)
    week = pd.Timestamp("2022-02-28")  # Pernambuco's 6 March 2022 is the Sunday of this week
    national = build_features(weekly, zones, horizon=1, country="BR")
    regional = build_features(weekly, zones, horizon=1, country="BR", subdivision="PE")
    added = regional["holidays"] - national["holidays"]
    assert (added[regional["week"] == week] == 1).all()
    assert (added[regional["week"] != week].isin([0, 1])).all()


def test_weekly_counts_add_up(small_settings):
    """Every request of a complete week is counted once; empty cells are zeros."""
    requests, zones = load_data(small_settings)
    weekly = weekly_counts(requests, zones)
    first, last = weekly["week"].min(), weekly["week"].max() + pd.Timedelta(days=7)
    inside = requests[(requests["created_at"] >= first) & (requests["created_at"] < last)]
    assert weekly["y"].sum() == len(inside)
    assert len(weekly) == weekly["week"].nunique() * zones["zone"].nunique() * requests["category"].nunique()
    assert (weekly["week"].dt.weekday == 0).all()


@pytest.mark.parametrize("seasonal", [True, False])
@pytest.mark.parametrize("h", [1, 2, 4])
def test_no_look_ahead(small_settings, h, seasonal):
    """Changing counts after week t - h leaves the features and baselines of week t unchanged."""
    requests, zones = load_data(small_settings)
    weekly = weekly_counts(requests, zones)
    target = weekly["week"].sort_values().unique()[70]
    before = build_features(weekly, zones, horizon=h, country="MX", seasonal=seasonal)
    changed = weekly.copy()
    late = changed["week"] > target - pd.Timedelta(weeks=h)
    changed.loc[late, "y"] = changed.loc[late, "y"] * 10 + 100
    changed.loc[late, "whatsapp_share"] = 1.0
    after = build_features(changed, zones, horizon=h, country="MX", seasonal=seasonal)
    rows = before["week"] == target
    columns = [*feature_columns(seasonal=seasonal), "baseline_seasonal_naive", "baseline_moving_average"]
    pd.testing.assert_frame_equal(before.loc[rows, columns], after.loc[rows, columns])
    # and the most recent of them is the count of week t - h itself
    last_known = weekly[weekly["week"] == target - pd.Timedelta(weeks=h)].set_index(["zone", "category"])["y"]
    lag = before[rows].set_index(["zone", "category"])["lag_h"]
    pd.testing.assert_series_equal(lag, last_known.reindex(lag.index).astype(float), check_names=False)


def test_baselines_use_the_same_information(small_settings):
    """Seasonal naive is the count 52 weeks earlier; the moving average the 13 weeks up to t - h."""
    requests, zones = load_data(small_settings)
    weekly = weekly_counts(requests, zones)
    frame = build_features(weekly, zones, horizon=3, country="MX").set_index(KEYS)
    counts = weekly.set_index(KEYS)["y"]
    week = weekly["week"].sort_values().unique()[80]
    cell = ("Z01", sorted(weekly["category"].unique())[0])
    row = frame.loc[(week, *cell)]
    assert row["baseline_seasonal_naive"] == counts.loc[(week - pd.Timedelta(weeks=52), *cell)]
    window = [counts.loc[(week - pd.Timedelta(weeks=3 + k), *cell)] for k in range(13)]
    assert row["baseline_moving_average"] == pytest.approx(np.mean(window))
    short = build_features(weekly, zones, horizon=3, country="MX", seasonal=False)
    assert "lag_52" not in short and "lag_52" not in feature_columns(seasonal=False)


def test_future_weeks_have_features(small_settings):
    """The weeks to forecast get lag features from known weeks, and no count."""
    requests, zones = load_data(small_settings)
    weekly = weekly_counts(requests, zones)
    frame = build_features(add_future_weeks(weekly, 4), zones, horizon=4, country="MX")
    future = frame[frame["week"] > weekly["week"].max()]
    assert future["week"].nunique() == 4
    assert future["y"].isna().all()
    assert np.isfinite(future["lag_h"]).all()
