{% if cookiecutter.language == "es" -%}
"""Cada fila contada, zonas reconciliadas o por coordenadas, periodos incompletos y la historia que necesita el entrenamiento."""
{%- elif cookiecutter.language == "pt" -%}
"""Cada linha contada, zonas reconciliadas ou por coordenadas, períodos incompletos e o histórico que o treino precisa."""
{%- else -%}
"""Every row accounted for, zones reconciled or from coordinates, incomplete periods, and the history training needs."""
{%- endif %}

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml

from {{ cookiecutter.__package }}.__main__ import main
from {{ cookiecutter.__package }}.backtest import BacktestError, origins
from {{ cookiecutter.__package }}.contract import ContractError
from {{ cookiecutter.__package }}.history import HistoryError, weeks_required
from {{ cookiecutter.__package }}.ingest import collapsed_tail
from {{ cookiecutter.__package }}.pipeline import ingest, make_sample, validate
from {{ cookiecutter.__package }}.zoning import normalise, zones_from_points

from conftest import SMALL, write_settings


def _sample(tmp_path):
    settings = write_settings(tmp_path, **SMALL)
    requests_path, zones_path = make_sample(settings)
    return settings, pd.read_csv(requests_path, dtype=str), pd.read_csv(zones_path, dtype=str)


@pytest.mark.parametrize(
    ("label", "zone", "affixes"),
    [
        ("ARLETA NC", "Arleta", ["NC"]),
        ("MID-TOWN NORTH HOLLYWOOD NC", "Mid Town North Hollywood", ["NC"]),
        ("Col. Americana", "Americana", ["Col."]),
        ("BAIRRO  São Francisco", "Sao Francisco", ["Bairro"]),
        ("011385 ", "11385", []),
        ("Comuna 10 - La Candelaria", "La Candelaria", ["Comuna 10"]),
    ],
)
def test_labels_match_after_normalisation(label, zone, affixes):
    """Case, accents, whitespace, punctuation, leading zeros and affixes do not stop a match."""
    assert normalise(label, affixes) == normalise(zone, affixes)


def test_every_row_is_accounted_for(tmp_path):
    """Rows read = kept + dropped, each dropped row under one reason, with its labels in ingest.json."""
    settings, requests, _ = _sample(tmp_path)
    requests.loc[0:9, "zone"] = "Z99"  # unknown zone
    requests.loc[10:14, "zone"] = " z01 "  # matches Z01 once normalised
    requests.loc[15:16, "created_at"] = "no date"  # invalid row
    requests.loc[17:19, "category"] = "SIN MAPEO"  # unmapped category
    requests.to_csv(settings.data.requests, index=False)
    labels = {c: c for c in requests["category"].unique() if c != "SIN MAPEO"}
    dropping = write_settings(
        tmp_path,
        **SMALL,
        data={
            "unknown_zones": "drop",
            "invalid_rows": "drop",
            "category_labels": labels,
            "unmapped_categories": "drop",
        },
    )
    ingested = validate(dropping)
    report = json.loads((dropping.outputs / "ingest.json").read_text(encoding="utf-8"))
    rows = report["rows"]
    assert rows["read"] == len(requests)
    assert rows["kept"] == len(ingested.requests)
    assert rows["read"] == rows["kept"] + sum(d["rows"] for d in report["dropped"].values())
    assert report["dropped"]["unknown_zone"]["rows"] == 10
    assert report["dropped"]["unknown_zone"]["labels"] == [{"label": "Z99", "rows": 10}]
    assert report["dropped"]["invalid_row"]["labels"] == [{"label": "created_at_not_a_date", "rows": 2}]
    assert report["dropped"]["unmapped_category"]["labels"] == [{"label": "SIN MAPEO", "rows": 3}]
    assert report["zone_matches"]["normalised"] == 5
    assert "Z99" in (dropping.outputs / "zone_suggestions.yaml").read_text(encoding="utf-8")


NAMES = [
    "Americana",
    "Providencia",
    "Chapalita",
    "Ladrón de Guevara",
    "Jardines del Bosque",
    "Santa Tere",
    "Oblatos",
    "Polanco",
]
EXPORTED = [
    "COL. AMERICANA",
    "PROVIDENCIA 1A SECC",
    "chapalita",
    "LADRON DE GUEVARA",
    "JARDINES DEL BOSQUE CENTRO",
    "STA TERE",
    "OBLATOS ",
    "Polanco",
]


