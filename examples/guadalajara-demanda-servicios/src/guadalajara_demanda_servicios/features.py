"""Conteos semanales zona × categoría, y variables que solo miran al pasado.

Para una semana objetivo ``t`` y un horizonte de ``h`` semanas, cada variable usa conteos hasta
la semana ``t - h`` como máximo (rezagos, medias móviles, la proporción de WhatsApp) o cosas que
se conocen de antemano (el calendario, los feriados, la población de la zona). Eso hace honesto
al backtest: un pronóstico hecho al final de la semana ``t - h`` podría haberla calculado.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from guadalajara_demanda_servicios.contract import ContractError
from guadalajara_demanda_servicios.holidays import holidays

KEYS = ["week", "zone", "category"]
IDENTIFIERS = ["zone_code", "category_code"]


def weekly_counts(requests: pd.DataFrame, zones: pd.DataFrame, *, categories: list[str] | None = None) -> pd.DataFrame:
    """Count requests per complete week (Monday to Sunday), zone and category.

    Zones and categories without requests in a week get a zero; the first and last weeks are
    dropped when the data does not cover all their days.
    """
    created = requests["created_at"]
    week = created.dt.normalize() - pd.to_timedelta(created.dt.weekday, unit="D")
    first_day, last_day = created.min().normalize(), created.max().normalize()
    first_week = week.min() if first_day.weekday() == 0 else week.min() + pd.Timedelta(days=7)
    last_week = week.max() if last_day.weekday() == 6 else week.max() - pd.Timedelta(days=7)
    if last_week < first_week:
        raise ContractError("the requests cover less than one complete week (Monday to Sunday).")
    weeks = pd.date_range(first_week, last_week, freq="7D")
    cats = sorted(categories or requests["category"].unique())
    grid = pd.MultiIndex.from_product([weeks, sorted(zones["zone"]), cats], names=KEYS)
    frame = requests.assign(week=week, whatsapp=requests["channel"].eq("whatsapp"))
    counts = frame.groupby(KEYS).size().reindex(grid, fill_value=0).rename("y")
    zone_week = frame.groupby(["week", "zone"]).agg(n=("whatsapp", "size"), w=("whatsapp", "sum"))
    out = counts.reset_index()
    share = (zone_week["w"] / zone_week["n"]).rename("whatsapp_share").reset_index()
    out = out.merge(share, on=["week", "zone"], how="left")
    out["whatsapp_share"] = out["whatsapp_share"].fillna(0.0)
    return out.sort_values(KEYS).reset_index(drop=True)


def add_future_weeks(weekly: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """Append the next ``horizon`` weeks with unknown counts, to forecast them."""
    last = weekly["week"].max()
    future_weeks = pd.date_range(last + pd.Timedelta(days=7), periods=horizon, freq="7D")
    pairs = weekly[["zone", "category"]].drop_duplicates()
    future = pairs.merge(pd.DataFrame({"week": future_weeks}), how="cross")
    future["y"] = np.nan
    future["whatsapp_share"] = np.nan
    return pd.concat([weekly, future], ignore_index=True).sort_values(KEYS).reset_index(drop=True)


def build_features(
    weekly: pd.DataFrame,
    zones: pd.DataFrame,
    *,
    horizon: int,
    country: str,
    subdivision: str | None = None,
    extra_holidays: tuple[dt.date, ...] = (),
    seasonal: bool = True,
) -> pd.DataFrame:
    """Add the feature columns (see :func:`feature_columns`) and the two baselines.

    Every row is the forecast of its week made ``horizon`` weeks earlier (one direct model per
    horizon). ``seasonal=False`` (short history) leaves out the year-ago count.

    The baselines use the same information as the model: ``baseline_seasonal_naive`` is the
    count of the same week a year earlier (the last known count when there is none, or with
    ``seasonal=False``), ``baseline_moving_average`` the mean of the last 13 known weeks.
    """
    df = weekly.sort_values(["zone", "category", "week"]).reset_index(drop=True)
    by = df.groupby(["zone", "category"], sort=False)
    known_y = by["y"].shift(horizon)  # the most recent count known when forecasting
    df["lag_h"] = known_y
    for extra in (1, 2, 3):
        df[f"lag_h{extra}"] = by["y"].shift(horizon + extra)
    if seasonal:
        df["lag_52"] = by["y"].shift(52)
    shifted = known_y.groupby([df["zone"], df["category"]], sort=False)
    df["mean_4"] = shifted.transform(lambda s: s.rolling(4, min_periods=1).mean())
    df["mean_13"] = shifted.transform(lambda s: s.rolling(13, min_periods=1).mean())
    df["whatsapp_share_h"] = by["whatsapp_share"].shift(horizon)

    week_of_year = df["week"].dt.isocalendar().week.astype(float).to_numpy()
    df["week_sin"] = np.sin(2 * np.pi * week_of_year / 52.18)
    df["week_cos"] = np.cos(2 * np.pi * week_of_year / 52.18)
    df["month"] = df["week"].dt.month.astype(float)
    years = range(df["week"].min().year, df["week"].max().year + 2)
    holiday_days = pd.to_datetime(
        pd.Series(holidays(country, years, subdivision=subdivision, extra=extra_holidays), dtype=object)
    )
    holiday_weeks = (holiday_days - pd.to_timedelta(holiday_days.dt.weekday, unit="D")).value_counts()
    df["holidays"] = df["week"].map(holiday_weeks).fillna(0.0).astype(float)

    zone_info = zones.set_index("zone")
    df["log_population"] = np.log(df["zone"].map(zone_info["population"]).astype(float))
    df["zone_code"] = df["zone"].map({z: i for i, z in enumerate(sorted(zones["zone"]))}).astype(float)
    cats = sorted(df["category"].unique())
    df["category_code"] = df["category"].map({c: i for i, c in enumerate(cats)}).astype(float)

    # transparent baselines, from counts known at the forecast origin
    year_ago = df["lag_52"] if seasonal and horizon <= 52 else pd.Series(np.nan, index=df.index)
    df["baseline_seasonal_naive"] = year_ago.where(year_ago.notna(), df["lag_h"])
    df["baseline_moving_average"] = df["mean_13"]
    return df.sort_values(KEYS).reset_index(drop=True)


def feature_columns(*, seasonal: bool = True) -> list[str]:
    """The model's input columns, in order (zone and category codes last).

    With ``seasonal=False`` (short history) the year-ago count ``lag_52`` is left out.
    """
    lags = ["lag_h", "lag_h1", "lag_h2", "lag_h3", *(["lag_52"] if seasonal else [])]
    return [
        *lags,
        "mean_4",
        "mean_13",
        "whatsapp_share_h",
        "week_sin",
        "week_cos",
        "month",
        "holidays",
        "log_population",
        *IDENTIFIERS,
    ]
