"""Three cities' own exports become a trained, audited pilot with configuration only.

Each test bakes a pilot, writes an export shaped like a real one (its header, separator,
encoding, date format and quirks, from ``tests/data/exports/``; see SOURCES.md there) with
synthetic volumes, edits ``config/pilot.yaml`` (and the strata in ``audit.yaml``) as the pilot's
README says, then runs ``validate``, ``train`` and ``auditkit review`` as a user would.

- Buenos Aires "147" (Spanish; real header and value formats): barrio labels in capitals
  without accents, shortened ("VILLA GRAL. MITRE") or without their article ("BOCA"); the first
  ``validate`` stops and writes the suggestions that, pasted into ``zone_labels``, fix it; the
  export stops early (its last twelve weeks hold 5 % of the usual volume) and that is cut and
  reported by the audit.
- São Paulo "SP156" (Portuguese; real header, synthetic rows): Latin-1, ``;``, no request number,
  coordinates with decimal commas; zones come from district polygons (GeoJSON), the district label
  is the fallback.
- Los Angeles "MyLA311" (English; real header, synthetic rows): council names with an "NC"
  suffix, one council that only a hand mapping can match ("MID-TOWN NORTH HOLLYWOOD NC" is
  "Noho" in the zones table), requests outside any council, and a zones table with a zero
  population row.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from tests.template.conftest import REPO, bake

pytestmark = pytest.mark.slow

SAMPLES = REPO / "tests" / "data" / "exports"
START = pd.Timestamp("2022-01-03")
WEEKS = 104
FAST = {
    "model": {"max_iter": 40},
    "backtest": {"folds": 2, "min_train_weeks": 52},
}


def _timestamps(rng: np.random.Generator, rows: int, weeks: int = WEEKS) -> pd.DatetimeIndex:
    seconds = np.sort(rng.integers(0, weeks * 7 * 86_400, rows))
    return START + pd.to_timedelta(seconds, unit="s")


def _zone_index(rng: np.random.Generator, rows: int, strata: list[str], low: str) -> np.ndarray:
    """Zone positions, the most deprived stratum reporting less (as real exports do)."""
    weights = np.array([0.5 if s == low else 1.0 for s in strata])
    return rng.choice(len(strata), rows, p=weights / weights.sum())


def _project(tmp_path: Path, **answers: str) -> tuple[Path, dict[str, str]]:
    project = bake(tmp_path, **answers)
    (project / "data" / "raw").mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    env["PYTHONPATH"] = os.pathsep.join([str(project / "src"), str(REPO)])
    env["MLFLOW_TRACKING_URI"] = f"sqlite:///{tmp_path / 'mlflow.db'}"
    return project, env


def _configure(project: Path, data: dict[str, Any]) -> None:
    """What the README asks: the `data` section, and faster model settings for a test."""
    path = project / "config" / "pilot.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings["data"].update(data)
    for section, values in FAST.items():
        settings[section].update(values)
    path.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _run(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    package = next((project / "src").iterdir()).name
    command = [sys.executable, "-m", package, *args] if args[0] != "review" else [
        sys.executable, "-m", "auditkit", "review", "--fail-on", "never", "--quiet"
    ]  # fmt: skip
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )


def _train_and_review(project: Path, env: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    train = _run(project, env, "train")
    assert train.returncode == 0, train.stdout[-3000:] + train.stderr[-3000:]
    review = _run(project, env, "review")
    assert review.returncode == 0, review.stdout[-2000:] + review.stderr[-3000:]
    ingest = json.loads((project / "outputs" / "ingest.json").read_text(encoding="utf-8"))
    findings = json.loads((project / "audit" / "findings.json").read_text(encoding="utf-8"))
    return ingest, {f["id"]: f["status"] for f in findings["findings"]}


def _accounted(ingest: dict[str, Any]) -> None:
    rows = ingest["rows"]
    assert rows["read"] == rows["kept"] + sum(d["rows"] for d in ingest["dropped"].values())


# --- Buenos Aires 147 ---------------------------------------------------------------------

BA_BARRIOS = {  # official name -> (label in the export, stratum, population)
    "Villa Lugano": ("VILLA LUGANO", "muy_alto", 114_000),
    "Villa Riachuelo": ("VILLA RIACHUELO", "muy_alto", 14_000),
    "La Boca": ("BOCA", "alto", 46_000),
    "Nueva Pompeya": ("NUEVA POMPEYA", "alto", 41_000),
    "Constitución": ("CONSTITUCION", "alto", 44_000),
    "Villa General Mitre": ("VILLA GRAL. MITRE", "medio", 34_000),
    "Flores": ("FLORES", "medio", 106_000),
    "Caballito": ("CABALLITO", "medio", 176_000),
    "Palermo": ("PALERMO", "bajo", 225_000),
    "Recoleta": ("RECOLETA", "bajo", 157_000),
    "Belgrano": ("BELGRANO", "bajo", 126_000),
    "Núñez": ("NUÑEZ", "bajo", 49_000),
}
BA_CATEGORIES = ["ALUMBRADO", "LIMPIEZA Y RECOLECCIÓN", "CALLES Y VEREDAS", "ARBOLADO", "TRÁNSITO"]


def _buenos_aires(project: Path, rows: int = 18_000, seed: int = 11) -> int:
    sample = pd.read_csv(SAMPLES / "buenos_aires_147_2020_excerpt.csv", sep=";", dtype=str)
    rng = np.random.default_rng(seed)
    created = _timestamps(rng, rows, WEEKS + 12)
    # the export stops: the last 12 weeks keep 5 % of their rows, and it ends on a Wednesday
    tail = created >= START + pd.Timedelta(weeks=WEEKS)
    keep = ~tail | (rng.random(rows) < 0.05)
    keep &= created < START + pd.Timedelta(weeks=WEEKS + 11, days=3)
    created = created[keep]
    n = len(created)
    names = list(BA_BARRIOS)
    strata = [BA_BARRIOS[b][1] for b in names]
    where = _zone_index(rng, n, strata, "muy_alto")
    barrio = np.array([BA_BARRIOS[b][0] for b in names], dtype=object)[where]
    barrio[rng.random(n) < 0.01] = ""  # some contacts carry no barrio
    later = created >= pd.Timestamp(
        "2023-01-01"
    )  # the format changes half-way, as in the real file
    frame = pd.DataFrame({c: "" for c in sample.columns}, index=range(n))
    frame["contacto"] = [f"{i:08d}/{d.year % 100}" for i, d in enumerate(created)]
    frame["periodo"] = created.strftime("%Y%m")
    frame["categoria"] = rng.choice(BA_CATEGORIES, n)
    frame["tipo_prestacion"] = "RECLAMO"
    frame["fecha_ingreso"] = created.strftime("%d/%m/%Y")
    frame["hora_ingreso"] = np.where(
        later,
        created.strftime("%H:%M:%S"),
        created.strftime("%I:%M:%S %p").str.replace("AM", "a.m.").str.replace("PM", "p.m."),
    )
    comuna = rng.integers(1, 16, n)
    frame["domicilio_cgpc"] = np.where(
        later, [f"{c}.0" for c in comuna], [f"COMUNA {c}" for c in comuna]
    )
    frame["domicilio_barrio"] = barrio
    lat, lon = -34.6 - rng.random(n) * 0.1, -58.4 - rng.random(n) * 0.1
    frame["lat"] = np.where(
        later, [f"{v:.13f}".replace(".", ",") for v in lat], [f"{v:.13f}" for v in lat]
    )
    frame["long"] = np.where(
        later, [f"{v:.13f}".replace(".", ",") for v in lon], [f"{v:.13f}" for v in lon]
    )
    frame["canal"] = rng.choice(["App BA 147", "GCS Web", "Call Center", "Boti", "Cercania"], n)
    frame["estado_del_contacto"] = "Cerrado"
    frame.to_csv(project / "data" / "raw" / "contactos_147.csv", sep=";", index=False)
    pd.DataFrame(
        {
            "BARRIO": names,
            "POBLACION": [BA_BARRIOS[b][2] for b in names],
            "NIVEL": strata,
        }
    ).to_csv(project / "data" / "zones.csv", index=False)
    return n


def test_buenos_aires_147_export(tmp_path: Path) -> None:
    """Spanish municipal export: suggestions fix the barrio labels; the truncated tail is cut."""
    project, env = _project(tmp_path, city="Buenos Aires", country="AR", language="es")
    rows = _buenos_aires(project)
    _configure(
        project,
        {
            "source": "file",
            "requests": "data/raw/contactos_147.csv",
            "separator": ";",
            "columns": {
                "request_id": "contacto",
                "created_at": "fecha_ingreso",
                "category": "categoria",
                "zone": "domicilio_barrio",
                "channel": "canal",
                "closed_at": None,
                "latitude": None,
                "longitude": None,
            },
            "created_at_format": "%d/%m/%Y",
            "category_labels": {
                "ALUMBRADO": "alumbrado",
                "LIMPIEZA Y RECOLECCIÓN": "basura",
                "CALLES Y VEREDAS": "baches",
            },
            "unmapped_categories": "other",
            "channel_labels": {
                "Boti": "whatsapp",
                "App BA 147": "app",
                "GCS Web": "web",
                "Call Center": "telefono",
            },
            "invalid_rows": "drop",
            "zone_columns": {
                "zone": "BARRIO",
                "population": "POBLACION",
                "estrato_marginacion": "NIVEL",
            },
        },
    )
    first = _run(project, env, "validate")
    assert first.returncode == 2 and "zone_suggestions.yaml" in first.stderr, first.stderr[-2000:]
    suggestions = yaml.safe_load(
        (project / "outputs" / "zone_suggestions.yaml").read_text(encoding="utf-8")
    )
    assert suggestions["zone_labels"] == {
        "BOCA": "La Boca",
        "VILLA GRAL. MITRE": "Villa General Mitre",
    }
    _configure(project, suggestions)  # README: check the suggestions, then paste them

    validate = _run(project, env, "validate")
    assert validate.returncode == 0, validate.stdout[-2000:] + validate.stderr[-2000:]
    assert f"Filas leídas: {rows}" in validate.stdout
    assert (
        "exportación cortada" in validate.stdout
        # model.history: auto: the least train accepts (short history: 12 + 4 x (3 + 2 + 1)),
        # and from how many weeks the full history is used (52 + 4 x 6)
        and "el entrenamiento necesita 36" in validate.stdout
        and "Con 76 semanas o más" in validate.stdout
    )

    ingest, statuses = _train_and_review(project, env)
    _accounted(ingest)
    assert ingest["rows"]["read"] == rows
    assert ingest["dropped"]["invalid_row"]["labels"][0]["label"] == "empty_zone"
    assert ingest["zone_matches"]["normalised"] > 0 and ingest["zone_matches"]["mapping"] > 0
    collapse = [p for p in ingest["incomplete_periods"] if p["kind"] == "collapse"]
    assert len(collapse) == 1 and 10 <= collapse[0]["weeks"] <= 12 and collapse[0]["share"] < 0.15
    predictions = pd.read_csv(project / "outputs" / "predictions.csv")
    assert pd.to_datetime(predictions["week"]).max() < START + pd.Timedelta(weeks=WEEKS)
    assert statuses["data.quality.ingest"] == "warn"


# --- São Paulo SP156 ----------------------------------------------------------------------

SP_DISTRICTS = {  # name in the zones table -> (label in the export, stratum, population)
    "Jardim Ângela": ("JARDIM ANGELA", "muito_alto", 295_000),
    "Capão Redondo": ("CAPAO REDONDO", "muito_alto", 268_000),
    "Brasilândia": ("BRASILANDIA", "alto", 264_000),
    "Cidade Tiradentes": ("CIDADE TIRADENTES", "alto", 211_000),
    "Sé": ("SE", "medio", 23_000),
    "Bela Vista": ("BELA VISTA", "medio", 69_000),
    "Pinheiros": ("PINHEIROS", "baixo", 65_000),
    "Moema": ("MOEMA", "baixo", 83_000),
}
SP_SUBJECTS = [
    "Iluminação pública",
    "Coleta de lixo",
    "Buraco e pavimentação",
    "Pichação",
    "Poda de árvore",
]


def _sao_paulo(project: Path, rows: int = 14_000, seed: int = 12) -> tuple[int, int]:
    header = pd.read_csv(
        SAMPLES / "sao_paulo_sp156_header.csv", sep=";", encoding="latin-1"
    ).columns
    rng = np.random.default_rng(seed)
    created = _timestamps(rng, rows)
    names = list(SP_DISTRICTS)
    strata = [SP_DISTRICTS[d][1] for d in names]
    where = _zone_index(rng, rows, strata, "muito_alto")
    # district polygons: 0.05° squares in a row; each request inside its own district's square
    lon = -46.80 + where * 0.05 + 0.005 + rng.random(rows) * 0.04
    lat = -23.60 + 0.005 + rng.random(rows) * 0.04
    label = np.array([SP_DISTRICTS[d][0] for d in names], dtype=object)[where]
    no_coordinates = rng.random(rows) < 0.05  # the label is the fallback
    nowhere = (rng.random(rows) < 0.01) & ~no_coordinates  # outside every district, no label
    label[nowhere] = ""
    lon[nowhere] = -47.5
    frame = pd.DataFrame({c: "" for c in header}, index=range(rows))
    frame["Data de abertura"] = created.strftime("%d/%m/%Y %H:%M:%S")
    frame["Canal"] = rng.choice(
        ["Central SP156", "Portal SP156", "App SP156", "Praça de Atendimento"], rows
    )
    frame["Tema"] = "Serviços urbanos"
    frame["Assunto"] = rng.choice(SP_SUBJECTS, rows)
    frame["Distrito"] = label
    frame["Latitude"] = np.where(no_coordinates, "", [f"{v:.7f}".replace(".", ",") for v in lat])
    frame["Longitude"] = np.where(no_coordinates, "", [f"{v:.7f}".replace(".", ",") for v in lon])
    frame["Status da solicitação"] = "FINALIZADA"
    frame.to_csv(project / "data" / "raw" / "sp156.csv", sep=";", index=False, encoding="latin-1")
    pd.DataFrame(
        {
            "Distrito": names,
            "Populacao": [SP_DISTRICTS[d][2] for d in names],
            "IVS_faixa": strata,
        }
    ).to_csv(
        project / "data" / "zones.csv", index=False, encoding="latin-1"
    )  # data.encoding: both files
    polygons = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"ds_nome": SP_DISTRICTS[name][0], "ds_codigo": i},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [-46.80 + i * 0.05, -23.60],
                            [-46.75 + i * 0.05, -23.60],
                            [-46.75 + i * 0.05, -23.55],
                            [-46.80 + i * 0.05, -23.55],
                            [-46.80 + i * 0.05, -23.60],
                        ]
                    ],
                },
            }
            for i, name in enumerate(names)
        ],
    }
    (project / "data" / "distritos.geojson").write_text(json.dumps(polygons), encoding="utf-8")
    return rows, int(nowhere.sum())


def test_sao_paulo_156_export(tmp_path: Path) -> None:
    """Brazilian 156 export: no request number, Latin-1, decimal commas, zones from polygons."""
    project, env = _project(tmp_path, city="São Paulo", country="BR", language="pt")
    rows, nowhere = _sao_paulo(project)
    _configure(
        project,
        {
            "source": "file",
            "requests": "data/raw/sp156.csv",
            "separator": ";",
            "encoding": "latin-1",
            "columns": {
                "request_id": None,
                "created_at": "Data de abertura",
                "category": "Assunto",
                "zone": "Distrito",
                "channel": "Canal",
                "closed_at": None,
                "latitude": "Latitude",
                "longitude": "Longitude",
            },
            "created_at_format": "%d/%m/%Y %H:%M:%S",
            "category_labels": {
                "Iluminação pública": "iluminacao",
                "Coleta de lixo": "lixo",
                "Buraco e pavimentação": "buracos",
                "Pichação": "pichacao",
            },
            "unmapped_categories": "other",
            "channel_labels": {
                "Central SP156": "telefone",
                "Portal SP156": "web",
                "App SP156": "app",
            },
            "zone_polygons": "data/distritos.geojson",
            "zone_polygon_key": "ds_nome",
            "zone_columns": {
                "zone": "Distrito",
                "population": "Populacao",
                "estrato_vulnerabilidade": "IVS_faixa",
            },
        },
    )
    validate = _run(project, env, "validate")
    assert validate.returncode == 0, validate.stdout[-2000:] + validate.stderr[-2000:]
    assert f"Linhas lidas: {rows}" in validate.stdout

    ingest, statuses = _train_and_review(project, env)
    _accounted(ingest)
    assert ingest["dropped"]["no_zone_for_location"]["rows"] == nowhere
    matches = ingest["zone_matches"]
    assert (
        matches["location"] > 0.9 * rows and matches["normalised"] > 0
    )  # label fallback, no accents
    assert statuses["data.quality.ingest"] == "pass"
    requests = pd.read_parquet(project / "outputs" / "requests.parquet")
    assert requests["request_id"].is_unique and set(requests["zone"]) == set(SP_DISTRICTS)


# --- Los Angeles MyLA311 ------------------------------------------------------------------

LA_COUNCILS = {  # zone in the zones table -> (NCName in the export, stratum, population)
    "Arleta": ("ARLETA NC", "very_high", 33_000),
    "Pacoima": ("PACOIMA NC", "very_high", 81_000),
    "Boyle Heights": ("BOYLE HEIGHTS NC", "very_high", 86_000),
    "Watts": ("WATTS NC", "high", 41_000),
    "Wilmington": ("WILMINGTON NC", "high", 54_000),
    "Sun Valley Area": ("SUN VALLEY AREA NC", "high", 50_000),
    "Noho": ("MID-TOWN NORTH HOLLYWOOD NC", "medium", 43_000),
    "Historic Highland Park": ("HISTORIC HIGHLAND PARK NC", "medium", 60_000),
    "Greater Wilshire": ("GREATER WILSHIRE NC", "low", 42_000),
    "Venice": ("VENICE NC", "low", 40_000),
    "Bel Air-Beverly Crest": ("BEL AIR-BEVERLY CREST NC", "low", 18_000),
}
LA_TYPES = [
    "Bulky Items",
    "Graffiti Removal",
    "Illegal Dumping Pickup",
    "Single Streetlight Issue",
    "Dead Animal Removal",
]


def _los_angeles(project: Path, rows: int = 16_000, seed: int = 13) -> tuple[int, int]:
    header = pd.read_csv(SAMPLES / "los_angeles_myla311_2022_header.csv").columns
    rng = np.random.default_rng(seed)
    created = _timestamps(rng, rows)
    names = list(LA_COUNCILS)
    strata = [LA_COUNCILS[c][1] for c in names]
    where = _zone_index(rng, rows, strata, "very_high")
    council = np.array([LA_COUNCILS[c][0] for c in names], dtype=object)[where]
    council[rng.random(rows) < 0.02] = ""  # outside any neighborhood council
    in_palms = rng.random(rows) < 0.03
    council[in_palms] = "PALMS NC"  # a council the zones table leaves out (business district)
    frame = pd.DataFrame({c: "" for c in header}, index=range(rows))
    frame["SRNumber"] = [f"1-{2_100_000_000 + i}" for i in range(rows)]
    frame["CreatedDate"] = created.strftime("%m/%d/%Y %I:%M:%S %p")
    frame["UpdatedDate"] = frame["CreatedDate"]
    frame["RequestType"] = rng.choice(LA_TYPES, rows)
    frame["Status"] = "Closed"
    frame["RequestSource"] = rng.choice(
        ["Call", "Mobile App", "Self Service", "Email", "Driver Self Report"], rows
    )
    frame["AddressVerified"] = "Y"
    frame["NCName"] = council
    frame["NC"] = np.where(council == "", "", (where + 1).astype(str))
    frame.to_csv(project / "data" / "raw" / "MyLA311_Service_Request_Data_2022.csv", index=False)
    zones = pd.DataFrame(
        {
            "NC_NAME": [*names, "Palms"],
            "POP_2020": [LA_COUNCILS[c][2] for c in names] + [0],
            "SVI_LEVEL": [*strata, "low"],
        }
    )
    zones.to_csv(project / "data" / "zones.csv", index=False)
    return rows, int(in_palms.sum())


def test_los_angeles_myla311_export(tmp_path: Path) -> None:
    """US 311 export: "NC" suffixes, one hand mapping, a zero-population council dropped and counted."""
    project, env = _project(tmp_path, city="Los Angeles", country="US", language="en")
    rows, in_palms = _los_angeles(project)
    _configure(
        project,
        {
            "source": "file",
            "requests": "data/raw/MyLA311_Service_Request_Data_2022.csv",
            "columns": {
                "request_id": "SRNumber",
                "created_at": "CreatedDate",
                "category": "RequestType",
                "zone": "NCName",
                "channel": "RequestSource",
                "closed_at": None,
                "latitude": None,
                "longitude": None,
            },
            "created_at_format": "%m/%d/%Y %I:%M:%S %p",
            "channel_labels": {"Call": "phone", "Mobile App": "app", "Self Service": "web"},
            "invalid_rows": "drop",
            "zone_labels": {"MID-TOWN NORTH HOLLYWOOD NC": "Noho"},
            "zero_population": "drop",
            "zone_columns": {
                "zone": "NC_NAME",
                "population": "POP_2020",
                "deprivation_stratum": "SVI_LEVEL",
            },
        },
    )
    validate = _run(project, env, "validate")
    assert validate.returncode == 0, validate.stdout[-2000:] + validate.stderr[-2000:]
    assert "zone without population: " in validate.stdout and "'Palms'" in validate.stdout

    ingest, statuses = _train_and_review(project, env)
    _accounted(ingest)
    assert ingest["dropped"]["zone_without_population"]["rows"] == in_palms
    assert ingest["zones_without_population"] == ["Palms"]
    assert ingest["dropped"]["invalid_row"]["labels"] == [
        {"label": "empty_zone", "rows": ingest["dropped"]["invalid_row"]["rows"]}
    ]
    assert ingest["zone_matches"]["normalised"] > 0.7 * rows
    assert statuses["data.quality.ingest"] == "pass"
    predictions = pd.read_csv(project / "outputs" / "predictions.csv")
    assert set(predictions["deprivation_stratum"]) == {"very_high", "high", "medium", "low"}