def test_unknown_zones_are_suggested_and_mapped(tmp_path):
    """Unmatched labels stop the run with the closest zones, in a snippet that, pasted, fixes it."""
    settings, requests, zones = _sample(tmp_path)
    codes = sorted(zones["zone"])
    zones["zone"] = zones["zone"].map(dict(zip(codes, NAMES, strict=True)))
    zones.to_csv(settings.data.zones, index=False)
    requests["zone"] = requests["zone"].map(dict(zip(codes, EXPORTED, strict=True)))
    requests.to_csv(settings.data.requests, index=False)
    affixes = write_settings(tmp_path, **SMALL, data={"zone_affixes": ["Col."]})
    with pytest.raises(ContractError, match="zones missing") as err:
        ingest(affixes)
    assert "zone_suggestions.yaml" in str(err.value) and "PROVIDENCIA 1A SECC" in str(err.value)
    snippet = yaml.safe_load((affixes.outputs / "zone_suggestions.yaml").read_text(encoding="utf-8"))
    assert snippet["zone_labels"] == {
        "PROVIDENCIA 1A SECC": "Providencia",
        "JARDINES DEL BOSQUE CENTRO": "Jardines del Bosque",
        "STA TERE": "Santa Tere",
    }
    mapped = write_settings(tmp_path, **SMALL, data={"zone_affixes": ["Col."], "zone_labels": snippet["zone_labels"]})
    ingested = ingest(mapped)
    assert len(ingested.requests) == len(requests)
    assert set(ingested.ledger.zone_matches) == {"exact", "mapping", "normalised"}
    assert ingested.ledger.zone_matches["exact"] == (requests["zone"] == "Polanco").sum()
    assert ingested.ledger.zone_matches["mapping"] == requests["zone"].isin(snippet["zone_labels"]).sum()


def test_zones_without_population(tmp_path):
    """A zone with population 0 stops the run, or is dropped with its requests counted."""
    settings, requests, zones = _sample(tmp_path)
    zones.loc[0, "population"] = "0"
    zones.to_csv(settings.data.zones, index=False)
    with pytest.raises(ContractError, match="zero_population: drop"):
        ingest(settings)
    dropping = write_settings(tmp_path, **SMALL, data={"zero_population": "drop"})
    ingested = ingest(dropping)
    lost = int((requests["zone"] == zones.loc[0, "zone"]).sum())
    assert ingested.ledger.rows["zone_without_population"] == lost
    assert zones.loc[0, "zone"] not in set(ingested.zones["zone"])


def test_truncated_tail_and_partial_week_are_cut(tmp_path):
    """An export whose last weeks hold 5 % of the usual volume, ending mid-week, is cut and reported."""
    settings, requests, _ = _sample(tmp_path)
    created = pd.to_datetime(requests["created_at"])
    tail_start = created.max().normalize() - pd.Timedelta(weeks=12)
    rng = np.random.default_rng(0)
    keep = (created < tail_start) | (rng.random(len(requests)) < 0.05)
    keep &= created < created.max().normalize() - pd.Timedelta(days=2)  # ends on a Friday
    requests[keep.to_numpy()].to_csv(settings.data.requests, index=False)
    ingested = ingest(settings)
    kinds = [p["kind"] for p in ingested.ledger.periods]
    assert kinds == ["partial_week", "collapse"]
    collapse = ingested.ledger.periods[1]
    assert 10 <= collapse["weeks"] <= 13 and collapse["share"] < 0.1
    assert ingested.requests["created_at"].max() < tail_start + pd.Timedelta(weeks=1)
    assert ingested.ledger.kept == len(ingested.requests) == ingested.ledger.read - ingested.ledger.dropped


def test_a_steady_export_is_not_cut(tmp_path):
    """The check holds under the null: a complete export with ordinary ups and downs loses nothing."""
    settings, requests, _ = _sample(tmp_path)
    ingested = ingest(settings)
    assert ingested.ledger.dropped == 0 and ingested.ledger.periods == []


@pytest.mark.parametrize(
    ("folds", "calibration", "horizon", "min_train", "history"),
    [
        (6, 3, 4, 52, "full"),
        (2, 1, 4, 40, "full"),
        (3, 2, 2, 26, "full"),
        (6, 3, 4, 12, "short"),
        (4, 2, 2, 20, "auto"),
    ],
)
def test_history_rule_is_the_backtest_rule(folds, calibration, horizon, min_train, history):
    """The weeks stated as needed are exactly the fewest with which the backtest runs."""
    settings = write_settings_like(folds, calibration, horizon, min_train, history)
    need = weeks_required(settings).weeks
    total = calibration + folds
    weeks = pd.Series(pd.date_range("2020-01-06", periods=need, freq="7D"))
    origins(weeks, horizon=horizon, folds=total, min_train_weeks=min_train)
    with pytest.raises(BacktestError):
        origins(weeks[:-1], horizon=horizon, folds=total, min_train_weeks=min_train)


def write_settings_like(folds, calibration, horizon, min_train, history):
    from {{ cookiecutter.__package }}.settings import BacktestSettings, ModelSettings

    class _Settings:
        model = ModelSettings(horizon_weeks=horizon, history=history)
        backtest = BacktestSettings(
            folds=folds, calibration_folds=calibration, min_train_weeks=min_train, min_train_weeks_short=min_train
        )

    return _Settings()


def test_validate_stops_where_train_would(tmp_path, capsys):
    """Too little history: validate exits 2, states the weeks needed and the settings that lower them."""
    settings = write_settings(
        tmp_path,
        **{
            **SMALL,
            "model": {**SMALL.get("model", {}), "history": "full"},
            "backtest": {"folds": 6, "min_train_weeks": 80},
        },
    )
    make_sample(settings)
    assert main(["--config", str(tmp_path / "config" / "pilot.yaml"), "validate"]) == 2
    captured = capsys.readouterr()
    need = 80 + settings.model.horizon_weeks * (settings.backtest.calibration_folds + 6 + 1)
    assert str(need) in captured.err and "backtest.min_train_weeks" in captured.err
    assert (settings.outputs / "ingest.json").exists()
    with pytest.raises(HistoryError):
        validate(settings)


def test_zones_from_coordinates(tmp_path):
    """Points fall in the polygon that contains them; points outside every polygon are counted."""
    polygons = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name},
                "geometry": {"type": "Polygon", "coordinates": [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]]},
            }
            for name, x in (("Centro", 0), ("Norte", 1))
        ],
    }
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps(polygons), encoding="utf-8")
    lat = pd.Series([0.5, 0.5, 5.0, np.nan, 0.0])
    lon = pd.Series([0.5, 1.5, 5.0, 0.5, 0.0])
    zones = zones_from_points(lat, lon, path=path, key="name")
    assert zones.tolist()[:2] == ["Centro", "Norte"]
    assert zones.iloc[2:].isna().all()
    with pytest.raises(ContractError, match="no property 'zone'"):
        zones_from_points(lat, lon, path=path, key="zone")


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"zone_labels": {"ZONA UNO": "Z99"}}, r"zone_labels maps to zones that are not in the zones table: \['Z99'\]"),
        ({"start": "31/12/2024"}, r"data.start must be a date \(YYYY-MM-DD\)"),
        ({"collapse_ratio": 1.5}, r"data.collapse_ratio must be in \[0, 1\)"),
        ({"zero_population": "ignore"}, r"data.zero_population must be one of \['error', 'drop'\]"),
        ({"zone_polygons": "zones.geojson"}, r"must map the required columns \['latitude', 'longitude'\]"),
    ],
)
def test_bad_ingestion_settings_are_explained(tmp_path, data, match):
    """Each new setting, set wrong, stops with a message naming it and what is expected."""
    settings = write_settings(tmp_path, **SMALL)
    make_sample(settings)
    with pytest.raises(ContractError, match=match):
        ingest(write_settings(tmp_path, **SMALL, data=data))


@pytest.mark.parametrize("level", [40.0, 100.0, 400.0])
def test_collapse_check_under_the_null_and_against_a_truncation(level):
    """Seasonal Poisson weeks with holiday dips never look truncated; a tail at 5 % always does.

    200 simulated exports of three years per level (requests a week, all zones): yearly
    seasonality of ±30 %, the last two weeks of each year at half volume. Below about 20 a week
    in the trailing half-year the check does not judge (MIN_TRAILING_LEVEL). Nothing is cut from the complete ones; in the truncated
    copies (last 12 weeks at 5 %) the cut starts at the truncation, give or take one week.
    """
    rng = np.random.default_rng(0)
    weeks = np.arange(156)
    mean = level * (1 + 0.3 * np.sin(2 * np.pi * weeks / 52))
    mean[(weeks % 52) >= 50] *= 0.5
    false_alarms, found = 0, []
    for _ in range(200):
        totals = rng.poisson(mean).astype(float)
        false_alarms += collapsed_tail(totals, ratio=0.2) is not None
        totals[-12:] = rng.poisson(mean[-12:] * 0.05)
        hit = collapsed_tail(totals, ratio=0.2)
        found.append(None if hit is None else hit[0])
    assert false_alarms == 0
    assert all(start is not None and abs(start - 144) <= 1 for start in found)
